package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.signaling.auth.Role;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

/** Bookings over the REST API and the booked call over the WebSocket protocol. */
class BookingApiTest extends ServerTestBase {
    final HttpClient http = HttpClient.newHttpClient();

    static String at(String local) {
        return LocalDateTime.parse(local).atZone(OpeningHours.ZONE).toInstant().toString();
    }

    CompletableFuture<HttpResponse<String>> send(Role role, String user, String method, String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(f.http(path)).header("Authorization", "Bearer " + f.token(role, user))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> call(Role role, String user, String method, String path, String body) {
        return send(role, user, method, path, body).join();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return WsClient.JSON.readTree(r.body());
    }

    static String booking(String start) {
        return "{\"ring\":\"kela\",\"service\":\"kela-appointment\",\"start\":\"" + start
                + "\",\"language\":\"fi\",\"note\":\"asumistuki, liitteet mukana\"}";
    }

    @Test
    void anAdvisorFindsASlotAndBooksItAndTheRingsExpertsAreTold() throws Exception {
        WsClient expert = f.connect(Role.EXPERT, "e1");
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        JsonNode services = json(call(Role.ADVISOR, "anna", "GET", "/api/services?ring=kela", null));
        assertThat(services.path("services").get(0).path("id").asText()).isEqualTo("kela-appointment");
        assertThat(services.path("services").get(0).path("length").asText()).isEqualTo("30m");
        JsonNode named = services.path("services").get(0).path("experts");
        assertThat(named.findValuesAsText("id")).as("who can be named").containsExactlyInAnyOrder("e1", "e2");
        assertThat(named.findValuesAsText("name")).contains("Eeva Salonen");
        assertThat(named.get(0).path("languages").isArray()).isTrue();

        HttpResponse<String> slots = call(Role.ADVISOR, "anna", "GET",
                "/api/slots?ring=kela&service=kela-appointment&date=2026-11-24&language=fi", null);
        assertThat(slots.statusCode()).as(slots.body()).isEqualTo(200);
        JsonNode list = json(slots).path("slots");
        assertThat(list.get(0).path("localTime").asText()).as("now is 10:00").isEqualTo("10:00");
        assertThat(list.size()).isEqualTo(28);

        HttpResponse<String> booked = call(Role.ADVISOR, "anna", "POST", "/api/bookings", booking(at("2026-11-24T12:00")));
        assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
        JsonNode b = json(booked).path("booking");
        assertThat(b.path("status").asText()).isEqualTo("confirmed");
        assertThat(b.path("pointName").asText()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(b.path("localStart").asText()).isEqualTo("2026-11-24T12:00");
        JsonNode push = expert.awaitType("booking");
        assertThat(push.path("change").asText()).isEqualTo("confirmed");
        assertThat(push.path("booking").path("id").asLong()).isEqualTo(b.path("id").asLong());
        assertThat(advisor.awaitType("booking").path("change").asText()).isEqualTo("confirmed");

        JsonNode mine = json(call(Role.EXPERT, "e1", "GET", "/api/bookings?from=2026-11-24", null));
        assertThat(mine.path("bookings").size()).as("a pooled booking of e1's ring").isEqualTo(1);
        assertThat(mine.path("now").asText()).as("the server's clock").isEqualTo("2026-11-24T08:00:00Z");
        JsonNode bos = json(call(Role.ADVISOR, "bo", "GET", "/api/bookings?from=2026-11-24", null));
        assertThat(bos.path("bookings").size()).as("another point's bookings are not bo's").isZero();
        // An expert searches and books for a service point's customer: the point and its advisor must be named.
        assertThat(call(Role.EXPERT, "e1", "GET", "/api/slots?ring=kela&service=kela-appointment&date=2026-11-24&language=fi",
                null).statusCode()).isEqualTo(400);
        assertThat(json(call(Role.EXPERT, "e1", "GET",
                "/api/slots?ring=kela&service=kela-appointment&date=2026-11-24&language=fi&point=mikkeli", null))
                .path("slots").size()).isPositive();
        assertThat(call(Role.EXPERT, "e1", "POST", "/api/bookings", booking(at("2026-11-24T13:00"))).statusCode())
                .isEqualTo(400);
    }

    @Test
    void ofTwoAdvisorsRacingForTheLastSlotOneWinsTheOtherGetsTheSlotsAsTheyAreNow() throws Exception {
        // The test ring holds one booked call at a time: 12:00 has one place.
        String noon = at("2026-11-24T12:00");
        CompletableFuture<HttpResponse<String>> anna = send(Role.ADVISOR, "anna", "POST", "/api/bookings", booking(noon));
        CompletableFuture<HttpResponse<String>> bo = send(Role.ADVISOR, "bo", "POST", "/api/bookings", booking(noon));
        List<HttpResponse<String>> both = List.of(anna.join(), bo.join());
        assertThat(both).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(201, 409);
        HttpResponse<String> lost = both.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow();
        JsonNode err = json(lost);
        assertThat(err.path("code").asText()).isEqualTo("slot_taken");
        assertThat(err.path("reason").asText()).contains("12:00").contains("no longer free");
        assertThat(err.path("slots").findValuesAsText("start")).isNotEmpty().doesNotContain(noon);
    }

    @Test
    void anOperatorWhoseBookingLostTheSlotGetsTheFreeSlotsOfThePointItWasFor() throws Exception {
        // Parainen has one room: a DVV booking at 12:30 fills it, though the Kela ring is free then.
        assertThat(call(Role.ADVISOR, "bo", "POST", "/api/bookings", booking(at("2026-11-24T12:30"))
                .replace("\"kela\"", "\"dvv\"").replace("kela-appointment", "dvv-appointment")).statusCode()).isEqualTo(201);
        assertThat(call(Role.ADVISOR, "anna", "POST", "/api/bookings", booking(at("2026-11-24T12:00"))).statusCode())
                .isEqualTo(201);
        HttpResponse<String> lost = call(Role.OPERATOR, "olli", "POST", "/api/bookings",
                booking(at("2026-11-24T12:00")).replace("{", "{\"advisor\":\"bo\","));
        assertThat(lost.statusCode()).as(lost.body()).isEqualTo(409);
        List<String> free = json(lost).path("slots").findValuesAsText("start");
        assertThat(free).as("Kela's free times at Parainen, not at no point").isNotEmpty()
                .contains(at("2026-11-24T13:00")).doesNotContain(at("2026-11-24T12:00"), at("2026-11-24T12:30"));
    }

    @Test
    void reschedulingAndCancellingWithReasons() throws Exception {
        long id = json(call(Role.ADVISOR, "anna", "POST", "/api/bookings", booking(at("2026-11-24T12:00"))))
                .path("booking").path("id").asLong();
        HttpResponse<String> moved = call(Role.ADVISOR, "maria", "PATCH", "/api/bookings/" + id,
                "{\"start\":\"" + at("2026-11-24T14:30") + "\",\"reason\":\"customer's bus\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(json(moved).path("booking").path("status").asText()).isEqualTo("rescheduled");
        assertThat(call(Role.ADVISOR, "bo", "PATCH", "/api/bookings/" + id,
                "{\"start\":\"" + at("2026-11-24T15:00") + "\",\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(call(Role.ADVISOR, "anna", "POST", "/api/bookings/" + id + "/cancel", "{}").statusCode())
                .as("a reason is required").isEqualTo(400);
        HttpResponse<String> cancelled = call(Role.EXPERT, "e2", "POST", "/api/bookings/" + id + "/cancel",
                "{\"reason\":\"expert ill\"}");
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        JsonNode c = json(cancelled).path("booking");
        assertThat(c.path("status").asText()).isEqualTo("cancelled");
        assertThat(c.path("cancelledBy").asText()).isEqualTo("expert:e2");
        assertThat(call(Role.ADVISOR, "anna", "GET", "/api/bookings/999", null).statusCode()).isEqualTo(404);
        assertThat(call(Role.ADVISOR, "anna", "POST", "/api/bookings", "{\"ring\":\"kela\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> nasa = call(Role.ADVISOR, "anna", "POST", "/api/bookings",
                booking(at("2026-11-24T12:00")).replace("\"kela\"", "\"nasa\""));
        assertThat(nasa.statusCode()).as("an unknown ring named in the body is a bad value").isEqualTo(400);
        assertThat(json(nasa).path("code").asText()).isEqualTo("unknown_ring");
    }

    @Test
    void expertsExportTheirBookingsAsICalendar() throws Exception {
        call(Role.ADVISOR, "anna", "POST", "/api/bookings", booking(at("2026-11-24T12:00")));
        long second = json(call(Role.ADVISOR, "bo", "POST", "/api/bookings", booking(at("2026-11-24T13:00"))))
                .path("booking").path("id").asLong();
        call(Role.ADVISOR, "bo", "POST", "/api/bookings/" + second + "/cancel", "{\"reason\":\"no longer needed\"}");
        HttpResponse<String> ics = call(Role.EXPERT, "e1", "GET", "/api/bookings.ics", null);
        assertThat(ics.statusCode()).isEqualTo(200);
        assertThat(ics.headers().firstValue("Content-Type").orElse("")).startsWith("text/calendar");
        assertThat(ics.body()).contains("DTSTART:20261124T100000Z").contains("DTEND:20261124T103000Z");
        Calendar cal = new CalendarBuilder().build(new StringReader(ics.body()));
        List<VEvent> events = cal.getComponents("VEVENT");
        assertThat(events).hasSize(2);
        VEvent first = events.get(0);
        assertThat(first.getUid().orElseThrow().getValue()).isEqualTo("booking-1@palvelurinki");
        assertThat(first.getSummary().getValue()).isEqualTo("Kela-ajanvaraus, 30 min – Mikkelin Asiointipiste");
        assertThat(events.get(1).getStatus().getValue()).isEqualTo("CANCELLED");
        assertThat(call(Role.ADVISOR, "anna", "GET", "/api/bookings.ics", null).statusCode()).isEqualTo(403);
    }

    @Test
    void theBookedCallIsStartedByThePointAndRoutedWithPriority() throws Exception {
        long id = json(call(Role.ADVISOR, "anna", "POST", "/api/bookings", booking(at("2026-11-24T12:00"))))
                .path("booking").path("id").asLong();
        WsClient expert = f.connect(Role.EXPERT, "e1");
        CallFlowTest.available(expert);
        WsClient advisor = f.connect(Role.ADVISOR, "anna");
        ObjectNode early = advisor.msg("start_booking");
        early.put("bookingId", id);
        assertThat(advisor.request(early).path("code").asText()).as("10:00 is too early for 12:00").isEqualTo("invalid_argument");

        f.advance(Duration.ofMinutes(115));
        JsonNode due = advisor.awaitMessage(n -> n.path("type").asText().equals("booking")
                && n.path("change").asText().equals("due"));
        assertThat(due.path("booking").path("id").asLong()).isEqualTo(id);
        ObjectNode start = advisor.msg("start_booking");
        start.put("bookingId", id);
        JsonNode queued = advisor.request(start);
        assertThat(queued.path("type").asText()).as(queued.toString()).isEqualTo("queued");
        JsonNode offer = expert.awaitType("offer");
        assertThat(offer.path("kind").asText()).isEqualTo("booked");
        assertThat(offer.path("note").asText()).isEqualTo("asumistuki, liitteet mukana");
        ObjectNode accept = expert.msg("accept_offer");
        accept.put("requestId", offer.path("requestId").asLong());
        expert.request(accept);
        advisor.awaitType("call_connected");
        JsonNode started = advisor.awaitMessage(n -> n.path("type").asText().equals("booking")
                && n.path("change").asText().equals("started"));
        assertThat(started.path("booking").path("status").asText()).isEqualTo("started");
    }
}
