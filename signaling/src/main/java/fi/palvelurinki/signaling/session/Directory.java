package fi.palvelurinki.signaling.session;

import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.signaling.auth.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may connect: advisors and their points, experts and their rings, operators. Loaded from the
 * broker at start and kept current from its events, so that checking a token never waits for the
 * broker thread.
 */
public final class Directory {
    private final Map<String, Advisor> advisors = new ConcurrentHashMap<>();
    private final Map<String, ExpertProfile> experts = new ConcurrentHashMap<>();
    private final Map<String, ServicePoint> points = new ConcurrentHashMap<>();
    private final Map<String, String> ringNames = new ConcurrentHashMap<>();
    private final Map<String, String> operators = new ConcurrentHashMap<>();
    private final Map<String, List<String>> outcomes;
    private final fi.palvelurinki.signaling.config.ConfigFile.Names names;

    public Directory(Reply.Directory initial, Map<String, String> operators) {
        this(initial, operators, Map.of(), fi.palvelurinki.signaling.config.ConfigFile.Names.NONE);
    }

    /** @param outcomes per ring, the call outcomes its experts choose from (rings not named: the default list) */
    public Directory(Reply.Directory initial, Map<String, String> operators, Map<String, List<String>> outcomes,
            fi.palvelurinki.signaling.config.ConfigFile.Names names) {
        initial.advisors().forEach(a -> advisors.put(a.id(), a));
        initial.experts().forEach(e -> experts.put(e.id(), e));
        initial.points().forEach(p -> points.put(p.id(), p));
        initial.rings().forEach(r -> ringNames.put(r.id(), r.name()));
        this.operators.putAll(operators);
        this.outcomes = Map.copyOf(outcomes);
        this.names = names;
    }

    /**
     * An operator by a provider's sign-in. Kept in memory only (operators are not in the broker's
     * directory): after a restart they sign in again.
     */
    public void admitOperator(String id, String name) {
        operators.put(id, name);
    }

    /** The ring's name per page language, where the configuration gives one. */
    public Map<String, String> ringNames(String ringId) {
        return names.rings().getOrDefault(ringId, Map.of());
    }

    /** The topic's name per page language, where the configuration gives one. */
    public Map<String, String> topicNames(String topic) {
        return names.topics().getOrDefault(topic, Map.of());
    }

    /** The call outcomes of a ring, in the configured order. */
    public List<String> outcomes(String ringId) {
        return outcomes.getOrDefault(ringId, fi.palvelurinki.signaling.config.ConfigFile.DEFAULT_OUTCOMES);
    }

    /** Broker event listener: runs on the broker thread. */
    public void onEvents(List<DomainEvent> events) {
        for (DomainEvent e : events) {
            if (e instanceof DomainEvent.AdvisorDefined a) {
                advisors.put(a.advisor().id(), a.advisor());
            } else if (e instanceof DomainEvent.ExpertDefined x) {
                experts.put(x.expert().id(), x.expert());
            } else if (e instanceof DomainEvent.PointDefined p) {
                points.put(p.point().id(), p.point());
            } else if (e instanceof DomainEvent.RingConfigured r) {
                ringNames.put(r.ring().id(), r.ring().name());
            }
        }
    }

    /** Does the token name someone who exists, as they are configured? */
    public boolean admits(Principal p) {
        return switch (p.role()) {
            case ADVISOR -> {
                Advisor a = advisors.get(p.user());
                yield a != null && a.pointId().equals(p.point());
            }
            case EXPERT -> {
                ExpertProfile x = experts.get(p.user());
                yield x != null && x.rings().containsAll(p.rings());
            }
            case OPERATOR -> operators.containsKey(p.user());
            // The link's signature and times are checked; whether its booking still stands is the broker's to say.
            case CUSTOMER -> p.bookingId() > 0 && p.user().equals(Booking.customerId(p.bookingId()));
        };
    }

    public String displayName(Principal p) {
        return switch (p.role()) {
            case ADVISOR -> advisors.containsKey(p.user()) ? advisors.get(p.user()).name() : p.user();
            case EXPERT -> experts.containsKey(p.user()) ? experts.get(p.user()).name() : p.user();
            case OPERATOR -> operators.getOrDefault(p.user(), p.user());
            case CUSTOMER -> "customer";
        };
    }

    public Advisor advisor(String id) {
        return advisors.get(id);
    }

    public ExpertProfile expert(String id) {
        return experts.get(id);
    }

    /** A ring's configured name (its id when unknown): pages show names, not ids. */
    public String ringName(String id) {
        return ringNames.getOrDefault(id, id);
    }

    public ServicePoint point(String id) {
        return points.get(id);
    }

    public Map<String, Advisor> advisors() {
        return Map.copyOf(advisors);
    }

    public Map<String, ExpertProfile> experts() {
        return Map.copyOf(experts);
    }

    public Map<String, String> operators() {
        return Map.copyOf(operators);
    }
}
