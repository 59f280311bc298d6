package fi.palvelurinki.broker.routing;

import static fi.palvelurinki.broker.routing.BookingTest.at;
import static fi.palvelurinki.broker.routing.BookingTest.helsinki;
import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.Actor;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Notification;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.ring.Language;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bookings from home: the customer's join starts the booked call, the link follows moves, no-shows are the customer's. */
class HomeBookingTest {

    static Booking bookFromHome(Harness h, Instant start) {
        return ((Reply.BookingView) h.run(new Command.Book("anna", "te", "first-visit", start, Language.FI, null,
                "from home", true))).booking();
    }

    @Test
    void theCustomersJoinRoutesTheBookedCallToTheExpertWithTheCustomerAsTheParty() {
        Harness h = BookingTest.te(1);
        Booking b = bookFromHome(h, helsinki("2026-11-25T09:00"));
        assertThat(b.fromHome()).isTrue();
        assertThat(b.version()).isZero();
        at(h, "2026-11-25T08:50");
        h.available("ari");
        h.refuse(new Command.StartBooking("anna", b.id()), ErrorCode.NOT_A_PARTY);

        at(h, "2026-11-25T09:03");
        Reply.Queued q = (Reply.Queued) h.run(new Command.CustomerJoin(b.id(), 0));
        assertThat(h.events(DomainEvent.CustomerJoined.class)).singleElement()
                .satisfies(e -> assertThat(e.lateSeconds()).as("a late join").isEqualTo(180));
        assertThat(h.sent(Notification.BookingChanged.class)).extracting(Notification.BookingChanged::change)
                .contains("customer_waiting");
        assertThat(h.ringingAt("ari")).isEqualTo(q.requestId());
        Reply.Queued again = (Reply.Queued) h.run(new Command.CustomerJoin(b.id(), 0));
        assertThat(again.requestId()).as("a second device joins the same request").isEqualTo(q.requestId());
        assertThat(h.events(DomainEvent.CustomerJoined.class)).hasSize(1);

        Reply.CallConnected c = h.accept("ari", q.requestId());
        assertThat(c.advisorId()).isEqualTo(Booking.customerId(b.id()));
        h.hangup(Party.ADVISOR, Booking.customerId(b.id()), c.callId());
        Booking done = ((Reply.BookingView) h.run(new Command.GetBooking(b.id()))).booking();
        assertThat(done.status()).isEqualTo(BookingStatus.COMPLETED);
        h.refuse(new Command.CustomerJoin(b.id(), 0), ErrorCode.BOOKING_CLOSED);
    }

    @Test
    void aCustomerWhoNeverJoinsIsACustomerNoShow() {
        Harness h = BookingTest.te(1);
        Booking b = bookFromHome(h, helsinki("2026-11-25T09:00"));
        at(h, "2026-11-25T09:10");
        assertThat(h.events(DomainEvent.BookingNoShow.class)).singleElement()
                .satisfies(e -> assertThat(e.side()).isEqualTo(NoShowSide.CUSTOMER));
        h.refuse(new Command.CustomerJoin(b.id(), 0), ErrorCode.BOOKING_CLOSED);
    }

    @Test
    void aMovedBookingRevokesItsOldLinkAndACancelledOneRevokesIt() {
        Harness h = BookingTest.te(1);
        Booking b = bookFromHome(h, helsinki("2026-11-25T09:00"));
        Booking moved = ((Reply.BookingView) h.run(new Command.Reschedule(Actor.advisor("anna"), b.id(),
                helsinki("2026-11-25T10:00"), "customer asked"))).booking();
        assertThat(moved.version()).isEqualTo(1);
        at(h, "2026-11-25T09:55");
        h.refuse(new Command.CustomerJoin(b.id(), 0), ErrorCode.BOOKING_CLOSED);
        h.run(new Command.ReportDeviceCheck(b.id(), 1, "camera_denied"));
        assertThat(h.events(DomainEvent.DeviceCheckFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.problem()).isEqualTo("camera_denied"));
        h.refuse(new Command.ReportDeviceCheck(b.id(), 1, "tired"), ErrorCode.INVALID_ARGUMENT);

        Booking other = bookFromHome(h, helsinki("2026-11-26T09:00"));
        h.run(new Command.CancelBooking(Actor.advisor("anna"), other.id(), "not needed"));
        h.refuse(new Command.CustomerJoin(other.id(), 0), ErrorCode.BOOKING_CLOSED);
        h.refuse(new Command.CustomerJoin(12345, 0), ErrorCode.UNKNOWN_BOOKING);
    }
}
