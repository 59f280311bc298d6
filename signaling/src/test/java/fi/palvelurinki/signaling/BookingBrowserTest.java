package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fi.palvelurinki.broker.journal.DomainEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

/**
 * The booking screens as people use them (issue 5): the advisor books on the page, the expert sees it
 * under "My bookings today", and at the booked time the advisor starts the call and both see video.
 * The server's clock is the fixture's manual one (Tuesday 10:00 Finnish time); the pages go by the
 * server's time, so moving that clock is all it takes to reach a booked slot. The test ring "kela" holds
 * one booked call at a time (bookingCapacity 1) with 30-minute slots and no notice period.
 */
class BookingBrowserTest extends BrowserTestBase {

    /** The advisor's page with the booking screen's slots for the day loaded. */
    private Browser.Window advisorBooking(String user) {
        Browser.Window a = advisorReady(user);
        await().atMost(Duration.ofSeconds(20)).until(() -> !a.all("#slot-list input[data-time='10:30']").isEmpty());
        return a;
    }

    /** Chooses the slot at a Finnish time and books it; the booking's id once it is in the point's list. */
    private static long book(Browser.Window a, String time, String note) {
        await().until(() -> !a.all("#slot-list input[data-time='" + time + "']").isEmpty());
        a.find("#slot-list input[data-time='" + time + "']").click();
        a.find("#book-note").sendKeys(note);
        a.click("book");
        await().until(() -> a.text("booking-message").startsWith("Varattu:"));
        return await().until(() -> a.all("#bookings-body tr[data-status='confirmed']").stream()
                .filter(r -> r.getText().contains(note)).findFirst().map(r -> Long.parseLong(r.getAttribute("data-booking"))),
                java.util.Optional::isPresent).orElseThrow();
    }

    // Read in one script, so that a list re-rendered by a push between finding the row and reading it
    // cannot fail the test (a stale element, seen on a loaded machine).
    private static String row(Browser.Window w, long id) {
        return (String) w.js("const r = document.querySelector(arguments[0]); return r ? r.innerText : null;",
                "#bookings-body tr[data-booking='" + id + "']");
    }

    private static String status(Browser.Window w, long id) {
        return (String) w.js("const r = document.querySelector(arguments[0]); return r ? r.dataset.status : null;",
                "#bookings-body tr[data-booking='" + id + "']");
    }

    @Test
    void anAdvisorBooksANamedExpertAndStartsTheBookedCallAtItsTime() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorBooking("anna");
        assertThat(advisor.find("#book-service option[value='kela-appointment']").getText())
                .isEqualTo("Kela: Kela-ajanvaraus, 30 min");
        assertThat(advisor.find("#book-date").getAttribute("value")).as("the server's today").isEqualTo("2026-11-24");
        choose(advisor, "book-language", "fi");
        choose(advisor, "book-expert", "e1");
        assertThat(advisor.find("#book-expert option[value='e1']").getText()).isEqualTo("Eeva Salonen");
        assertThat(advisor.accessibilityViolations()).as("WCAG 2.1 AA, booking screen").isEmpty();
        advisor.screenshot("b1-advisor-booking-screen");

        long id = book(advisor, "10:30", "Asiakasnro 4711, asumistuki");
        assertThat(row(advisor, id)).contains("tänään 10.30").contains("Eeva Salonen").contains("vahvistettu");
        await().until(() -> advisor.all("#slot-list input[data-time='10:30']").isEmpty());

        // The expert's page shows it, pushed over the WebSocket.
        await().until(() -> !expert.all("#bookings-body tr[data-booking='" + id + "']").isEmpty());
        assertThat(row(expert, id)).contains("10.30–11.00").contains("Kela-ajanvaraus, 30 min")
                .contains("Mikkelin Asiointipiste").contains("suomi").contains("vahvistettu");
        assertThat(expert.accessibilityViolations()).as("WCAG 2.1 AA, my bookings today").isEmpty();
        expert.screenshot("b2-expert-my-bookings-today");

        // The .ics export: the page fetches it with the token and hands it to the browser as a download.
        expert.js("""
                const create = URL.createObjectURL;
                URL.createObjectURL = (blob) => { window.icsDownload = blob; return create(blob); };""");
        expert.click("ics");
        String ics = (String) expert.asyncJs("""
                const done = arguments[arguments.length - 1];
                const wait = () => window.icsDownload ? window.icsDownload.text().then(done) : setTimeout(wait, 50);
                wait();""");
        assertThat(ics).startsWith("BEGIN:VCALENDAR").contains("UID:booking-" + id + "@palvelurinki")
                .contains("DTSTART:20261124T083000Z");
        assertThat(expert.text("bookings-error")).isEmpty();

        // 10:00 is too early to start a 10:30 call; at 10:25 the server says it is due.
        assertThat(advisor.displayed("start-booking-" + id)).isFalse();
        f.advance(Duration.ofMinutes(25));
        advisor.shown("start-booking-" + id);
        assertThat(advisor.text("due-announcement"))
                .isEqualTo("Varattu puhelu klo 10.30 (Kela-ajanvaraus, 30 min) on valmis aloitettavaksi.");
        assertThat(advisor.find("#bookings-body tr[data-booking='" + id + "']").getAttribute("data-ready")).isEqualTo("true");
        advisor.screenshot("b3-advisor-booked-call-ready");

        advisor.click("start-booking-" + id);
        expert.shown("accept");
        assertThat(expert.text("offer-note")).isEqualTo("Asiakasnro 4711, asumistuki");
        expert.click("accept");
        awaitVideo(advisor);
        awaitVideo(expert);
        await().until(() -> "started".equals(status(expert, id)));
        advisor.screenshot("b4-advisor-in-booked-call");
        expert.screenshot("b5-expert-in-booked-call");

        advisor.click("hangup");
        advisor.shown("call-now");
        expert.shown("ready");
        await().until(() -> "completed".equals(status(advisor, id)) && "completed".equals(status(expert, id)));
        assertThat(advisor.displayed("start-booking-" + id)).isFalse();

        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingStarted.class,
                s -> assertThat(s.bookingId()).isEqualTo(id)));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingStarted.class,
                s -> assertThat(s.expertId()).isEqualTo("e1")));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingCompleted.class,
                c -> assertThat(c.bookingId()).isEqualTo(id)));
    }

    @Test
    void bookingsAreRescheduledAndCancelledWithReasonsFromBothPages() throws Exception {
        Browser.Window expert = expertAvailable("e2");
        Browser.Window advisor = advisorBooking("anna");
        long moved = book(advisor, "11:00", "Asiakas A");
        long kept = book(advisor, "12:00", "Asiakas B");

        // Reschedule, with the keyboard only: another slot of the same service, with a reason.
        advisor.find("#reschedule-" + moved).sendKeys(Keys.ENTER);
        assertThat(advisor.js("return document.activeElement.id")).isEqualTo("booking-title");
        assertThat(advisor.find("#book-service").isEnabled()).isFalse();
        assertThat(advisor.text("reschedule-what")).startsWith("Siirretään varausta").contains("klo 11.00");
        await().until(() -> !advisor.all("#slot-list input[data-time='11:30']").isEmpty());
        advisor.find("#slot-list input[data-time='11:30']").sendKeys(Keys.SPACE);
        advisor.find("#reschedule-reason").sendKeys("Asiakkaan bussi myöhässä", Keys.ENTER);
        await().until(() -> "rescheduled".equals(status(advisor, moved)));
        assertThat(row(advisor, moved)).contains("tänään 11.30").contains("siirretty").contains("Asiakkaan bussi myöhässä");
        assertThat(advisor.text("booking-message")).contains("Varaus siirretty").contains("klo 11.30");
        assertThat(advisor.find("#book-service").isEnabled()).isTrue();

        // Cancel from the advisor's page: the reason is asked for first.
        advisor.click("cancel-booking-" + moved);
        assertThat(advisor.js("return document.activeElement.id")).isEqualTo("advisor-cancel-reason");
        advisor.click("advisor-cancel-confirm");
        assertThat(advisor.text("advisor-cancel-error")).isEqualTo("Kirjoita syy.");
        advisor.find("#advisor-cancel-reason").sendKeys("Asiakas sairastui");
        assertThat(advisor.accessibilityViolations()).as("WCAG 2.1 AA, cancel form").isEmpty();
        advisor.screenshot("b6-advisor-cancelling");
        advisor.click("advisor-cancel-confirm");
        await().until(() -> "cancelled".equals(status(advisor, moved)));
        assertThat(advisor.js("return document.activeElement.id")).as("the keyboard's place").isEqualTo("point-bookings-title");
        assertThat(row(advisor, moved)).contains("peruttu").contains("Asiakas sairastui");
        await().until(() -> "cancelled".equals(status(expert, moved)));

        // Cancel from the expert's page: the advisor's list follows by push.
        expert.click("cancel-booking-" + kept);
        expert.find("#expert-cancel-reason").sendKeys("Asiantuntija estynyt");
        expert.click("expert-cancel-confirm");
        await().until(() -> "cancelled".equals(status(expert, kept)));
        await().until(() -> "cancelled".equals(status(advisor, kept)));
        assertThat(row(advisor, kept)).contains("Asiantuntija estynyt");
        expert.screenshot("b7-expert-cancelled");

        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingCancelled.class, c -> {
            assertThat(c.bookingId()).isEqualTo(moved);
            assertThat(c.reason()).isEqualTo("Asiakas sairastui");
            assertThat(c.actor()).isEqualTo("advisor:anna");
        }));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingCancelled.class, c -> {
            assertThat(c.bookingId()).isEqualTo(kept);
            assertThat(c.reason()).isEqualTo("Asiantuntija estynyt");
            assertThat(c.actor()).isEqualTo("expert:e2");
        }));

        // In Swedish too.
        choose(advisor, "lang", "sv");
        assertThat(advisor.text("book")).isEqualTo("Boka");
        assertThat(advisor.find("label[for='book-date']").getText()).isEqualTo("Dag");
        assertThat(row(advisor, kept)).contains("avbokad");
    }

    @Test
    void ofTwoAdvisorsRacingForTheLastPlaceOneWinsTheOtherIsToldAndSeesTheSlotsAsTheyAreNow() throws Exception {
        // anna (Mikkeli) and bo (Parainen) both see 13:00 free; the ring has one place at a time.
        Browser.Window anna = advisorBooking("anna");
        Browser.Window bo = advisorBooking("bo");
        for (Browser.Window w : List.of(anna, bo)) {
            w.find("#slot-list input[data-time='13:00']").click();
            w.find("#book-note").sendKeys("Asiakas of " + w.name);
        }
        // Both click Book at once: a script's click returns before the page's request is answered.
        anna.js("document.getElementById('book').click()");
        bo.js("document.getElementById('book').click()");
        await().until(() -> !anna.text("booking-message").isEmpty() || !anna.text("booking-error").isEmpty());
        await().until(() -> !bo.text("booking-message").isEmpty() || !bo.text("booking-error").isEmpty());

        List<Browser.Window> won = List.of(anna, bo).stream().filter(w -> w.text("booking-error").isEmpty()).toList();
        assertThat(won).as("exactly one books 13:00").hasSize(1);
        Browser.Window winner = won.get(0);
        Browser.Window loser = winner == anna ? bo : anna;
        assertThat(winner.text("booking-message")).startsWith("Varattu:").contains("klo 13.00");
        await().until(() -> winner.all("#bookings-body tr[data-status='confirmed']").size() == 1);
        assertThat(loser.text("booking-error"))
                .isEqualTo("Aika 13.00 ehdittiin juuri varata toiselle. Vapaat ajat on päivitetty – valitse toinen aika.");
        assertThat(loser.text("booking-message")).isEmpty();
        assertThat(loser.all("#slot-list input[data-time='13:00']")).as("the refreshed list").isEmpty();
        assertThat(loser.all("#slot-list input[data-time='13:30']")).isNotEmpty();
        assertThat(loser.all("#bookings-body tr[data-booking]")).as("the loser booked nothing").isEmpty();
        loser.screenshot("b8-advisor-lost-the-race");
    }
}
