package fi.palvelurinki.signaling.http;

import fi.palvelurinki.broker.booking.Booking;
import fi.palvelurinki.broker.booking.BookingStatus;
import fi.palvelurinki.signaling.session.Directory;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * An expert's bookings as an iCalendar file (RFC 5545) for their office calendar. Cancelled bookings
 * are kept with {@code STATUS:CANCELLED}, so that a calendar that imported them earlier removes them;
 * each booking keeps its UID across reschedules.
 */
final class BookingCalendar {
    private BookingCalendar() {}

    static String ics(List<Booking> bookings, Directory directory, String expert) {
        return ics(bookings, directory, expert, null);
    }

    /** @param joinUrl a home booking's join link, written into the event (URL and description), or null */
    static String ics(List<Booking> bookings, Directory directory, String expert, String joinUrl) {
        Calendar cal = new Calendar();
        cal.add(new ProdId("-//Palvelurinki//Bookings " + expert + "//FI"));
        cal.add(ImmutableVersion.VERSION_2_0);
        cal.add(ImmutableCalScale.GREGORIAN);
        for (Booking b : bookings) {
            var point = directory.point(b.pointId());
            String where = point == null ? b.pointId() : point.name();
            VEvent e = new VEvent(b.start(), b.end(),
                    b.serviceName() + " – " + where);
            e.add(new Uid("booking-" + b.id() + "@palvelurinki"));
            e.add(new Location(where + ", room " + b.room()));
            StringBuilder d = new StringBuilder("Ring " + b.ringId() + ", language " + b.language().code()
                    + (b.expertId() == null ? ", any expert of the ring" : ", named expert " + b.expertId()));
            if (b.note() != null && !b.note().isEmpty()) {
                d.append("\n").append(b.note());
            }
            if (joinUrl != null) {
                d.append("\nJoin from home / Liity kotoa / Anslut hemifrån: ").append(joinUrl);
                e.add(new net.fortuna.ical4j.model.property.Url(java.net.URI.create(joinUrl)));
            }
            e.add(new Description(d.toString()));
            e.add(new Status(b.status() == BookingStatus.CANCELLED ? "CANCELLED" : "CONFIRMED"));
            cal.add(e);
        }
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter().output(cal, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
