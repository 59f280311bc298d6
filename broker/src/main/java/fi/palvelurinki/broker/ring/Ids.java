package fi.palvelurinki.broker.ring;

import fi.palvelurinki.broker.BrokerException;
import java.util.regex.Pattern;

/** Identifiers of configured things (rings, experts, points…): short, ASCII, safe in logs and URLs. */
public final class Ids {
    public static final int MAX_LENGTH = 64;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private Ids() {}

    public static String check(String kind, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw BrokerException.invalid(kind + " id must be 1-" + MAX_LENGTH
                    + " characters of A-Z a-z 0-9 . _ - starting with a letter or digit, got "
                    + (value == null ? "nothing" : "'" + Texts.abbreviate(value, 80) + "'"));
        }
        return value;
    }

    public static boolean valid(String value) {
        return value != null && ID.matcher(value).matches();
    }
}
