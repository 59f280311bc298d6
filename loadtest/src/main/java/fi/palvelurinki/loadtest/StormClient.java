package fi.palvelurinki.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * An advisor with at most one request, waiting in a ring nobody answers: the storm's clients (they drop and
 * resume) and the idle sessions (no request). Its request must be in the state of every welcome after it.
 */
final class StormClient extends Client {
    final Population.Advisor who;
    volatile long requestId = -1;
    /** When the storm dropped this client (nanoTime); 0 before. */
    volatile long droppedAt;
    volatile boolean resumedOk;

    StormClient(LoadRun run, Population.Advisor who, long seed) {
        super(run, who.id(), run.advisorToken(who), seed);
        this.who = who;
    }

    /** Queues the one request (on the loop). */
    void queue() {
        place("{\"type\":\"request_call\",\"id\":\"" + id() + "\",\"ring\":\"" + Population.STORM_RING
                + "\",\"topic\":\"general\",\"language\":\"fi\",\"note\":\"storm\"}");
    }

    @Override
    void onWelcome(JsonNode m, boolean resumed, boolean restarted, long now) {
        if (droppedAt == 0 && !restarted) {
            return;
        }
        if (droppedAt != 0) {
            stats.resume.recordNanos(now - droppedAt);
        }
        boolean found = requestId < 0;
        for (JsonNode r : m.path("state").path("requests")) {
            found |= r.path("requestId").asLong() == requestId;
        }
        if (restarted && requestId >= 0) {
            run.ledger.listedAfterRestart(found ? Set.of(requestId) : Set.of());
        }
        if (!found) {
            stats.error("lost_request");
        }
        resumedOk = found && (resumed || restarted);
    }

    @Override
    boolean handle(String type, JsonNode m, long now) {
        switch (type) {
            case "queued" -> {
                requestId = m.path("requestId").asLong();
                run.ledger.requestQueued(connGeneration, requestId, Population.STORM_RING, user);
            }
            case "queue_update" -> stats.queueUpdates.increment();
            case "request_ended" -> stats.error("request_ended:" + m.path("reason").asText());
            case "ringing" -> { }
            default -> {
                return false;
            }
        }
        return true;
    }
}
