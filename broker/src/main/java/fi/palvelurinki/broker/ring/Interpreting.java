package fi.palvelurinki.broker.ring;

import fi.palvelurinki.broker.BrokerException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Languages an interpreter interprets, as ISO 639 codes: two letters ({@code ar} Arabic, {@code so} Somali,
 * {@code ru} Russian) or three ({@code fse} Finnish Sign Language, {@code fss} Finland-Swedish Sign
 * Language). Unlike {@link Language}, the service languages of the brand, this set is open: a wellbeing
 * area adds a language by configuring an interpreter ring, not by a new release.
 */
public final class Interpreting {
    private static final Pattern CODE = Pattern.compile("[a-z]{2,3}");
    public static final int MAX_LANGUAGES = 64;

    private Interpreting() {}

    /** The code, lower-cased, or a clear error. */
    public static String check(String code) {
        String c = code == null ? null : code.trim().toLowerCase(java.util.Locale.ROOT);
        if (c == null || !CODE.matcher(c).matches()) {
            throw BrokerException.invalid("an interpreting language is an ISO 639 code of 2-3 letters (ar, so, ru, fse), "
                    + "not '" + code + "'");
        }
        return c;
    }

    public static Set<String> checkAll(String owner, Set<String> codes) {
        if (codes == null || codes.isEmpty()) {
            return Set.of();
        }
        if (codes.size() > MAX_LANGUAGES) {
            throw BrokerException.invalid(owner + " lists more than " + MAX_LANGUAGES + " interpreting languages");
        }
        Set<String> out = new TreeSet<>();
        for (String c : codes) {
            out.add(check(c));
        }
        return Set.copyOf(out);
    }
}
