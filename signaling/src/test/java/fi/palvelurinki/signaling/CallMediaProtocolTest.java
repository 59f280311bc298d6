package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.journal.DomainEvent;
import fi.palvelurinki.broker.journal.JournalReader;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.media.MediaConfig;
import fi.palvelurinki.media.PeerToPeerMedia;
import fi.palvelurinki.media.TurnConfig;
import fi.palvelurinki.signaling.auth.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the server does with the pages' media over the protocol: TURN credentials of each user's own
 * (the shared secret never sent), renewed on request; calls whose media was lost ended after the
 * recovery time by the server's clock, or not when the media came back; quality reports only from a
 * call's parties, within bounds and not too often.
 */
class CallMediaProtocolTest extends ServerTestBase {
    private static final String SECRET = "the-shared-secret-of-coturn-0123456789";
    private PeerToPeerMedia media;

    @BeforeEach
    @Override
    void startServer() throws Exception {
        ManualClock clock = ManualClock.tuesdayMorning();
        TurnConfig turn = new TurnConfig(List.of("turn:turn.example.fi:3478?transport=udp",
                "turns:turn.example.fi:5349?transport=tcp"), SECRET, Duration.ofMinutes(30));
        media = PeerToPeerMedia.start(new MediaConfig(false, "127.0.0.1", 0, "127.0.0.1").withTurn(turn, true)
                .withRecoveryTimeout(Duration.ofSeconds(20)), clock);
        f = new ServerFixture(data, clock, c -> c, null, media);
    }

    @AfterEach
    void stopMedia() {
        media.close();
    }

    private static ObjectNode mediaState(WsClient c, long callId, String state) {
        ObjectNode m = c.msg("media_state");
        m.put("callId", callId);
        m.put("state", state);
        return m;
    }

    private static ObjectNode quality(WsClient c, long callId, int rttMs, int framesDecoded) {
        ObjectNode m = c.msg("call_quality");
        m.put("callId", callId);
        m.put("rttMs", rttMs);
        m.put("lossPermille", 3);
        m.put("bitrateKbps", 1400);
        m.put("framesDecoded", framesDecoded);
        m.put("intervalMs", 10_000);
        return m;
    }

    private List<DomainEvent> journal() throws Exception {
        org.awaitility.Awaitility.await().until(() -> f.server.broker().health().durableSeq()
                == f.server.broker().health().appendedSeq());
        List<DomainEvent> events = new ArrayList<>();
        JournalReader.read(data.resolve("journal"), e -> events.add(e.event()));
        return events;
    }

    @Test
    void eachUserGetsTurnCredentialsOfTheirOwnAndFreshOnesOnRequestButNeverTheSecret() throws Exception {
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        JsonNode turn = anna.welcome.path("iceServers").get(0);
        assertThat(turn.path("urls").toString()).contains("turns:turn.example.fi:5349?transport=tcp");
        long expiry = f.clock.instant().plus(Duration.ofMinutes(30)).getEpochSecond();
        assertThat(turn.path("username").asText()).isEqualTo(expiry + ":anna");
        assertThat(anna.welcome.path("iceServersTtlSeconds").asLong()).isEqualTo(1800);
        assertThat(anna.welcome.path("iceTransportPolicy").asText()).isEqualTo("relay");
        assertThat(anna.welcome.path("mediaRecoverySeconds").asLong()).isEqualTo(20);
        assertThat(anna.welcome.toString()).doesNotContain(SECRET);

        WsClient eeva = f.connect(Role.EXPERT, "e1");
        assertThat(eeva.welcome.path("iceServers").get(0).path("username").asText()).endsWith(":e1");

        f.clock.advance(Duration.ofMinutes(15));
        JsonNode fresh = anna.request(anna.msg("ice_servers"));
        assertThat(fresh.path("type").asText()).isEqualTo("ice_servers");
        assertThat(fresh.path("iceServers").get(0).path("username").asText()).isEqualTo((expiry + 900) + ":anna");
        assertThat(fresh.path("iceServers").get(0).path("credential").asText())
                .isNotEqualTo(turn.path("credential").asText());
        assertThat(fresh.toString()).doesNotContain(SECRET);

        // A resumed session's welcome brings fresh ones too.
        anna.drop();
        WsClient back = WsClient.open(f.ws(), f.token(Role.ADVISOR, "anna"));
        JsonNode resumed = back.hello(anna.welcome.path("resumeToken").asText(), anna.lastSeq());
        assertThat(resumed.path("resumed").asBoolean()).isTrue();
        assertThat(resumed.path("iceServers").get(0).path("username").asText()).isEqualTo((expiry + 900) + ":anna");
    }

    @Test
    void aCallWhoseMediaStaysLostPastTheRecoveryTimeEndsForBothAsMediaLost() throws Exception {
        Call c = connectedCall("anna", "e1");
        assertThat(c.advisor().request(mediaState(c.advisor(), c.callId(), "lost")).path("type").asText()).isEqualTo("ok");
        c.expert().request(mediaState(c.expert(), c.callId(), "lost"));
        f.advance(Duration.ofSeconds(19));
        f.settle(c.advisor());
        assertThat(c.advisor().all("call_ended")).as("still within the recovery time").isEmpty();

        f.advance(Duration.ofSeconds(1));
        assertThat(c.advisor().awaitType("call_ended").path("reason").asText()).isEqualTo("media_lost");
        assertThat(c.expert().awaitType("call_ended").path("reason").asText()).isEqualTo("media_lost");
        assertThat(journal()).filteredOn(DomainEvent.CallEnded.class::isInstance).map(e -> ((DomainEvent.CallEnded) e).reason())
                .containsExactly(CallEndReason.MEDIA_LOST);
        assertThat(f.server.metrics().scrape()).contains("palvelurinki_calls_ended_total{reason=\"media_lost\"} 1.0");
    }

    @Test
    void mediaThatComesBackKeepsTheCallGoing() throws Exception {
        Call c = connectedCall("anna", "e1");
        c.advisor().request(mediaState(c.advisor(), c.callId(), "lost"));
        f.advance(Duration.ofSeconds(15));
        // Either side seeing the connection again is enough: they share one ICE session.
        c.expert().request(mediaState(c.expert(), c.callId(), "restored"));
        f.advance(Duration.ofMinutes(2));
        f.settle(c.advisor());
        f.settle(c.expert());
        assertThat(c.advisor().all("call_ended")).isEmpty();
        assertThat(c.expert().all("call_ended")).isEmpty();

        WsClient bystander = f.connect(Role.ADVISOR, "bo");
        JsonNode refused = bystander.request(mediaState(bystander, c.callId(), "lost"));
        assertThat(refused.path("code").asText()).isEqualTo("not_in_call");
        ObjectNode bad = mediaState(c.advisor(), c.callId(), "gone");
        assertThat(c.advisor().request(bad).path("code").asText()).isEqualTo("invalid_field");
    }

    @Test
    void qualityReportsAreTakenFromTheCallsPartiesOnlyWithinBoundsAndNotTooOften() throws Exception {
        Call c = connectedCall("anna", "e1");
        assertThat(c.advisor().request(quality(c.advisor(), c.callId(), 45, 290)).path("type").asText()).isEqualTo("ok");
        assertThat(c.expert().request(quality(c.expert(), c.callId(), 450, 290)).path("type").asText()).isEqualTo("ok");

        JsonNode tooSoon = c.advisor().request(quality(c.advisor(), c.callId(), 45, 290));
        assertThat(tooSoon.path("code").asText()).isEqualTo("rate_limited");
        f.clock.advance(Duration.ofSeconds(10));
        JsonNode tooManyFrames = c.advisor().request(quality(c.advisor(), c.callId(), 45, 1300));
        assertThat(tooManyFrames.path("code").asText()).isEqualTo("invalid_field");
        assertThat(tooManyFrames.path("reason").asText()).contains("framesDecoded must be 0-1200");
        JsonNode negative = c.advisor().request(quality(c.advisor(), c.callId(), -1, 290));
        assertThat(negative.path("code").asText()).isEqualTo("invalid_field");

        WsClient bo = f.connect(Role.ADVISOR, "bo");
        assertThat(bo.request(quality(bo, c.callId(), 45, 290)).path("code").asText()).isEqualTo("not_in_call");
        WsClient olli = f.connect(Role.OPERATOR, "olli");
        assertThat(olli.request(quality(olli, c.callId(), 45, 290)).path("code").asText()).isEqualTo("forbidden");

        assertThat(journal()).filteredOn(DomainEvent.CallQualityReported.class::isInstance)
                .map(e -> ((DomainEvent.CallQualityReported) e).quality().rttMs()).containsExactly(45, 450);
        String metrics = f.server.metrics().scrape();
        assertThat(metrics).contains("palvelurinki_call_rtt_seconds_count{ring=\"kela\"} 2")
                .contains("palvelurinki_call_quality_reports_total{quality=\"poor\",ring=\"kela\"} 1.0")
                .contains("palvelurinki_call_quality_reports_total{quality=\"good\",ring=\"kela\"} 1.0")
                .contains("palvelurinki_call_frames_decoded_per_second_bucket{ring=\"kela\",le=\"30.0\"} 2");
    }
}
