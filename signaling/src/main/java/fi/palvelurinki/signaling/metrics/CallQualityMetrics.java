package fi.palvelurinki.signaling.metrics;

import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.journal.DomainEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages' call-quality reports as histograms per ring, and calls ended by reason, so that an operator
 * sees a ring whose calls suffer (and how many calls the network ended) next to its queue. Fed from the
 * journaled events, the same record the report reads (docs/metrics.md).
 */
final class CallQualityMetrics {
    private static final Duration[] RTT_BUCKETS = millis(25, 50, 100, 150, 200, 300, 400, 600, 1000, 2000);
    private static final double[] LOSS_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2};
    private static final double[] BITRATE_BUCKETS = {50, 100, 250, 500, 1000, 1500, 2500, 4000};
    private static final double[] FPS_BUCKETS = {1, 5, 10, 15, 20, 25, 30};

    private final MeterRegistry registry;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final Map<CallEndReason, Counter> ended = new ConcurrentHashMap<>();

    private record Ring(Timer rtt, DistributionSummary loss, DistributionSummary bitrate, DistributionSummary fps,
            Counter good, Counter poor) {}

    CallQualityMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void reported(DomainEvent.CallQualityReported e) {
        Ring r = rings.computeIfAbsent(e.ringId(), this::ring);
        r.rtt.record(Duration.ofMillis(e.quality().rttMs()));
        r.loss.record(e.quality().lossPermille() / 1000.0);
        r.bitrate.record(e.quality().bitrateKbps());
        r.fps.record(e.quality().framesPerSecond());
        (e.quality().poor() ? r.poor : r.good).increment();
    }

    void ended(DomainEvent.CallEnded e) {
        ended.computeIfAbsent(e.reason(), reason -> Counter.builder("palvelurinki.calls.ended")
                .description("calls ended, by reason (media_lost: the network ended it)")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry)).increment();
    }

    private Ring ring(String ring) {
        return new Ring(
                Timer.builder("palvelurinki.call.rtt").description("round-trip time of the calls' media, as the pages report it")
                        .tag("ring", ring).serviceLevelObjectives(RTT_BUCKETS).register(registry),
                DistributionSummary.builder("palvelurinki.call.packet.loss").baseUnit("ratio")
                        .description("share of incoming packets lost per report interval").tag("ring", ring)
                        .serviceLevelObjectives(LOSS_BUCKETS).register(registry),
                DistributionSummary.builder("palvelurinki.call.receive.bitrate").baseUnit("kbps")
                        .description("bits received per second, audio and video").tag("ring", ring)
                        .serviceLevelObjectives(BITRATE_BUCKETS).register(registry),
                DistributionSummary.builder("palvelurinki.call.frames.decoded").baseUnit("per.second")
                        .description("video frames decoded per second").tag("ring", ring)
                        .serviceLevelObjectives(FPS_BUCKETS).register(registry),
                quality(ring, "good"), quality(ring, "poor"));
    }

    private Counter quality(String ring, String verdict) {
        return Counter.builder("palvelurinki.call.quality.reports").description("quality reports by verdict (docs/metrics.md)")
                .tag("ring", ring).tag("quality", verdict).register(registry);
    }

    private static Duration[] millis(long... ms) {
        Duration[] out = new Duration[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = Duration.ofMillis(ms[i]);
        }
        return out;
    }
}
