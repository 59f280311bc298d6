package fi.palvelurinki.loadtest;

import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalEntry;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.journal.JournalSource;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server that is killed acknowledged, and the check after its restart that none of it was lost
 * (the restart scenario, docs/performance.md; the failover scenario likewise checks what the killed active node
 * acknowledged after the standby took over, in the PostgreSQL journal).
 *
 * <p><b>Acknowledged</b> — each of these is sent only once its events are durable in the journal
 * (docs/journal.md): a request's {@code queued} reply; {@code call_connected} to either party of a call; the
 * 201 of {@code POST /api/bookings}. It counts when it came from the first server process (generation 0):
 * whatever arrives on a connection to it was sent before the kill.
 *
 * <p><b>Lost</b>, after the restart:
 * <ul>
 *   <li>an acknowledged request, call or booking the journal does not hold ({@code RequestQueued} with the same
 *       request id, ring and advisor; {@code CallStarted} with the same call and request id;
 *       {@code BookingConfirmed} with the same id), read with {@link JournalReader} after the run;</li>
 *   <li>a request open at the kill (its advisor had seen neither {@code call_connected} nor {@code call_ended}
 *       of it) that the advisor's first welcome from the restarted server does not list in its state — unless
 *       the journal has its call starting (an accept made durable just before the kill, whose
 *       {@code call_connected} did not reach the advisor: the restart ended that call);</li>
 *   <li>an acknowledged booking the restarted server's API does not return as confirmed at the same start.</li>
 * </ul>
 */
final class Ledger {
    record Request(long id, String ring, String advisor) {}

    /** What the journal holds. */
    record Journal(Map<Long, Request> queued, Map<Long, Long> callStarts, Set<Long> requestsWithCall,
            Set<Long> bookings) {
        static Journal read(JournalSource source) throws IOException {
            Map<Long, Request> queued = new HashMap<>();
            Map<Long, Long> callStarts = new HashMap<>();
            Set<Long> requestsWithCall = new HashSet<>();
            Set<Long> bookings = new HashSet<>();
            java.util.function.Consumer<JournalEntry> each = e -> {
                if (e.event() instanceof DomainEvent.RequestQueued q) {
                    queued.put(q.requestId(), new Request(q.requestId(), q.ringId(), q.advisorId()));
                } else if (e.event() instanceof DomainEvent.CallStarted c) {
                    callStarts.put(c.callId(), c.requestId());
                    requestsWithCall.add(c.requestId());
                } else if (e.event() instanceof DomainEvent.BookingConfirmed b) {
                    bookings.add(b.bookingId());
                }
            };
            if (source instanceof JournalSource.Directory d) {
                // Recovery's reading, which stops at damage: what it cannot read counts as lost.
                JournalReader.read(d.dir(), each);
            } else {
                source.readAround(each, JournalReader.Progress.NONE);
            }
            return new Journal(queued, callStarts, requestsWithCall, bookings);
        }
    }

    /** The figures of the check; {@code lost} examples name the first few, for the summary. */
    record Outcome(int requests, int openAtKill, int calls, int bookings, int lost, List<String> examples) {}

    private final boolean enabled;
    private final Map<Long, Request> requests = new ConcurrentHashMap<>();
    private final Set<Long> notOpen = ConcurrentHashMap.newKeySet();
    private final Map<Long, Long> calls = new ConcurrentHashMap<>();
    private final Map<Long, Instant> bookings = new ConcurrentHashMap<>();
    private final Set<Long> listed = ConcurrentHashMap.newKeySet();

    /** {@code enabled}: the scenario restarts the server (otherwise nothing is kept). */
    Ledger(boolean enabled) {
        this.enabled = enabled;
    }

    void requestQueued(int generation, long requestId, String ring, String advisor) {
        if (enabled && generation == 0) {
            requests.put(requestId, new Request(requestId, ring, advisor));
        }
    }

    void callConnected(int generation, long callId, long requestId) {
        if (enabled && generation == 0) {
            calls.put(callId, requestId);
            notOpen.add(requestId);
        }
    }

    void callEnded(int generation, long requestId) {
        if (enabled && generation == 0) {
            notOpen.add(requestId);
        }
    }

    void bookingConfirmed(int generation, long bookingId, Instant start) {
        if (enabled && generation == 0) {
            bookings.put(bookingId, start);
        }
    }

    /** Request ids a welcome from the restarted server listed in its state. */
    void listedAfterRestart(Collection<Long> requestIds) {
        listed.addAll(requestIds);
    }

    /** @param confirmedByApi the restarted server's confirmed bookings, by id, with their start */
    Outcome check(Journal journal, Map<Long, Instant> confirmedByApi) {
        Map<String, String> lost = new TreeMap<>();
        int open = 0;
        for (Request r : requests.values()) {
            Request j = journal.queued().get(r.id());
            if (!r.equals(j)) {
                lost.put("request " + r.id(), j == null ? "not in the journal" : "journaled as " + j);
            }
            if (!notOpen.contains(r.id())) {
                open++;
                if (!listed.contains(r.id()) && !journal.requestsWithCall().contains(r.id())) {
                    lost.putIfAbsent("request " + r.id(), "waiting at the kill, not in its advisor's state after the "
                            + "restart and no call started");
                }
            }
        }
        calls.forEach((callId, requestId) -> {
            if (!requestId.equals(journal.callStarts().get(callId))) {
                lost.put("call " + callId, "no CallStarted of request " + requestId + " in the journal");
            }
        });
        bookings.forEach((id, start) -> {
            if (!journal.bookings().contains(id)) {
                lost.put("booking " + id, "not in the journal");
            } else if (!start.equals(confirmedByApi.get(id))) {
                lost.put("booking " + id, "the restarted server has it " + (confirmedByApi.containsKey(id)
                        ? "at " + confirmedByApi.get(id) : "not confirmed"));
            }
        });
        List<String> examples = new ArrayList<>();
        lost.entrySet().stream().limit(5).forEach(e -> examples.add(e.getKey() + ": " + e.getValue()));
        return new Outcome(requests.size(), open, calls.size(), bookings.size(), lost.size(), examples);
    }

    /** The starts of the acknowledged bookings, to ask the restarted server for those days. */
    Collection<Instant> bookingStarts() {
        return bookings.values();
    }
}
