package fi.palvelurinki.broker.routing;

/**
 * A rule that can keep available experts from waiting requests, contributed by the part that owns the
 * rule (the bookings part holds experts for booked calls due soon). The routing asks it during every
 * match, so an implementation must be cheap when it has nothing to hold.
 */
interface OfferGate {
    /** May {@code r} be offered to {@code e}, as far as this rule is concerned? */
    boolean admits(ExpertState e, RequestState r);

    /** Is {@code r} exempt from {@link #closes} (e.g. it is the booked call the ring holds its experts for)? */
    boolean exempt(RequestState r);

    /**
     * Must {@code ring}'s available experts be kept from requests that are not exempt? {@code plus} is an
     * expert about to become available who is not in the ring's available set yet, or null.
     */
    boolean closes(RingState ring, ExpertState plus);

    OfferGate OPEN = new OfferGate() {
        @Override
        public boolean admits(ExpertState e, RequestState r) {
            return true;
        }

        @Override
        public boolean exempt(RequestState r) {
            return false;
        }

        @Override
        public boolean closes(RingState ring, ExpertState plus) {
            return false;
        }
    };

    /** Both rules: an expert is admitted when both admit, a ring closed when either closes it. */
    static OfferGate both(OfferGate a, OfferGate b) {
        return new OfferGate() {
            @Override
            public boolean admits(ExpertState e, RequestState r) {
                return a.admits(e, r) && b.admits(e, r);
            }

            @Override
            public boolean exempt(RequestState r) {
                return a.exempt(r) || b.exempt(r);
            }

            @Override
            public boolean closes(RingState ring, ExpertState plus) {
                return a.closes(ring, plus) || b.closes(ring, plus);
            }
        };
    }
}
