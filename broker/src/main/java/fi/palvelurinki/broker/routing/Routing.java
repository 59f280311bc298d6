package fi.palvelurinki.broker.routing;

/** Matching requests and experts, as other parts ask for it. Implemented by {@link QueuePart}. */
interface Routing {
    /** Offers {@code r} (if waiting) to the eligible available expert the policy chooses, if any. */
    void offerRequest(RequestState r);

    /** Offers {@code e} (if available) the first request in order of service they may take. */
    void serveExpert(ExpertState e);

    /** Something that kept the ring's experts from requests went away: its available experts look again. */
    void redispatch(RingState ring);
}
