package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.signaling.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Service from home (issue 16) as the customer lives it: a booking from home is made, the customer opens
 * the link on a phone held upright, passes the device check, waits in the waiting room, the expert
 * answers and both decode video; then the link is used up. The server's clock is the fixture's manual
 * one (Tuesday 10:00 Finnish time); the 10:30 slot's link opens at 10:15.
 */
class HomeBrowserTest extends BrowserTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode api(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(f.http(path))
                .header("Authorization", "Bearer " + f.token(Role.ADVISOR, "anna"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return r.body().startsWith("{") ? WsClient.JSON.readTree(r.body()) : WsClient.JSON.getNodeFactory().textNode(r.body());
    }

    @Test
    void theCustomerJoinsFromAPhoneAndTalksWithTheExpert() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        // The advisor books on the booking screen, "from home" ticked, and hands the customer the link.
        Browser.Window advisor = advisorReady("anna");
        await().atMost(Duration.ofSeconds(20)).until(() -> !advisor.all("#slot-list input[data-time='10:30']").isEmpty());
        choose(advisor, "book-language", "fi");
        choose(advisor, "book-expert", "e1");
        await().until(() -> !advisor.all("#slot-list input[data-time='10:30']").isEmpty());
        advisor.find("#slot-list input[data-time='10:30']").click();
        advisor.find("#book-note").sendKeys("Matti Meikäläinen, hetu 010101-123X");
        advisor.find("#book-from-home").click();
        advisor.click("book");
        await().until(() -> advisor.text("booking-message").startsWith("Varattu:"));
        long id = await().until(() -> advisor.all("#bookings-body tr[data-status='confirmed']").stream()
                .map(r -> Long.parseLong(r.getAttribute("data-booking"))).findFirst(), java.util.Optional::isPresent).orElseThrow();
        advisor.click("join-link-" + id);
        advisor.shown("join-card");
        String url = advisor.find("#join-card-url").getText();
        assertThat(advisor.all("#join-card .qr svg")).hasSize(1);
        assertThat(advisor.accessibilityViolations()).as("WCAG 2.1 AA, the join link card").isEmpty();
        advisor.screenshot("h0-advisor-join-link-card");
        advisor.click("join-card-close");
        // The expert sees it marked "from home".
        await().until(() -> expert.all("#bookings-body tr[data-booking='" + id + "']").stream()
                .anyMatch(r -> r.getText().contains("kotoa")));
        assertThat(url).startsWith(base() + "/join/");
        // No personal data in the link: the token's claims are the booking's number, its version and times.
        String claims = new String(Base64.getUrlDecoder().decode(url.substring(url.lastIndexOf('/') + 1).split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertThat(WsClient.JSON.readTree(claims).fieldNames()).toIterable()
                .containsExactlyInAnyOrder("sub", "role", "bk", "v", "iat", "nbf", "exp");
        assertThat(claims).doesNotContain("anna").doesNotContain("Matti").doesNotContain("e1").doesNotContain("mikkeli");

        // What the advisor prints or sends: the link with its QR code, and the booking's .ics with the link.
        JsonNode link = api("GET", "/api/bookings/" + id + "/join", null);
        assertThat(link.get("url").asText()).isEqualTo(url);
        assertThat(link.get("qrSvg").asText()).startsWith("<svg").contains("<path d=\"M");
        assertThat(link.get("validFrom").asText()).isEqualTo("2026-11-24T08:15:00Z");
        assertThat(api("GET", "/api/bookings/" + id + "/ics", null).asText()).contains("URL:" + url.substring(0, 40));

        // Too early: a clear page, not an error.
        Browser.Window early = browser.open("early", url);
        early.shown("problem");
        assertThat(early.text("problem-title")).isEqualTo("On vielä liian aikaista liittyä");
        assertThat(early.text("problem-when")).contains("10.15");
        assertThat(early.accessibilityViolations()).as("WCAG 2.1 AA, too early").isEmpty();

        f.advance(Duration.ofMinutes(20));
        // The link opened on a desktop first, then on the phone: the phone takes over.
        early.reload();
        early.shown("device");
        Browser.Window phone = browser.openPhone("customer", url);
        phone.shown("device");
        early.shown("problem");
        assertThat(early.text("problem-title")).isEqualTo("Asiointi jatkuu toisella laitteella");
        assertThat(phone.js("return window.innerWidth")).isEqualTo(390L);

        // The device check: own camera, a microphone level, the devices to choose from.
        await().until(() -> phone.find("#join").isEnabled());
        assertThat(phone.text("booking-what")).contains("Kela-ajanvaraus, 30 min").contains("10.30");
        assertThat(phone.all("#camera-choice option")).isNotEmpty();
        assertThat(phone.all("#mic-choice option")).isNotEmpty();
        await().until(() -> ((Number) phone.js("return document.getElementById('preview').videoWidth")).intValue() > 0);
        assertThat(phone.accessibilityViolations()).as("WCAG 2.1 AA, device check").isEmpty();
        phone.screenshot("h1-customer-device-check");

        long joined = System.nanoTime();
        phone.click("join");
        phone.shown("waiting");
        assertThat(phone.text("waiting-status")).isIn("Asiantuntija ei ole vielä liittynyt. Odota tässä; puhelu alkaa, kun"
                + " asiantuntija vastaa.", "Asiantuntija liittyy nyt…");
        assertThat(phone.accessibilityViolations()).as("WCAG 2.1 AA, waiting room").isEmpty();
        phone.screenshot("h2-customer-waiting-room");

        // The expert's booked offer rings; the expert starts the call.
        expert.shown("accept");
        await().until(() -> "Asiantuntija liittyy nyt…".equals(phone.text("waiting-status")));
        expert.click("accept");
        awaitVideo(phone);
        awaitVideo(expert);
        long twoWayMs = (System.nanoTime() - joined) / 1_000_000;
        Object customerVideoMs = await().until(() -> phone.find("#call").getAttribute("data-video-ms"), v -> v != null);
        System.out.println("HOME JOIN: from the customer's Join to two-way video " + twoWayMs + " ms (the expert's"
                + " Accept click included); the customer's page saw video " + customerVideoMs + " ms after Join");
        phone.screenshot("h3-customer-in-call");
        expert.screenshot("h4-expert-in-call-from-home");
        assertThat(phone.accessibilityViolations()).as("WCAG 2.1 AA, call on a phone").isEmpty();

        phone.click("hangup");
        phone.shown("ended");
        assertThat(phone.text("ended-text")).isEqualTo("Lopetit puhelun. Kiitos!");
        expert.shown("ready");

        // The link is used up.
        Browser.Window again = browser.openPhone("again", url);
        again.shown("problem");
        assertThat(again.text("problem-title")).isEqualTo("Tämä asiointi on jo pidetty");

        List<DomainEvent> events = journal();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.CustomerJoined.class,
                j -> assertThat(j.bookingId()).isEqualTo(id)));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingCompleted.class,
                c -> assertThat(c.bookingId()).isEqualTo(id)));
    }
}
