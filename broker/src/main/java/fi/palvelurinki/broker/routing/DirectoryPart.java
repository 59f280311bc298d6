package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.AdvisorDefined;
import fi.palvelurinki.broker.journal.DomainEvent.AuthorityDefined;
import fi.palvelurinki.broker.journal.DomainEvent.ExpertDefined;
import fi.palvelurinki.broker.journal.DomainEvent.PointDefined;
import fi.palvelurinki.broker.journal.DomainEvent.RingConfigured;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.ring.Texts;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who and what exists: authorities, rings and their settings, service points, advisors, experts'
 * profiles and which rings they belong to. Owns {@code RingState.config} and {@code members},
 * {@code ExpertState.profile} and {@code rings}.
 */
final class DirectoryPart implements EnginePart {
    /** Told while an expert's rings change (on replay too), so that presence can keep its per-ring sets. */
    interface Membership {
        void left(ExpertState x, RingState ring);

        void joined(ExpertState x, RingState ring);
    }

    private final EngineContext cx;
    private final Map<String, Authority> authorities = new HashMap<>();
    private final Map<String, RingState> rings = new LinkedHashMap<>();
    private final Map<String, ExpertState> experts = new LinkedHashMap<>();
    private final Map<String, ServicePoint> points = new HashMap<>();
    private final Map<String, Advisor> advisors = new HashMap<>();
    private Membership membership;
    private Routing routing;
    private Lifecycle lifecycle;
    private RingChanges changes;

    DirectoryPart(EngineContext cx) {
        this.cx = cx;
    }

    void connect(Membership membership, Routing routing, Lifecycle lifecycle, RingChanges changes) {
        this.membership = membership;
        this.routing = routing;
        this.lifecycle = lifecycle;
        this.changes = changes;
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.DefineAuthority.class, this::defineAuthority);
        w.command(Command.ConfigureRing.class, this::configureRing);
        w.command(Command.DefinePoint.class, this::definePoint);
        w.command(Command.DefineAdvisor.class, this::defineAdvisor);
        w.command(Command.DefineExpert.class, this::defineExpert);
        w.event(DomainEvent.Type.AUTHORITY_DEFINED, AuthorityDefined.class, e -> authorities.put(e.authority().id(), e.authority()));
        w.event(DomainEvent.Type.RING_CONFIGURED, RingConfigured.class, this::applyRingConfigured);
        w.event(DomainEvent.Type.POINT_DEFINED, PointDefined.class, e -> points.put(e.point().id(), e.point()));
        w.event(DomainEvent.Type.ADVISOR_DEFINED, AdvisorDefined.class, e -> advisors.put(e.advisor().id(), e.advisor()));
        w.event(DomainEvent.Type.EXPERT_DEFINED, ExpertDefined.class, this::applyExpertDefined);
    }

    // ------------------------------------------------------------------ lookups

    Collection<RingState> rings() {
        return rings.values();
    }

    Collection<ExpertState> experts() {
        return experts.values();
    }

    Collection<ServicePoint> points() {
        return points.values();
    }

    Collection<Advisor> advisors() {
        return advisors.values();
    }

    Authority authority(String id) {
        return authorities.get(id);
    }

    /** The ring, or null. */
    RingState findRing(String id) {
        return rings.get(id);
    }

    ExpertState findExpert(String id) {
        return experts.get(id);
    }

    Advisor findAdvisor(String id) {
        return advisors.get(id);
    }

    ServicePoint findPoint(String id) {
        return points.get(id);
    }

    /** For commands: the ring, or a refusal. */
    RingState ring(String id) {
        RingState r = id == null ? null : rings.get(id);
        if (r == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_RING, "no ring '" + id + "'");
        }
        return r;
    }

    ExpertState expert(String id) {
        ExpertState e = id == null ? null : experts.get(id);
        if (e == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_EXPERT, "no expert '" + id + "'");
        }
        return e;
    }

    Advisor advisor(String id) {
        Advisor a = id == null ? null : advisors.get(id);
        if (a == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_ADVISOR, "no advisor '" + id + "'");
        }
        return a;
    }

    ServicePoint point(String id) {
        ServicePoint p = id == null ? null : points.get(id);
        if (p == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_POINT, "no service point '" + id + "'");
        }
        return p;
    }

    /** For appliers: a ring an event names must exist. */
    RingState ringOf(String id) {
        RingState r = rings.get(id);
        if (r == null) {
            throw new IllegalStateException("event refers to unknown ring " + id);
        }
        return r;
    }

    ExpertState expertOf(String id) {
        ExpertState x = experts.get(id);
        if (x == null) {
            throw new IllegalStateException("event refers to unknown expert " + id);
        }
        return x;
    }

    // ------------------------------------------------------------------ commands

    private Reply defineAuthority(Command.DefineAuthority c) {
        Objects.requireNonNull(c.authority(), "authority");
        if (!c.authority().equals(authorities.get(c.authority().id()))) {
            cx.emit(new AuthorityDefined(cx.now, c.authority()));
        }
        return Reply.Done.INSTANCE;
    }

    private Reply configureRing(Command.ConfigureRing c) {
        RingConfig cfg = Objects.requireNonNull(c.ring(), "ring");
        String actor = Texts.check("actor", c.actor(), 100, true);
        if (!authorities.containsKey(cfg.authorityId())) {
            throw new BrokerException(ErrorCode.UNKNOWN_AUTHORITY, "unknown authority '" + cfg.authorityId() + "'");
        }
        if (cfg.overflowRingId() != null && !rings.containsKey(cfg.overflowRingId())) {
            throw new BrokerException(ErrorCode.UNKNOWN_RING, "overflow ring '" + cfg.overflowRingId()
                    + "' of ring " + cfg.id() + " is not defined (define it first)");
        }
        RingState existing = rings.get(cfg.id());
        if (existing != null && !existing.config.authorityId().equals(cfg.authorityId())) {
            throw BrokerException.invalid("ring " + cfg.id() + " belongs to " + existing.config.authorityId()
                    + " and cannot move to another authority");
        }
        if (existing == null || !existing.config.equals(cfg)) {
            cx.emit(new RingConfigured(cx.now, cfg, actor));
            if (existing != null) {
                lifecycle.ringReconfigured(existing);
            }
        }
        return Reply.Done.INSTANCE;
    }

    private Reply definePoint(Command.DefinePoint c) {
        Objects.requireNonNull(c.point(), "point");
        if (!c.point().equals(points.get(c.point().id()))) {
            cx.emit(new PointDefined(cx.now, c.point()));
        }
        return Reply.Done.INSTANCE;
    }

    private Reply defineAdvisor(Command.DefineAdvisor c) {
        Advisor a = Objects.requireNonNull(c.advisor(), "advisor");
        if (!points.containsKey(a.pointId())) {
            throw new BrokerException(ErrorCode.UNKNOWN_POINT, "unknown service point '" + a.pointId() + "'");
        }
        if (!a.equals(advisors.get(a.id()))) {
            cx.emit(new AdvisorDefined(cx.now, a));
        }
        return Reply.Done.INSTANCE;
    }

    private Reply defineExpert(Command.DefineExpert c) {
        ExpertProfile p = Objects.requireNonNull(c.expert(), "expert");
        String actor = Texts.check("actor", c.actor(), 100, true);
        int interpreting = 0;
        for (String ring : p.rings()) {
            RingState r = rings.get(ring);
            if (r == null) {
                throw new BrokerException(ErrorCode.UNKNOWN_RING, "expert " + p.id() + " names unknown ring '" + ring + "'");
            }
            if (r.config.interpreterRing()) {
                interpreting++;
                for (String l : p.interprets()) {
                    if (!r.config.interpreting().contains(l)) {
                        throw BrokerException.invalid("interpreter " + p.id() + " interprets " + l + ", which ring " + ring
                                + " does not (it interprets " + r.config.interpreting() + ")");
                    }
                }
            }
        }
        if (interpreting != 0 && interpreting != p.rings().size()) {
            throw BrokerException.invalid("expert " + p.id() + " belongs to interpreter rings and authorities' rings; "
                    + "an interpreter belongs to interpreter rings only");
        }
        if (interpreting == 0 && !p.interprets().isEmpty()) {
            throw BrokerException.invalid("expert " + p.id() + " lists languages they interpret but belongs to no "
                    + "interpreter ring");
        }
        ExpertState existing = experts.get(p.id());
        if (existing != null && existing.profile.equals(p)) {
            return Reply.Done.INSTANCE;
        }
        cx.emit(new ExpertDefined(cx.now, p, actor));
        routing.serveExpert(experts.get(p.id()));
        return Reply.Done.INSTANCE;
    }

    // ------------------------------------------------------------------ appliers

    private void applyRingConfigured(RingConfigured e) {
        RingConfig cfg = e.ring();
        RingState ring = rings.get(cfg.id());
        if (ring == null) {
            rings.put(cfg.id(), new RingState(cfg));
        } else {
            ring.config = cfg;
            changes.changed(ring);
        }
    }

    private void applyExpertDefined(ExpertDefined e) {
        ExpertProfile p = e.expert();
        ExpertState x = experts.get(p.id());
        if (x == null) {
            x = new ExpertState(p, e.at());
            experts.put(p.id(), x);
        } else {
            for (RingState ring : x.rings) {
                ring.members.remove(x);
                membership.left(x, ring);
            }
            x.rings.clear();
            x.profile = p;
        }
        for (String id : p.rings()) {
            RingState ring = ringOf(id);
            x.rings.add(ring);
            ring.members.add(x);
            membership.joined(x, ring);
        }
    }
}
