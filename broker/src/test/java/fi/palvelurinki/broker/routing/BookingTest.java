package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.Actor;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.booking.Slot;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bookings: slot search, booking, rescheduling, cancelling, no-shows, lateness, early ends with
 * backfill, and the capacity a booking holds against instant calls. The clock starts on Tuesday
 * 2026-11-24 at 10:00 Finnish time.
 */
class BookingTest {
    static final LocalDate WEDNESDAY = LocalDate.parse("2026-11-25");

    static Instant helsinki(String local) {
        return LocalDateTime.parse(local).atZone(OpeningHours.ZONE).toInstant();
    }

    /** TE ring open mon-fri 08-16, "first visit" 45 min + 15 min buffer after; experts ari (fi, en) and tea (fi). */
    static Harness te(int experts) {
        Harness h = new Harness().standard();
        h.run(new Command.DefineAuthority(new Authority("te", "TE-palvelut")));
        h.run(new Command.ConfigureRing(RingConfig.builder("te", "te").name("TE")
                .topics(Set.of("first-visit", "job-seeking")).languages(Set.of(Language.FI, Language.EN))
                .openingHours(OpeningHours.parse("mon-fri 08:00-16:00; closed 2026-12-24"))
                .expectedHandleTime(Duration.ofMinutes(8)).wrapUp(Duration.ofMinutes(1)).build(), "test"));
        h.run(new Command.DefineService(new BookableService("first-visit", "te", "TE first visit", "first-visit",
                Duration.ofMinutes(45), Duration.ZERO, Duration.ofMinutes(15), Duration.ofDays(60), Duration.ofHours(2),
                Duration.ofMinutes(10)), "test"));
        h.expert("ari", Set.of("te"), Language.FI, Language.EN);
        if (experts > 1) {
            h.expert("tea", Set.of("te"), Language.FI);
        }
        h.clear();
        return h;
    }

    static List<Slot> slots(Harness h, LocalDate date, Language language, String expert, String point) {
        return ((Reply.Slots) h.run(new Command.FindSlots("te", "first-visit", date, language, expert, point))).slots();
    }

    static Booking book(Harness h, String advisor, Instant start, String expert) {
        return ((Reply.BookingView) h.run(new Command.Book(advisor, "te", "first-visit", start, Language.FI, expert,
                "first visit, CV ready"))).booking();
    }

    @Test
    void slotsFollowTheOpeningHoursNoticeAndExistingBookings() {
        Harness h = te(2);
        List<Slot> wednesday = slots(h, WEDNESDAY, Language.FI, null, "mikkeli");
        assertThat(wednesday).extracting(s -> s.start().atZone(OpeningHours.ZONE).toLocalTime().toString())
                .containsExactly("08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00");
        assertThat(wednesday.get(0).end()).isEqualTo(helsinki("2026-11-25T08:45"));
        assertThat(wednesday).allSatisfy(s -> assertThat(s.experts()).isEqualTo(2));

        // Today (10:00 now): two hours' notice leaves 12:00 onwards.
        assertThat(slots(h, LocalDate.parse("2026-11-24"), Language.FI, null, "mikkeli")).first()
                .satisfies(s -> assertThat(s.start()).isEqualTo(helsinki("2026-11-24T12:00")));
        assertThat(slots(h, LocalDate.parse("2026-11-28"), Language.FI, null, "mikkeli")).as("Saturday").isEmpty();
        assertThat(slots(h, LocalDate.parse("2026-12-24"), Language.FI, null, "mikkeli")).as("closed").isEmpty();
        assertThat(slots(h, LocalDate.parse("2027-03-01"), Language.FI, null, "mikkeli")).as("beyond 60 days").isEmpty();
        assertThat(slots(h, WEDNESDAY, Language.EN, null, "mikkeli")).as("only ari speaks English")
                .allSatisfy(s -> assertThat(s.experts()).isEqualTo(1));

        book(h, "anna", helsinki("2026-11-25T09:00"), null);
        assertThat(slots(h, WEDNESDAY, Language.FI, null, "mikkeli")).filteredOn(s -> s.start().equals(helsinki("2026-11-25T09:00")))
                .singleElement().satisfies(s -> assertThat(s.experts()).isEqualTo(1));
        book(h, "bo", helsinki("2026-11-25T09:00"), null);
        assertThat(slots(h, WEDNESDAY, Language.FI, null, "parainen")).extracting(Slot::start)
                .doesNotContain(helsinki("2026-11-25T09:00")).hasSize(7);
    }

    @Test
    void aPointsRoomsAndANamedExpertsCalendarAreRespected() {
        Harness h = te(2);
        Booking named = book(h, "bo", helsinki("2026-11-25T10:00"), "ari");
        assertThat(named.room()).isEqualTo(1);
        assertThat(named.expertId()).isEqualTo("ari");
        assertThat(slots(h, WEDNESDAY, Language.FI, null, "parainen")).as("Parainen has one room").extracting(Slot::start)
                .doesNotContain(helsinki("2026-11-25T10:00"));
        assertThat(slots(h, WEDNESDAY, Language.FI, null, "mikkeli")).as("Mikkeli has rooms and tea is free")
                .filteredOn(s -> s.start().equals(helsinki("2026-11-25T10:00"))).singleElement()
                .satisfies(s -> assertThat(s.experts()).isEqualTo(1));
        assertThat(slots(h, WEDNESDAY, Language.FI, "ari", "mikkeli")).extracting(Slot::start)
                .doesNotContain(helsinki("2026-11-25T10:00"));
        Booking second = book(h, "anna", helsinki("2026-11-25T10:00"), null);
        assertThat(second.room()).isEqualTo(1);
        Booking third = book(h, "maria", helsinki("2026-11-25T11:00"), null);
        assertThat(third.room()).isEqualTo(1);
    }

    @Test
    void ofTwoRacingForTheLastSlotOneWinsAndTheOtherIsToldClearly() {
        Harness h = te(1);
        Instant nine = helsinki("2026-11-25T09:00");
        book(h, "anna", nine, null);
        var refused = h.refuse(new Command.Book("bo", "te", "first-visit", nine, Language.FI, null, ""), ErrorCode.SLOT_TAKEN);
        assertThat(refused.getMessage()).isEqualTo("the slot at 09:00 on 2026-11-25 is no longer free; 7 other slots are free that day");
        h.refuse(new Command.Book("bo", "te", "first-visit", helsinki("2026-11-25T09:30"), Language.FI, null, ""),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.Book("bo", "te", "first-visit", helsinki("2026-11-24T10:30"), Language.FI, null, ""),
                ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.Book("bo", "te", "no-such", nine, Language.FI, null, ""), ErrorCode.UNKNOWN_SERVICE);
        h.refuse(new Command.Book("bo", "te", "first-visit", nine, Language.SV, null, ""), ErrorCode.LANGUAGE_NOT_OFFERED);
    }

    @Test
    void reschedulingAndCancellingWithReasonsFreeTheOldSlot() {
        Harness h = te(1);
        Booking b = book(h, "anna", helsinki("2026-11-25T09:00"), null);
        h.refuse(new Command.Reschedule(Actor.advisor("bo"), b.id(), helsinki("2026-11-25T13:00"), "x"), ErrorCode.NOT_A_PARTY);
        Booking moved = ((Reply.BookingView) h.run(new Command.Reschedule(Actor.advisor("maria"), b.id(),
                helsinki("2026-11-25T13:00"), "customer's bus timetable"))).booking();
        assertThat(moved.status()).isEqualTo(BookingStatus.RESCHEDULED);
        assertThat(moved.start()).isEqualTo(helsinki("2026-11-25T13:00"));
        assertThat(slots(h, WEDNESDAY, Language.FI, null, "mikkeli")).extracting(Slot::start)
                .contains(helsinki("2026-11-25T09:00")).doesNotContain(helsinki("2026-11-25T13:00"));
        DomainEvent.BookingRescheduled r = h.events(DomainEvent.BookingRescheduled.class).get(0);
        assertThat(r.fromStart()).isEqualTo(helsinki("2026-11-25T09:00"));
        assertThat(r.actor()).isEqualTo("advisor:maria");

        h.refuse(new Command.CancelBooking(Actor.expert("ari"), b.id(), ""), ErrorCode.INVALID_ARGUMENT);
        h.run(new Command.CancelBooking(Actor.expert("ari"), b.id(), "expert ill"));
        DomainEvent.BookingCancelled c = h.events(DomainEvent.BookingCancelled.class).get(0);
        assertThat(c.noticeSeconds()).as("27 h before the slot").isEqualTo(Duration.ofHours(27).toSeconds());
        assertThat(c.actor()).isEqualTo("expert:ari");
        h.run(new Command.CancelBooking(Actor.operator("olli"), b.id(), "again"));
        assertThat(h.events(DomainEvent.BookingCancelled.class)).as("cancelling twice is a no-op").hasSize(1);
        assertThat(slots(h, WEDNESDAY, Language.FI, null, "mikkeli")).hasSize(8);
        assertThat(h.sent(Notification.BookingChanged.class)).extracting(Notification.BookingChanged::change)
                .contains("confirmed", "rescheduled", "cancelled");
    }

    /** Moves the clock to a Finnish local time and runs the due timers. */
    static void at(Harness h, String local) {
        h.tick(Duration.between(h.clock.instant(), helsinki(local)));
    }

    @Test
    void aBookingNobodyStartsIsANoShowOfThePointAndFreesTheExpert() {
        Harness h = te(1);
        Booking b = book(h, "anna", helsinki("2026-11-25T09:00"), null);
        at(h, "2026-11-25T08:50");
        h.available("ari");
        at(h, "2026-11-25T08:55");
        Reply.Queued instant = h.call("bo", "te", "job-seeking", Language.FI);
        assertThat(h.ringingAt("ari")).as("held for the 09:00 booking").isNull();
        assertThat(h.sent(Notification.BookingChanged.class)).extracting(Notification.BookingChanged::change).contains("due");
        at(h, "2026-11-25T09:09");
        assertThat(h.ringingAt("ari")).isNull();
        at(h, "2026-11-25T09:10");
        assertThat(h.events(DomainEvent.BookingNoShow.class)).singleElement()
                .satisfies(e -> assertThat(e.side()).isEqualTo(NoShowSide.POINT));
        assertThat(h.ringingAt("ari")).as("the hold ends with the grace period").isEqualTo(instant.requestId());
        h.refuse(new Command.StartBooking("anna", b.id()), ErrorCode.BOOKING_CLOSED);
    }

    @Test
    void anInstantCallDoesNotStealTheExpertOfABookingDueInFiveMinutes() {
        Harness h = te(1);
        Booking b = book(h, "anna", helsinki("2026-11-25T10:00"), null);
        at(h, "2026-11-25T09:00");
        h.available("ari");
        at(h, "2026-11-25T09:50");
        Reply.Queued early = h.call("bo", "te", "job-seeking", Language.FI);
        assertThat(h.ringingAt("ari")).as("09:50: an 8-minute call ends before the 10:00 booking")
                .isEqualTo(early.requestId());
        h.decline("ari", early.requestId());
        at(h, "2026-11-25T09:55");
        Reply.Queued instant = h.call("bo", "te", "job-seeking", Language.FI);
        assertThat(h.ringingAt("ari")).as("09:55: the booking due in 5 minutes holds the only expert").isNull();
        h.tick(Duration.ofMinutes(1));
        assertThat(h.ringingAt("ari")).isNull();

        at(h, "2026-11-25T10:03");
        Reply.Queued booked = (Reply.Queued) h.run(new Command.StartBooking("anna", b.id()));
        assertThat(h.ringingAt("ari")).as("the booked call outranks the waiting instant ones").isEqualTo(booked.requestId());
        h.tick(Duration.ofSeconds(20));
        h.accept("ari", booked.requestId());
        DomainEvent.BookingStartRequested requested = h.events(DomainEvent.BookingStartRequested.class).get(0);
        assertThat(requested.advisorLateSeconds()).as("the point was 3 min late").isEqualTo(180);
        DomainEvent.BookingStarted started = h.events(DomainEvent.BookingStarted.class).get(0);
        assertThat(started.expertLateSeconds()).as("the expert answered 20 s after the point was ready").isEqualTo(20);
        assertThat(instant.requestId()).isPositive();
    }

    @Test
    void aNamedBookingHoldsItsExpertOnlyAndOthersTakeTheInstantCalls() {
        Harness h = te(2);
        book(h, "anna", helsinki("2026-11-25T10:00"), "ari");
        at(h, "2026-11-25T09:30");
        h.available("ari", "tea");
        at(h, "2026-11-25T09:55");
        Reply.Queued instant = h.call("bo", "te", "job-seeking", Language.FI);
        assertThat(h.ringingAt("tea")).as("ari has been idle longer but is held by name").isEqualTo(instant.requestId());
    }

    @Test
    void aCallEndingEarlyFreesTheExpertForInstantCallsAtOnce() {
        Harness h = te(1);
        Booking b = book(h, "anna", helsinki("2026-11-25T10:00"), null);
        at(h, "2026-11-25T09:50");
        h.available("ari");
        at(h, "2026-11-25T09:55");
        Reply.Queued waiting = h.call("bo", "te", "job-seeking", Language.FI);
        assertThat(h.ringingAt("ari")).as("held").isNull();
        at(h, "2026-11-25T10:00");
        Reply.Queued booked = (Reply.Queued) h.run(new Command.StartBooking("anna", b.id()));
        Reply.CallConnected c = h.accept("ari", booked.requestId());
        at(h, "2026-11-25T10:20");
        h.hangup(Party.EXPERT, "ari", c.callId());
        h.run(new Command.EndWrapUp("ari"));
        DomainEvent.BookingCompleted done = h.events(DomainEvent.BookingCompleted.class).get(0);
        assertThat(done.usedSeconds()).isEqualTo(Duration.ofMinutes(20).toSeconds());
        assertThat(done.endedEarlySeconds()).as("25 of the 45 booked minutes are free").isEqualTo(Duration.ofMinutes(25).toSeconds());
        assertThat(h.ringingAt("ari")).as("backfill: the waiting instant call").isEqualTo(waiting.requestId());
        Booking after = ((Reply.Bookings) h.run(new Command.GetBookings("mikkeli", null, helsinki("2026-11-25T00:00"),
                helsinki("2026-11-26T00:00")))).bookings().get(0);
        assertThat(after.status()).isEqualTo(BookingStatus.COMPLETED);
        assertThat(after.actualEnd()).isEqualTo(helsinki("2026-11-25T10:20"));
    }

    @Test
    void whenNoExpertAnswersAndThePointGivesUpItIsTheExpertsNoShow() {
        Harness h = te(1);
        Booking b = book(h, "anna", helsinki("2026-11-25T10:00"), null);
        at(h, "2026-11-25T10:00");
        Reply.Queued booked = (Reply.Queued) h.run(new Command.StartBooking("anna", b.id()));
        assertThat(booked.position()).as("ari is offline").isEqualTo(1);
        at(h, "2026-11-25T10:15");
        assertThat(h.events(DomainEvent.BookingNoShow.class)).as("the customer is still waiting").isEmpty();
        h.run(new Command.CancelRequest("anna", booked.requestId()));
        assertThat(h.events(DomainEvent.BookingNoShow.class)).singleElement()
                .satisfies(e -> assertThat(e.side()).isEqualTo(NoShowSide.EXPERT));
    }

    @Test
    void startingTooEarlyOrAtAnotherPointIsRefused() {
        Harness h = te(1);
        Booking b = book(h, "anna", helsinki("2026-11-25T10:00"), null);
        at(h, "2026-11-25T09:44");
        h.refuse(new Command.StartBooking("anna", b.id()), ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.StartBooking("bo", b.id()), ErrorCode.NOT_A_PARTY);
        at(h, "2026-11-25T09:45");
        Reply.Queued q = (Reply.Queued) h.run(new Command.StartBooking("maria", b.id()));
        assertThat(((Reply.Queued) h.run(new Command.StartBooking("anna", b.id()))).requestId())
                .as("starting again is the same request").isEqualTo(q.requestId());
    }

    @Test
    void bookingsAreRebuiltFromTheJournal() {
        Harness live = te(2);
        Booking a = book(live, "anna", helsinki("2026-11-25T09:00"), "ari");
        Booking b = book(live, "bo", helsinki("2026-11-25T11:00"), null);
        live.run(new Command.Reschedule(Actor.advisor("bo"), b.id(), helsinki("2026-11-25T12:00"), "later"));
        Booking c = book(live, "maria", helsinki("2026-11-25T13:00"), null);
        live.run(new Command.CancelBooking(Actor.advisor("maria"), c.id(), "customer cancelled"));

        Harness replayed = new Harness();
        for (var entry : Harness.numbered(live.journal)) {
            replayed.engine.replay(entry);
        }
        replayed.clock.set(live.clock.instant());
        Command q = new Command.GetBookings(null, null, helsinki("2026-11-25T00:00"), helsinki("2026-11-26T00:00"));
        assertThat(replayed.run(q)).isEqualTo(live.run(q));
        assertThat(slots(replayed, WEDNESDAY, Language.FI, null, "mikkeli"))
                .isEqualTo(slots(live, WEDNESDAY, Language.FI, null, "mikkeli"));
        assertThat(a.id()).isPositive();
    }
}
