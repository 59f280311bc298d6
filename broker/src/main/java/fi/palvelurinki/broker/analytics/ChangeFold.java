package fi.palvelurinki.broker.analytics;

import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Who changed which ring's settings or expert's rings, when, and what changed: the changes of the period
 * made by anyone but the configuration file (operators through the API and the operator page). A change
 * is told as its fields' old and new values, so that an operator can see why routing behaved as it did.
 */
final class ChangeFold {
    /** The actor of what the configuration file seeds at start. */
    static final String CONFIG_ACTOR = "config";

    private final long fromMillis;
    private final long toMillis;
    private final Map<String, RingConfig> rings = new HashMap<>();
    private final Map<String, ExpertProfile> experts = new HashMap<>();
    private final List<ChangeRow> rows = new ArrayList<>();

    ChangeFold(long fromMillis, long toMillis) {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
    }

    void accept(DomainEvent event) {
        if (event instanceof DomainEvent.RingConfigured e) {
            RingConfig before = rings.put(e.ring().id(), e.ring());
            if (counts(e.at(), e.actor()) && before != null) {
                String what = ringDiff(before, e.ring());
                if (!what.isEmpty()) {
                    rows.add(new ChangeRow(e.at(), e.actor(), "ring", e.ring().id(), e.ring().name(), what));
                }
            }
        } else if (event instanceof DomainEvent.ExpertDefined e) {
            ExpertProfile before = experts.put(e.expert().id(), e.expert());
            if (counts(e.at(), e.actor())) {
                String what = before == null ? "added: rings " + sorted(e.expert().rings())
                        : expertDiff(before, e.expert());
                if (!what.isEmpty()) {
                    rows.add(new ChangeRow(e.at(), e.actor(), "expert", e.expert().id(), e.expert().name(), what));
                }
            }
        }
    }

    private boolean counts(Instant at, String actor) {
        long ms = at.toEpochMilli();
        return ms >= fromMillis && ms < toMillis && actor != null && !actor.equals(CONFIG_ACTOR);
    }

    List<ChangeRow> rows() {
        return List.copyOf(rows);
    }

    private static String ringDiff(RingConfig a, RingConfig b) {
        List<String> out = new ArrayList<>();
        field(out, "name", a, b, RingConfig::name);
        field(out, "topics", a, b, r -> sorted(r.topics()));
        field(out, "languages", a, b, r -> sorted(r.languages()));
        field(out, "opening hours", a, b, r -> r.openingHours().spec());
        field(out, "offer timeout", a, b, r -> seconds(r.offerTimeout()));
        field(out, "wrap-up", a, b, r -> seconds(r.wrapUp()));
        field(out, "missed offers before away", a, b, RingConfig::maxMissedOffers);
        field(out, "decline cooldown", a, b, r -> seconds(r.declineCooldown()));
        field(out, "language escalation", a, b, r -> r.languageEscalationAfter() == null ? "none"
                : "after " + seconds(r.languageEscalationAfter()) + " to " + sorted(r.fallbackLanguages()));
        field(out, "overflow", a, b, r -> r.overflowRingId() == null ? "none"
                : "to " + r.overflowRingId() + " after " + seconds(r.overflowAfter()));
        field(out, "expected handle time", a, b, r -> seconds(r.expectedHandleTime()));
        field(out, "service level threshold", a, b, r -> seconds(r.serviceLevelThreshold()));
        field(out, "booking capacity", a, b, RingConfig::bookingCapacity);
        return String.join("; ", out);
    }

    private static String expertDiff(ExpertProfile a, ExpertProfile b) {
        List<String> out = new ArrayList<>();
        field(out, "name", a, b, ExpertProfile::name);
        field(out, "rings", a, b, x -> sorted(x.rings()));
        field(out, "languages", a, b, x -> sorted(x.languages()));
        field(out, "topics", a, b, x -> sorted(x.topics()));
        return String.join("; ", out);
    }

    private static <T> void field(List<String> out, String name, T a, T b, Function<T, Object> get) {
        Object x = get.apply(a);
        Object y = get.apply(b);
        if (!Objects.equals(x, y)) {
            out.add(name + " " + x + " → " + y);
        }
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static String sorted(java.util.Set<?> s) {
        TreeSet<String> out = new TreeSet<>();
        s.forEach(x -> out.add(x.toString().toLowerCase(java.util.Locale.ROOT)));
        return out.toString();
    }
}
