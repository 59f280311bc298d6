package fi.palvelurinki.broker.ring;

import fi.palvelurinki.broker.BrokerException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service ring: one authority's pool of experts that answers calls from any service point.
 *
 * @param topics                  topics the ring serves; a request must name one of them (empty: any topic)
 * @param languages               languages the ring serves; a request must be in one of them
 * @param offerTimeout            how long an offer rings before it goes to the next expert
 * @param wrapUp                  after-call work time before the expert is available again
 * @param maxMissedOffers         consecutive unanswered offers after which the expert is set AWAY
 * @param declineCooldown         how long a decliner (or non-answerer) is not offered the same request again
 * @param languageEscalationAfter wait after which a request whose customer consented may be answered in a
 *                                fallback language; {@code null}: never
 * @param fallbackLanguages       the languages added by that escalation
 * @param overflowRingId          ring that may also answer after {@link #overflowAfter}; {@code null}: none
 * @param expectedHandleTime      talk + wrap-up assumed before the ring has answered calls (seeds the wait estimate)
 * @param serviceLevelThreshold   the t of service level SL(t) shown to operators
 * @param bookingCapacity         booked calls the ring may hold at once; 0: as many as it has experts. The
 *                                rest of the ring's experts stay free for instant calls
 * @param interpreting            empty for an authority's ring; for an interpreter ring, the languages its
 *                                members interpret to and from the ring's service {@code languages}
 *                                (language pairs fi–ar, fi–so…), as {@link Interpreting} codes
 */
public record RingConfig(
        String id,
        String authorityId,
        String name,
        Set<String> topics,
        Set<Language> languages,
        OpeningHours openingHours,
        Duration offerTimeout,
        Duration wrapUp,
        int maxMissedOffers,
        Duration declineCooldown,
        Duration languageEscalationAfter,
        Set<Language> fallbackLanguages,
        String overflowRingId,
        Duration overflowAfter,
        Duration expectedHandleTime,
        Duration serviceLevelThreshold,
        int bookingCapacity,
        Set<String> interpreting) {

    public static final int MAX_TOPICS = 64;

    public RingConfig {
        Ids.check("ring", id);
        Ids.check("authority", authorityId);
        name = Texts.check("ring name", name, 200, true);
        topics = checkTopics(topics);
        if (languages == null || languages.isEmpty()) {
            throw BrokerException.invalid("ring " + id + " must serve at least one language");
        }
        languages = Set.copyOf(EnumSet.copyOf(languages));
        if (openingHours == null) {
            throw BrokerException.invalid("ring " + id + " needs opening hours");
        }
        within("offer timeout", offerTimeout, Duration.ofSeconds(5), Duration.ofMinutes(10));
        within("wrap-up time", wrapUp, Duration.ZERO, Duration.ofHours(1));
        if (maxMissedOffers < 1 || maxMissedOffers > 20) {
            throw BrokerException.invalid("max missed offers must be 1-20, got " + maxMissedOffers);
        }
        within("decline cooldown", declineCooldown, Duration.ZERO, Duration.ofHours(1));
        fallbackLanguages = fallbackLanguages == null || fallbackLanguages.isEmpty()
                ? Set.of() : Set.copyOf(EnumSet.copyOf(fallbackLanguages));
        if (languageEscalationAfter != null) {
            within("language escalation delay", languageEscalationAfter, Duration.ZERO, Duration.ofHours(4));
            if (fallbackLanguages.isEmpty()) {
                throw BrokerException.invalid("ring " + id + " escalates languages but names no fallback language");
            }
        }
        if (overflowRingId != null) {
            Ids.check("overflow ring", overflowRingId);
            if (overflowRingId.equals(id)) {
                throw BrokerException.invalid("ring " + id + " cannot overflow to itself");
            }
            within("overflow delay", overflowAfter, Duration.ZERO, Duration.ofHours(4));
        } else {
            overflowAfter = null;
        }
        within("expected handle time", expectedHandleTime, Duration.ofSeconds(10), Duration.ofHours(4));
        within("service level threshold", serviceLevelThreshold, Duration.ofSeconds(1), Duration.ofHours(1));
        if (bookingCapacity < 0 || bookingCapacity > 1000) {
            throw BrokerException.invalid("booking capacity must be 0-1000 (0: every expert), got " + bookingCapacity);
        }
        interpreting = Interpreting.checkAll("ring " + id, interpreting);
        if (!interpreting.isEmpty() && bookingCapacity != 0) {
            throw BrokerException.invalid("interpreter ring " + id + " cannot take bookings of its own: an interpreter is "
                    + "booked with the authority's slot");
        }
    }

    /** Is this an interpreter ring (its members interpret; nobody requests it directly)? */
    public boolean interpreterRing() {
        return !interpreting.isEmpty();
    }

    private static Set<String> checkTopics(Set<String> topics) {
        if (topics == null) {
            return Set.of();
        }
        if (topics.size() > MAX_TOPICS) {
            throw BrokerException.invalid("a ring may list at most " + MAX_TOPICS + " topics");
        }
        Set<String> out = new TreeSet<>();
        for (String t : topics) {
            out.add(Ids.check("topic", t));
        }
        return Set.copyOf(out);
    }

    private static void within(String what, Duration d, Duration min, Duration max) {
        if (d == null) {
            throw BrokerException.invalid(what + " is required");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw BrokerException.invalid(what + " must be between " + min.toSeconds() + " s and "
                    + max.toSeconds() + " s, got " + d.toSeconds() + " s");
        }
    }

    public boolean servesTopic(String topic) {
        return topics.isEmpty() || topics.contains(topic);
    }

    public static Builder builder(String id, String authorityId) {
        return new Builder(id, authorityId);
    }

    public Builder toBuilder() {
        Builder b = new Builder(id, authorityId);
        b.name = name;
        b.topics = topics;
        b.languages = languages;
        b.openingHours = openingHours;
        b.offerTimeout = offerTimeout;
        b.wrapUp = wrapUp;
        b.maxMissedOffers = maxMissedOffers;
        b.declineCooldown = declineCooldown;
        b.languageEscalationAfter = languageEscalationAfter;
        b.fallbackLanguages = fallbackLanguages;
        b.overflowRingId = overflowRingId;
        b.overflowAfter = overflowAfter;
        b.expectedHandleTime = expectedHandleTime;
        b.serviceLevelThreshold = serviceLevelThreshold;
        b.bookingCapacity = bookingCapacity;
        b.interpreting = interpreting;
        return b;
    }

    /** Defaults documented in docs/configuration.md. */
    public static final class Builder {
        private final String id;
        private final String authorityId;
        private String name;
        private Set<String> topics = Set.of();
        private Set<Language> languages = Set.of(Language.FI);
        private OpeningHours openingHours = OpeningHours.always();
        private Duration offerTimeout = Duration.ofSeconds(30);
        private Duration wrapUp = Duration.ofSeconds(60);
        private int maxMissedOffers = 2;
        private Duration declineCooldown = Duration.ofSeconds(60);
        private Duration languageEscalationAfter;
        private Set<Language> fallbackLanguages = Set.of();
        private String overflowRingId;
        private Duration overflowAfter;
        private Duration expectedHandleTime = Duration.ofMinutes(8);
        private Duration serviceLevelThreshold = Duration.ofSeconds(60);
        private int bookingCapacity;
        private Set<String> interpreting = Set.of();

        private Builder(String id, String authorityId) {
            this.id = id;
            this.authorityId = authorityId;
            this.name = id;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder topics(Set<String> v) { topics = v; return this; }
        public Builder languages(Set<Language> v) { languages = v; return this; }
        public Builder openingHours(OpeningHours v) { openingHours = v; return this; }
        public Builder offerTimeout(Duration v) { offerTimeout = v; return this; }
        public Builder wrapUp(Duration v) { wrapUp = v; return this; }
        public Builder maxMissedOffers(int v) { maxMissedOffers = v; return this; }
        public Builder declineCooldown(Duration v) { declineCooldown = v; return this; }
        public Builder languageEscalation(Duration after, Set<Language> fallback) {
            languageEscalationAfter = after;
            fallbackLanguages = fallback;
            return this;
        }
        public Builder overflow(String ringId, Duration after) {
            overflowRingId = ringId;
            overflowAfter = after;
            return this;
        }
        public Builder expectedHandleTime(Duration v) { expectedHandleTime = v; return this; }
        public Builder serviceLevelThreshold(Duration v) { serviceLevelThreshold = v; return this; }
        public Builder bookingCapacity(int v) { bookingCapacity = v; return this; }
        public Builder interpreting(Set<String> v) { interpreting = v; return this; }

        public RingConfig build() {
            return new RingConfig(id, authorityId, name, topics, languages, openingHours, offerTimeout, wrapUp,
                    maxMissedOffers, declineCooldown, languageEscalationAfter, fallbackLanguages, overflowRingId,
                    overflowAfter, expectedHandleTime, serviceLevelThreshold, bookingCapacity, interpreting);
        }
    }
}
