package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.RingSummary;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only views across the parts: ring figures for operators, the ring list for advisors, an
 * expert's state, the directory. Changes nothing and owns no state; requests' own queries are the
 * queue part's (they need its positions).
 */
final class QueriesPart implements EnginePart {
    private final EngineContext cx;
    private final DirectoryPart directory;
    private final BookingsPart bookings;

    QueriesPart(EngineContext cx, DirectoryPart directory, BookingsPart bookings) {
        this.cx = cx;
        this.directory = directory;
        this.bookings = bookings;
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.GetRingStatus.class, this::ringStatuses);
        w.command(Command.ListRings.class, c -> ringList());
        w.command(Command.GetExpert.class, this::expertStatus);
        w.command(Command.GetDirectory.class, c -> directoryView());
    }

    private Reply ringStatuses(Command.GetRingStatus c) {
        List<RingStatus> out = new ArrayList<>();
        if (c.ringId() != null) {
            out.add(status(directory.ring(c.ringId())));
        } else {
            for (RingState ring : directory.rings()) {
                out.add(status(ring));
            }
        }
        return new Reply.RingStatuses(out);
    }

    RingStatus status(RingState ring) {
        Map<Presence, Integer> byPresence = new EnumMap<>(Presence.class);
        for (Presence p : Presence.values()) {
            byPresence.put(p, 0);
        }
        for (ExpertState e : ring.members) {
            byPresence.merge(e.presence, 1, Integer::sum);
        }
        Instant now = cx.now;
        Instant oldest = ring.ownActive.isEmpty() ? null : ring.ownActive.first().queuedAt;
        ring.today(now);
        return new RingStatus(ring.id(), ring.config.name(), ring.config.authorityId(),
                ring.config.openingHours().isOpen(now), ring.ownWaiting,
                oldest == null ? Duration.ZERO : Duration.between(oldest, now),
                WaitEstimator.forNewRequest(ring.queue.size(), ring.available.size(), ring.staffed, ring.ahtSeconds),
                Collections.unmodifiableMap(byPresence), ring.ownRinging, ring.callsInProgress, ring.queuedToday,
                ring.answeredToday, ring.abandonedToday, ring.serviceLevel(), ring.config.serviceLevelThreshold(),
                ring.aht());
    }

    private Reply ringList() {
        List<RingSummary> out = new ArrayList<>();
        for (RingState ring : directory.rings()) {
            RingConfig cfg = ring.config;
            boolean open = cfg.openingHours().isOpen(cx.now);
            out.add(new RingSummary(ring.id(), cfg.name(), cfg.authorityId(), directory.authority(cfg.authorityId()).name(),
                    open, open ? null : cfg.openingHours().nextOpening(cx.now).orElse(null), cfg.topics(), cfg.languages(),
                    ring.queue.size(), ring.staffed,
                    WaitEstimator.forNewRequest(ring.queue.size(), ring.available.size(), ring.staffed, ring.ahtSeconds),
                    ring.available.size(), cfg.interpreting()));
        }
        return new Reply.RingList(out);
    }

    private Reply expertStatus(Command.GetExpert c) {
        ExpertState e = directory.expert(c.expertId());
        List<String> ringIds = new ArrayList<>();
        for (RingState r : e.rings) {
            ringIds.add(r.id());
        }
        return new Reply.ExpertStatus(e.id, e.profile.name(), e.presence, e.presenceSince,
                e.offer != null ? (Long) e.offer.id : e.interpreting != null ? (Long) e.interpreting.id : null, e.call == null ? null : e.call.id,
                e.presence == Presence.WRAP_UP ? e.wrapUpUntil : null, ringIds);
    }

    private Reply directoryView() {
        List<RingConfig> ringConfigs = new ArrayList<>();
        for (RingState r : directory.rings()) {
            ringConfigs.add(r.config);
        }
        List<ExpertProfile> profiles = new ArrayList<>();
        for (ExpertState e : directory.experts()) {
            profiles.add(e.profile);
        }
        return new Reply.Directory(List.copyOf(directory.points()), List.copyOf(directory.advisors()), profiles,
                ringConfigs, List.copyOf(bookings.services()));
    }
}
