package fi.palvelurinki.broker.testing;

import fi.palvelurinki.broker.Actor;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A journal with bookings, written by a real broker, whose booking figures are worked out by hand in
 * {@code JournalAnalyzerTest}. Tuesday 2026-11-24, Finnish time. Ring "te" (TE-palvelut), one expert
 * e1 (Eeva), service "visit" (30-minute slots, no buffers, no notice, 10 minutes' late grace); advisors
 * anna@mikkeli and bo@parainen. At 10:00 six bookings are made:
 *
 * <pre>
 *  b1 anna 10:30 e1      10:30 started and answered at once; 11:00 hung up: on time, used 30 min
 *  b2 anna 11:00 e1      11:00 started and answered; 11:10 hung up: used 10 min, 20 min early (freed 11:10-11:30)
 *                        11:12 bo's instant call answered by e1; 11:17 hung up, 11:18 wrap-up ended: 6 min backfilled
 *                        11:20 anna's request marked booked (no booking) answered by e1; 11:22 hung up, 11:23 wrap-up
 *                        ended: not an instant call, so not backfill
 *  b3 bo   12:30 pooled  nobody starts it: 12:40 no-show of the point (freed 12:40-13:00)
 *                        12:42 bo's instant call answered by e1, the ring's only expert; 12:45 hung up, 12:46 wrap-up
 *                        ended: 4 min backfilled, by the pool rule (nobody was held for a pooled booking)
 *  b4 anna 13:00 e1      e1 away 12:59; 13:00 started; 13:04 e1 back and answers (4 min late); 13:30 hung up: used 26 min
 *  b5 bo   14:30 pooled  14:10 bo cancels it (20 min notice: a late cancellation)
 *  b6 anna 15:00 e1      10:01 anna moves it to 15:30; still open when the journal ends at 14:10
 * </pre>
 */
public final class BookingJournal {
    private BookingJournal() {}

    /** Seconds after 10:00 of local times used above. */
    static final double T1030 = 1800, T1100 = 3600, T1110 = 4200, T1112 = 4320, T1117 = 4620, T1118 = 4680,
            T1120 = 4800, T1122 = 4920, T1123 = 4980, T1242 = 9720, T1245 = 9900, T1246 = 9960, T1259 = 10740, T1300 = 10800, T1304 = 11040, T1330 = 12600, T1410 = 15000;

    public static void write(Path dataDir) {
        try (JournalScript s = new JournalScript(dataDir)) {
            s.authority("te", "TE-palvelut")
                    .ring(RingConfig.builder("te", "te").name("TE").wrapUp(Duration.ofMinutes(2))
                            .expectedHandleTime(Duration.ofMinutes(5)).build())
                    .point("mikkeli", "Mikkeli Asiointipiste", "Mikkeli").point("parainen", "Parainen", "Parainen")
                    .advisor("anna", "mikkeli").advisor("bo", "parainen").expert("e1", "Eeva", "te");
            s.submit(new Command.DefineService(new BookableService("visit", "te", "TE visit", "general",
                    Duration.ofMinutes(30), Duration.ZERO, Duration.ZERO, Duration.ofDays(1), Duration.ZERO,
                    Duration.ofMinutes(10)), "test"));
            s.presence("e1", Presence.AVAILABLE);
            long b1 = book(s, "anna", 1800, "e1");
            long b2 = book(s, "anna", 3600, "e1");
            book(s, "bo", 9000, null);
            long b4 = book(s, "anna", 10800, "e1");
            long b5 = book(s, "bo", 16200, null);
            long b6 = book(s, "anna", 18000, "e1");
            s.at(60).submit(new Command.Reschedule(Actor.advisor("anna"), b6, s.start().plusSeconds(19800), "later"));

            s.at(T1030);
            long c1 = s.accept("e1", start(s, "anna", b1));
            s.at(T1100).hangUp("anna", c1).endWrapUp("e1");
            long c2 = s.accept("e1", start(s, "anna", b2));
            s.at(T1110).hangUp("anna", c2).endWrapUp("e1");
            s.at(T1112);
            long instant = s.accept("e1", s.request("bo", "te"));
            s.at(T1117).hangUp("bo", instant);
            s.at(T1118).endWrapUp("e1");
            s.at(T1120);
            long marked = s.accept("e1", s.request("anna", "te", CallKind.BOOKED));
            s.at(T1122).hangUp("anna", marked);
            s.at(T1123).endWrapUp("e1");

            s.at(T1242);
            long pooled = s.accept("e1", s.request("bo", "te"));
            s.at(T1245).hangUp("bo", pooled);
            s.at(T1246).endWrapUp("e1");
            s.at(T1259).presence("e1", Presence.AWAY);
            s.at(T1300);
            long r4 = start(s, "anna", b4);
            s.at(T1304).presence("e1", Presence.AVAILABLE);
            long c4 = s.accept("e1", r4);
            s.at(T1330).hangUp("anna", c4).endWrapUp("e1");
            s.at(T1410).submit(new Command.CancelBooking(Actor.advisor("bo"), b5, "customer ill"));
        }
    }

    private static long book(JournalScript s, String advisor, long secondsAfterTen, String expert) {
        Instant start = s.start().plusSeconds(secondsAfterTen);
        return ((Reply.BookingView) s.submit(new Command.Book(advisor, "te", "visit", start, Language.FI, expert, "")))
                .booking().id();
    }

    /** The point starts the booked call; returns its request id. */
    private static long start(JournalScript s, String advisor, long bookingId) {
        return ((Reply.Queued) s.submit(new Command.StartBooking(advisor, bookingId))).requestId();
    }
}
