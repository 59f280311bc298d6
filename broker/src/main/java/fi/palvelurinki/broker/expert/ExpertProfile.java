package fi.palvelurinki.broker.expert;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.Texts;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * An authority's expert answering from their own office.
 *
 * @param rings     rings the expert belongs to (at least one)
 * @param languages languages the expert serves in
 * @param topics    topics the expert handles; empty means every topic of their rings
 * @param interprets for a member of interpreter rings, the languages they interpret (codes of
 *                   {@link fi.palvelurinki.broker.ring.Interpreting}); empty: every language of their rings
 */
public record ExpertProfile(String id, String name, Set<String> rings, Set<Language> languages, Set<String> topics,
        Set<String> interprets) {
    public static final int MAX_RINGS = 16;

    public ExpertProfile(String id, String name, Set<String> rings, Set<Language> languages, Set<String> topics) {
        this(id, name, rings, languages, topics, Set.of());
    }

    public ExpertProfile {
        Ids.check("expert", id);
        name = Texts.check("expert name", name, 200, true);
        if (rings == null || rings.isEmpty() || rings.size() > MAX_RINGS) {
            throw BrokerException.invalid("expert " + id + " must belong to 1-" + MAX_RINGS + " rings");
        }
        Set<String> r = new TreeSet<>();
        for (String ring : rings) {
            r.add(Ids.check("ring", ring));
        }
        rings = Set.copyOf(r);
        if (languages == null || languages.isEmpty()) {
            throw BrokerException.invalid("expert " + id + " must speak at least one service language");
        }
        languages = Set.copyOf(EnumSet.copyOf(languages));
        Set<String> t = new TreeSet<>();
        if (topics != null) {
            for (String topic : topics) {
                t.add(Ids.check("topic", topic));
            }
        }
        topics = Set.copyOf(t);
        interprets = fi.palvelurinki.broker.ring.Interpreting.checkAll("expert " + id, interprets);
    }

    /** Does this interpreter interpret {@code language}, given the languages their rings interpret? */
    public boolean interprets(String language) {
        return interprets.isEmpty() || interprets.contains(language);
    }

    public boolean handlesTopic(String topic) {
        return topics.isEmpty() || topics.contains(topic);
    }
}
