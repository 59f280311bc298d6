package fi.palvelurinki.signaling;

import static fi.palvelurinki.signaling.CallFlowTest.available;
import static fi.palvelurinki.signaling.CallFlowTest.requestCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.signaling.auth.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Dropped connections, resume with the last sequence number seen, grace periods and restarts. */
class ResumeTest extends ServerTestBase {

    String requestState(long id) throws Exception {
        return ((Reply.RequestStatus) f.server.broker().submit(new Command.GetRequest(id)).get(10, TimeUnit.SECONDS)).state();
    }

    @Test
    void aDroppedAdvisorResumesKeepsItsPlaceAndGetsWhatItMissed() throws Exception {
        WsClient first = f.connect(Role.ADVISOR, "bo");
        long firstId = requestCall(first, "kela", "pension", "fi", "").path("requestId").asLong();
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        JsonNode q = requestCall(anna, "kela", "pension", "fi", "");
        assertThat(q.path("position").asInt()).isEqualTo(2);
        String token = anna.welcome.path("resumeToken").asText();
        long lastSeen = anna.lastSeq();

        anna.drop();
        // While anna is away, the customer ahead of her leaves: her position changes.
        ObjectNode cancel = first.msg("cancel_request");
        cancel.put("requestId", firstId);
        first.request(cancel);
        f.advance(Duration.ofSeconds(20));

        WsClient back = WsClient.open(f.ws(), f.token(Role.ADVISOR, "anna"));
        back.hello(token, lastSeen);
        assertThat(back.welcome.path("resumed").asBoolean()).isTrue();
        JsonNode missed = back.awaitType("queue_update");
        assertThat(missed.path("position").asInt()).isEqualTo(1);
        assertThat(missed.path("seq").asLong()).as("numbering continues").isEqualTo(lastSeen + 1);
        assertThat(back.welcome.path("seq").asLong()).isGreaterThan(missed.path("seq").asLong());
        assertThat(back.welcome.path("state").path("requests").get(0).path("position").asInt()).isEqualTo(1);
        assertThat(requestState(q.path("requestId").asLong())).isEqualTo("WAITING");
    }

    @Test
    void whatAPingAcknowledgesIsNoLongerKeptForAResume() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        requestCall(anna, "kela", "pension", "fi", "");
        String token = anna.welcome.path("resumeToken").asText();
        long acknowledged = anna.lastSeq();

        ObjectNode beyond = anna.msg("ping");
        beyond.put("lastSeq", acknowledged + 100);
        JsonNode refused = anna.request(beyond);
        assertThat(refused.path("code").asText()).isEqualTo("invalid_field");
        assertThat(refused.path("reason").asText()).contains("was never sent");

        ObjectNode ping = anna.msg("ping");
        ping.put("lastSeq", acknowledged);
        assertThat(anna.request(ping).path("type").asText()).isEqualTo("pong");
        anna.drop();

        WsClient back = WsClient.open(f.ws(), f.token(Role.ADVISOR, "anna"));
        back.hello(token, acknowledged - 1);
        assertThat(back.welcome.path("resumed").asBoolean()).as("seq %d was acknowledged, so forgotten", acknowledged)
                .isFalse();
        assertThat(back.welcome.path("resumeError").asText()).contains("after seq " + (acknowledged - 1));
        assertThat(back.welcome.path("state").path("requests").get(0).path("position").asInt())
                .as("the request keeps its place all the same").isEqualTo(1);

        String second = back.welcome.path("resumeToken").asText();
        long seen = back.lastSeq();
        ObjectNode ack = back.msg("ping");
        ack.put("lastSeq", seen);
        back.request(ack);
        back.drop();
        WsClient again = WsClient.open(f.ws(), f.token(Role.ADVISOR, "anna"));
        again.hello(second, seen);
        assertThat(again.welcome.path("resumed").asBoolean()).as("what came after the acknowledgement is kept").isTrue();
        assertThat(again.awaitType("pong").path("seq").asLong()).isEqualTo(seen + 1);
    }

    @Test
    void afterTheGracePeriodTheBrokerTreatsTheDroppedPartyAsGone() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        long id = requestCall(anna, "kela", "pension", "fi", "").path("requestId").asLong();
        WsClient expert = f.connect(Role.EXPERT, "e1");
        available(expert);
        expert.awaitType("offer");
        expert.drop();
        anna.drop();
        await().until(() -> f.server.sessions().connections(Role.ADVISOR) == 0);

        f.advance(Duration.ofSeconds(29));
        // Within the grace the request lives on (its offer times out after the ring's 20 s and it waits again).
        assertThat(requestState(id)).as("still within grace").isIn("OFFERED", "WAITING");
        f.advance(Duration.ofSeconds(2));
        await().until(() -> requestState(id).equals("ABANDONED"));
        Reply.ExpertStatus e1 = (Reply.ExpertStatus) f.server.broker().submit(new Command.GetExpert("e1")).get();
        assertThat(e1.presence().name()).isEqualTo("OFFLINE");
        // Resuming now is too late: a fresh session, told so.
        WsClient late = WsClient.open(f.ws(), f.token(Role.ADVISOR, "anna"));
        late.hello(anna.welcome.path("resumeToken").asText(), anna.lastSeq());
        assertThat(late.welcome.path("resumed").asBoolean()).isFalse();
        assertThat(late.welcome.path("resumeError").asText()).contains("expired");
        assertThat(late.welcome.path("state").path("requests").size()).isZero();
    }

    @Test
    void anOfferRingingAtAnExpertSurvivesAShortDrop() throws Exception {
        WsClient expert = f.connect(Role.EXPERT, "e1");
        available(expert);
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        long id = requestCall(anna, "kela", "pension", "fi", "").path("requestId").asLong();
        expert.awaitType("offer");
        String token = expert.welcome.path("resumeToken").asText();
        long seen = expert.lastSeq();
        expert.drop();
        f.advance(Duration.ofSeconds(5));

        WsClient back = WsClient.open(f.ws(), f.token(Role.EXPERT, "e1"));
        back.hello(token, seen);
        assertThat(back.welcome.path("resumed").asBoolean()).isTrue();
        assertThat(back.welcome.path("state").path("offeredRequestId").asLong()).isEqualTo(id);
        ObjectNode accept = back.msg("accept_offer");
        accept.put("requestId", id);
        assertThat(back.request(accept).path("type").asText()).isEqualTo("ok");
        anna.awaitType("call_connected");
        back.awaitType("call_connected");
    }

    @Test
    void resumingFromTheOldConnectionWhileItIsStillOpenTakesTheSessionOver() throws Exception {
        WsClient old = f.connect(Role.EXPERT, "e2");
        WsClient fresh = WsClient.open(f.ws(), f.token(Role.EXPERT, "e2"));
        fresh.hello(old.welcome.path("resumeToken").asText(), old.lastSeq());
        assertThat(fresh.welcome.path("resumed").asBoolean()).isTrue();
        assertThat(old.closed.get(10, TimeUnit.SECONDS)[0]).isEqualTo(1000);
        assertThat(fresh.request(fresh.msg("ping")).path("type").asText()).isEqualTo("pong");
    }

    @Test
    void aSilentPeerIsDetectedByItsMissingHeartbeatsWhileAPingingOneStays() throws Exception {
        // Silence is measured on the server's monotonic ticker, here the test's own: no real waiting, and a
        // stalled machine cannot make the pinging client look silent.
        f.close();
        java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
        f = new ServerFixture(data, f.clock, c -> c.withHeartbeat(Duration.ofSeconds(1)), null, null, ticks::get);
        WsClient silent = f.connect(Role.ADVISOR, "anna");
        WsClient pinging = f.connect(Role.EXPERT, "e1");
        assertThat(silent.welcome.path("heartbeatSeconds").asInt()).isEqualTo(1);
        // Half a second at a time; the watch runs every half interval and allows 2.5 intervals of silence.
        for (int step = 1; step <= 6; step++) {
            int pongs = pinging.all("pong").size();
            pinging.send(pinging.msg("ping"));
            await().until(() -> pinging.all("pong").size() > pongs);
            ticks.addAndGet(Duration.ofMillis(500).toNanos());
            f.advance(Duration.ofMillis(500));
            if (step == 5) {
                assertThat(silent.closed).as("2.5 s of silence is still allowed").isNotDone();
            }
        }
        silent.closed.get(10, TimeUnit.SECONDS);
        assertThat(pinging.closed).isNotDone();
        await().until(() -> f.server.sessions().connections(Role.ADVISOR) == 0);
        assertThat(f.server.sessions().sessionsOf(Role.ADVISOR, "anna")).as("kept for a resume").hasSize(1);
        assertThat(f.server.sessions().connections(Role.EXPERT)).isEqualTo(1);
    }

    @Test
    void aRestartKeepsWaitingRequestsAndTheirOrder() throws Exception {
        WsClient bo = f.connect(Role.ADVISOR, "bo");
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        long boId = requestCall(bo, "kela", "pension", "sv", "first").path("requestId").asLong();
        long annaId = requestCall(anna, "kela", "housing", "fi", "second").path("requestId").asLong();
        f.restart();

        WsClient annaAgain = f.connect(Role.ADVISOR, "anna");
        JsonNode mine = annaAgain.welcome.path("state").path("requests");
        assertThat(mine.size()).isEqualTo(1);
        assertThat(mine.get(0).path("requestId").asLong()).isEqualTo(annaId);
        assertThat(mine.get(0).path("state").asText()).isEqualTo("waiting");
        assertThat(mine.get(0).path("position").asInt()).isEqualTo(2);

        // bo never comes back after the restart. Anna came back within the first grace period, so bo gets
        // another: the grace ends once a whole period passes in which nobody expected came back.
        f.advance(Duration.ofSeconds(31));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(requestState(boId)).isEqualTo("WAITING");
        f.advance(Duration.ofSeconds(31));
        await().until(() -> requestState(boId).equals("ABANDONED"));
        annaAgain.awaitMessage(n -> n.path("type").asText().equals("queue_update") && n.path("position").asInt() == 1);
        WsClient expert = f.connect(Role.EXPERT, "e1");
        available(expert);
        assertThat(expert.awaitType("offer").path("note").asText()).isEqualTo("second");
        assertThat(List.of(requestState(annaId))).containsExactly("OFFERED");
    }

    @Test
    void anAdvisorStillConnectingWhenTheGraceEndsKeepsTheirRequest() throws Exception {
        WsClient bo = f.connect(Role.ADVISOR, "bo");
        long boId = requestCall(bo, "kela", "pension", "sv", "first").path("requestId").asLong();
        f.restart();

        // A slow restart: bo's socket is open, but the server has not welcomed him when the grace ends.
        WsClient boAgain = WsClient.open(f.ws(), f.token(Role.ADVISOR, "bo"));
        // The client sees the handshake done before the server has counted the socket: wait for the server's view.
        await().until(() -> f.server.sessions().connections(Role.ADVISOR) == 1);
        f.advance(Duration.ofSeconds(31));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(requestState(boId)).as("connecting is coming back").isEqualTo("WAITING");
        JsonNode mine = boAgain.hello().path("state").path("requests");
        assertThat(mine.get(0).path("requestId").asLong()).isEqualTo(boId);

        // One who connected but never said hello is gone one grace period later.
        f.restart();
        WsClient silent = WsClient.open(f.ws(), f.token(Role.ADVISOR, "bo"));
        await().until(() -> f.server.sessions().connections(Role.ADVISOR) == 1);
        f.advance(Duration.ofSeconds(31));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(requestState(boId)).isEqualTo("WAITING");
        silent.ws.abort();
        await().until(() -> f.server.sessions().connections(Role.ADVISOR) == 0);
        f.advance(Duration.ofSeconds(31));
        await().until(() -> requestState(boId).equals("ABANDONED"));
    }

    private long connectCall(WsClient anna, WsClient expert) {
        available(expert);
        long requestId = requestCall(anna, "kela", "pension", "fi", "").path("requestId").asLong();
        expert.awaitType("offer");
        ObjectNode accept = expert.msg("accept_offer");
        accept.put("requestId", requestId);
        assertThat(expert.request(accept).path("type").asText()).isEqualTo("ok");
        expert.awaitType("call_connected");
        return anna.awaitType("call_connected").path("callId").asLong();
    }

    @Test
    void aCallInProgressGoesOnThroughARestartAndIsCountedOnce() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        WsClient eeva = f.connect(Role.EXPERT, "e1");
        long callId = connectCall(anna, eeva);
        f.restart();

        WsClient annaAgain = f.connect(Role.ADVISOR, "anna");
        JsonNode mine = annaAgain.welcome.path("state").path("requests");
        assertThat(mine.size()).isEqualTo(1);
        assertThat(mine.get(0).path("state").asText()).isEqualTo("connected");
        assertThat(mine.get(0).path("callId").asLong()).isEqualTo(callId);
        WsClient eevaAgain = f.connect(Role.EXPERT, "e1");
        assertThat(eevaAgain.welcome.path("state").path("presence").asText()).isEqualTo("in_call");
        assertThat(eevaAgain.welcome.path("state").path("callId").asLong()).isEqualTo(callId);

        // The parties renegotiate through the restarted server (a page that lost its connection to the peer).
        annaAgain.send(CallFlowTest.signal(annaAgain, callId, "offer", "v=0\r\nafter the restart"));
        assertThat(eevaAgain.awaitType("signal").path("sdp").path("sdp").asText()).isEqualTo("v=0\r\nafter the restart");
        // Past the grace: both came back, so nobody is gone.
        f.advance(Duration.ofSeconds(31));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        ObjectNode hangup = eevaAgain.msg("hangup");
        hangup.put("callId", callId);
        assertThat(eevaAgain.request(hangup).path("type").asText()).isEqualTo("ok");
        assertThat(annaAgain.awaitType("call_ended").path("reason").asText()).isEqualTo("expert_hung_up");
        await().until(() -> f.server.broker().health().durableSeq() == f.server.broker().health().appendedSeq());
        List<DomainEvent> events = new ArrayList<>();
        JournalReader.read(f.data.resolve("journal"), e -> events.add(e.event()));
        assertThat(events).filteredOn(DomainEvent.CallStarted.class::isInstance).hasSize(1);
        assertThat(events).filteredOn(DomainEvent.CallEnded.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((DomainEvent.CallEnded) e).callId()).isEqualTo(callId));
    }

    @Test
    void aCallThatSurvivedARestartEndsWhenAPartyIsNotBackWithinTheGrace() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        WsClient eeva = f.connect(Role.EXPERT, "e1");
        long callId = connectCall(anna, eeva);
        f.restart();

        WsClient annaAgain = f.connect(Role.ADVISOR, "anna");
        // Anna came back within the first grace period, so the expert gets another one.
        f.advance(Duration.ofSeconds(31));
        fi.palvelurinki.broker.testing.Settle.settle(f.server.broker());
        assertThat(annaAgain.all("call_ended")).isEmpty();
        f.advance(Duration.ofSeconds(31));
        JsonNode ended = annaAgain.awaitType("call_ended");
        assertThat(ended.path("callId").asLong()).isEqualTo(callId);
        assertThat(ended.path("reason").asText()).isEqualTo("expert_disconnected");
    }
}
