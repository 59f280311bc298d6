package fi.palvelurinki.broker.routing;

/**
 * A policy's choice with its reason, which is journaled with the offer so that every routing decision
 * can be explained afterwards.
 *
 * @param expertId null: offer to nobody now
 */
public record RoutingDecision(String expertId, String reason) {
    public static RoutingDecision none(String reason) {
        return new RoutingDecision(null, reason);
    }

    public static RoutingDecision offer(String expertId, String reason) {
        return new RoutingDecision(expertId, reason);
    }
}
