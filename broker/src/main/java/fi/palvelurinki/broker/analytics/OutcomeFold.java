package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The experts' call outcomes folded into first-contact resolution per ring, topic and service point: of
 * the calls whose outcome was recorded in the period, the share recorded as {@link #RESOLVED} (handled in
 * that one contact). Calls without a recorded outcome are left out, not counted as unresolved.
 */
final class OutcomeFold {
    /** The outcome id that means "resolved at first contact"; other ids are counted by name. */
    static final String RESOLVED = "resolved";

    enum By { TOTAL, RING, TOPIC, POINT }

    private final long fromMillis;
    private final long toMillis;
    private final Map<By, Map<String, Map<String, Long>>> counts = new java.util.EnumMap<>(By.class);

    OutcomeFold(long fromMillis, long toMillis) {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
        for (By b : By.values()) {
            counts.put(b, new TreeMap<>());
        }
    }

    void accept(DomainEvent event) {
        if (!(event instanceof DomainEvent.CallOutcomeRecorded e)) {
            return;
        }
        long at = e.at().toEpochMilli();
        if (at < fromMillis || at >= toMillis) {
            return;
        }
        add(By.TOTAL, JournalAnalyzer.TOTAL_KEY, e.outcome());
        add(By.RING, e.ringId(), e.outcome());
        add(By.TOPIC, e.topic(), e.outcome());
        add(By.POINT, e.pointId(), e.outcome());
    }

    private void add(By by, String key, String outcome) {
        counts.get(by).computeIfAbsent(key, k -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
    }

    /** Rows: all rings, then per ring, per topic, per point; {@code label} names a ring or point id. */
    List<OutcomeRow> rows(BiFunction<By, String, String> label) {
        List<OutcomeRow> out = new ArrayList<>();
        for (By by : By.values()) {
            counts.get(by).forEach((key, byOutcome) -> {
                long calls = byOutcome.values().stream().mapToLong(Long::longValue).sum();
                out.add(new OutcomeRow(by.name().toLowerCase(java.util.Locale.ROOT), key, label.apply(by, key), calls,
                        byOutcome.getOrDefault(RESOLVED, 0L), Map.copyOf(byOutcome)));
            });
        }
        return List.copyOf(out);
    }
}
