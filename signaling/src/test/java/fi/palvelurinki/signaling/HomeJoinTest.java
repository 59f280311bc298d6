package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.signaling.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Home join links (issue 16) over HTTP and the WebSocket: expired, revoked, forged and reused links each
 * answer a state the customer's page shows as its own clear page; the customer role can do nothing but
 * its booking's call; a second device takes over; guessing is rate-limited. Clock: Tuesday 10:00.
 */
class HomeJoinTest extends ServerTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode advisor(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(f.http(path))
                .header("Authorization", "Bearer " + f.token(Role.ADVISOR, "anna"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return WsClient.JSON.readTree(r.body());
    }

    private JsonNode book(String time) throws Exception {
        return advisor("POST", "/api/bookings", """
                {"ring":"kela","service":"kela-appointment","start":"2026-11-24T%s:00+02:00","language":"fi",
                 "fromHome":true}""".formatted(time)).get("booking");
    }

    private static String token(JsonNode booking) {
        String url = booking.get("joinUrl").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private HttpResponse<String> check(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(f.http("/api/join/" + token)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String state(String token) throws Exception {
        return WsClient.JSON.readTree(check(token).body()).get("state").asText();
    }

    @Test
    void expiredRevokedForgedAndUsedLinksEachSayWhatTheyAre() throws Exception {
        JsonNode first = book("10:30");
        String link = token(first);
        assertThat(state(link)).isEqualTo("not_yet");
        // Forged: the signature of another payload, a token of another secret, nonsense.
        String[] parts = link.split("\\.");
        String otherBooking = token(book("11:30")).split("\\.")[1];
        assertThat(state(parts[0] + "." + otherBooking + "." + parts[2])).isEqualTo("forged");
        assertThat(state("not-a-token")).isEqualTo("forged");
        assertThat(check("not-a-token").statusCode()).isEqualTo(404);

        // Moved: the old link is revoked, the new one works.
        JsonNode moved = advisor("PATCH", "/api/bookings/" + first.get("id").asLong(),
                "{\"start\":\"2026-11-24T12:00:00+02:00\",\"reason\":\"customer asked\"}").get("booking");
        assertThat(moved.get("version").asInt()).isEqualTo(1);
        assertThat(state(link)).isEqualTo("revoked");
        assertThat(check(link).statusCode()).isEqualTo(410);
        assertThat(token(moved)).isNotEqualTo(link);
        assertThat(state(token(moved))).isEqualTo("not_yet");

        // Cancelled: revoked, and the customer's socket cannot join either.
        JsonNode cancelled = book("13:00");
        advisor("POST", "/api/bookings/" + cancelled.get("id").asLong() + "/cancel", "{\"reason\":\"not needed\"}");
        assertThat(state(token(cancelled))).isEqualTo("revoked");

        // Expired: after the slot's end, whatever became of the booking (here a customer no-show).
        JsonNode missed = book("10:30");
        f.advance(Duration.ofMinutes(20));
        assertThat(state(token(missed))).isEqualTo("valid");
        f.advance(Duration.ofMinutes(40));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(state(token(missed))).as("a customer no-show, the link within its 30 s leeway").isEqualTo("ended");
        f.advance(Duration.ofMinutes(1));
        assertThat(state(token(missed))).isEqualTo("expired");
        assertThat(events()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingNoShow.class,
                n -> assertThat(n.side()).isEqualTo(fi.palvelurinki.broker.booking.NoShowSide.CUSTOMER)));
    }

    @Test
    void theCustomerDoesNothingButJoinItsCallAndASecondDeviceTakesOver() throws Exception {
        JsonNode booking = book("10:30");
        f.advance(Duration.ofMinutes(20));
        long id = booking.get("id").asLong();
        WsClient expert = f.connect(Role.EXPERT, "e1");
        CallFlowTest.available(expert);
        WsClient phone = WsClient.open(f.ws(), token(booking));
        JsonNode welcome = phone.hello();
        assertThat(welcome.get("role").asText()).isEqualTo("customer");
        assertThat(welcome.at("/state/booking/serviceName").asText()).isEqualTo("Kela-ajanvaraus, 30 min");
        assertThat(welcome.at("/state/booking").has("note")).isFalse();
        for (String forbidden : List.of("list_rings", "request_call", "start_booking", "set_presence", "watch_rings",
                "list_requests", "cancel_request")) {
            JsonNode r = phone.request(phone.msg(forbidden));
            assertThat(r.get("code").asText()).as(forbidden).isIn("forbidden", "missing_field");
        }
        assertThat(phone.request(phone.msg("list_rings")).get("code").asText()).isEqualTo("forbidden");
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(f.http("/api/bookings"))
                .header("Authorization", "Bearer " + token(booking)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(403);

        ObjectNode check = phone.msg("device_check");
        check.put("problem", "no_microphone");
        assertThat(phone.request(check).get("type").asText()).isEqualTo("ok");

        JsonNode queued = phone.request(phone.msg("join"));
        assertThat(queued.get("type").asText()).isEqualTo("queued");
        JsonNode offer = expert.awaitType("offer");
        assertThat(offer.get("kind").asText()).isEqualTo("booked");
        assertThat(offer.get("advisorName").asText()).isEqualTo("from home");
        assertThat(expert.awaitMessage(m -> "booking".equals(m.path("type").asText())
                && "customer_waiting".equals(m.path("change").asText())).at("/booking/fromHome").asBoolean()).isTrue();

        // The same link on a second device: it takes over, the first is closed with 4409, nothing is added.
        WsClient tablet = WsClient.open(f.ws(), token(booking));
        tablet.hello();
        assertThat(phone.closed.get(10, TimeUnit.SECONDS)[0]).isEqualTo(4409);
        JsonNode again = tablet.request(tablet.msg("join"));
        assertThat(again.get("requestId").asLong()).isEqualTo(queued.get("requestId").asLong());

        ObjectNode accept = expert.msg("accept_offer");
        accept.put("requestId", queued.get("requestId").asLong());
        expert.request(accept);
        long callId = tablet.awaitType("call_connected").get("callId").asLong();
        assertThat(tablet.awaitType("call_connected").get("initiator").asBoolean()).isTrue();
        ObjectNode hangup = tablet.msg("hangup");
        hangup.put("callId", callId);
        assertThat(tablet.request(hangup).get("type").asText()).isEqualTo("ok");
        expert.awaitType("call_ended");
        assertThat(state(token(booking))).as("a reused link").isEqualTo("ended");
        JsonNode reused = WsClient.open(f.ws(), token(booking)).hello();
        assertThat(reused.get("type").asText()).isEqualTo("welcome");

        List<DomainEvent> events = events();
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.DeviceCheckFailed.class,
                d -> assertThat(d.problem()).isEqualTo("no_microphone")));
        assertThat(events).filteredOn(e -> e instanceof DomainEvent.CustomerJoined).hasSize(1);
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(DomainEvent.BookingCompleted.class,
                c -> assertThat(c.bookingId()).isEqualTo(id)));
    }

    @Test
    void guessingLinksIsRateLimitedPerAddress() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertThat(check("guess" + i).statusCode()).isEqualTo(404);
        }
        HttpResponse<String> r = check("guess-31");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("rate_limited");
    }

    private List<DomainEvent> events() throws Exception {
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        org.awaitility.Awaitility.await().until(() -> f.server.broker().health().durableSeq()
                == f.server.broker().health().appendedSeq());
        List<DomainEvent> events = new ArrayList<>();
        JournalReader.read(data.resolve("journal"), e -> events.add(e.event()));
        return events;
    }

    private HttpResponse<String> post(Role role, String user, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(f.http("/api/bookings"))
                .header("Authorization", "Bearer " + f.token(role, user))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorAndAnExpertBookFromHomeThroughTheApiAndGetTheLink() throws Exception {
        String slot = """
                {"ring":"%s","service":"kela-appointment","start":"2026-11-24T%s:00+02:00","language":"fi",
                 "fromHome":true%s}""";
        HttpResponse<String> byOperator = post(Role.OPERATOR, "olli", slot.formatted("kela", "13:00", ",\"advisor\":\"anna\""));
        assertThat(byOperator.statusCode()).as(byOperator.body()).isEqualTo(201);
        JsonNode booked = WsClient.JSON.readTree(byOperator.body()).get("booking");
        assertThat(booked.get("fromHome").asBoolean()).isTrue();
        assertThat(booked.get("point").asText()).as("the advisor's point").isEqualTo("mikkeli");
        assertThat(booked.get("advisor").asText()).isEqualTo("anna");
        assertThat(state(token(booked))).isEqualTo("not_yet");

        HttpResponse<String> byExpert = post(Role.EXPERT, "e1", slot.formatted("kela", "14:00", ",\"advisor\":\"anna\""));
        assertThat(byExpert.statusCode()).as(byExpert.body()).isEqualTo(201);
        JsonNode mine = WsClient.JSON.readTree(byExpert.body()).get("booking");
        assertThat(mine.get("expert").asText()).as("the expert who booked, unless another is named").isEqualTo("e1");
        assertThat(state(token(mine))).isEqualTo("not_yet");

        // An expert books only in their own rings; an operator or expert must say whose point the booking is.
        HttpResponse<String> otherRing = post(Role.EXPERT, "e3", slot.formatted("kela", "15:00", ",\"advisor\":\"anna\""));
        assertThat(otherRing.statusCode()).isEqualTo(403);
        assertThat(WsClient.JSON.readTree(otherRing.body()).get("code").asText()).isEqualTo("not_a_party");
        HttpResponse<String> nobody = post(Role.OPERATOR, "olli", slot.formatted("kela", "15:00", ""));
        assertThat(nobody.statusCode()).isEqualTo(400);
        assertThat(WsClient.JSON.readTree(nobody.body()).get("reason").asText()).contains("\"advisor\" is required");
        assertThat(post(Role.ADVISOR, "anna", slot.formatted("kela", "15:00", ",\"advisor\":\"bo\"")).statusCode())
                .as("an advisor books for themselves").isEqualTo(403);
    }
}
