package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.Actor;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Recipient;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.DomainEvent.BookingCancelled;
import fi.palvelurinki.broker.journal.DomainEvent.BookingCompleted;
import fi.palvelurinki.broker.journal.DomainEvent.BookingConfirmed;
import fi.palvelurinki.broker.journal.DomainEvent.BookingNoShow;
import fi.palvelurinki.broker.journal.DomainEvent.BookingRescheduled;
import fi.palvelurinki.broker.journal.DomainEvent.BookingStartRequested;
import fi.palvelurinki.broker.journal.DomainEvent.BookingStarted;
import fi.palvelurinki.broker.journal.DomainEvent.RequestAbandoned;
import fi.palvelurinki.broker.journal.DomainEvent.ServiceDefined;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.Texts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Bookings and the capacity they hold: bookable services, booking, rescheduling and cancelling a slot,
 * the point starting the booked call, lateness on both sides, no-shows, and the end of a booked call.
 * Slots are {@link BookingSlots}'; the holds on experts are {@link BookingHolds}', this part's
 * {@link OfferGate}. Every rule about bookings lives in these three classes.
 */
final class BookingsPart implements EnginePart, Lifecycle {
    /** The point is told a booked call is ready to start this long before its slot. */
    static final Duration READY_BEFORE = Duration.ofMinutes(5);
    /** The point may start a booked call this long before its slot. */
    static final Duration EARLIEST_START = Duration.ofMinutes(15);
    /** Ended bookings are kept in memory this long after their day (the journal keeps them for good). */
    static final int KEEP_BOOKING_DAYS = 31;

    private final EngineContext cx;
    private final DirectoryPart directory;
    private final BookingHolds holds;
    private final BookingSlots slots;
    private final Map<String, BookableService> services = new LinkedHashMap<>();
    private final Map<Long, BookingState> bookings = new HashMap<>();
    private final TreeMap<LocalDate, List<BookingState>> byDay = new TreeMap<>();
    private final TimerQueue.Handler readyTimer = this::ready;
    private final TimerQueue.Handler graceTimer = this::graceOver;
    private long nextBookingId = 1;
    private QueuePart queues;
    private Routing routing;
    private InterpretersPart interpreters;

    BookingsPart(EngineContext cx, DirectoryPart directory) {
        this.cx = cx;
        this.directory = directory;
        this.holds = new BookingHolds(cx);
        this.slots = new BookingSlots(cx, byDay);
    }

    void connect(QueuePart queues, Routing routing, InterpretersPart interpreters) {
        this.queues = queues;
        this.routing = routing;
        this.interpreters = interpreters;
    }

    OfferGate gate() {
        return holds;
    }

    Collection<BookableService> services() {
        return services.values();
    }

    @Override
    public void register(Wiring w) {
        w.command(Command.DefineService.class, this::defineService);
        w.command(Command.FindSlots.class, this::findSlots);
        w.command(Command.Book.class, this::book);
        w.command(Command.Reschedule.class, this::reschedule);
        w.command(Command.CancelBooking.class, this::cancelBooking);
        w.command(Command.StartBooking.class, this::startBooking);
        w.command(Command.CustomerJoin.class, this::customerJoin);
        w.command(Command.ReportDeviceCheck.class, this::deviceCheck);
        w.command(Command.GetBookings.class, this::getBookings);
        w.command(Command.GetBooking.class, c -> new Reply.BookingView(bookingOf(c.bookingId()).view()));
        w.event(DomainEvent.Type.SERVICE_DEFINED, ServiceDefined.class, e -> services.put(e.service().id(), e.service()));
        w.event(DomainEvent.Type.BOOKING_CONFIRMED, BookingConfirmed.class, this::applyConfirmed);
        w.event(DomainEvent.Type.INTERPRETER_BOOKED, DomainEvent.InterpreterBooked.class,
                e -> bookingState(e.bookingId()).interpreter = e.language());
        w.event(DomainEvent.Type.BOOKING_RESCHEDULED, BookingRescheduled.class, this::applyRescheduled);
        w.event(DomainEvent.Type.BOOKING_CANCELLED, BookingCancelled.class, e -> {
            BookingState b = bookingState(e.bookingId());
            b.status = BookingStatus.CANCELLED;
            b.cancelledBy = e.actor();
            b.reason = e.reason();
            release(b);
        });
        w.event(DomainEvent.Type.BOOKING_START_REQUESTED, BookingStartRequested.class, e -> {
            BookingState b = bookingState(e.bookingId());
            RequestState r = queues.requestOf(e.requestId());
            holds.attempt(b, r.id);
            b.request = r;
            b.startRequestedAt = e.at();
            b.advisorLateSeconds = e.advisorLateSeconds();
            holds.unhold(b);
        });
        w.event(DomainEvent.Type.BOOKING_STARTED, BookingStarted.class, e -> {
            BookingState b = bookingState(e.bookingId());
            b.status = BookingStatus.STARTED;
            b.callId = e.callId();
            b.actualStart = e.at();
            b.expertLateSeconds = e.expertLateSeconds();
            cx.cancel(b.graceTimer);
        });
        w.event(DomainEvent.Type.BOOKING_COMPLETED, BookingCompleted.class, e -> {
            BookingState b = bookingState(e.bookingId());
            b.status = BookingStatus.COMPLETED;
            b.actualEnd = e.at();
            holds.ended(b);
        });
        w.event(DomainEvent.Type.BOOKING_NO_SHOW, BookingNoShow.class, e -> {
            BookingState b = bookingState(e.bookingId());
            b.status = BookingStatus.NO_SHOW;
            b.noShowSide = e.side();
            release(b);
        });
        w.event(DomainEvent.Type.REQUEST_ABANDONED, RequestAbandoned.class, this::applyRequestAbandoned);
        w.event(DomainEvent.Type.BOOKING_FROM_HOME, DomainEvent.BookingFromHome.class,
                e -> bookingState(e.bookingId()).fromHome = true);
        w.event(DomainEvent.Type.CUSTOMER_JOINED, DomainEvent.CustomerJoined.class,
                e -> bookingState(e.bookingId()).customerJoinedAt = e.at());
        // Kept for the report: no state depends on a failed device check.
        w.event(DomainEvent.Type.DEVICE_CHECK_FAILED, DomainEvent.DeviceCheckFailed.class, e -> { });
    }

    // ------------------------------------------------------------------ commands

    private Reply defineService(Command.DefineService c) {
        BookableService sv = Objects.requireNonNull(c.service(), "service");
        String actor = Texts.check("actor", c.actor(), 100, true);
        RingState ring = directory.ring(sv.ringId());
        if (!ring.config.servesTopic(sv.topic())) {
            throw new BrokerException(ErrorCode.TOPIC_NOT_OFFERED, "ring " + ring.id() + " does not serve topic '"
                    + sv.topic() + "'");
        }
        BookableService existing = services.get(sv.id());
        if (existing != null && !existing.ringId().equals(sv.ringId())) {
            throw BrokerException.invalid("service " + sv.id() + " belongs to ring " + existing.ringId());
        }
        if (!sv.equals(existing)) {
            cx.emit(new ServiceDefined(cx.now, sv, actor));
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

    private static Language language(RingState ring, Language language) {
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
        ExpertState e = directory.expert(expertId);
        if (!e.rings.contains(ring) || !e.profile.handlesTopic(sv.topic())
                || !e.profile.languages().contains(language)) {
            throw BrokerException.invalid("expert " + expertId + " does not serve " + sv.name() + " in "
                    + language.code() + " in ring " + ring.id());
        }
        return e;
    }

    private Reply findSlots(Command.FindSlots c) {
        RingState ring = directory.ring(c.ringId());
        BookableService sv = service(ring, c.serviceId());
        ServicePoint p = directory.point(c.pointId());
        Language language = language(ring, c.language());
        ExpertState named = namedExpert(ring, sv, language, c.expertId());
        if (c.date() == null) {
            throw BrokerException.invalid("date is required");
        }
        return new Reply.Slots(slots.free(ring, sv, c.date(), language, named, p));
    }

    private Reply book(Command.Book c) {
        Advisor a = directory.advisor(c.advisorId());
        RingState ring = directory.ring(c.ringId());
        BookableService sv = service(ring, c.serviceId());
        Language language = language(ring, c.language());
        ExpertState named = namedExpert(ring, sv, language, c.expertId());
        String note = Texts.check("note", c.note(), QueuePart.MAX_TRIAGE_NOTE, false);
        String interpreter = c.interpreter() == null ? null : interpreters.checkInterpreting(c.interpreter(), language);
        ServicePoint p = directory.findPoint(a.pointId());
        int room = slots.check(ring, sv, p, language, named, c.start(), null);
        if (interpreter != null) {
            checkInterpreterFree(interpreter, language, c.start(), c.start().plus(sv.slotLength()), null);
        }
        long id = nextBookingId;
        cx.emit(new BookingConfirmed(cx.now, id, ring.id(), sv.id(), p.id(), room, a.id(),
                named == null ? null : named.id, language, note, c.start(), c.start().plus(sv.slotLength())));
        if (interpreter != null) {
            cx.emit(new DomainEvent.InterpreterBooked(cx.now, id, interpreter));
        }
        if (c.fromHome()) {
            cx.emit(new DomainEvent.BookingFromHome(cx.now, id));
        }
        BookingState b = bookings.get(id);
        tell(b, "confirmed");
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
            case ADVISOR -> directory.findAdvisor(actor.id()) != null
                    && directory.findAdvisor(actor.id()).pointId().equals(b.pointId);
            case EXPERT -> b.expertId != null ? b.expertId.equals(actor.id())
                    : directory.findExpert(actor.id()) != null && directory.findExpert(actor.id()).rings.contains(b.ring);
        };
        if (!ok) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, actor + " may not change booking " + b.id);
        }
    }

    private static void checkOpen(BookingState b) {
        if (b.status.terminal() || b.status == BookingStatus.STARTED || b.request != null) {
            throw new BrokerException(ErrorCode.BOOKING_CLOSED, "booking " + b.id + " is "
                    + (b.request != null && !b.status.terminal() ? "already under way as request " + b.request.id
                            : b.status.name().toLowerCase(Locale.ROOT)));
        }
    }

    private Reply reschedule(Command.Reschedule c) {
        BookingState b = bookingOf(c.bookingId());
        checkMayChange(c.actor(), b);
        checkOpen(b);
        String reason = Texts.check("reason", c.reason(), 500, true);
        ExpertState named = b.expertId == null ? null : directory.findExpert(b.expertId);
        int room = slots.check(b.ring, b.service, directory.findPoint(b.pointId), b.language, named, c.newStart(), b);
        if (b.interpreter != null) {
            checkInterpreterFree(b.interpreter, b.language, c.newStart(), c.newStart().plus(b.service.slotLength()), b);
        }
        cx.emit(new BookingRescheduled(cx.now, b.id, b.start, b.end, c.newStart(),
                c.newStart().plus(b.service.slotLength()), room, c.actor().toString(), reason));
        tell(b, "rescheduled");
        routing.redispatch(b.ring);
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
        cx.emit(new BookingCancelled(cx.now, b.id, c.actor().toString(), reason,
                Duration.between(cx.now, b.start).toSeconds()));
        tell(b, "cancelled");
        routing.redispatch(b.ring);
        return Reply.Done.INSTANCE;
    }

    /** The point starts the booked call: a request of kind BOOKED, with priority over instant calls. */
    private Reply startBooking(Command.StartBooking c) {
        Advisor a = directory.advisor(c.advisorId());
        BookingState b = bookingOf(c.bookingId());
        if (!a.pointId().equals(b.pointId)) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "booking " + b.id + " is at another service point");
        }
        if (b.fromHome) {
            throw new BrokerException(ErrorCode.NOT_A_PARTY, "booking " + b.id + " is from home: the customer starts it"
                    + " with their link");
        }
        return start(b, a.id());
    }

    /**
     * The customer of a home booking comes into the waiting room: the booked call is routed as when a point
     * starts it, with the customer in the point's place. Joining again (another device, a reload) answers
     * the same request.
     */
    private Reply customerJoin(Command.CustomerJoin c) {
        BookingState b = homeBooking(c.bookingId(), c.version());
        Reply r = start(b, Booking.customerId(b.id));
        if (b.customerJoinedAt == null) {
            cx.emit(new DomainEvent.CustomerJoined(cx.now, b.id, Math.max(0, Duration.between(b.start, cx.now).toSeconds())));
        }
        tell(b, "customer_waiting");
        return r;
    }

    private Reply deviceCheck(Command.ReportDeviceCheck c) {
        BookingState b = homeBooking(c.bookingId(), c.version());
        String problem = Texts.check("problem", c.problem(), 40, true);
        if (!Set.of("camera_denied", "no_camera", "microphone_denied", "no_microphone").contains(problem)) {
            throw BrokerException.invalid("problem must be camera_denied, no_camera, microphone_denied or no_microphone");
        }
        cx.emit(new DomainEvent.DeviceCheckFailed(cx.now, b.id, problem));
        return Reply.Done.INSTANCE;
    }

    /** A home booking whose link of {@code version} still stands (a moved booking has a new link). */
    private BookingState homeBooking(long id, int version) {
        BookingState b = bookings.get(id);
        if (b == null || !b.fromHome) {
            throw new BrokerException(ErrorCode.UNKNOWN_BOOKING, "no booking from home " + id);
        }
        if (b.version != version) {
            throw new BrokerException(ErrorCode.BOOKING_CLOSED, "booking " + id + " was moved; its link was replaced");
        }
        return b;
    }

    private Reply start(BookingState b, String partyId) {
        if (b.request != null && b.status != BookingStatus.STARTED && !b.status.terminal()) {
            return queues.queued(b.request);
        }
        if (b.status.terminal() || b.status == BookingStatus.STARTED) {
            throw new BrokerException(ErrorCode.BOOKING_CLOSED, "booking " + b.id + " is "
                    + b.status.name().toLowerCase(Locale.ROOT));
        }
        Instant earliest = b.start.minus(EARLIEST_START);
        if (cx.now.isBefore(earliest)) {
            throw BrokerException.invalid("booking " + b.id + " can be started from " + BookingSlots.localTime(earliest));
        }
        queues.checkCapacity(b.pointId);
        RequestState r = queues.queue(CallKind.BOOKED, b.ring, b.pointId, partyId, b.service.topic(), b.language, false,
                b.note, Command.RequestCall.BOOKED_PRIORITY);
        cx.emit(new BookingStartRequested(cx.now, b.id, r.id, Math.max(0, Duration.between(b.start, cx.now).toSeconds())));
        if (b.interpreter != null) {
            interpreters.needFor(r, b.interpreter);
        }
        routing.offerRequest(r);
        routing.redispatch(b.ring);
        return queues.queued(r);
    }

    private Reply getBookings(Command.GetBookings c) {
        if (c.from() == null || c.to() == null || !c.from().isBefore(c.to())) {
            throw BrokerException.invalid("from and to are required, from before to");
        }
        if (Duration.between(c.from(), c.to()).toDays() > 400) {
            throw BrokerException.invalid("ask for at most 400 days at a time");
        }
        ExpertState expert = c.expertId() == null ? null : directory.expert(c.expertId());
        List<Booking> out = new ArrayList<>();
        for (List<BookingState> list : byDay.subMap(BookingSlots.day(c.from()), true, BookingSlots.day(c.to()), true).values()) {
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
    private void tell(BookingState b, String change) {
        Booking view = b.view();
        cx.notify(new Notification.BookingChanged(Recipient.advisor(b.advisorId), view, change));
        if (b.expertId != null) {
            cx.notify(new Notification.BookingChanged(Recipient.expert(b.expertId), view, change));
        } else {
            for (ExpertState e : b.ring.members) {
                cx.notify(new Notification.BookingChanged(Recipient.expert(e.id), view, change));
            }
        }
    }

    // ------------------------------------------------------------------ turning points of its calls

    /** Lateness is recorded on both sides: the expert's is from the later of the slot start and the point being ready. */
    @Override
    public void callStarted(CallState call) {
        BookingState b = holds.attemptOf(call.request.id);
        if (b == null) {
            return;
        }
        Instant ready = b.startRequestedAt.isAfter(b.start) ? b.startRequestedAt : b.start;
        cx.emit(new BookingStarted(cx.now, b.id, call.id, call.expert.id,
                Math.max(0, Duration.between(ready, cx.now).toSeconds())));
        tell(b, "started");
    }

    /** A call that ends early frees the expert at once; how much earlier than the slot's end is recorded. */
    @Override
    public void callEnded(CallState call) {
        BookingState b = holds.attemptOf(call.request.id);
        if (b == null || b.status != BookingStatus.STARTED) {
            return;
        }
        cx.emit(new BookingCompleted(cx.now, b.id, call.id, Duration.between(call.startedAt, cx.now).toSeconds(),
                Math.max(0, Duration.between(cx.now, b.end).toSeconds())));
        tell(b, "completed");
    }

    /** The customer waited past the grace period and gave up: the expert's side was absent. */
    @Override
    public void requestAbandoned(RequestState r, AbandonReason reason) {
        BookingState b = holds.attemptOf(r.id);
        if (b != null && !cx.now.isBefore(b.start.plus(b.service.lateGrace()))) {
            cx.emit(new BookingNoShow(cx.now, b.id, NoShowSide.EXPERT));
            tell(b, "no_show");
        }
    }

    // ------------------------------------------------------------------ timers

    private void ready(TimerQueue.Timer t) {
        BookingState b = bookings.get(t.id());
        if (b != null && b.awaitingStart()) {
            tell(b, "due");
        }
    }

    /**
     * Not started within the grace: a no-show of the point (of the customer, from home); started but not
     * answered: of the expert.
     */
    private void graceOver(TimerQueue.Timer t) {
        BookingState b = bookings.get(t.id());
        if (b == null || !b.awaitingStart() || cx.now.isBefore(b.start.plus(b.service.lateGrace()))) {
            return;
        }
        NoShowSide absent = b.startRequestedAt != null ? NoShowSide.EXPERT : b.fromHome ? NoShowSide.CUSTOMER : NoShowSide.POINT;
        cx.emit(new BookingNoShow(cx.now, b.id, absent));
        tell(b, "no_show");
        routing.redispatch(b.ring);
        if (b.interpreter != null) {
            interpreters.redispatch();
        }
    }

    /**
     * An interpreter booked with a slot is one of the language's interpreters for that time: refused when as
     * many bookings with an interpreter of it overlap the slot as there are interpreters of it.
     */
    private void checkInterpreterFree(String language, Language service, Instant from, Instant to, BookingState moving) {
        int available = interpreters.interpretersFor(language, service);
        int booked = 0;
        for (LocalDate d = BookingSlots.day(from); !d.isAfter(BookingSlots.day(to)); d = d.plusDays(1)) {
            for (BookingState b : byDay.getOrDefault(d, List.of())) {
                if (b != moving && language.equals(b.interpreter) && !b.status.terminal() && b.start.isBefore(to)
                        && from.isBefore(b.end)) {
                    booked++;
                }
            }
        }
        if (booked >= available) {
            throw new BrokerException(ErrorCode.SLOT_TAKEN, "no interpreter for " + service.code() + "–" + language
                    + " is free then: " + available + " interpret it, " + booked + " of them booked at that time");
        }
    }

    /**
     * Bookings with an interpreter of {@code language} waiting to be started and due now: from the ring's handle
     * time before their start (an interpreter taken now would not be free in time) until their late grace is
     * over. While they are, as many of the language's available interpreters are kept from other needs.
     */
    int interpretersHeld(String language) {
        List<BookingState> today = byDay.get(BookingSlots.day(cx.now));
        if (today == null) {
            return 0;
        }
        int held = 0;
        for (BookingState b : today) {
            if (language.equals(b.interpreter) && b.awaitingStart() && !b.start.minus(b.ring.aht()).isAfter(cx.now)
                    && !cx.now.isAfter(b.start.plus(b.service.lateGrace()))) {
                held++;
            }
        }
        return held;
    }

    // ------------------------------------------------------------------ appliers

    private void applyConfirmed(BookingConfirmed e) {
        RingState ring = directory.ringOf(e.ringId());
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
        forgetOld(e.at());
    }

    private void applyRescheduled(BookingRescheduled e) {
        BookingState b = bookingState(e.bookingId());
        List<BookingState> list = byDay.get(BookingSlots.day(b.start));
        if (list != null) {
            list.remove(b);
        }
        release(b);
        b.start = e.toStart();
        b.end = e.toEnd();
        b.room = e.room();
        b.status = BookingStatus.RESCHEDULED;
        b.reason = e.reason();
        b.version++;
        place(b);
    }

    /** The point gave up this attempt; the booking waits to be started again, holding its expert. */
    private void applyRequestAbandoned(RequestAbandoned e) {
        BookingState b = holds.attemptOf(e.requestId());
        if (b != null && b.request != null && b.request.id == e.requestId()) {
            b.request = null;
            if (b.awaitingStart()) {
                holds.hold(b);
            }
        }
    }

    /** Files the booking under its day and, while it waits to start, under the holds; arms its timers. */
    private void place(BookingState b) {
        byDay.computeIfAbsent(BookingSlots.day(b.start), d -> new ArrayList<>()).add(b);
        holds.hold(b);
        b.readyTimer = cx.schedule(b.start.minus(READY_BEFORE), readyTimer, b.id, null, 0);
        b.graceTimer = cx.schedule(b.start.plus(b.service.lateGrace()), graceTimer, b.id, null, 0);
    }

    private void release(BookingState b) {
        holds.ended(b);
        cx.cancel(b.readyTimer);
        cx.cancel(b.graceTimer);
    }

    /** Ended bookings of days long past leave memory; the journal keeps them. */
    private void forgetOld(Instant at) {
        LocalDate cutoff = BookingSlots.day(at).minusDays(KEEP_BOOKING_DAYS);
        while (!byDay.isEmpty() && byDay.firstKey().isBefore(cutoff)) {
            for (BookingState b : byDay.pollFirstEntry().getValue()) {
                if (b.status.terminal()) {
                    bookings.remove(b.id);
                } else {
                    byDay.computeIfAbsent(cutoff, d -> new ArrayList<>()).add(b);
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
}
