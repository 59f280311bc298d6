package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.journal.DomainEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Call-backs folded per ring: how many were asked for, on which ring the point answered, how many
 * failed, the expert time lost ringing points that did not answer (a cost no other figure shows), and
 * the waits of call-backs against those of live requests. Requests count in the period they were
 * queued in; a request is remembered only while it is active.
 */
final class CallbackFold {
    static final String ALL = "all";

    private final long fromMillis;
    private final long toMillis;
    private final Map<Long, Request> active = new HashMap<>();
    private final Map<String, Cell> cells = new TreeMap<>();

    private static final class Request {
        final String ringId;
        final long queuedAt;
        boolean callback;
        int answeredAttempt;

        Request(String ringId, long queuedAt) {
            this.ringId = ringId;
            this.queuedAt = queuedAt;
        }
    }

    private static final class Cell {
        long requested;
        long first;
        long second;
        long later;
        long failed;
        long cancelled;
        long unansweredRings;
        long lostMillis;
        long callbackWaits;
        long callbackWaitMillis;
        long liveWaits;
        long liveWaitMillis;
    }

    CallbackFold(long fromMillis, long toMillis) {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
    }

    void accept(DomainEvent event) {
        switch (event.type()) {
            case REQUEST_QUEUED -> {
                DomainEvent.RequestQueued e = (DomainEvent.RequestQueued) event;
                long at = e.at().toEpochMilli();
                if (at >= fromMillis && at < toMillis) {
                    active.put(e.requestId(), new Request(e.ringId(), at));
                }
            }
            case CALLBACK_REQUESTED -> {
                Request r = active.get(((DomainEvent.CallbackRequested) event).requestId());
                if (r != null) {
                    r.callback = true;
                    both(r.ringId, c -> c.requested++);
                }
            }
            case CALLBACK_RING_UNANSWERED -> {
                DomainEvent.CallbackRingUnanswered e = (DomainEvent.CallbackRingUnanswered) event;
                Request r = active.get(e.requestId());
                if (r != null) {
                    both(r.ringId, c -> {
                        c.unansweredRings++;
                        c.lostMillis += e.ringMillis();
                    });
                }
            }
            case CALLBACK_ANSWERED -> {
                DomainEvent.CallbackAnswered e = (DomainEvent.CallbackAnswered) event;
                Request r = active.get(e.requestId());
                if (r != null) {
                    r.answeredAttempt = e.attempt();
                }
            }
            case OFFER_ACCEPTED -> {
                DomainEvent.OfferAccepted e = (DomainEvent.OfferAccepted) event;
                Request r = active.remove(e.requestId());
                if (r == null) {
                    return;
                }
                long wait = e.at().toEpochMilli() - r.queuedAt;
                both(r.ringId, c -> {
                    if (r.callback) {
                        c.callbackWaits++;
                        c.callbackWaitMillis += wait;
                        if (r.answeredAttempt <= 1) {
                            c.first++;
                        } else if (r.answeredAttempt == 2) {
                            c.second++;
                        } else {
                            c.later++;
                        }
                    } else {
                        c.liveWaits++;
                        c.liveWaitMillis += wait;
                    }
                });
            }
            case CALLBACK_FAILED -> {
                Request r = active.get(((DomainEvent.CallbackFailed) event).requestId());
                if (r != null) {
                    both(r.ringId, c -> c.failed++);
                    r.callback = false; // its RequestAbandoned that follows is not a cancellation
                }
            }
            case REQUEST_ABANDONED -> {
                Request r = active.remove(((DomainEvent.RequestAbandoned) event).requestId());
                if (r != null && r.callback) {
                    both(r.ringId, c -> c.cancelled++);
                }
            }
            default -> { }
        }
    }

    private void both(String ringId, java.util.function.Consumer<Cell> f) {
        f.accept(cells.computeIfAbsent(ringId, k -> new Cell()));
        f.accept(cells.computeIfAbsent(ALL, k -> new Cell()));
    }

    /** One row per ring that had call-backs, then all rings; empty when there were none. */
    List<CallbackRow> rows(UnaryOperator<String> ringNames) {
        Cell all = cells.get(ALL);
        if (all == null || all.requested == 0) {
            return List.of();
        }
        List<CallbackRow> out = new ArrayList<>();
        cells.forEach((key, c) -> {
            if (!key.equals(ALL) && c.requested > 0) {
                out.add(row(key, ringNames.apply(key), c));
            }
        });
        out.add(row(ALL, "All rings", all));
        return List.copyOf(out);
    }

    private static CallbackRow row(String key, String name, Cell c) {
        return new CallbackRow(key, name, c.requested, c.first, c.second, c.later, c.failed, c.cancelled,
                c.unansweredRings, Duration.ofMillis(c.lostMillis), mean(c.callbackWaitMillis, c.callbackWaits),
                mean(c.liveWaitMillis, c.liveWaits));
    }

    private static Duration mean(long millis, long n) {
        return n == 0 ? null : Duration.ofMillis(Math.round((double) millis / n));
    }
}
