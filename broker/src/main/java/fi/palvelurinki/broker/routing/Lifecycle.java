package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.AbandonReason;

/**
 * Turning points of requests and calls, told while a command or timer is handled (never on replay), in
 * the order the parts were given to the engine. A part that keeps its own state about requests or
 * calls (bookings; later call-backs, interpreters) reacts here and may emit its own events, which follow
 * the turning point's in the journal.
 */
interface Lifecycle {
    /** The call has started (after {@code CallStarted} and the expert's presence change). */
    default void callStarted(CallState call) {
    }

    /** The call has ended (after {@code CallEnded}), before the expert's wrap-up can end. */
    default void callEnded(CallState call) {
    }

    /** {@code r} was abandoned (after {@code RequestAbandoned}). */
    default void requestAbandoned(RequestState r, AbandonReason reason) {
    }

    /** The offer of {@code r} was withdrawn because its expert left (after {@code OfferWithdrawn}; not at a restart). */
    default void offerWithdrawn(RequestState r) {
    }

    /** An existing ring's settings changed (after {@code RingConfigured}). */
    default void ringReconfigured(RingState ring) {
    }

    /** Tells each in turn. */
    static Lifecycle of(java.util.List<Lifecycle> all) {
        Lifecycle[] a = all.toArray(new Lifecycle[0]);
        return new Lifecycle() {
            @Override
            public void callStarted(CallState call) {
                for (Lifecycle l : a) {
                    l.callStarted(call);
                }
            }

            @Override
            public void callEnded(CallState call) {
                for (Lifecycle l : a) {
                    l.callEnded(call);
                }
            }

            @Override
            public void requestAbandoned(RequestState r, AbandonReason reason) {
                for (Lifecycle l : a) {
                    l.requestAbandoned(r, reason);
                }
            }

            @Override
            public void offerWithdrawn(RequestState r) {
                for (Lifecycle l : a) {
                    l.offerWithdrawn(r);
                }
            }

            @Override
            public void ringReconfigured(RingState ring) {
                for (Lifecycle l : a) {
                    l.ringReconfigured(ring);
                }
            }
        };
    }
}
