package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.RingStatus;
import fi.palvelurinki.broker.RingSummary;
import fi.palvelurinki.broker.Actor;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.booking.Slot;
import fi.palvelurinki.broker.booking.SlotFinder;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.AdvisorDefined;
import fi.palvelurinki.broker.journal.DomainEvent.AuthorityDefined;
import fi.palvelurinki.broker.journal.DomainEvent.CallEnded;
import fi.palvelurinki.broker.journal.DomainEvent.CallStarted;
import fi.palvelurinki.broker.journal.DomainEvent.ExpertDefined;
import fi.palvelurinki.broker.journal.DomainEvent.LanguageEscalated;
import fi.palvelurinki.broker.journal.DomainEvent.OfferAccepted;
import fi.palvelurinki.broker.journal.DomainEvent.OfferDeclined;
import fi.palvelurinki.broker.journal.DomainEvent.OfferMade;
import fi.palvelurinki.broker.journal.DomainEvent.OfferTimedOut;
import fi.palvelurinki.broker.journal.DomainEvent.OfferWithdrawn;
import fi.palvelurinki.broker.journal.DomainEvent.PointDefined;
import fi.palvelurinki.broker.journal.DomainEvent.PresenceChanged;
import fi.palvelurinki.broker.journal.DomainEvent.RequestAbandoned;
import fi.palvelurinki.broker.journal.DomainEvent.RequestOverflowed;
import fi.palvelurinki.broker.journal.DomainEvent.RequestQueued;
import fi.palvelurinki.broker.journal.DomainEvent.RingConfigured;
import fi.palvelurinki.broker.journal.DomainEvent.WrapUpEnded;
import fi.palvelurinki.broker.journal.JournalEntry;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Ids;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.broker.ring.Texts;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The routing state machine: rings, experts, points, requests and calls, and every decision about them.
 *
 * <p>Single-threaded by design (the broker thread owns it; see {@code Broker}). Event-sourced: a command
 * is first validated in full — a refused command throws {@link BrokerException} and changes nothing —
 * then its effects are {@linkplain #emit emitted} as {@link DomainEvent}s, each applied to the state at
 * once. Replaying the journal applies the same events, so recovered state equals live state. Decisions
 * (offers, timeouts, escalations) are made only in command and timer handling, never while applying,
 * and their notifications are collected for the caller to deliver.
 *
 * <p>Routing invariant, restored after every command and timer: no waiting request has an eligible
 * AVAILABLE expert. Hence, when one request starts waiting, only it needs matching against the
 * available experts; when one expert becomes available, only it needs matching against the queues.
 */
public final class RoutingEngine {
    private static final int MAX_TRIAGE_NOTE = 1000;
    /** The point is told a booked call is ready to start this long before its slot. */
    public static final Duration READY_BEFORE = Duration.ofMinutes(5);
    /** The point may start a booked call this long before its slot. */
    public static final Duration EARLIEST_START = Duration.ofMinutes(15);
    /** Ended bookings are kept in memory this long after their day (the journal keeps them for good). */
    static final int KEEP_BOOKING_DAYS = 31;

    private final InstantSource clock;
    private final RoutingPolicy policy;
    private final BrokerConfig config;

    private final Map<String, Authority> authorities = new HashMap<>();
    private final Map<String, RingState> rings = new LinkedHashMap<>();
    private final Map<String, ExpertState> experts = new LinkedHashMap<>();
    private final Map<String, ServicePoint> points = new HashMap<>();
    private final Map<String, Advisor> advisors = new HashMap<>();
    private final Map<Long, RequestState> requests = new HashMap<>();
    private final Map<String, Integer> activePerPoint = new HashMap<>();
    private final Map<Long, CallState> calls = new HashMap<>();
    private final LinkedHashMap<Long, String> endedRequests;
    private final LinkedHashMap<Long, Boolean> endedCalls;
    private final TimerQueue timers = new TimerQueue();
    private final Set<RingState> dirtyRings = new LinkedHashSet<>();
    private final Map<String, BookableService> services = new LinkedHashMap<>();
    private final Map<Long, BookingState> bookings = new HashMap<>();
    private final TreeMap<LocalDate, List<BookingState>> bookingsByDay = new TreeMap<>();
    private long nextBookingId = 1;

    private long nextRequestId = 1;
    private long nextCallId = 1;
    private long lastSeq;
    private Instant now = Instant.EPOCH;

    private final List<DomainEvent> events = new ArrayList<>();
    private final List<Notification> notifications = new ArrayList<>();
    private long decisions;
    private long offers;

    public RoutingEngine(InstantSource clock, RoutingPolicy policy, BrokerConfig config) {
        this.clock = Objects.requireNonNull(clock);
        this.policy = Objects.requireNonNull(policy);
        this.config = Objects.requireNonNull(config);
        int remember = config.rememberEnded();
        this.endedRequests = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
                return size() > remember;
            }
        };
        this.endedCalls = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > remember;
            }
        };
    }

    // ------------------------------------------------------------------ outputs

    /** Sequence number of the last event emitted or replayed. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Events emitted since the last call, in order; the caller journals them. */
    public List<DomainEvent> drainEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<DomainEvent> out = new ArrayList<>(events);
        events.clear();
        return out;
    }

    public List<Notification> drainNotifications() {
        if (notifications.isEmpty()) {
            return List.of();
        }
        List<Notification> out = new ArrayList<>(notifications);
        notifications.clear();
        return out;
    }

    /** Routing decisions evaluated so far (matching a request to experts, or an expert to the queues). */
    public long decisions() {
        return decisions;
    }

    public long offers() {
        return offers;
    }

    /** The earliest instant at which {@link #fireDueTimers()} has work, or null. */
    public Instant nextDeadline() {
        return timers.next();
    }

    public int waitingTotal() {
        int n = 0;
        for (RequestState r : requests.values()) {
            if (r.status == RequestState.Status.WAITING) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ replay and recovery

    /** Applies a recorded event. No decisions, no notifications. */
    public void replay(JournalEntry entry) {
        if (entry.seq() != lastSeq + 1) {
            throw new IllegalStateException("journal seq " + entry.seq() + " follows " + lastSeq);
        }
        now = entry.event().at();
        apply(entry.event());
        lastSeq = entry.seq();
    }

    /**
     * After replay: nobody is connected any more. Experts come back OFFLINE until they reconnect;
     * offers are withdrawn (their requests wait again, in their old places); calls in progress end
     * at the restart. Waiting requests keep their order, and their escalation timers are re-armed.
     */
    public void recover() {
        now = now();
        for (ExpertState e : new ArrayList<>(experts.values())) {
            switch (e.presence) {
                case OFFERED -> {
                    RequestState r = e.offer;
                    emit(new OfferWithdrawn(now, r.id, e.id, r.offerRing.id(), "broker restart"));
                    emit(new PresenceChanged(now, e.id, Presence.OFFERED, Presence.OFFLINE, "broker restart"));
                }
                case IN_CALL -> {
                    CallState c = e.call;
                    emit(new CallEnded(now, c.id, c.request.id, e.id, c.ring.id(), c.request.pointId,
                            CallEndReason.BROKER_RESTART, now));
                    completeBooking(c);
                    emit(new PresenceChanged(now, e.id, Presence.IN_CALL, Presence.WRAP_UP, "broker restart"));
                    emit(new WrapUpEnded(now, e.id, c.id, c.ring.id(), true));
                    emit(new PresenceChanged(now, e.id, Presence.WRAP_UP, Presence.OFFLINE, "broker restart"));
                }
                case WRAP_UP -> {
                    emit(new WrapUpEnded(now, e.id, e.wrapUpCallId, e.wrapUpRing.id(), true));
                    emit(new PresenceChanged(now, e.id, Presence.WRAP_UP, Presence.OFFLINE, "broker restart"));
                }
                case AVAILABLE, AWAY -> emit(new PresenceChanged(now, e.id, e.presence, Presence.OFFLINE, "broker restart"));
                case OFFLINE -> { }
            }
        }
        notifications.clear();
    }

    // ------------------------------------------------------------------ commands

    /**
     * Handles one command at the clock's current time.
     *
     * @throws BrokerException if the command is refused; the state is then unchanged
     */
    public Reply handle(Command command) {
        now = now();
        if (command instanceof Command.RequestCall c) {
            return requestCall(c);
        } else if (command instanceof Command.AcceptOffer c) {
            return accept(c);
        } else if (command instanceof Command.DeclineOffer c) {
            return decline(c);
        } else if (command instanceof Command.Hangup c) {
            return hangup(c);
        } else if (command instanceof Command.ReportCallQuality c) {
            return callQuality(c);
        } else if (command instanceof Command.EndCallMediaLost c) {
            return mediaLost(c);
        } else if (command instanceof Command.EndWrapUp c) {
            return endWrapUpCommand(c);
        } else if (command instanceof Command.SetPresence c) {
            return setPresence(c);
        } else if (command instanceof Command.CancelRequest c) {
            return cancel(c);
        } else if (command instanceof Command.AdvisorGone c) {
            return advisorGone(c);
        } else if (command instanceof Command.ExpertGone c) {
            return expertGone(c);
        } else if (command instanceof Command.GetRingStatus c) {
            return ringStatuses(c);
        } else if (command instanceof Command.ListRings) {
            return ringList();
        } else if (command instanceof Command.GetExpert c) {
            return expertStatus(c);
        } else if (command instanceof Command.GetRequest c) {
            return requestStatus(c);
        } else if (command instanceof Command.GetAdvisorRequests c) {
            return advisorRequests(c);
        } else if (command instanceof Command.GetDirectory) {
            return directory();
        } else if (command instanceof Command.DefineService c) {
            return defineService(c);
        } else if (command instanceof Command.FindSlots c) {
            return findSlots(c);
        } else if (command instanceof Command.Book c) {
            return book(c);
        } else if (command instanceof Command.Reschedule c) {
            return reschedule(c);
        } else if (command instanceof Command.CancelBooking c) {
            return cancelBooking(c);
        } else if (command instanceof Command.StartBooking c) {
            return startBooking(c);
        } else if (command instanceof Command.GetBookings c) {
            return getBookings(c);
        } else if (command instanceof Command.GetBooking c) {
            return new Reply.BookingView(bookingOf(c.bookingId()).view());
        } else if (command instanceof Command.DefineAuthority c) {
            return defineAuthority(c);
        } else if (command instanceof Command.ConfigureRing c) {
            return configureRing(c);
        } else if (command instanceof Command.DefinePoint c) {
            return definePoint(c);
        } else if (command instanceof Command.DefineAdvisor c) {
            return defineAdvisor(c);
        } else if (command instanceof Command.DefineExpert c) {
            return defineExpert(c);
        }
        throw new IllegalArgumentException("unhandled command " + command.getClass().getName());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // --- configuration

    private Reply defineAuthority(Command.DefineAuthority c) {
        Objects.requireNonNull(c.authority(), "authority");
        if (!c.authority().equals(authorities.get(c.authority().id()))) {
            emit(new AuthorityDefined(now, c.authority()));
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
            emit(new RingConfigured(now, cfg, actor));
            if (existing != null) {
                // New escalation settings apply to requests already waiting; timers re-check on firing.
                for (RequestState r : requests.values()) {
                    if (r.ring == existing) {
                        armEscalationTimers(r);
                    }
                }
            }
        }
        return Reply.Done.INSTANCE;
    }

    private Reply definePoint(Command.DefinePoint c) {
        Objects.requireNonNull(c.point(), "point");
        if (!c.point().equals(points.get(c.point().id()))) {
            emit(new PointDefined(now, c.point()));
        }
        return Reply.Done.INSTANCE;
    }

    private Reply defineAdvisor(Command.DefineAdvisor c) {
        Advisor a = Objects.requireNonNull(c.advisor(), "advisor");
        if (!points.containsKey(a.pointId())) {
            throw new BrokerException(ErrorCode.UNKNOWN_POINT, "unknown service point '" + a.pointId() + "'");
        }
        if (!a.equals(advisors.get(a.id()))) {
            emit(new AdvisorDefined(now, a));
        }
        return Reply.Done.INSTANCE;
    }

    private Reply defineExpert(Command.DefineExpert c) {
        ExpertProfile p = Objects.requireNonNull(c.expert(), "expert");
        String actor = Texts.check("actor", c.actor(), 100, true);
        for (String ring : p.rings()) {
            if (!rings.containsKey(ring)) {
                throw new BrokerException(ErrorCode.UNKNOWN_RING, "expert " + p.id() + " names unknown ring '" + ring + "'");
            }
        }
        ExpertState existing = experts.get(p.id());
        if (existing != null && existing.profile.equals(p)) {
            return Reply.Done.INSTANCE;
        }
        emit(new ExpertDefined(now, p, actor));
        ExpertState e = experts.get(p.id());
        if (e.presence == Presence.AVAILABLE) {
            serveExpert(e);
        }
        return Reply.Done.INSTANCE;
    }

    // --- advisor

    private Reply requestCall(Command.RequestCall c) {
        Advisor advisor = advisor(c.advisorId());
        RingState ring = ring(c.ringId());
        if (c.kind() == null) {
            throw BrokerException.invalid("call kind is required");
        }
        if (!ring.config.openingHours().isOpen(now)) {
            Instant next = ring.config.openingHours().nextOpening(now).orElse(null);
            throw new BrokerException(ErrorCode.RING_CLOSED, "ring " + ring.id() + " is closed now"
                    + (next == null ? "" : "; it opens next at " + next.atZone(fi.palvelurinki.broker.ring.OpeningHours.ZONE)
                            .toLocalDateTime().toString().replace('T', ' ') + " Finnish time"));
        }
        Ids.check("topic", c.topic());
        if (!ring.config.servesTopic(c.topic())) {
            throw new BrokerException(ErrorCode.TOPIC_NOT_OFFERED, "ring " + ring.id() + " does not serve topic '"
                    + c.topic() + "'; it serves " + ring.config.topics());
        }
        if (c.language() == null) {
            throw BrokerException.invalid("language is required");
        }
        if (!ring.config.languages().contains(c.language())) {
            throw new BrokerException(ErrorCode.LANGUAGE_NOT_OFFERED, "ring " + ring.id() + " does not serve in "
                    + c.language().code());
        }
        String note = Texts.check("triage note", c.triageNote(), MAX_TRIAGE_NOTE, false);
        if (c.priority() < 0 || c.priority() > 100) {
            throw BrokerException.invalid("priority must be 0-100, got " + c.priority());
        }
        checkRequestCapacity(advisor.pointId());
        long id = nextRequestId;
        emit(new RequestQueued(now, id, c.kind(), ring.id(), advisor.pointId(), advisor.id(), c.topic(), c.language(),
                c.languageFallbackConsent(), note, c.priority()));
        RequestState r = requests.get(id);
        offerRequest(r);
        return queued(r);
    }

    private Reply.Queued queued(RequestState r) {
        int position = 0;
        Duration eta = Duration.ZERO;
        if (r.status == RequestState.Status.WAITING) {
            position = positionOf(r);
            eta = WaitEstimator.estimate(position, r.ring.staffed, r.ring.ahtSeconds);
            r.publishedPosition = position;
            r.publishedEta = eta;
            r.publishedAt = now;
        }
        return new Reply.Queued(r.id, r.ring.id(), position, eta, r.queuedAt);
    }

    private void checkRequestCapacity(String pointId) {
        if (requests.size() >= config.maxActiveRequests()) {
            throw new BrokerException(ErrorCode.CAPACITY_EXCEEDED, "the broker holds its maximum of "
                    + config.maxActiveRequests() + " active requests");
        }
        if (activePerPoint.getOrDefault(pointId, 0) >= config.maxActiveRequestsPerPoint()) {
            throw new BrokerException(ErrorCode.CAPACITY_EXCEEDED, "point " + pointId + " already has "
                    + config.maxActiveRequestsPerPoint() + " active requests");
        }
    }

    private Reply cancel(Command.CancelRequest c) {
        Advisor advisor = advisor(c.advisorId());
        RequestState r = requests.get(c.requestId());
        if (r == null) {
            return endedOrUnknown(c.requestId());
        }
        if (!r.pointId.equals(advisor.pointId())) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "request " + r.id + " belongs to another service point");
        }
        if (r.status == RequestState.Status.CONNECTED) {
            throw new BrokerException(ErrorCode.ALREADY_CONNECTED, "request " + r.id + " is already connected as call "
                    + r.callId + "; hang up instead");
        }
        abandon(r, AbandonReason.CANCELLED, Notification.RevokeReason.CANCELLED);
        return Reply.Done.INSTANCE;
    }

    private Reply advisorGone(Command.AdvisorGone c) {
        Advisor advisor = advisor(c.advisorId());
        List<RequestState> mine = new ArrayList<>();
        for (RequestState r : requests.values()) {
            if (r.advisorId.equals(advisor.id())) {
                mine.add(r);
            }
        }
        mine.sort(RequestState.ORDER);
        for (RequestState r : mine) {
            if (r.status == RequestState.Status.CONNECTED) {
                endCall(calls.get(r.callId), CallEndReason.ADVISOR_DISCONNECTED, false);
            } else {
                abandon(r, AbandonReason.POINT_DISCONNECTED, Notification.RevokeReason.ADVISOR_DISCONNECTED);
            }
        }
        return Reply.Done.INSTANCE;
    }

    private void abandon(RequestState r, AbandonReason reason, Notification.RevokeReason revoke) {
        ExpertState offeredTo = null;
        if (r.status == RequestState.Status.OFFERED) {
            offeredTo = r.offeredTo;
            emit(new OfferWithdrawn(now, r.id, offeredTo.id, r.offerRing.id(), reason.name().toLowerCase(java.util.Locale.ROOT)));
            emit(new PresenceChanged(now, offeredTo.id, Presence.OFFERED, Presence.AVAILABLE, "offer withdrawn"));
            notify(new Notification.OfferRevoked(offeredTo.id, r.id, revoke));
        }
        BookingState booked = r.booking;
        emit(new RequestAbandoned(now, r.id, r.ring.id(), r.pointId, reason));
        if (reason != AbandonReason.CANCELLED) {
            notify(new Notification.RequestEnded(r.advisorId, r.id, reason));
        }
        if (booked != null && !now.isBefore(booked.start.plus(booked.service.lateGrace()))) {
            // The customer waited past the grace period and gave up: the expert's side was absent.
            emit(new DomainEvent.BookingNoShow(now, booked.id, NoShowSide.EXPERT));
            tellBooking(booked, "no_show");
        }
        if (offeredTo != null) {
            serveExpert(offeredTo);
        }
    }

    // --- expert

    private Reply setPresence(Command.SetPresence c) {
        ExpertState e = expert(c.expertId());
        Presence target = c.presence();
        if (target != Presence.AVAILABLE && target != Presence.AWAY && target != Presence.OFFLINE) {
            throw BrokerException.invalid("an expert can set presence AVAILABLE, AWAY or OFFLINE, not " + target);
        }
        if (e.presence == target) {
            return Reply.Done.INSTANCE;
        }
        switch (e.presence) {
            case IN_CALL -> throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION,
                    "expert " + e.id + " is in call " + e.call.id + "; hang up first");
            case OFFERED -> {
                if (target == Presence.AVAILABLE) {
                    throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "expert " + e.id
                            + " has an offer ringing; accept or decline it");
                }
                withdrawOffer(e, "expert went " + target.name().toLowerCase(java.util.Locale.ROOT), target);
            }
            case WRAP_UP -> endWrapUp(e, true, target, "ended by expert", false);
            default -> {
                e.presence.checkTransition(target);
                emit(new PresenceChanged(now, e.id, e.presence, target, "set by expert"));
                if (target == Presence.AVAILABLE) {
                    serveExpert(e);
                }
            }
        }
        return Reply.Done.INSTANCE;
    }

    private Reply accept(Command.AcceptOffer c) {
        ExpertState e = expert(c.expertId());
        RequestState r = offeredTo(e, c.requestId());
        long callId = nextCallId;
        RingState ring = r.offerRing;
        emit(new OfferAccepted(now, r.id, e.id, ring.id(), r.pointId));
        emit(new CallStarted(now, callId, r.id, e.id, r.advisorId, ring.id(), r.pointId));
        emit(new PresenceChanged(now, e.id, Presence.OFFERED, Presence.IN_CALL, "accepted"));
        if (r.booking != null) {
            BookingState b = r.booking;
            Instant ready = b.startRequestedAt.isAfter(b.start) ? b.startRequestedAt : b.start;
            emit(new DomainEvent.BookingStarted(now, b.id, callId, e.id, Math.max(0, Duration.between(ready, now).toSeconds())));
            tellBooking(b, "started");
        }
        ServicePoint point = points.get(r.pointId);
        for (Recipient to : List.of(Recipient.advisor(r.advisorId), Recipient.expert(e.id))) {
            notify(new Notification.CallConnected(to, callId, r.id, ring.id(), e.id, e.profile.name(), r.advisorId,
                    r.pointId, point.name()));
        }
        return new Reply.CallConnected(callId, r.id, ring.id(), e.id, e.profile.name(), r.advisorId, r.pointId);
    }

    private Reply decline(Command.DeclineOffer c) {
        ExpertState e = expert(c.expertId());
        RequestState r = offeredTo(e, c.requestId());
        Instant until = now.plus(r.offerRing.config.declineCooldown());
        emit(new OfferDeclined(now, r.id, e.id, r.offerRing.id(), until));
        emit(new PresenceChanged(now, e.id, Presence.OFFERED, Presence.AVAILABLE, "declined"));
        notify(new Notification.Ringing(r.advisorId, r.id, false));
        offerRequest(r);
        serveExpert(e);
        return Reply.Done.INSTANCE;
    }

    private RequestState offeredTo(ExpertState e, long requestId) {
        RequestState r = requests.get(requestId);
        if (r == null || r.status != RequestState.Status.OFFERED || r.offeredTo != e) {
            throw new BrokerException(ErrorCode.NO_SUCH_OFFER, "request " + requestId + " is not ringing at expert "
                    + e.id + (r == null ? " (it has ended)" : " (it timed out, was cancelled or went to someone else)"));
        }
        return r;
    }

    private Reply endWrapUpCommand(Command.EndWrapUp c) {
        ExpertState e = expert(c.expertId());
        if (e.presence == Presence.AVAILABLE) {
            return Reply.Done.INSTANCE;
        }
        if (e.presence != Presence.WRAP_UP) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION, "expert " + e.id + " is " + e.presence
                    + ", not in wrap-up");
        }
        endWrapUp(e, true, Presence.AVAILABLE, "ready for next call", false);
        return Reply.Done.INSTANCE;
    }

    private Reply expertGone(Command.ExpertGone c) {
        ExpertState e = expert(c.expertId());
        switch (e.presence) {
            case OFFERED -> withdrawOffer(e, "expert disconnected", Presence.OFFLINE);
            case IN_CALL -> endCall(e.call, CallEndReason.EXPERT_DISCONNECTED, true);
            case WRAP_UP -> endWrapUp(e, true, Presence.OFFLINE, "expert disconnected", false);
            case AVAILABLE, AWAY -> emit(new PresenceChanged(now, e.id, e.presence, Presence.OFFLINE, "expert disconnected"));
            case OFFLINE -> { }
        }
        return Reply.Done.INSTANCE;
    }

    private void withdrawOffer(ExpertState e, String reason, Presence target) {
        RequestState r = e.offer;
        emit(new OfferWithdrawn(now, r.id, e.id, r.offerRing.id(), reason));
        emit(new PresenceChanged(now, e.id, Presence.OFFERED, target, reason));
        notify(new Notification.Ringing(r.advisorId, r.id, false));
        offerRequest(r);
    }

    // --- calls

    private Reply hangup(Command.Hangup c) {
        if (c.party() == null) {
            throw BrokerException.invalid("party is required");
        }
        CallState call = calls.get(c.callId());
        if (call == null) {
            if (endedCalls.containsKey(c.callId())) {
                return Reply.Done.INSTANCE;
            }
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no call " + c.callId());
        }
        // Any advisor of the call's point may hang up: the customer sits at the point, not with one advisor.
        Advisor advisor = c.party() == Party.ADVISOR && c.partyId() != null ? advisors.get(c.partyId()) : null;
        boolean party = c.party() == Party.ADVISOR
                ? advisor != null && advisor.pointId().equals(call.request.pointId)
                : call.expert.id.equals(c.partyId());
        if (!party) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, c.party().name().toLowerCase(java.util.Locale.ROOT) + " "
                    + c.partyId() + " is not a party of call " + call.id);
        }
        endCall(call, c.party() == Party.ADVISOR ? CallEndReason.ADVISOR_HUNG_UP : CallEndReason.EXPERT_HUNG_UP, false);
        return Reply.Done.INSTANCE;
    }

    private Reply callQuality(Command.ReportCallQuality c) {
        CallState call = calls.get(c.callId());
        if (call == null || c.party() == null || c.quality() == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_CALL, "no call " + c.callId() + " in progress");
        }
        emit(new DomainEvent.CallQualityReported(now, call.id, call.ring.id(), call.request.pointId, c.party(), c.quality()));
        return Reply.Done.INSTANCE;
    }

    /** Ending a call that already ended (hung up meanwhile) is a no-op. */
    private Reply mediaLost(Command.EndCallMediaLost c) {
        CallState call = calls.get(c.callId());
        if (call != null) {
            endCall(call, CallEndReason.MEDIA_LOST, false);
        }
        return Reply.Done.INSTANCE;
    }

    /** @param expertLeaving the expert is gone: wrap-up ends at once and they go OFFLINE */
    private void endCall(CallState call, CallEndReason reason, boolean expertLeaving) {
        ExpertState e = call.expert;
        Instant until = now.plus(call.ring.config.wrapUp());
        emit(new CallEnded(now, call.id, call.request.id, e.id, call.ring.id(), call.request.pointId, reason, until));
        emit(new PresenceChanged(now, e.id, Presence.IN_CALL, Presence.WRAP_UP, "call ended"));
        completeBooking(call);
        notify(new Notification.CallEnded(Recipient.advisor(call.request.advisorId), call.id, reason, null));
        notify(new Notification.CallEnded(Recipient.expert(e.id), call.id, reason, until));
        if (expertLeaving) {
            endWrapUp(e, true, Presence.OFFLINE, "expert disconnected", false);
        } else if (!until.isAfter(now)) {
            endWrapUp(e, false, Presence.AVAILABLE, "no wrap-up time", true);
        }
    }

    /** @param tellExpert the expert did not ask for this change, so tell them (before any next offer) */
    private void endWrapUp(ExpertState e, boolean early, Presence target, String reason, boolean tellExpert) {
        emit(new WrapUpEnded(now, e.id, e.wrapUpCallId, e.wrapUpRing.id(), early));
        emit(new PresenceChanged(now, e.id, Presence.WRAP_UP, target, reason));
        if (tellExpert) {
            notify(new Notification.PresenceChanged(e.id, target, reason, null));
        }
        if (target == Presence.AVAILABLE) {
            serveExpert(e);
        }
    }

    // ------------------------------------------------------------------ routing

    /**
     * Offers {@code r} to the eligible available expert the policy chooses, if any. The policy sees a
     * shortlist of at most {@link RoutingPolicy#MAX_CANDIDATES}: experts who speak the requested
     * language and belong to the request's own ring first, then the others, each group longest idle
     * first. Walking the idle order stops once the first group is full, so a ring with hundreds of
     * idle experts costs no more than one with a few.
     */
    private void offerRequest(RequestState r) {
        if (r.status != RequestState.Status.WAITING) {
            return;
        }
        decisions++;
        List<Candidate> best = null;
        List<Candidate> others = null;
        Set<String> seen = r.targets.size() > 1 ? new java.util.HashSet<>() : null;
        int max = RoutingPolicy.MAX_CANDIDATES;
        rings:
        for (RingState ring : r.targets) {
            if (r.booking == null && ringHolds(ring, null)) {
                continue;
            }
            for (ExpertState e : ring.available) {
                if (!eligible(e, r) || (seen != null && !seen.add(e.id))) {
                    continue;
                }
                Candidate c = candidate(e, ring, r);
                if (c.speaksRequested() && c.inRequestedRing()) {
                    if (best == null) {
                        best = new ArrayList<>(4);
                    }
                    best.add(c);
                    if (best.size() == max) {
                        break rings;
                    }
                } else if (others == null || others.size() < max) {
                    if (others == null) {
                        others = new ArrayList<>(4);
                    }
                    others.add(c);
                }
            }
        }
        List<Candidate> candidates;
        if (best == null && others == null) {
            return;
        } else if (others == null) {
            candidates = best;
        } else if (best == null) {
            candidates = others;
        } else {
            candidates = new ArrayList<>(best);
            candidates.addAll(others.subList(0, Math.min(others.size(), max - best.size())));
        }
        RoutingDecision d = policy.choose(routingRequest(r), Collections.unmodifiableList(candidates));
        if (d.expertId() == null) {
            return;
        }
        for (Candidate c : candidates) {
            if (c.expertId().equals(d.expertId())) {
                makeOffer(r, experts.get(c.expertId()), rings.get(c.viaRingId()), d.reason());
                return;
            }
        }
        throw new IllegalStateException("policy chose " + d.expertId() + ", who is not a candidate");
    }

    /** Offers the first request in order of service that {@code e} may take, across the expert's rings. */
    private void serveExpert(ExpertState e) {
        if (e.presence != Presence.AVAILABLE) {
            return;
        }
        decisions++;
        RequestState best = null;
        RingState bestRing = null;
        boolean held = namedHeld(e);
        for (RingState ring : e.rings) {
            boolean instantOk = !held && !ringHolds(ring, e);
            for (RequestState r : ring.queue) {
                if (best != null && RequestState.ORDER.compare(r, best) >= 0) {
                    break;
                }
                if (r.booking == null && !instantOk) {
                    // Booked calls outrank instant ones: none follows in this queue.
                    break;
                }
                if (eligible(e, r)) {
                    best = r;
                    bestRing = ring;
                    break;
                }
            }
        }
        if (best == null) {
            return;
        }
        RoutingDecision d = policy.choose(routingRequest(best), List.of(candidate(e, bestRing, best)));
        if (d.expertId() != null) {
            makeOffer(best, e, bestRing, d.reason());
        }
    }

    private boolean eligible(ExpertState e, RequestState r) {
        if (e.presence != Presence.AVAILABLE || !e.profile.handlesTopic(r.topic) || r.coolingDown(e.id, now)) {
            return false;
        }
        if (r.booking != null) {
            if (r.booking.expertId != null && !r.booking.expertId.equals(e.id)) {
                return false;
            }
        } else if (namedHeld(e)) {
            return false;
        }
        for (Language l : e.profile.languages()) {
            if (r.acceptable.contains(l)) {
                return true;
            }
        }
        return false;
    }

    private Candidate candidate(ExpertState e, RingState via, RequestState r) {
        return new Candidate(e.id, via.id(), e.profile.languages(), e.profile.topics(), e.idleSince,
                e.profile.languages().contains(r.language), e.rings.contains(r.ring));
    }

    private RoutingRequest routingRequest(RequestState r) {
        return new RoutingRequest(r.id, r.ring.id(), r.topic, r.language, Collections.unmodifiableSet(r.acceptable),
                r.priority, r.kind, r.queuedAt, now);
    }

    private void makeOffer(RequestState r, ExpertState e, RingState via, String reason) {
        Instant expires = now.plus(via.config.offerTimeout());
        emit(new OfferMade(now, r.id, e.id, via.id(), r.pointId, expires, reason));
        emit(new PresenceChanged(now, e.id, Presence.AVAILABLE, Presence.OFFERED, "offer"));
        offers++;
        ServicePoint point = points.get(r.pointId);
        Advisor advisor = advisors.get(r.advisorId);
        notify(new Notification.Offer(e.id, r.id, r.ring.id(), r.ring.config.name(), point.id(), point.name(),
                point.municipality(), advisor.name(), r.topic, r.language, r.triageNote, r.kind, expires, r.queuedAt));
        notify(new Notification.Ringing(r.advisorId, r.id, true));
    }


    // ------------------------------------------------------------------ bookings

    private Reply defineService(Command.DefineService c) {
        BookableService sv = Objects.requireNonNull(c.service(), "service");
        String actor = Texts.check("actor", c.actor(), 100, true);
        RingState ring = ring(sv.ringId());
        if (!ring.config.servesTopic(sv.topic())) {
            throw new BrokerException(ErrorCode.TOPIC_NOT_OFFERED, "ring " + ring.id() + " does not serve topic '"
                    + sv.topic() + "'");
        }
        BookableService existing = services.get(sv.id());
        if (existing != null && !existing.ringId().equals(sv.ringId())) {
            throw BrokerException.invalid("service " + sv.id() + " belongs to ring " + existing.ringId());
        }
        if (!sv.equals(existing)) {
            emit(new DomainEvent.ServiceDefined(now, sv, actor));
        }
        return Reply.Done.INSTANCE;
    }

    private BookableService service(RingState ring, String id) {
        BookableService sv = id == null ? null : services.get(id);
        if (sv == null || !sv.ringId().equals(ring.id())) {
            throw new BrokerException(ErrorCode.UNKNOWN_SERVICE, "ring " + ring.id() + " has no bookable service '" + id + "'");
        }
        return sv;
    }

    private ServicePoint point(String id) {
        ServicePoint p = id == null ? null : points.get(id);
        if (p == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_POINT, "no service point '" + id + "'");
        }
        return p;
    }

    private Language bookingLanguage(RingState ring, Language language) {
        if (language == null) {
            throw BrokerException.invalid("language is required");
        }
        if (!ring.config.languages().contains(language)) {
            throw new BrokerException(ErrorCode.LANGUAGE_NOT_OFFERED, "ring " + ring.id() + " does not serve in "
                    + language.code());
        }
        return language;
    }

    private ExpertState namedExpert(RingState ring, BookableService sv, Language language, String expertId) {
        if (expertId == null) {
            return null;
        }
        ExpertState e = expert(expertId);
        if (!e.rings.contains(ring) || !e.profile.handlesTopic(sv.topic())
                || !e.profile.languages().contains(language)) {
            throw BrokerException.invalid("expert " + expertId + " does not serve " + sv.name() + " in "
                    + language.code() + " in ring " + ring.id());
        }
        return e;
    }

    private SlotFinder.Query slotQuery(RingState ring, BookableService sv, LocalDate date, Language language,
            ExpertState named, ServicePoint point) {
        int handling = 0;
        int speaking = 0;
        for (ExpertState e : ring.members) {
            if (e.profile.handlesTopic(sv.topic())) {
                handling++;
                if (e.profile.languages().contains(language)) {
                    speaking++;
                }
            }
        }
        int capacity = ring.config.bookingCapacity() == 0 ? handling : Math.min(handling, ring.config.bookingCapacity());
        return new SlotFinder.Query(sv, ring.config.openingHours().windowsOn(date), now.plus(sv.notice()),
                now.plus(sv.horizon()), language, named == null ? null : named.id, capacity, speaking, point.rooms());
    }

    private List<SlotFinder.Busy> busy(LocalDate date, RingState ring, ServicePoint point, List<BookingState> out) {
        List<SlotFinder.Busy> busy = new ArrayList<>();
        for (BookingState b : bookingsByDay.getOrDefault(date, List.of())) {
            if (b.status.holdsSlot()) {
                busy.add(new SlotFinder.Busy(b.footprintStart(), b.footprintEnd(), b.expertId, b.language, b.ring == ring,
                        b.pointId.equals(point.id())));
                if (out != null) {
                    out.add(b);
                }
            }
        }
        return busy;
    }

    private static LocalDate day(Instant t) {
        return t.atZone(fi.palvelurinki.broker.ring.OpeningHours.ZONE).toLocalDate();
    }

    private Reply findSlots(Command.FindSlots c) {
        RingState ring = ring(c.ringId());
        BookableService sv = service(ring, c.serviceId());
        ServicePoint p = point(c.pointId());
        Language language = bookingLanguage(ring, c.language());
        ExpertState named = namedExpert(ring, sv, language, c.expertId());
        if (c.date() == null) {
            throw BrokerException.invalid("date is required");
        }
        return new Reply.Slots(SlotFinder.find(slotQuery(ring, sv, c.date(), language, named, p), busy(c.date(), ring, p, null)));
    }

    /**
     * Checks that {@code start} is a slot of the service that may be booked now and has room, leaving
     * {@code moving} out of the count; returns the room to reserve.
     */
    private int checkSlot(RingState ring, BookableService sv, ServicePoint p, Language language, ExpertState named,
            Instant start, BookingState moving) {
        if (start == null) {
            throw BrokerException.invalid("slot start is required");
        }
        LocalDate date = day(start);
        SlotFinder.Query q = slotQuery(ring, sv, date, language, named, p);
        if (start.isBefore(q.earliestStart())) {
            throw BrokerException.invalid(sv.name() + " must be booked at least " + sv.notice().toMinutes()
                    + " minutes ahead");
        }
        if (start.isAfter(q.latestStart())) {
            throw BrokerException.invalid(sv.name() + " can be booked at most " + sv.horizon().toDays() + " days ahead");
        }
        SlotFinder.Query timing = new SlotFinder.Query(sv, q.windows(), q.earliestStart(), q.latestStart(), language,
                null, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        boolean isSlot = SlotFinder.find(timing, List.of()).stream().anyMatch(x -> x.start().equals(start));
        if (!isSlot) {
            throw BrokerException.invalid(start + " is not a slot start of " + sv.name() + " in ring " + ring.id()
                    + " (slots follow the opening hours, " + sv.footprint().toMinutes() + " minutes apart)");
        }
        List<BookingState> holding = new ArrayList<>();
        List<SlotFinder.Busy> busy = busy(date, ring, p, holding);
        SlotFinder.Busy ignore = moving == null ? null : busy.get(holding.indexOf(moving));
        Instant from = start.minus(sv.bufferBefore());
        Instant to = start.plus(sv.slotLength()).plus(sv.bufferAfter());
        if (SlotFinder.freeExperts(q, busy, from, to, ignore) == 0) {
            int others = SlotFinder.find(q, busy).size();
            throw new BrokerException(ErrorCode.SLOT_TAKEN, "the slot at " + localTime(start) + " on " + date
                    + " is no longer free; " + others + " other slots are free that day");
        }
        for (int room = 1; room <= p.rooms(); room++) {
            boolean taken = false;
            for (BookingState b : holding) {
                if (b != moving && b.pointId.equals(p.id()) && b.room == room && b.footprintStart().isBefore(to)
                        && from.isBefore(b.footprintEnd())) {
                    taken = true;
                    break;
                }
            }
            if (!taken) {
                return room;
            }
        }
        throw new IllegalStateException("slot free but no room free at " + p.id());
    }

    private static String localTime(Instant t) {
        return t.atZone(fi.palvelurinki.broker.ring.OpeningHours.ZONE).toLocalTime().toString();
    }

    private Reply book(Command.Book c) {
        Advisor a = advisor(c.advisorId());
        RingState ring = ring(c.ringId());
        BookableService sv = service(ring, c.serviceId());
        Language language = bookingLanguage(ring, c.language());
        ExpertState named = namedExpert(ring, sv, language, c.expertId());
        String note = Texts.check("note", c.note(), MAX_TRIAGE_NOTE, false);
        ServicePoint p = points.get(a.pointId());
        int room = checkSlot(ring, sv, p, language, named, c.start(), null);
        long id = nextBookingId;
        emit(new DomainEvent.BookingConfirmed(now, id, ring.id(), sv.id(), p.id(), room, a.id(),
                named == null ? null : named.id, language, note, c.start(), c.start().plus(sv.slotLength())));
        BookingState b = bookings.get(id);
        tellBooking(b, "confirmed");
        return new Reply.BookingView(b.view());
    }

    private BookingState bookingOf(long id) {
        BookingState b = bookings.get(id);
        if (b == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_BOOKING, "no booking " + id);
        }
        return b;
    }

    private void checkMayChange(Actor actor, BookingState b) {
        if (actor == null) {
            throw BrokerException.invalid("actor is required");
        }
        boolean ok = switch (actor.kind()) {
            case OPERATOR -> true;
            case ADVISOR -> advisors.containsKey(actor.id()) && advisors.get(actor.id()).pointId().equals(b.pointId);
            case EXPERT -> b.expertId != null ? b.expertId.equals(actor.id())
                    : experts.containsKey(actor.id()) && experts.get(actor.id()).rings.contains(b.ring);
        };
        if (!ok) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, actor + " may not change booking " + b.id);
        }
    }

    private void checkOpen(BookingState b) {
        if (b.status.terminal() || b.status == BookingStatus.STARTED || b.request != null) {
            throw new BrokerException(ErrorCode.BOOKING_CLOSED, "booking " + b.id + " is "
                    + (b.request != null && !b.status.terminal() ? "already under way as request " + b.request.id
                            : b.status.name().toLowerCase(java.util.Locale.ROOT)));
        }
    }

    private Reply reschedule(Command.Reschedule c) {
        BookingState b = bookingOf(c.bookingId());
        checkMayChange(c.actor(), b);
        checkOpen(b);
        String reason = Texts.check("reason", c.reason(), 500, true);
        ExpertState named = b.expertId == null ? null : experts.get(b.expertId);
        int room = checkSlot(b.ring, b.service, points.get(b.pointId), b.language, named, c.newStart(), b);
        emit(new DomainEvent.BookingRescheduled(now, b.id, b.start, b.end, c.newStart(),
                c.newStart().plus(b.service.slotLength()), room, c.actor().toString(), reason));
        tellBooking(b, "rescheduled");
        redispatch(b.ring);
        return new Reply.BookingView(b.view());
    }

    private Reply cancelBooking(Command.CancelBooking c) {
        BookingState b = bookingOf(c.bookingId());
        checkMayChange(c.actor(), b);
        if (b.status == BookingStatus.CANCELLED) {
            return Reply.Done.INSTANCE;
        }
        checkOpen(b);
        String reason = Texts.check("reason", c.reason(), 500, true);
        emit(new DomainEvent.BookingCancelled(now, b.id, c.actor().toString(), reason,
                Duration.between(now, b.start).toSeconds()));
        tellBooking(b, "cancelled");
        redispatch(b.ring);
        return Reply.Done.INSTANCE;
    }

    private Reply startBooking(Command.StartBooking c) {
        Advisor a = advisor(c.advisorId());
        BookingState b = bookingOf(c.bookingId());
        if (!a.pointId().equals(b.pointId)) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "booking " + b.id + " is at another service point");
        }
        if (b.request != null && b.status != BookingStatus.STARTED && !b.status.terminal()) {
            return queued(b.request);
        }
        if (b.status.terminal() || b.status == BookingStatus.STARTED) {
            throw new BrokerException(ErrorCode.BOOKING_CLOSED, "booking " + b.id + " is "
                    + b.status.name().toLowerCase(java.util.Locale.ROOT));
        }
        Instant earliest = b.start.minus(EARLIEST_START);
        if (now.isBefore(earliest)) {
            throw BrokerException.invalid("booking " + b.id + " can be started from " + localTime(earliest));
        }
        checkRequestCapacity(b.pointId);
        long id = nextRequestId;
        emit(new RequestQueued(now, id, CallKind.BOOKED, b.ring.id(), b.pointId, a.id(), b.service.topic(), b.language,
                false, b.note, Command.RequestCall.BOOKED_PRIORITY));
        emit(new DomainEvent.BookingStartRequested(now, b.id, id, Math.max(0, Duration.between(b.start, now).toSeconds())));
        RequestState r = requests.get(id);
        offerRequest(r);
        redispatch(b.ring);
        return queued(r);
    }

    private void completeBooking(CallState call) {
        BookingState b = call.request.booking;
        if (b == null || b.status != BookingStatus.STARTED) {
            return;
        }
        emit(new DomainEvent.BookingCompleted(now, b.id, call.id, Duration.between(call.startedAt, now).toSeconds(),
                Math.max(0, Duration.between(now, b.end).toSeconds())));
        tellBooking(b, "completed");
    }

    private void bookingGraceOver(long bookingId) {
        BookingState b = bookings.get(bookingId);
        if (b == null || !b.awaitingStart() || now.isBefore(b.start.plus(b.service.lateGrace()))) {
            return;
        }
        emit(new DomainEvent.BookingNoShow(now, b.id, b.startRequestedAt == null ? NoShowSide.POINT : NoShowSide.EXPERT));
        tellBooking(b, "no_show");
        redispatch(b.ring);
    }

    private Reply getBookings(Command.GetBookings c) {
        if (c.from() == null || c.to() == null || !c.from().isBefore(c.to())) {
            throw BrokerException.invalid("from and to are required, from before to");
        }
        if (Duration.between(c.from(), c.to()).toDays() > 400) {
            throw BrokerException.invalid("ask for at most 400 days at a time");
        }
        ExpertState expert = c.expertId() == null ? null : expert(c.expertId());
        List<Booking> out = new ArrayList<>();
        for (List<BookingState> list : bookingsByDay.subMap(day(c.from()), true, day(c.to()), true).values()) {
            for (BookingState b : list) {
                if (b.start.isBefore(c.from()) || !b.start.isBefore(c.to())) {
                    continue;
                }
                if (c.pointId() != null && !c.pointId().equals(b.pointId)) {
                    continue;
                }
                if (expert != null && !(expert.id.equals(b.expertId) || (b.expertId == null && expert.rings.contains(b.ring)))) {
                    continue;
                }
                out.add(b.view());
            }
        }
        out.sort((x, y) -> x.start().equals(y.start()) ? Long.compare(x.id(), y.id()) : x.start().compareTo(y.start()));
        return new Reply.Bookings(out);
    }

    /** Tells the advisor who booked and the expert named (or, pooled, the ring's experts). */
    private void tellBooking(BookingState b, String change) {
        Booking view = b.view();
        notify(new Notification.BookingChanged(Recipient.advisor(b.advisorId), view, change));
        if (b.expertId != null) {
            notify(new Notification.BookingChanged(Recipient.expert(b.expertId), view, change));
        } else {
            for (ExpertState e : b.ring.members) {
                notify(new Notification.BookingChanged(Recipient.expert(e.id), view, change));
            }
        }
    }

    // --- holds: experts kept free for bookings due soon

    /** How far ahead a booking holds an expert: an instant call now would last about this long. */
    private Duration holdAhead(RingState ring) {
        return ring.aht();
    }

    private boolean holding(BookingState b) {
        return b.awaitingStart() && !b.start.minus(holdAhead(b.ring)).isAfter(now)
                && !now.isAfter(b.start.plus(b.service.lateGrace()));
    }

    /** The expert has a named booking starting before an instant call taken now would end. */
    private boolean namedHeld(ExpertState e) {
        for (BookingState b : e.named) {
            if (b.start.minus(holdAhead(b.ring)).isAfter(now)) {
                return false;
            }
            if (holding(b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the ring must keep its free experts for pooled bookings due soon: true when no more of
     * its available experts (not held by name) are free than pooled bookings are due. {@code plus} is
     * an expert about to become available who is not in the available set yet, or null.
     */
    private boolean ringHolds(RingState ring, ExpertState plus) {
        if (ring.upcoming.isEmpty()) {
            return false;
        }
        int due = 0;
        for (BookingState b : ring.upcoming) {
            if (b.start.minus(holdAhead(ring)).isAfter(now)) {
                break;
            }
            if (b.expertId == null && holding(b)) {
                due++;
            }
        }
        if (due == 0) {
            return false;
        }
        int free = 0;
        for (ExpertState e : ring.available) {
            if (!namedHeld(e)) {
                free++;
            }
        }
        if (plus != null && !ring.available.contains(plus) && !namedHeld(plus)) {
            free++;
        }
        return free <= due;
    }

    /** A hold ended or moved: available experts of the ring may take waiting calls now. */
    private void redispatch(RingState ring) {
        for (ExpertState e : new ArrayList<>(ring.available)) {
            serveExpert(e);
        }
    }

    // ------------------------------------------------------------------ timers

    /** Fires every timer due at the clock's current time. */
    public void fireDueTimers() {
        now = now();
        TimerQueue.Timer t;
        while ((t = timers.pollDue(now)) != null) {
            switch (t.kind()) {
                case OFFER_TIMEOUT -> offerTimedOut(t);
                case WRAP_UP_END -> wrapUpOver(t);
                case LANGUAGE_ESCALATION -> escalateLanguage(t);
                case OVERFLOW -> overflow(t);
                case COOLDOWN_END -> {
                    RequestState r = requests.get(t.requestId());
                    if (r != null) {
                        offerRequest(r);
                    }
                }
                case QUEUE_PUBLISH -> {
                    RingState ring = rings.get(t.key());
                    if (ring != null) {
                        ring.queuePublishArmed = false;
                    }
                }
                case STATUS_PUBLISH -> {
                    RingState ring = rings.get(t.key());
                    if (ring != null) {
                        ring.statusPublishArmed = false;
                    }
                }
                case BOOKING_READY -> {
                    BookingState b = bookings.get(t.requestId());
                    if (b != null && b.awaitingStart()) {
                        tellBooking(b, "due");
                    }
                }
                case BOOKING_GRACE -> bookingGraceOver(t.requestId());
            }
        }
    }

    private void offerTimedOut(TimerQueue.Timer t) {
        RequestState r = requests.get(t.requestId());
        if (r == null || r.status != RequestState.Status.OFFERED || r.offerCount != t.token()) {
            return;
        }
        ExpertState e = r.offeredTo;
        RingConfig via = r.offerRing.config;
        int misses = e.consecutiveMisses + 1;
        Instant until = now.plus(via.declineCooldown());
        emit(new OfferTimedOut(now, r.id, e.id, via.id(), misses, until));
        boolean away = misses >= via.maxMissedOffers();
        Presence next = away ? Presence.AWAY : Presence.AVAILABLE;
        String why = away ? "missed " + misses + " offers in a row" : "offer timed out";
        emit(new PresenceChanged(now, e.id, Presence.OFFERED, next, why));
        notify(new Notification.OfferRevoked(e.id, r.id, Notification.RevokeReason.TIMED_OUT));
        if (away) {
            notify(new Notification.PresenceChanged(e.id, Presence.AWAY, why, null));
        }
        notify(new Notification.Ringing(r.advisorId, r.id, false));
        offerRequest(r);
        serveExpert(e);
    }

    private void wrapUpOver(TimerQueue.Timer t) {
        ExpertState e = experts.get(t.key());
        if (e == null || e.presence != Presence.WRAP_UP || e.wrapUpCallId != t.token()) {
            return;
        }
        endWrapUp(e, false, Presence.AVAILABLE, "wrap-up time over", true);
    }

    private void escalateLanguage(TimerQueue.Timer t) {
        RequestState r = requests.get(t.requestId());
        if (r == null || r.status == RequestState.Status.CONNECTED || r.languageEscalated || !r.fallbackConsent) {
            return;
        }
        RingConfig cfg = r.ring.config;
        if (cfg.languageEscalationAfter() == null) {
            return;
        }
        Instant due = r.queuedAt.plus(cfg.languageEscalationAfter());
        if (now.isBefore(due)) {
            r.escalationTimer = timers.add(due, TimerQueue.Kind.LANGUAGE_ESCALATION, r.id, null, 0);
            return;
        }
        Set<Language> wider = EnumSet.copyOf(r.acceptable);
        wider.addAll(cfg.fallbackLanguages());
        if (wider.equals(r.acceptable)) {
            return;
        }
        emit(new LanguageEscalated(now, r.id, r.ring.id(), wider));
        notify(new Notification.RequestEscalated(r.advisorId, r.id, Set.copyOf(wider), null));
        offerRequest(r);
    }

    private void overflow(TimerQueue.Timer t) {
        RequestState r = requests.get(t.requestId());
        if (r == null || r.status == RequestState.Status.CONNECTED || r.overflowed) {
            return;
        }
        RingConfig cfg = r.ring.config;
        if (cfg.overflowRingId() == null || !rings.containsKey(cfg.overflowRingId())) {
            return;
        }
        Instant due = r.queuedAt.plus(cfg.overflowAfter());
        if (now.isBefore(due)) {
            r.overflowTimer = timers.add(due, TimerQueue.Kind.OVERFLOW, r.id, null, 0);
            return;
        }
        emit(new RequestOverflowed(now, r.id, r.ring.id(), cfg.overflowRingId()));
        notify(new Notification.RequestEscalated(r.advisorId, r.id, Set.copyOf(r.acceptable), cfg.overflowRingId()));
        offerRequest(r);
    }

    private void armEscalationTimers(RequestState r) {
        RingConfig cfg = r.ring.config;
        timers.cancel(r.escalationTimer);
        timers.cancel(r.overflowTimer);
        r.escalationTimer = null;
        r.overflowTimer = null;
        if (r.fallbackConsent && cfg.languageEscalationAfter() != null && !r.languageEscalated) {
            r.escalationTimer = timers.add(r.queuedAt.plus(cfg.languageEscalationAfter()),
                    TimerQueue.Kind.LANGUAGE_ESCALATION, r.id, null, 0);
        }
        if (cfg.overflowRingId() != null && !r.overflowed) {
            r.overflowTimer = timers.add(r.queuedAt.plus(cfg.overflowAfter()), TimerQueue.Kind.OVERFLOW, r.id, null, 0);
        }
    }

    // ------------------------------------------------------------------ live updates

    /**
     * Publishes queue positions and estimated waits that changed, and ring figures for operators, for
     * rings whose state changed — each at most once per configured interval.
     */
    public void publishUpdates() {
        if (dirtyRings.isEmpty()) {
            return;
        }
        now = now();
        var it = dirtyRings.iterator();
        while (it.hasNext()) {
            RingState ring = it.next();
            if (ring.queueDirty) {
                Instant due = ring.lastQueuePublish.plus(config.queueUpdateInterval());
                if (!now.isBefore(due)) {
                    publishQueue(ring);
                } else if (!ring.queuePublishArmed) {
                    ring.queuePublishArmed = true;
                    timers.add(due, TimerQueue.Kind.QUEUE_PUBLISH, 0, ring.id(), 0);
                }
            }
            if (ring.statusDirty) {
                Instant due = ring.lastStatusPublish.plus(config.statusPublishInterval());
                if (!now.isBefore(due)) {
                    ring.statusDirty = false;
                    ring.lastStatusPublish = now;
                    notify(new Notification.RingStatusChanged(status(ring)));
                } else if (!ring.statusPublishArmed) {
                    ring.statusPublishArmed = true;
                    timers.add(due, TimerQueue.Kind.STATUS_PUBLISH, 0, ring.id(), 0);
                }
            }
            if (!ring.queueDirty && !ring.statusDirty) {
                it.remove();
            }
        }
    }

    private void publishQueue(RingState ring) {
        ring.queueDirty = false;
        ring.lastQueuePublish = now;
        int k = 0;
        for (RequestState r : ring.queue) {
            k++;
            if (r.ring != ring) {
                continue;
            }
            Duration eta = WaitEstimator.estimate(k, ring.staffed, ring.ahtSeconds);
            if (worthTelling(r, k, eta)) {
                r.publishedPosition = k;
                r.publishedEta = eta;
                r.publishedAt = now;
                notify(new Notification.QueueUpdate(r.advisorId, r.id, k, eta));
            }
        }
    }

    static final int EXACT_POSITIONS = 20;
    static final Duration REFRESH_FAR_POSITIONS = Duration.ofSeconds(30);

    /**
     * Near the head every move is told; further back, a move of 10 % or a 30-second-old figure is
     * (position 912 → 905 is not news). This keeps a queue of thousands from costing a message per
     * waiting customer every time the head is answered.
     */
    private boolean worthTelling(RequestState r, int position, Duration eta) {
        if (r.publishedPosition < 0) {
            return true;
        }
        if (position != r.publishedPosition) {
            if (position <= EXACT_POSITIONS || Math.abs(position - r.publishedPosition) * 10 >= r.publishedPosition
                    || !now.isBefore(r.publishedAt.plus(REFRESH_FAR_POSITIONS))) {
                return true;
            }
        }
        return etaChanged(r.publishedEta, eta);
    }

    /** Small wobbles of the estimate are not worth a message: 5 s or 10 %, whichever is more. */
    private static boolean etaChanged(Duration before, Duration after) {
        if (before == null || after == null) {
            return before != after;
        }
        long a = before.toSeconds();
        long b = after.toSeconds();
        return Math.abs(a - b) >= Math.max(5, Math.max(a, b) / 10);
    }

    private int positionOf(RequestState r) {
        RingState ring = r.ring;
        if (ring.queue.last() == r) {
            return ring.queue.size();
        }
        int k = 0;
        for (RequestState q : ring.queue) {
            k++;
            if (q == r) {
                return k;
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ queries

    private Reply ringStatuses(Command.GetRingStatus c) {
        List<RingStatus> out = new ArrayList<>();
        if (c.ringId() != null) {
            out.add(status(ring(c.ringId())));
        } else {
            for (RingState ring : rings.values()) {
                out.add(status(ring));
            }
        }
        return new Reply.RingStatuses(out);
    }

    private RingStatus status(RingState ring) {
        Map<Presence, Integer> byPresence = new EnumMap<>(Presence.class);
        for (Presence p : Presence.values()) {
            byPresence.put(p, 0);
        }
        for (ExpertState e : ring.members) {
            byPresence.merge(e.presence, 1, Integer::sum);
        }
        Instant oldest = ring.ownActive.isEmpty() ? null : ring.ownActive.first().queuedAt;
        ring.today(now);
        return new RingStatus(ring.id(), ring.config.name(), ring.config.authorityId(),
                ring.config.openingHours().isOpen(now), ring.ownWaiting,
                oldest == null ? Duration.ZERO : Duration.between(oldest, now),
                WaitEstimator.estimate(ring.queue.size() + 1, ring.staffed, ring.ahtSeconds),
                Collections.unmodifiableMap(byPresence), ring.ownRinging, ring.callsInProgress, ring.queuedToday,
                ring.answeredToday,
                ring.abandonedToday, ring.serviceLevel(), ring.config.serviceLevelThreshold(), ring.aht());
    }

    private Reply ringList() {
        List<RingSummary> out = new ArrayList<>();
        for (RingState ring : rings.values()) {
            RingConfig cfg = ring.config;
            boolean open = cfg.openingHours().isOpen(now);
            out.add(new RingSummary(ring.id(), cfg.name(), cfg.authorityId(), authorities.get(cfg.authorityId()).name(),
                    open, open ? null : cfg.openingHours().nextOpening(now).orElse(null), cfg.topics(), cfg.languages(),
                    ring.queue.size(), ring.staffed,
                    WaitEstimator.estimate(ring.queue.size() + 1, ring.staffed, ring.ahtSeconds)));
        }
        return new Reply.RingList(out);
    }

    private Reply expertStatus(Command.GetExpert c) {
        ExpertState e = expert(c.expertId());
        List<String> ringIds = new ArrayList<>();
        for (RingState r : e.rings) {
            ringIds.add(r.id());
        }
        return new Reply.ExpertStatus(e.id, e.profile.name(), e.presence, e.presenceSince,
                e.offer == null ? null : e.offer.id, e.call == null ? null : e.call.id,
                e.presence == Presence.WRAP_UP ? e.wrapUpUntil : null, ringIds);
    }

    private Reply requestStatus(Command.GetRequest c) {
        RequestState r = requests.get(c.requestId());
        if (r == null) {
            String ended = endedRequests.get(c.requestId());
            if (ended == null) {
                throw new BrokerException(ErrorCode.UNKNOWN_REQUEST, "no request " + c.requestId());
            }
            return new Reply.RequestStatus(c.requestId(), null, ended, null, null, null);
        }
        Integer position = null;
        Duration eta = null;
        if (r.status == RequestState.Status.WAITING) {
            position = positionOf(r);
            eta = WaitEstimator.estimate(position, r.ring.staffed, r.ring.ahtSeconds);
        }
        return new Reply.RequestStatus(r.id, r.ring.id(), r.stateName(), position, eta,
                r.status == RequestState.Status.CONNECTED ? r.callId : null);
    }

    private Reply advisorRequests(Command.GetAdvisorRequests c) {
        Advisor a = advisor(c.advisorId());
        List<RequestState> mine = new ArrayList<>();
        for (RequestState r : requests.values()) {
            if (r.advisorId.equals(a.id())) {
                mine.add(r);
            }
        }
        mine.sort((x, y) -> Long.compare(x.id, y.id));
        List<Reply.RequestStatus> out = new ArrayList<>();
        for (RequestState r : mine) {
            out.add((Reply.RequestStatus) requestStatus(new Command.GetRequest(r.id)));
        }
        return new Reply.Requests(out);
    }

    private Reply directory() {
        List<RingConfig> ringConfigs = new ArrayList<>();
        for (RingState r : rings.values()) {
            ringConfigs.add(r.config);
        }
        List<ExpertProfile> profiles = new ArrayList<>();
        for (ExpertState e : experts.values()) {
            profiles.add(e.profile);
        }
        return new Reply.Directory(List.copyOf(points.values()), List.copyOf(advisors.values()), profiles, ringConfigs,
                List.copyOf(services.values()));
    }

    private Reply endedOrUnknown(long requestId) {
        if (endedRequests.containsKey(requestId)) {
            return Reply.Done.INSTANCE;
        }
        throw new BrokerException(ErrorCode.UNKNOWN_REQUEST, "no request " + requestId);
    }

    private RingState ring(String id) {
        RingState r = id == null ? null : rings.get(id);
        if (r == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_RING, "no ring '" + id + "'");
        }
        return r;
    }

    private ExpertState expert(String id) {
        ExpertState e = id == null ? null : experts.get(id);
        if (e == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_EXPERT, "no expert '" + id + "'");
        }
        return e;
    }

    private Advisor advisor(String id) {
        Advisor a = id == null ? null : advisors.get(id);
        if (a == null) {
            throw new BrokerException(ErrorCode.UNKNOWN_ADVISOR, "no advisor '" + id + "'");
        }
        return a;
    }

    // ------------------------------------------------------------------ events

    private void emit(DomainEvent event) {
        apply(event);
        events.add(event);
        lastSeq++;
    }

    private void notify(Notification n) {
        notifications.add(n);
    }

    private void apply(DomainEvent event) {
        switch (event.type()) {
            case AUTHORITY_DEFINED -> applyAuthorityDefined((AuthorityDefined) event);
            case RING_CONFIGURED -> applyRingConfigured((RingConfigured) event);
            case POINT_DEFINED -> applyPointDefined((PointDefined) event);
            case ADVISOR_DEFINED -> applyAdvisorDefined((AdvisorDefined) event);
            case EXPERT_DEFINED -> applyExpertDefined((ExpertDefined) event);
            case REQUEST_QUEUED -> applyQueued((RequestQueued) event);
            case OFFER_MADE -> applyOfferMade((OfferMade) event);
            case OFFER_ACCEPTED -> applyOfferAccepted((OfferAccepted) event);
            case OFFER_DECLINED -> applyOfferDeclined((OfferDeclined) event);
            case OFFER_TIMED_OUT -> applyOfferTimedOut((OfferTimedOut) event);
            case OFFER_WITHDRAWN -> applyOfferWithdrawn((OfferWithdrawn) event);
            case CALL_STARTED -> applyCallStarted((CallStarted) event);
            case CALL_ENDED -> applyCallEnded((CallEnded) event);
            case WRAP_UP_ENDED -> applyWrapUpEnded((WrapUpEnded) event);
            case REQUEST_ABANDONED -> applyRequestAbandoned((RequestAbandoned) event);
            case LANGUAGE_ESCALATED -> applyLanguageEscalated((LanguageEscalated) event);
            case REQUEST_OVERFLOWED -> applyRequestOverflowed((RequestOverflowed) event);
            case PRESENCE_CHANGED -> applyPresence((PresenceChanged) event);
            case SERVICE_DEFINED -> {
                BookableService sv = ((DomainEvent.ServiceDefined) event).service();
                services.put(sv.id(), sv);
            }
            case BOOKING_CONFIRMED -> applyBookingConfirmed((DomainEvent.BookingConfirmed) event);
            case BOOKING_RESCHEDULED -> applyBookingRescheduled((DomainEvent.BookingRescheduled) event);
            case BOOKING_CANCELLED -> {
                DomainEvent.BookingCancelled e = (DomainEvent.BookingCancelled) event;
                BookingState b = bookingState(e.bookingId());
                b.status = BookingStatus.CANCELLED;
                b.cancelledBy = e.actor();
                b.reason = e.reason();
                releaseHold(b);
            }
            case BOOKING_START_REQUESTED -> {
                DomainEvent.BookingStartRequested e = (DomainEvent.BookingStartRequested) event;
                BookingState b = bookingState(e.bookingId());
                RequestState r = request(e.requestId());
                r.booking = b;
                b.request = r;
                b.startRequestedAt = e.at();
                b.advisorLateSeconds = e.advisorLateSeconds();
                unhold(b);
            }
            case BOOKING_STARTED -> {
                DomainEvent.BookingStarted e = (DomainEvent.BookingStarted) event;
                BookingState b = bookingState(e.bookingId());
                b.status = BookingStatus.STARTED;
                b.callId = e.callId();
                b.actualStart = e.at();
                b.expertLateSeconds = e.expertLateSeconds();
                timers.cancel(b.graceTimer);
            }
            case BOOKING_COMPLETED -> {
                DomainEvent.BookingCompleted e = (DomainEvent.BookingCompleted) event;
                BookingState b = bookingState(e.bookingId());
                b.status = BookingStatus.COMPLETED;
                b.actualEnd = e.at();
            }
            case BOOKING_NO_SHOW -> {
                DomainEvent.BookingNoShow e = (DomainEvent.BookingNoShow) event;
                BookingState b = bookingState(e.bookingId());
                b.status = BookingStatus.NO_SHOW;
                b.noShowSide = e.side();
                releaseHold(b);
            }
            case CALL_QUALITY_REPORTED -> { }
        }
    }

    private void applyBookingConfirmed(DomainEvent.BookingConfirmed e) {
        RingState ring = ringOf(e.ringId());
        BookableService sv = services.get(e.serviceId());
        if (sv == null) {
            throw new IllegalStateException("event refers to unknown service " + e.serviceId());
        }
        BookingState b = new BookingState(e.bookingId(), ring, sv, e.pointId(), e.room(), e.advisorId(), e.expertId(),
                e.language(), e.note(), e.slotStart(), e.slotEnd());
        if (bookings.putIfAbsent(b.id, b) != null) {
            throw new IllegalStateException("booking " + b.id + " confirmed twice");
        }
        nextBookingId = Math.max(nextBookingId, b.id + 1);
        place(b);
        forgetOldBookings(e.at());
    }

    private void applyBookingRescheduled(DomainEvent.BookingRescheduled e) {
        BookingState b = bookingState(e.bookingId());
        unplace(b);
        b.start = e.toStart();
        b.end = e.toEnd();
        b.room = e.room();
        b.status = BookingStatus.RESCHEDULED;
        b.reason = e.reason();
        place(b);
    }

    /** Files the booking under its day and, while it waits to start, under the holds; arms its timers. */
    private void place(BookingState b) {
        bookingsByDay.computeIfAbsent(day(b.start), d -> new ArrayList<>()).add(b);
        b.ring.upcoming.add(b);
        if (b.expertId != null) {
            expertOf(b.expertId).named.add(b);
        }
        b.readyTimer = timers.add(b.start.minus(READY_BEFORE), TimerQueue.Kind.BOOKING_READY, b.id, null, 0);
        b.graceTimer = timers.add(b.start.plus(b.service.lateGrace()), TimerQueue.Kind.BOOKING_GRACE, b.id, null, 0);
    }

    private void unplace(BookingState b) {
        List<BookingState> list = bookingsByDay.get(day(b.start));
        if (list != null) {
            list.remove(b);
        }
        releaseHold(b);
    }

    private void unhold(BookingState b) {
        b.ring.upcoming.remove(b);
        if (b.expertId != null) {
            ExpertState x = experts.get(b.expertId);
            if (x != null) {
                x.named.remove(b);
            }
        }
    }

    private void releaseHold(BookingState b) {
        unhold(b);
        timers.cancel(b.readyTimer);
        timers.cancel(b.graceTimer);
    }

    /** Ended bookings of days long past leave memory; the journal keeps them. */
    private void forgetOldBookings(Instant at) {
        LocalDate cutoff = day(at).minusDays(KEEP_BOOKING_DAYS);
        while (!bookingsByDay.isEmpty() && bookingsByDay.firstKey().isBefore(cutoff)) {
            for (BookingState b : bookingsByDay.pollFirstEntry().getValue()) {
                if (b.status.terminal()) {
                    bookings.remove(b.id);
                } else {
                    bookingsByDay.computeIfAbsent(cutoff, d -> new ArrayList<>()).add(b);
                }
            }
        }
    }

    private BookingState bookingState(long id) {
        BookingState b = bookings.get(id);
        if (b == null) {
            throw new IllegalStateException("event refers to unknown booking " + id);
        }
        return b;
    }

    private void applyAuthorityDefined(AuthorityDefined e) {
        Authority a = e.authority();
        authorities.put(a.id(), a);
    }

    private void applyRingConfigured(RingConfigured e) {
        RingConfig cfg = e.ring();
        RingState ring = rings.get(cfg.id());
        if (ring == null) {
            rings.put(cfg.id(), new RingState(cfg));
        } else {
            ring.config = cfg;
            ring.touch();
            dirtyRings.add(ring);
        }
    }

    private void applyPointDefined(PointDefined e) {
        ServicePoint p = e.point();
        points.put(p.id(), p);
    }

    private void applyAdvisorDefined(AdvisorDefined e) {
        Advisor a = e.advisor();
        advisors.put(a.id(), a);
    }

    private void applyOfferMade(OfferMade e) {
        RequestState r = request(e.requestId());
        ExpertState x = expertOf(e.expertId());
        leaveQueues(r);
        r.status = RequestState.Status.OFFERED;
        r.ring.ownWaiting--;
        r.ring.ownRinging++;
        r.offeredTo = x;
        r.offerRing = ringOf(e.ringId());
        r.offerExpiresAt = e.expiresAt();
        r.offerCount++;
        x.offer = r;
        r.offerTimer = timers.add(e.expiresAt(), TimerQueue.Kind.OFFER_TIMEOUT, r.id, null, r.offerCount);
    }

    private void applyOfferAccepted(OfferAccepted e) {
        RequestState r = request(e.requestId());
        ExpertState x = expertOf(e.expertId());
        r.status = RequestState.Status.CONNECTED;
        timers.cancel(r.offerTimer);
        timers.cancel(r.escalationTimer);
        timers.cancel(r.overflowTimer);
        r.ring.ownRinging--;
        r.ring.ownActive.remove(r);
        x.offer = null;
        x.consecutiveMisses = 0;
        RingState home = r.ring.today(e.at());
        home.answeredToday++;
        if (Duration.between(r.queuedAt, e.at()).compareTo(home.config.serviceLevelThreshold()) <= 0) {
            home.answeredWithinToday++;
        }
        home.statusDirty = true;
        dirtyRings.add(home);
    }

    private void applyOfferDeclined(OfferDeclined e) {
        RequestState r = backToQueue(e.requestId(), e.expertId());
        r.coolDown(e.expertId(), e.cooldownUntil());
        timers.add(e.cooldownUntil(), TimerQueue.Kind.COOLDOWN_END, r.id, null, 0);
    }

    private void applyOfferTimedOut(OfferTimedOut e) {
        RequestState r = backToQueue(e.requestId(), e.expertId());
        expertOf(e.expertId()).consecutiveMisses = e.consecutiveMisses();
        r.coolDown(e.expertId(), e.cooldownUntil());
        timers.add(e.cooldownUntil(), TimerQueue.Kind.COOLDOWN_END, r.id, null, 0);
    }

    private void applyOfferWithdrawn(OfferWithdrawn e) {
        backToQueue(e.requestId(), e.expertId());
    }

    private void applyCallStarted(CallStarted e) {
        RequestState r = request(e.requestId());
        ExpertState x = expertOf(e.expertId());
        CallState call = new CallState(e.callId(), r, x, ringOf(e.ringId()), e.at());
        calls.put(call.id, call);
        call.ring.callsInProgress++;
        r.callId = call.id;
        x.call = call;
        x.lastCallStartedAt = e.at();
        nextCallId = Math.max(nextCallId, e.callId() + 1);
    }

    private void applyCallEnded(CallEnded e) {
        CallState call = calls.remove(e.callId());
        if (call == null) {
            throw new IllegalStateException("call " + e.callId() + " ended but was not in progress");
        }
        call.ring.callsInProgress--;
        ExpertState x = call.expert;
        x.call = null;
        x.wrapUpCallId = call.id;
        x.wrapUpRing = call.ring;
        x.wrapUpUntil = e.wrapUpUntil();
        endedCalls.put(call.id, Boolean.TRUE);
        retire(call.request, "COMPLETED");
        if (e.wrapUpUntil() != null && e.wrapUpUntil().isAfter(e.at())) {
            x.wrapUpTimer = timers.add(e.wrapUpUntil(), TimerQueue.Kind.WRAP_UP_END, 0, x.id, call.id);
        }
    }

    private void applyWrapUpEnded(WrapUpEnded e) {
        ExpertState x = expertOf(e.expertId());
        RingState ring = ringOf(e.ringId());
        if (x.lastCallStartedAt != null) {
            double handle = Duration.between(x.lastCallStartedAt, e.at()).toMillis() / 1000.0;
            ring.ahtSeconds = WaitEstimator.update(ring.ahtSeconds, handle);
            ring.touch();
            dirtyRings.add(ring);
        }
        x.wrapUpUntil = null;
        timers.cancel(x.wrapUpTimer);
        x.wrapUpTimer = null;
    }

    private void applyRequestAbandoned(RequestAbandoned e) {
        RequestState r = request(e.requestId());
        leaveQueues(r);
        if (r.status != RequestState.Status.WAITING) {
            throw new IllegalStateException("request " + r.id + " abandoned while " + r.status);
        }
        r.ring.ownWaiting--;
        r.ring.ownActive.remove(r);
        if (r.booking != null && r.booking.request == r) {
            // The point gave up this attempt; the booking waits to be started again, holding its expert.
            BookingState b = r.booking;
            b.request = null;
            if (b.awaitingStart()) {
                b.ring.upcoming.add(b);
                if (b.expertId != null) {
                    expertOf(b.expertId).named.add(b);
                }
            }
        }
        RingState home = r.ring.today(e.at());
        home.abandonedToday++;
        if (Duration.between(r.queuedAt, e.at()).compareTo(config.shortAbandonGrace()) >= 0) {
            home.abandonedAfterGraceToday++;
        }
        retire(r, "ABANDONED");
    }

    private void applyLanguageEscalated(LanguageEscalated e) {
        RequestState r = request(e.requestId());
        r.acceptable = EnumSet.copyOf(e.languages());
        r.languageEscalated = true;
    }

    private void applyRequestOverflowed(RequestOverflowed e) {
        RequestState r = request(e.requestId());
        RingState to = ringOf(e.toRingId());
        r.overflowed = true;
        if (!r.targets.contains(to)) {
            r.targets.add(to);
            if (r.status == RequestState.Status.WAITING) {
                to.queue.add(r);
                to.touch();
                dirtyRings.add(to);
            }
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
                ring.available.remove(x);
                if (x.presence.staffed()) {
                    ring.staffed--;
                }
                ring.touch();
                dirtyRings.add(ring);
            }
            x.rings.clear();
            x.profile = p;
        }
        for (String id : p.rings()) {
            RingState ring = ringOf(id);
            x.rings.add(ring);
            ring.members.add(x);
            if (x.presence == Presence.AVAILABLE) {
                ring.available.add(x);
            }
            if (x.presence.staffed()) {
                ring.staffed++;
            }
            ring.touch();
            dirtyRings.add(ring);
        }
    }

    private void applyQueued(RequestQueued e) {
        RingState ring = ringOf(e.ringId());
        RequestState r = new RequestState(e.requestId(), e.kind(), ring, e.pointId(), e.advisorId(), e.topic(),
                e.language(), e.languageFallbackConsent(), e.triageNote(), e.priority(), e.at());
        if (requests.putIfAbsent(r.id, r) != null) {
            throw new IllegalStateException("request " + r.id + " queued twice");
        }
        activePerPoint.merge(r.pointId, 1, Integer::sum);
        nextRequestId = Math.max(nextRequestId, r.id + 1);
        ring.queue.add(r);
        ring.ownActive.add(r);
        ring.ownWaiting++;
        ring.today(e.at()).queuedToday++;
        ring.touch();
        dirtyRings.add(ring);
        armEscalationTimers(r);
    }

    private void applyPresence(PresenceChanged e) {
        ExpertState x = expertOf(e.expertId());
        if (x.presence != e.from()) {
            throw new IllegalStateException("expert " + x.id + " is " + x.presence + ", event says " + e.from());
        }
        if (!e.from().canBecome(e.to())) {
            throw new IllegalStateException("illegal presence transition " + e.from() + " → " + e.to() + " of " + x.id);
        }
        if (e.from() == Presence.AVAILABLE) {
            for (RingState ring : x.rings) {
                ring.available.remove(x);
            }
        }
        x.presence = e.to();
        x.presenceSince = e.at();
        if (e.to() == Presence.AVAILABLE) {
            if (e.from() != Presence.OFFERED) {
                // Declining or missing an offer does not reset how long the expert has been idle.
                x.idleSince = e.at();
            }
            if (e.from() == Presence.OFFLINE || e.from() == Presence.AWAY) {
                x.consecutiveMisses = 0;
            }
            for (RingState ring : x.rings) {
                ring.available.add(x);
            }
        }
        int delta = (e.to().staffed() ? 1 : 0) - (e.from().staffed() ? 1 : 0);
        for (RingState ring : x.rings) {
            ring.staffed += delta;
            ring.touch();
            dirtyRings.add(ring);
        }
    }

    private RequestState backToQueue(long requestId, String expertId) {
        RequestState r = request(requestId);
        ExpertState x = expertOf(expertId);
        if (r.offeredTo != x) {
            throw new IllegalStateException("request " + requestId + " was not offered to " + expertId);
        }
        x.offer = null;
        timers.cancel(r.offerTimer);
        r.offeredTo = null;
        r.offerRing = null;
        r.offerExpiresAt = null;
        r.status = RequestState.Status.WAITING;
        r.ring.ownRinging--;
        r.ring.ownWaiting++;
        for (RingState ring : r.targets) {
            ring.queue.add(r);
            ring.touch();
            dirtyRings.add(ring);
        }
        r.publishedPosition = -1;
        return r;
    }

    private void leaveQueues(RequestState r) {
        for (RingState ring : r.targets) {
            if (ring.queue.remove(r)) {
                ring.touch();
                dirtyRings.add(ring);
            }
        }
    }

    private void retire(RequestState r, String state) {
        requests.remove(r.id);
        timers.cancel(r.offerTimer);
        timers.cancel(r.escalationTimer);
        timers.cancel(r.overflowTimer);
        activePerPoint.computeIfPresent(r.pointId, (k, v) -> v > 1 ? v - 1 : null);
        endedRequests.put(r.id, state);
        r.ring.statusDirty = true;
        dirtyRings.add(r.ring);
    }

    private RequestState request(long id) {
        RequestState r = requests.get(id);
        if (r == null) {
            throw new IllegalStateException("event refers to request " + id + ", which is not active");
        }
        return r;
    }

    private ExpertState expertOf(String id) {
        ExpertState x = experts.get(id);
        if (x == null) {
            throw new IllegalStateException("event refers to unknown expert " + id);
        }
        return x;
    }

    private RingState ringOf(String id) {
        RingState r = rings.get(id);
        if (r == null) {
            throw new IllegalStateException("event refers to unknown ring " + id);
        }
        return r;
    }
}
