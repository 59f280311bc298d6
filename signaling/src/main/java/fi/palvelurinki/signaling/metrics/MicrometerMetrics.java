package fi.palvelurinki.signaling.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import fi.palvelurinki.broker.BrokerMetrics;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.signaling.auth.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds the broker's and the signaling layer's metrics to a Prometheus registry. Every name has the
 * {@code palvelurinki_} prefix and its unit; every histogram has explicit buckets. Documented in
 * {@code docs/metrics.md}.
 */
public final class MicrometerMetrics implements SignalingMetrics, BrokerMetrics {
    private static final Duration[] WAIT_BUCKETS = durations(1, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600);
    private static final Duration[] FAST_BUCKETS = millis(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000);
    private static final Duration[] VIDEO_BUCKETS = millis(100, 250, 500, 1000, 1500, 2000, 3000, 5000, 10000, 20000);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, RingStatus> rings = new ConcurrentHashMap<>();
    private final Map<Long, Instant> queuedAt = new HashMap<>();
    private final Map<Long, String> queuedRing = new HashMap<>();
    private final Map<String, Counter> offers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();
    private final Map<String, Timer> videos = new ConcurrentHashMap<>();
    private final Timer fsync;
    private final Counter journalEvents;
    private final Timer relay;
    private final Counter relayed;
    private final Counter slowConsumers;
    private final Timer commands;
    private final CallQualityMetrics quality;

    public MicrometerMetrics() {
        fsync = Timer.builder("palvelurinki.journal.fsync").description("write + fsync of one group commit")
                .serviceLevelObjectives(FAST_BUCKETS).register(registry);
        journalEvents = Counter.builder("palvelurinki.journal.events").description("events made durable")
                .register(registry);
        relay = Timer.builder("palvelurinki.relay.latency")
                .description("SDP/ICE message arrival to hand-over to the other party's connections")
                .serviceLevelObjectives(FAST_BUCKETS).register(registry);
        relayed = Counter.builder("palvelurinki.messages.relayed").description("SDP/ICE messages relayed")
                .register(registry);
        slowConsumers = Counter.builder("palvelurinki.slow.consumer.disconnects")
                .description("connections closed because their outgoing queue was full").register(registry);
        commands = Timer.builder("palvelurinki.broker.command")
                .description("command submitted to handled by the broker thread, queueing included")
                .serviceLevelObjectives(FAST_BUCKETS).register(registry);
        quality = new CallQualityMetrics(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Connections by role, read from the session registry at scrape time. */
    public void bindConnections(Map<Role, IntSupplier> byRole) {
        // Gauges hold their object weakly; these suppliers exist nowhere else.
        byRole.forEach((role, n) -> Gauge.builder("palvelurinki.connections", n, IntSupplier::getAsInt)
                .description("open WebSocket connections").tag("role", role.wireName()).strongReference(true)
                .register(registry));
    }

    public void bindResumeCache(Cache<?, ?> cache) {
        CaffeineCacheMetrics.monitor(registry, cache, "palvelurinki_resume_sessions");
    }

    // ------------------------------------------------------------------ broker

    @Override
    public void commandHandled(Class<? extends Command> type, long nanos, fi.palvelurinki.broker.ErrorCode refusal) {
        commands.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void journalSynced(int events, long bytes, long syncNanos) {
        fsync.record(syncNanos, TimeUnit.NANOSECONDS);
        journalEvents.increment(events);
    }

    /** Broker event listener (broker thread): waits and offer outcomes as they happen. */
    public void onEvents(List<DomainEvent> events) {
        for (DomainEvent e : events) {
            switch (e.type()) {
                case REQUEST_QUEUED -> {
                    DomainEvent.RequestQueued q = (DomainEvent.RequestQueued) e;
                    queuedAt.put(q.requestId(), q.at());
                    queuedRing.put(q.requestId(), q.ringId());
                }
                case OFFER_MADE -> offer("made");
                case OFFER_ACCEPTED -> {
                    offer("accepted");
                    long id = ((DomainEvent.OfferAccepted) e).requestId();
                    Instant t = queuedAt.remove(id);
                    String ring = queuedRing.remove(id);
                    if (t != null) {
                        waits.computeIfAbsent(ring, r -> Timer.builder("palvelurinki.wait")
                                .description("queued to answered, per ring").tag("ring", r)
                                .serviceLevelObjectives(WAIT_BUCKETS).register(registry))
                                .record(Duration.between(t, e.at()));
                    }
                }
                case OFFER_DECLINED -> offer("declined");
                case OFFER_TIMED_OUT -> offer("timed_out");
                case OFFER_WITHDRAWN -> offer("withdrawn");
                case REQUEST_ABANDONED -> {
                    long id = ((DomainEvent.RequestAbandoned) e).requestId();
                    queuedAt.remove(id);
                    queuedRing.remove(id);
                }
                case CALL_QUALITY_REPORTED -> quality.reported((DomainEvent.CallQualityReported) e);
                case CALL_ENDED -> quality.ended((DomainEvent.CallEnded) e);
                default -> { }
            }
        }
    }

    private void offer(String outcome) {
        offers.computeIfAbsent(outcome, o -> Counter.builder("palvelurinki.offers").description("offers by outcome")
                .tag("outcome", o).register(registry)).increment();
    }

    // ------------------------------------------------------------------ rings

    @Override
    public void ringStatus(RingStatus s) {
        if (rings.put(s.ringId(), s) == null) {
            String ring = s.ringId();
            ringGauge("palvelurinki.queue.length", "requests waiting", ring, null, RingStatus::waiting);
            ringGauge("palvelurinki.longest.wait", "longest wait of a request now waiting or ringing", ring, "seconds",
                    r -> r.longestWait().toMillis() / 1000.0);
            ringGauge("palvelurinki.offers.pending", "offers ringing now", ring, null, RingStatus::offersPending);
            ringGauge("palvelurinki.calls.in.progress", "calls connected now", ring, null, RingStatus::callsInProgress);
            ringGauge("palvelurinki.service.level.today", "answered within the threshold / (answered + abandoned after grace)",
                    ring, "ratio", r -> r.serviceLevelToday() == null ? Double.NaN : r.serviceLevelToday());
            for (Presence p : Presence.values()) {
                Gauge.builder("palvelurinki.experts", rings, m -> m.get(ring).expertsByPresence().getOrDefault(p, 0))
                        .description("ring members by presence").tag("ring", ring)
                        .tag("presence", p.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
            }
        }
    }

    private void ringGauge(String name, String description, String ring, String unit, ToDoubleFunction<RingStatus> f) {
        Gauge.Builder<Map<String, RingStatus>> b = Gauge.builder(name, rings, m -> f.applyAsDouble(m.get(ring)))
                .description(description).tag("ring", ring);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }

    // ------------------------------------------------------------------ signaling

    @Override
    public void protocolError(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder("palvelurinki.protocol.errors")
                .description("error replies by code").tag("code", c).register(registry)).increment();
    }

    @Override
    public void relayed(long nanos) {
        relayed.increment();
        relay.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void slowConsumerDisconnected() {
        slowConsumers.increment();
    }

    @Override
    public void timeToVideo(String role, long millis) {
        videos.computeIfAbsent(role, r -> Timer.builder("palvelurinki.time.to.video")
                .description("call request (advisor) or accept (expert) to the first decoded video frame, as the page reports it")
                .tag("role", r).serviceLevelObjectives(VIDEO_BUCKETS).register(registry))
                .record(Duration.ofMillis(millis));
    }

    private static Duration[] durations(long... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofSeconds(seconds[i]);
        }
        return out;
    }

    private static Duration[] millis(double... ms) {
        Duration[] out = new Duration[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = Duration.ofNanos(Math.round(ms[i] * 1_000_000));
        }
        return out;
    }
}
