package fi.palvelurinki.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Actor;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.Slot;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.config.Durations;
import fi.palvelurinki.signaling.protocol.ServerMessages;
import fi.palvelurinki.signaling.session.Directory;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Bookings over HTTP (docs/api.md): bookable services, free slots, booking, rescheduling, cancelling,
 * and an expert's bookings as iCalendar. Advisors book for their own point; experts see and change
 * their own bookings (named, or pooled in their rings); operators see and change all.
 */
final class BookingApi {
    private final Broker broker;
    private final Directory directory;
    private final InstantSource clock;
    private final JoinLinks links;

    BookingApi(Broker broker, Directory directory, InstantSource clock, JoinLinks links) {
        this.broker = broker;
        this.directory = directory;
        this.clock = clock;
        this.links = links;
    }

    static boolean handles(String[] parts) {
        return parts.length >= 1 && (parts[0].equals("services") || parts[0].equals("slots")
                || parts[0].equals("bookings") || parts[0].equals("bookings.ics"));
    }

    /** @return false if no route matches */
    boolean handle(Exchange x, String method, String[] parts) {
        String first = parts[0];
        if (parts.length == 1 && first.equals("services") && method.equals("GET")) {
            x.answer(services(x.param("ring")));
        } else if (parts.length == 1 && first.equals("slots") && method.equals("GET")) {
            slots(x);
        } else if (parts.length == 1 && first.equals("bookings") && method.equals("GET")) {
            x.answer(list(x));
        } else if (parts.length == 1 && first.equals("bookings") && method.equals("POST")) {
            x.bodyThen(b -> book(x, b));
        } else if (parts.length == 2 && first.equals("bookings") && method.equals("GET")) {
            x.answer(visible(x, id(parts[1])).thenApply(b -> wrap(x, b)));
        } else if (parts.length == 3 && first.equals("bookings") && parts[2].equals("join") && method.equals("GET")) {
            x.answer(joinLink(x, id(parts[1])));
        } else if (parts.length == 3 && first.equals("bookings") && parts[2].equals("ics") && method.equals("GET")) {
            bookingCalendar(x, id(parts[1]));
        } else if (parts.length == 2 && first.equals("bookings") && method.equals("PATCH")) {
            long id = id(parts[1]);
            x.body(b -> broker.submit(new Command.Reschedule(actor(x.who), id, instant(b, "start"), text(b, "reason")))
                    .thenApply(r -> wrap(x, ((Reply.BookingView) r).booking())));
        } else if (parts.length == 3 && first.equals("bookings") && parts[2].equals("cancel") && method.equals("POST")) {
            long id = id(parts[1]);
            x.body(b -> broker.submit(new Command.CancelBooking(actor(x.who), id, text(b, "reason")))
                    .thenCompose(r -> visible(x, id)).thenApply(b2 -> wrap(x, b2)));
        } else if (parts.length == 1 && first.equals("bookings.ics") && method.equals("GET")) {
            calendar(x);
        } else {
            return false;
        }
        return true;
    }

    static Actor actor(Principal p) {
        return switch (p.role()) {
            case ADVISOR -> Actor.advisor(p.user());
            case EXPERT -> Actor.expert(p.user());
            case OPERATOR -> Actor.operator(p.user());
            case CUSTOMER -> throw new BrokerException(ErrorCode.NOT_A_PARTY, "a customer cannot change bookings");
        };
    }

    private CompletableFuture<ObjectNode> services(String ring) {
        return broker.submit(new Command.GetDirectory()).thenApply(d -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ArrayNode list = o.putArray("services");
            Reply.Directory dir = (Reply.Directory) d;
            for (BookableService s : dir.services()) {
                if (ring == null || ring.equals(s.ringId())) {
                    ObjectNode service = service(s);
                    // Who can be named for the service, so that the booking screen can offer them.
                    ArrayNode experts = service.putArray("experts");
                    for (ExpertProfile e : dir.experts()) {
                        if (e.rings().contains(s.ringId()) && (e.topics().isEmpty() || e.topics().contains(s.topic()))) {
                            ObjectNode x = experts.addObject();
                            x.put("id", e.id());
                            x.put("name", e.name());
                            ArrayNode languages = x.putArray("languages");
                            e.languages().stream().map(Language::code).sorted().forEach(languages::add);
                        }
                    }
                    list.add(service);
                }
            }
            return o;
        });
    }

    static ObjectNode service(BookableService s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", s.id());
        o.put("ring", s.ringId());
        o.put("name", s.name());
        o.put("topic", s.topic());
        o.put("length", Durations.format(s.slotLength()));
        o.put("bufferBefore", Durations.format(s.bufferBefore()));
        o.put("bufferAfter", Durations.format(s.bufferAfter()));
        o.put("horizon", Durations.format(s.horizon()));
        o.put("notice", Durations.format(s.notice()));
        o.put("lateGrace", Durations.format(s.lateGrace()));
        return o;
    }

    private String pointOf(Exchange x) {
        return switch (x.who.role()) {
            case ADVISOR -> x.who.point();
            // An operator or an expert booking for a point's customer names the point.
            case OPERATOR, EXPERT -> x.requiredParam("point");
            case CUSTOMER -> throw new BrokerException(ErrorCode.NOT_A_PARTY, "customers do not search slots");
        };
    }

    private void slots(Exchange x) {
        String point = pointOf(x);
        LocalDate date = date(x.requiredParam("date"), "date");
        Language language = Language.parse(x.requiredParam("language"));
        x.answer(findSlots(x.requiredParam("ring"), x.requiredParam("service"), date, language, x.param("expert"), point));
    }

    private CompletableFuture<ObjectNode> findSlots(String ring, String service, LocalDate date, Language language,
            String expert, String point) {
        return broker.submit(new Command.FindSlots(ring, service, date, language, expert, point)).thenApply(r -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("ring", ring);
            o.put("service", service);
            o.put("date", date.toString());
            o.put("language", language.code());
            ArrayNode list = o.putArray("slots");
            for (Slot s : ((Reply.Slots) r).slots()) {
                ObjectNode slot = list.addObject();
                slot.put("start", s.start().toString());
                slot.put("end", s.end().toString());
                slot.put("localTime", s.start().atZone(OpeningHours.ZONE).toLocalTime().toString());
                slot.put("experts", s.experts());
            }
            return o;
        });
    }

    /**
     * An advisor books for their point. An operator or an expert books for a point's advisor named in
     * {@code advisor} (typically a home booking, whose customer gets the link): the booking is that point's,
     * as if the advisor had made it; an expert only in their own rings, and named as the booking's expert
     * unless another is given. A taken slot answers 409 with the day's free slots as they are now.
     */
    private void book(Exchange x, JsonNode b) {
        String ring = text(b, "ring");
        String service = text(b, "service");
        Instant start = instant(b, "start");
        Language language = Language.parse(text(b, "language"));
        String asked = optText(b, "expert");
        boolean fromHome = optBool(b, "fromHome");
        String expert = x.who.role() == Role.EXPERT && asked == null ? x.who.user() : asked;
        String advisor = switch (x.who.role()) {
            case ADVISOR -> {
                if (optText(b, "advisor") != null && !x.who.user().equals(optText(b, "advisor"))) {
                    throw new BrokerException(ErrorCode.NOT_A_PARTY, "an advisor books for themselves");
                }
                yield x.who.user();
            }
            case OPERATOR -> requiredAdvisor(b);
            case EXPERT -> {
                var me = directory.expert(x.who.user());
                if (me == null || !me.rings().contains(ring)) {
                    throw new BrokerException(ErrorCode.NOT_A_PARTY, "an expert books only in their own rings, not " + ring);
                }
                yield requiredAdvisor(b);
            }
            case CUSTOMER -> throw new BrokerException(ErrorCode.NOT_A_PARTY, "customers do not book");
        };
        broker.submit(new Command.Book(advisor, ring, service, start, language, expert, optText(b, "note"), fromHome,
                optText(b, "interpreter")))
                .whenComplete((r, e) -> {
                    if (e == null) {
                        x.json(HttpStatus.CREATED_201, wrap(x, ((Reply.BookingView) r).booking()));
                        return;
                    }
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (!(cause instanceof BrokerException be)) {
                        x.json(500, Exchange.error("internal", "internal error"));
                    } else if (be.code() != ErrorCode.SLOT_TAKEN) {
                        x.fail(be);
                    } else {
                        // The free slots of the point the booking is for: an operator or expert has no point of their own.
                        Advisor booked = directory.advisor(advisor);
                        findSlots(ring, service, start.atZone(OpeningHours.ZONE).toLocalDate(), language, expert,
                                booked == null ? x.who.point() : booked.pointId()).whenComplete((slots, e2) -> {
                                    ObjectNode err = Exchange.error(be.code().wireName(), be.getMessage());
                                    if (slots != null) {
                                        err.set("slots", slots.get("slots"));
                                    }
                                    x.json(HttpStatus.CONFLICT_409, err);
                                });
                    }
                });
    }

    private static String requiredAdvisor(JsonNode b) {
        String advisor = optText(b, "advisor");
        if (advisor == null) {
            throw BrokerException.invalid("\"advisor\" is required: the service point's advisor the booking is made for");
        }
        return advisor;
    }

    private CompletableFuture<ObjectNode> list(Exchange x) {
        LocalDate from = date(x.param("from") != null ? x.param("from") : today().toString(), "from");
        LocalDate to = date(x.param("to") != null ? x.param("to") : from.toString(), "to");
        if (to.isBefore(from)) {
            throw BrokerException.invalid("'to' is before 'from'");
        }
        String point = null;
        String expert = null;
        switch (x.who.role()) {
            case ADVISOR -> point = x.who.point();
            case EXPERT -> expert = x.who.user();
            case OPERATOR -> {
                point = x.param("point");
                expert = x.param("expert");
            }
            case CUSTOMER -> throw new BrokerException(ErrorCode.NOT_A_PARTY, "customers do not list bookings");
        }
        return broker.submit(new Command.GetBookings(point, expert, from.atStartOfDay(OpeningHours.ZONE).toInstant(),
                to.plusDays(1).atStartOfDay(OpeningHours.ZONE).toInstant())).thenApply(r -> {
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    // The server's clock, by which a booked call may be started: a page cannot trust its own.
                    o.put("now", clock.instant().toString());
                    ArrayNode list = o.putArray("bookings");
                    ((Reply.Bookings) r).bookings().forEach(b -> list.add(view(x, b)));
                    return o;
                });
    }

    /** The booking if this user may see it. */
    private CompletableFuture<Booking> visible(Exchange x, long id) {
        return broker.submit(new Command.GetBooking(id)).thenApply(r -> {
            Booking b = ((Reply.BookingView) r).booking();
            boolean ok = switch (x.who.role()) {
                case OPERATOR -> true;
                case CUSTOMER -> false;
                case ADVISOR -> b.pointId().equals(x.who.point());
                case EXPERT -> x.who.user().equals(b.expertId()) || (b.expertId() == null
                        && directory.expert(x.who.user()) != null
                        && directory.expert(x.who.user()).rings().contains(b.ringId()));
            };
            if (!ok) {
                throw new BrokerException(ErrorCode.NOT_A_PARTY, "booking " + id + " is not yours to see");
            }
            return b;
        });
    }

    private void calendar(Exchange x) {
        String expert = switch (x.who.role()) {
            case EXPERT -> x.who.user();
            case OPERATOR -> x.requiredParam("expert");
            case ADVISOR, CUSTOMER -> throw new BrokerException(ErrorCode.NOT_A_PARTY, "the calendar export is an expert's");
        };
        Instant now = clock.instant();
        broker.submit(new Command.GetBookings(null, expert, now.minus(java.time.Duration.ofDays(7)),
                now.plus(java.time.Duration.ofDays(366)))).whenComplete((r, e) -> {
                    if (e != null) {
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        if (cause instanceof BrokerException be) {
                            x.fail(be);
                        } else {
                            x.json(500, Exchange.error("internal", "internal error"));
                        }
                        return;
                    }
                    x.response.getHeaders().put("Content-Disposition", "attachment; filename=\"palvelurinki-" + expert + ".ics\"");
                    x.send(200, "text/calendar; charset=utf-8",
                            BookingCalendar.ics(((Reply.Bookings) r).bookings(), directory, expert));
                });
    }

    private ObjectNode wrap(Exchange x, Booking b) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("booking", view(x, b));
        return o;
    }

    /** A booking; a home booking's join link goes to those who book for the customer (its point, operators). */
    private ObjectNode view(Exchange x, Booking b) {
        ObjectNode o = ServerMessages.booking(b, pointName(b));
        String path = mayHandOutLink(x, b) ? links.path(b) : null;
        if (path != null) {
            o.put("joinUrl", JoinLinks.url(x.request, path));
        }
        return o;
    }

    private static boolean mayHandOutLink(Exchange x, Booking b) {
        return switch (x.who.role()) {
            case OPERATOR -> true;
            case ADVISOR -> b.pointId().equals(x.who.point());
            case EXPERT -> x.who.user().equals(b.expertId());
            case CUSTOMER -> false;
        };
    }

    /** The link to print or send: its address, when it opens and closes, and a QR code of it as SVG. */
    private CompletableFuture<ObjectNode> joinLink(Exchange x, long id) {
        return visible(x, id).thenApply(b -> {
            String path = mayHandOutLink(x, b) ? links.path(b) : null;
            if (path == null) {
                throw new BrokerException(ErrorCode.BOOKING_CLOSED, "booking " + id + " has no join link"
                        + (b.fromHome() ? " now: it is " + b.status().name().toLowerCase(java.util.Locale.ROOT)
                                : ": it is not from home") + (mayHandOutLink(x, b) ? "" : " for you"));
            }
            String url = JoinLinks.url(x.request, path);
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("bookingId", b.id());
            o.put("url", url);
            o.put("validFrom", links.validFrom(b).toString());
            o.put("validUntil", b.end().toString());
            o.put("qrSvg", QrSvg.of(url));
            return o;
        });
    }

    /** One booking as iCalendar, with the customer's join link when it is from home: for the booker to send on. */
    private void bookingCalendar(Exchange x, long id) {
        visible(x, id).whenComplete((b, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof BrokerException be) {
                    x.fail(be);
                } else {
                    x.json(500, Exchange.error("internal", "internal error"));
                }
                return;
            }
            String path = mayHandOutLink(x, b) ? links.path(b) : null;
            x.response.getHeaders().put("Content-Disposition", "attachment; filename=\"palvelurinki-booking-" + id + ".ics\"");
            x.send(200, "text/calendar; charset=utf-8", BookingCalendar.ics(java.util.List.of(b), directory,
                    "booking-" + id, path == null ? null : JoinLinks.url(x.request, path)));
        });
    }

    private String pointName(Booking b) {
        var p = directory.point(b.pointId());
        return p == null ? b.pointId() : p.name();
    }

    private LocalDate today() {
        return clock.instant().atZone(OpeningHours.ZONE).toLocalDate();
    }

    private static long id(String s) {
        try {
            long v = Long.parseLong(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw BrokerException.invalid("'" + s + "' is not a booking id");
    }

    private static LocalDate date(String s, String what) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw BrokerException.invalid("'" + what + "' must be a date YYYY-MM-DD, got '" + s + "'");
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw BrokerException.invalid("\"" + field + "\" must be a non-empty string");
        }
        return v.asText();
    }

    private static boolean optBool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw BrokerException.invalid("\"" + field + "\" must be true or false");
        }
        return v.asBoolean();
    }

    private static String optText(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw BrokerException.invalid("\"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode o, String field) {
        String s = text(o, field);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                throw BrokerException.invalid("\"" + field + "\" must be a time such as 2026-11-25T10:00:00+02:00, got '"
                        + s + "'");
            }
        }
    }
}
