package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Instant;
import java.util.Set;

/**
 * A state change, as recorded in the journal. The broker's state is a fold of these; so are all the
 * efficiency figures (wait, offer, talk, wrap-up and idle times). Each event carries the ids and the
 * timestamp (millisecond precision) an analysis needs without looking elsewhere.
 */
public sealed interface DomainEvent {

    Instant at();

    /** The event's kind; {@code switch} expressions over it are checked for exhaustiveness by the compiler. */
    Type type();

    /** Stable journal tags: never reuse or renumber one. */
    enum Type {
        AUTHORITY_DEFINED(1),
        RING_CONFIGURED(2),
        POINT_DEFINED(3),
        ADVISOR_DEFINED(4),
        EXPERT_DEFINED(5),
        REQUEST_QUEUED(10),
        OFFER_MADE(11),
        OFFER_ACCEPTED(12),
        OFFER_DECLINED(13),
        OFFER_TIMED_OUT(14),
        OFFER_WITHDRAWN(15),
        CALL_STARTED(16),
        CALL_ENDED(17),
        WRAP_UP_ENDED(18),
        REQUEST_ABANDONED(19),
        LANGUAGE_ESCALATED(20),
        REQUEST_OVERFLOWED(21),
        PRESENCE_CHANGED(22);

        private final int tag;

        Type(int tag) {
            this.tag = tag;
        }

        public int tag() {
            return tag;
        }

        private static final Type[] BY_TAG = new Type[256];

        static {
            for (Type t : values()) {
                BY_TAG[t.tag] = t;
            }
        }

        public static Type ofTag(int tag) {
            Type t = tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
            if (t == null) {
                throw new JournalFormatException("unknown event tag " + tag);
            }
            return t;
        }
    }

    record AuthorityDefined(Instant at, Authority authority) implements DomainEvent {
        @Override
        public Type type() {
            return Type.AUTHORITY_DEFINED;
        }
    }

    record RingConfigured(Instant at, RingConfig ring, String actor) implements DomainEvent {
        @Override
        public Type type() {
            return Type.RING_CONFIGURED;
        }
    }

    record PointDefined(Instant at, ServicePoint point) implements DomainEvent {
        @Override
        public Type type() {
            return Type.POINT_DEFINED;
        }
    }

    record AdvisorDefined(Instant at, Advisor advisor) implements DomainEvent {
        @Override
        public Type type() {
            return Type.ADVISOR_DEFINED;
        }
    }

    record ExpertDefined(Instant at, ExpertProfile expert, String actor) implements DomainEvent {
        @Override
        public Type type() {
            return Type.EXPERT_DEFINED;
        }
    }

    record RequestQueued(Instant at, long requestId, CallKind kind, String ringId, String pointId, String advisorId,
            String topic, Language language, boolean languageFallbackConsent, String triageNote, int priority)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.REQUEST_QUEUED;
        }
    }

    /** {@code reason} is the routing policy's explanation of its choice. */
    record OfferMade(Instant at, long requestId, String expertId, String ringId, String pointId, Instant expiresAt,
            String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_MADE;
        }
    }

    record OfferAccepted(Instant at, long requestId, String expertId, String ringId, String pointId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_ACCEPTED;
        }
    }

    record OfferDeclined(Instant at, long requestId, String expertId, String ringId, Instant cooldownUntil)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_DECLINED;
        }
    }

    record OfferTimedOut(Instant at, long requestId, String expertId, String ringId, int consecutiveMisses,
            Instant cooldownUntil) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_TIMED_OUT;
        }
    }

    /** The offer ended without an answer from the expert: cancelled, expert gone away, restart. */
    record OfferWithdrawn(Instant at, long requestId, String expertId, String ringId, String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.OFFER_WITHDRAWN;
        }
    }

    record CallStarted(Instant at, long callId, long requestId, String expertId, String advisorId, String ringId,
            String pointId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALL_STARTED;
        }
    }

    record CallEnded(Instant at, long callId, long requestId, String expertId, String ringId, String pointId,
            CallEndReason reason, Instant wrapUpUntil) implements DomainEvent {
        @Override
        public Type type() {
            return Type.CALL_ENDED;
        }
    }

    record WrapUpEnded(Instant at, String expertId, long callId, String ringId, boolean early) implements DomainEvent {
        @Override
        public Type type() {
            return Type.WRAP_UP_ENDED;
        }
    }

    record RequestAbandoned(Instant at, long requestId, String ringId, String pointId, AbandonReason reason)
            implements DomainEvent {
        @Override
        public Type type() {
            return Type.REQUEST_ABANDONED;
        }
    }

    record LanguageEscalated(Instant at, long requestId, String ringId, Set<Language> languages) implements DomainEvent {
        @Override
        public Type type() {
            return Type.LANGUAGE_ESCALATED;
        }
    }

    record RequestOverflowed(Instant at, long requestId, String fromRingId, String toRingId) implements DomainEvent {
        @Override
        public Type type() {
            return Type.REQUEST_OVERFLOWED;
        }
    }

    record PresenceChanged(Instant at, String expertId, Presence from, Presence to, String reason) implements DomainEvent {
        @Override
        public Type type() {
            return Type.PRESENCE_CHANGED;
        }
    }
}
