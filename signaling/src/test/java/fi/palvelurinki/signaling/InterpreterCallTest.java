package fi.palvelurinki.signaling;

import static fi.palvelurinki.signaling.CallFlowTest.available;
import static fi.palvelurinki.signaling.CallFlowTest.signal;
import static fi.palvelurinki.signaling.MultiPartyRelayTest.to;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.RingConfig;
import fi.palvelurinki.signaling.auth.Role;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls of three and four over real WebSockets, end to end through the broker (docs/protocol.md, "Calls of three
 * or four"): an interpreter offered with the expert, a second authority brought in during the call, and what
 * bad input gets.
 */
class InterpreterCallTest extends ServerTestBase {

    /** An interpreter ring fi–ar with Tuulikki in it, beside the test deployment's Kela (e1, e2) and DVV (e3). */
    @BeforeEach
    void interpreters() throws Exception {
        var broker = f.server.broker();
        broker.submit(new Command.DefineAuthority(new Authority("tulkkaus", "Tulkkauspalvelu"))).get();
        broker.submit(new Command.ConfigureRing(RingConfig.builder("tulkit", "tulkkaus").name("Tulkit")
                .languages(Set.of(Language.FI)).interpreting(Set.of("ar", "so")).offerTimeout(Duration.ofSeconds(30))
                .wrapUp(Duration.ofSeconds(30)).build(), "test")).get();
        broker.submit(new Command.DefineExpert(new ExpertProfile("tuulikki", "Tuulikki Tulkki", Set.of("tulkit"),
                Set.of(Language.FI), Set.of(), Set.of("ar")), "test")).get();
    }

    private static JsonNode requestWithInterpreter(WsClient advisor, String interpreter) {
        ObjectNode m = advisor.msg("request_call");
        m.put("ring", "kela");
        m.put("topic", "pension");
        m.put("language", "fi");
        m.put("interpreter", interpreter);
        return advisor.request(m);
    }

    private static JsonNode accept(WsClient expert, long requestId) {
        ObjectNode m = expert.msg("accept_offer");
        m.put("requestId", requestId);
        return expert.request(m);
    }

    private static JsonNode hangup(WsClient party, long callId) {
        ObjectNode m = party.msg("hangup");
        m.put("callId", callId);
        return party.request(m);
    }

    private static ObjectNode addParty(WsClient party, long callId) {
        ObjectNode m = party.msg("add_party");
        m.put("callId", callId);
        return m;
    }

    /** Anna's Kela call with Eeva (e1) and Tuulikki interpreting Arabic, all three connected. */
    record ThreeParty(WsClient anna, WsClient eeva, WsClient tuulikki, long callId) {}

    private ThreeParty threeParty() throws Exception {
        WsClient eeva = f.connect(Role.EXPERT, "e1");
        available(eeva);
        WsClient tuulikki = f.connect(Role.EXPERT, "tuulikki");
        available(tuulikki);
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        JsonNode queued = requestWithInterpreter(anna, "ar");
        assertThat(queued.path("type").asText()).as(queued.toString()).isEqualTo("queued");
        long requestId = queued.path("requestId").asLong();

        JsonNode expertOffer = eeva.awaitType("offer");
        assertThat(expertOffer.path("requestId").asLong()).isEqualTo(requestId);
        assertThat(expertOffer.path("role").asText()).isEqualTo("expert");
        assertThat(expertOffer.path("interpreter").asText()).isEqualTo("ar");
        assertThat(expertOffer.path("joinCallId").isNull()).isTrue();
        JsonNode interpreterOffer = tuulikki.awaitType("offer");
        assertThat(interpreterOffer.path("role").asText()).isEqualTo("interpreter");
        assertThat(interpreterOffer.path("interpreter").asText()).isEqualTo("ar");
        assertThat(interpreterOffer.path("pointName").asText()).isEqualTo("Mikkelin Asiointipiste");
        assertThat(interpreterOffer.path("joinCallId").isNull()).isTrue();

        // The interpreter accepts first and is held until the expert accepts.
        assertThat(accept(tuulikki, interpreterOffer.path("requestId").asLong()).path("type").asText()).isEqualTo("ok");
        JsonNode held = tuulikki.awaitType("offer_held");
        assertThat(held.path("requestId").asLong()).isEqualTo(interpreterOffer.path("requestId").asLong());
        assertThat(held.path("waitingFor").asText()).isEqualTo("expert");
        f.settle(anna);
        assertThat(anna.all("call_connected")).as("not before both accepted").isEmpty();

        assertThat(accept(eeva, requestId).path("type").asText()).isEqualTo("ok");
        JsonNode atAnna = anna.awaitType("call_connected");
        long callId = atAnna.path("callId").asLong();
        assertThat(atAnna.path("party").asText()).isEqualTo("advisor:anna");
        assertThat(atAnna.path("members").findValuesAsText("party")).containsExactly("expert:e1");
        assertThat(eeva.awaitType("call_connected").path("party").asText()).isEqualTo("expert:e1");
        for (WsClient founder : new WsClient[] {anna, eeva}) {
            JsonNode joined = founder.awaitType("party_joined");
            assertThat(joined.path("callId").asLong()).isEqualTo(callId);
            assertThat(joined.path("member").path("party").asText()).isEqualTo("expert:tuulikki");
            assertThat(joined.path("member").path("role").asText()).isEqualTo("interpreter");
            assertThat(joined.path("member").path("name").asText()).isEqualTo("Tuulikki Tulkki");
            assertThat(joined.path("member").path("language").asText()).isEqualTo("ar");
        }
        JsonNode callJoined = tuulikki.awaitType("call_joined");
        assertThat(callJoined.path("callId").asLong()).isEqualTo(callId);
        assertThat(callJoined.path("requestId").asLong()).isEqualTo(requestId);
        assertThat(callJoined.path("role").asText()).isEqualTo("interpreter");
        assertThat(callJoined.path("language").asText()).isEqualTo("ar");
        assertThat(callJoined.path("party").asText()).isEqualTo("expert:tuulikki");
        assertThat(callJoined.path("point").path("id").asText()).isEqualTo("mikkeli");
        assertThat(callJoined.path("members").findValuesAsText("party")).containsExactly("advisor:anna", "expert:e1");
        assertThat(callJoined.path("members").findValuesAsText("role")).containsExactly("advisor", "expert");
        return new ThreeParty(anna, eeva, tuulikki, callId);
    }

    @Test
    void anInterpreterJoinsTheCallSignalsReachOnlyTheirPartyAndTheInterpreterLeavesAlone() throws Exception {
        ThreeParty c = threeParty();
        WsClient anna = c.anna();
        WsClient eeva = c.eeva();
        WsClient tuulikki = c.tuulikki();
        long callId = c.callId();

        // The mesh: the founders connect as in a call of two, the newcomer offers to each member.
        anna.send(to(signal(anna, callId, "offer", "v=0 anna-eeva"), "expert:e1"));
        tuulikki.send(to(signal(tuulikki, callId, "offer", "v=0 tuulikki-anna"), "advisor:anna"));
        tuulikki.send(to(signal(tuulikki, callId, "offer", "v=0 tuulikki-eeva"), "expert:e1"));
        JsonNode atAnna = anna.awaitType("signal");
        assertThat(atAnna.path("fromParty").asText()).isEqualTo("expert:tuulikki");
        assertThat(atAnna.path("from").asText()).isEqualTo("expert");
        assertThat(atAnna.path("sdp").path("sdp").asText()).isEqualTo("v=0 tuulikki-anna");
        JsonNode first = eeva.awaitType("signal", 1);
        JsonNode second = eeva.awaitType("signal", 2);
        assertThat(first.path("fromParty").asText() + " " + second.path("fromParty").asText())
                .contains("advisor:anna").contains("expert:tuulikki");
        eeva.send(to(signal(eeva, callId, "answer", "v=0 eeva answers tuulikki"), "expert:tuulikki"));
        JsonNode atTuulikki = tuulikki.awaitType("signal");
        assertThat(atTuulikki.path("fromParty").asText()).isEqualTo("expert:e1");
        assertThat(atTuulikki.path("sdp").path("sdp").asText()).isEqualTo("v=0 eeva answers tuulikki");
        f.settle(anna);
        f.settle(eeva);
        f.settle(tuulikki);
        assertThat(anna.all("signal")).hasSize(1);
        assertThat(eeva.all("signal")).hasSize(2);
        assertThat(tuulikki.all("signal")).hasSize(1);

        // Every party reports on the media.
        ObjectNode q = tuulikki.msg("call_quality");
        q.put("callId", callId);
        q.put("rttMs", 40);
        q.put("lossPermille", 2);
        q.put("bitrateKbps", 900);
        q.put("framesDecoded", 250);
        q.put("intervalMs", 10_000);
        assertThat(tuulikki.request(q).path("type").asText()).isEqualTo("ok");
        ObjectNode report = tuulikki.msg("media_report");
        report.put("callId", callId);
        report.put("timeToVideoMs", 1500);
        assertThat(tuulikki.request(report).path("type").asText()).isEqualTo("ok");

        // The interpreter hangs up: they leave, the others stay connected and still signal each other.
        assertThat(hangup(tuulikki, callId).path("type").asText()).isEqualTo("ok");
        assertThat(tuulikki.awaitType("call_ended").path("reason").asText()).isEqualTo("expert_hung_up");
        for (WsClient stays : new WsClient[] {anna, eeva}) {
            JsonNode left = stays.awaitType("party_left");
            assertThat(left.path("callId").asLong()).isEqualTo(callId);
            assertThat(left.path("party").asText()).isEqualTo("expert:tuulikki");
            assertThat(left.path("reason").asText()).isEqualTo("hung_up");
        }
        f.settle(anna);
        assertThat(anna.all("call_ended")).isEmpty();
        assertThat(eeva.all("call_ended")).isEmpty();
        assertThat(tuulikki.request(to(signal(tuulikki, callId, "offer", "v=0"), "advisor:anna")).path("code").asText())
                .as("who left can no longer signal").isEqualTo("not_in_call");
        anna.send(signal(anna, callId, "offer", "v=0 just the two of us"));
        assertThat(eeva.awaitType("signal", 3).path("sdp").path("sdp").asText()).isEqualTo("v=0 just the two of us");
        eeva.send(signal(eeva, callId, "answer", "v=0 yes"));
        assertThat(anna.awaitType("signal", 2).path("fromParty").asText()).isEqualTo("expert:e1");

        assertThat(hangup(anna, callId).path("type").asText()).isEqualTo("ok");
        assertThat(eeva.awaitType("call_ended").path("reason").asText()).isEqualTo("advisor_hung_up");
        f.settle(tuulikki);
        assertThat(tuulikki.all("call_ended")).as("told once, when they left").hasSize(1);
    }

    @Test
    void aPartyWhoReloadsTheirPageLearnsFromTheWelcomeWhoElseIsInTheCall() throws Exception {
        ThreeParty t = threeParty();
        // A reload: a new connection (no resume), while the old one is still open.
        WsClient again = f.connect(Role.EXPERT, "tuulikki");
        JsonNode st = again.welcome.path("state");
        assertThat(st.path("callId").asLong()).isEqualTo(t.callId());
        assertThat(st.path("party").asText()).isEqualTo("expert:tuulikki");
        assertThat(st.path("members").findValuesAsText("party")).containsExactly("advisor:anna", "expert:e1");
        assertThat(st.path("members").findValuesAsText("role")).containsExactly("advisor", "expert");
        WsClient annaAgain = f.connect(Role.ADVISOR, "anna");
        JsonNode mine = annaAgain.welcome.path("state").path("requests").get(0);
        assertThat(mine.path("callId").asLong()).isEqualTo(t.callId());
        assertThat(mine.path("party").asText()).isEqualTo("advisor:anna");
        assertThat(mine.path("members").findValuesAsText("party")).containsExactly("expert:e1", "expert:tuulikki");
        assertThat(mine.path("members").get(1).path("language").asText()).isEqualTo("ar");
    }

    @Test
    void aSecondAuthorityJoinsAsTheFourthPartyAndOffersToEachMember() throws Exception {
        ThreeParty c = threeParty();
        WsClient anna = c.anna();
        WsClient eeva = c.eeva();
        WsClient tuulikki = c.tuulikki();
        long callId = c.callId();
        WsClient tuula = f.connect(Role.EXPERT, "e3");
        available(tuula);

        ObjectNode add = addParty(eeva, callId);
        add.put("ring", "dvv");
        add.put("topic", "guardianship");
        add.put("note", "edunvalvonta-asia");
        JsonNode requested = eeva.request(add);
        assertThat(requested.path("type").asText()).as(requested.toString()).isEqualTo("party_requested");
        assertThat(requested.path("callId").asLong()).isEqualTo(callId);
        assertThat(requested.path("kind").asText()).isEqualTo("expert");
        long joinId = requested.path("id").asLong();
        assertThat(joinId).isPositive();
        assertThat(requested.has("position")).isTrue();

        JsonNode offer = tuula.awaitType("offer");
        assertThat(offer.path("joinCallId").asLong()).isEqualTo(callId);
        assertThat(offer.path("role").asText()).isEqualTo("expert");
        assertThat(offer.path("ring").asText()).isEqualTo("dvv");
        assertThat(offer.path("note").asText()).isEqualTo("edunvalvonta-asia");
        assertThat(accept(tuula, offer.path("requestId").asLong()).path("type").asText()).isEqualTo("ok");

        JsonNode joined = tuula.awaitType("call_joined");
        assertThat(joined.path("party").asText()).isEqualTo("expert:e3");
        assertThat(joined.path("role").asText()).isEqualTo("expert");
        assertThat(joined.path("members").findValuesAsText("party"))
                .containsExactly("advisor:anna", "expert:e1", "expert:tuulikki");
        for (WsClient member : new WsClient[] {anna, eeva, tuulikki}) {
            assertThat(member.awaitMessage(n -> n.path("type").asText().equals("party_joined")
                    && n.path("member").path("party").asText().equals("expert:e3"))
                    .path("member").path("role").asText()).isEqualTo("expert");
        }

        // The newcomer sends one offer to each member; each gets exactly its own.
        for (String member : new String[] {"advisor:anna", "expert:e1", "expert:tuulikki"}) {
            tuula.send(to(signal(tuula, callId, "offer", "v=0 for " + member), member));
        }
        assertThat(anna.awaitType("signal").path("sdp").path("sdp").asText()).isEqualTo("v=0 for advisor:anna");
        assertThat(eeva.awaitType("signal").path("sdp").path("sdp").asText()).isEqualTo("v=0 for expert:e1");
        assertThat(tuulikki.awaitType("signal").path("sdp").path("sdp").asText()).isEqualTo("v=0 for expert:tuulikki");
        for (WsClient member : new WsClient[] {anna, eeva, tuulikki}) {
            f.settle(member);
            assertThat(member.all("signal")).hasSize(1);
            assertThat(member.all("signal").get(0).path("fromParty").asText()).isEqualTo("expert:e3");
        }

        // Four is the most.
        ObjectNode fifth = addParty(anna, callId);
        fifth.put("interpreter", "so");
        assertThat(anna.request(fifth).path("code").asText()).isEqualTo("capacity_exceeded");
    }

    @Test
    void badInputGetsClearErrorsAndChangesNothing() throws Exception {
        ThreeParty c = threeParty();
        WsClient anna = c.anna();
        WsClient eeva = c.eeva();
        long callId = c.callId();
        WsClient tuula = f.connect(Role.EXPERT, "e3");
        available(tuula);
        WsClient bo = f.connect(Role.ADVISOR, "bo");

        JsonNode noTo = anna.request(signal(anna, callId, "offer", "v=0"));
        assertThat(noTo.path("code").asText()).isEqualTo("invalid_field");
        assertThat(noTo.path("reason").asText()).contains("\"to\"");
        JsonNode unknown = anna.request(to(signal(anna, callId, "offer", "v=0"), "expert:e2"));
        assertThat(unknown.path("code").asText()).isEqualTo("not_a_party");
        assertThat(unknown.path("reason").asText()).contains("expert:e2");

        ObjectNode both = addParty(anna, callId);
        both.put("interpreter", "so");
        both.put("ring", "dvv");
        JsonNode bothErr = anna.request(both);
        assertThat(bothErr.path("code").asText()).isEqualTo("invalid_field");
        assertThat(bothErr.path("reason").asText()).contains("exactly one of");
        assertThat(anna.request(addParty(anna, callId)).path("code").asText()).as("neither").isEqualTo("invalid_field");
        ObjectNode topicAlone = addParty(anna, callId);
        topicAlone.put("interpreter", "so");
        topicAlone.put("topic", "guardianship");
        assertThat(anna.request(topicAlone).path("code").asText()).isEqualTo("invalid_field");
        ObjectNode badLanguage = addParty(anna, callId);
        badLanguage.put("interpreter", "arabic");
        JsonNode badLanguageErr = anna.request(badLanguage);
        assertThat(badLanguageErr.path("code").asText()).isEqualTo("invalid_field");
        assertThat(badLanguageErr.path("reason").asText()).contains("ISO 639");
        ObjectNode stranger = addParty(bo, callId);
        stranger.put("ring", "dvv");
        assertThat(bo.request(stranger).path("code").asText()).as("another point's advisor").isEqualTo("not_a_party");

        ObjectNode cancel = anna.msg("cancel_party");
        cancel.put("callId", callId);
        cancel.put("requestId", 9999);
        JsonNode cancelErr = anna.request(cancel);
        assertThat(cancelErr.path("code").asText()).isEqualTo("unknown_request");
        ObjectNode cancelWithoutId = anna.msg("cancel_party");
        cancelWithoutId.put("callId", callId);
        assertThat(anna.request(cancelWithoutId).path("code").asText()).isEqualTo("missing_field");

        // Nothing was asked for, nothing relayed: no offer rang, the call is as it was.
        f.settle(tuula);
        f.settle(eeva);
        assertThat(tuula.all("offer")).isEmpty();
        assertThat(eeva.all("signal")).isEmpty();
        assertThat(c.tuulikki().all("signal")).isEmpty();
        assertThat(f.server.sessions().call(callId).members()).extracting(m -> m.key())
                .containsExactlyInAnyOrder("advisor:anna", "expert:e1", "expert:tuulikki");
    }

    @Test
    void aPartyAskedForDuringTheCallCanBeWithdrawnWhileNobodyHasAccepted() throws Exception {
        Call call = connectedCall("anna", "e1");
        WsClient anna = call.advisor();
        WsClient eeva = call.expert();
        WsClient tuulikki = f.connect(Role.EXPERT, "tuulikki");
        available(tuulikki);

        ObjectNode add = addParty(anna, call.callId());
        add.put("interpreter", "AR");
        JsonNode requested = anna.request(add);
        assertThat(requested.path("type").asText()).as(requested.toString()).isEqualTo("party_requested");
        assertThat(requested.path("kind").asText()).isEqualTo("interpreter");
        JsonNode offer = tuulikki.awaitType("offer");
        assertThat(offer.path("role").asText()).isEqualTo("interpreter");
        assertThat(offer.path("interpreter").asText()).as("lower case, as the broker knows it").isEqualTo("ar");
        assertThat(offer.path("joinCallId").asLong()).isEqualTo(call.callId());

        ObjectNode cancel = eeva.msg("cancel_party");
        cancel.put("callId", call.callId());
        cancel.put("requestId", requested.path("id").asLong());
        assertThat(eeva.request(cancel).path("type").asText()).isEqualTo("ok");
        for (WsClient party : new WsClient[] {anna, eeva}) {
            JsonNode ended = party.awaitType("party_request_ended");
            assertThat(ended.path("callId").asLong()).isEqualTo(call.callId());
            assertThat(ended.path("id").asLong()).isEqualTo(requested.path("id").asLong());
            assertThat(ended.path("outcome").asText()).isEqualTo("cancelled");
        }
        assertThat(tuulikki.awaitType("offer_revoked").path("reason").asText()).isEqualTo("cancelled");
        // Still a call of two: no addressee needed.
        anna.send(signal(anna, call.callId(), "offer", "v=0"));
        assertThat(eeva.awaitType("signal").path("fromParty").asText()).isEqualTo("advisor:anna");
    }

    @Test
    void aCallOfThreeGoesOnThroughARestartWithEveryParty() throws Exception {
        long callId = threeParty().callId();
        f.restart();

        WsClient anna = f.connect(Role.ADVISOR, "anna");
        WsClient eeva = f.connect(Role.EXPERT, "e1");
        WsClient tuulikki = f.connect(Role.EXPERT, "tuulikki");
        assertThat(tuulikki.welcome.path("state").path("presence").asText()).isEqualTo("in_call");
        tuulikki.send(to(signal(tuulikki, callId, "offer", "v=0 after the restart"), "advisor:anna"));
        JsonNode got = anna.awaitType("signal");
        assertThat(got.path("fromParty").asText()).isEqualTo("expert:tuulikki");
        assertThat(anna.request(signal(anna, callId, "offer", "v=0")).path("code").asText())
                .as("still a call of three").isEqualTo("invalid_field");
        eeva.send(to(signal(eeva, callId, "offer", "v=0 eeva"), "expert:tuulikki"));
        assertThat(tuulikki.awaitType("signal").path("fromParty").asText()).isEqualTo("expert:e1");
    }

    @Test
    void anInterpreterNotBackAfterARestartLeavesTheCallAndTheOthersGoOn() throws Exception {
        long callId = threeParty().callId();
        f.restart();
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        WsClient eeva = f.connect(Role.EXPERT, "e1");

        // The others came back within the first grace period, so the interpreter gets another one (ResumeTest).
        f.advance(Duration.ofSeconds(31));
        f.settle(anna);
        assertThat(anna.all("party_left")).isEmpty();
        f.advance(Duration.ofSeconds(31));
        for (WsClient stays : new WsClient[] {anna, eeva}) {
            JsonNode left = stays.awaitType("party_left");
            assertThat(left.path("party").asText()).isEqualTo("expert:tuulikki");
            assertThat(left.path("reason").asText()).isEqualTo("disconnected");
        }
        f.settle(anna);
        assertThat(anna.all("call_ended")).isEmpty();
        anna.send(signal(anna, callId, "offer", "v=0 the two of us"));
        assertThat(eeva.awaitType("signal").path("sdp").path("sdp").asText()).isEqualTo("v=0 the two of us");
    }

    private static ObjectNode mediaState(WsClient party, long callId, String state) {
        ObjectNode m = party.msg("media_state");
        m.put("callId", callId);
        m.put("state", state);
        return m;
    }

    @Test
    void aJoinedPartysLostMediaDoesNotEndTheCallButTheFoundersDoesForAll() throws Exception {
        ThreeParty c = threeParty();
        long callId = c.callId();
        assertThat(c.tuulikki().request(mediaState(c.tuulikki(), callId, "lost")).path("type").asText()).isEqualTo("ok");
        f.advance(Duration.ofMinutes(2));
        f.settle(c.anna());
        assertThat(c.anna().all("call_ended")).as("the interpreter's link is theirs to restore or leave").isEmpty();

        assertThat(c.eeva().request(mediaState(c.eeva(), callId, "lost")).path("type").asText()).isEqualTo("ok");
        f.advance(Duration.ofSeconds(31));
        for (WsClient party : new WsClient[] {c.anna(), c.eeva(), c.tuulikki()}) {
            assertThat(party.awaitType("call_ended").path("reason").asText()).isEqualTo("media_lost");
        }
    }

    @Test
    void anExpertHeldForAnInterpreterWhoNeverComesIsReleased() throws Exception {
        WsClient eeva = f.connect(Role.EXPERT, "e1");
        available(eeva);
        WsClient tuulikki = f.connect(Role.EXPERT, "tuulikki");
        available(tuulikki);
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        long requestId = requestWithInterpreter(anna, "ar").path("requestId").asLong();
        eeva.awaitType("offer");
        long needId = tuulikki.awaitType("offer").path("requestId").asLong();

        assertThat(accept(eeva, requestId).path("type").asText()).isEqualTo("ok");
        JsonNode held = eeva.awaitType("offer_held");
        assertThat(held.path("requestId").asLong()).isEqualTo(requestId);
        assertThat(held.path("waitingFor").asText()).isEqualTo("interpreter");
        ObjectNode decline = tuulikki.msg("decline_offer");
        decline.put("requestId", needId);
        assertThat(tuulikki.request(decline).path("type").asText()).isEqualTo("ok");

        f.advance(Duration.ofSeconds(21));
        JsonNode revoked = eeva.awaitType("offer_revoked");
        assertThat(revoked.path("requestId").asLong()).isEqualTo(requestId);
        assertThat(revoked.path("reason").asText()).isEqualTo("partner_missing");
        f.settle(anna);
        assertThat(anna.all("call_connected")).isEmpty();
    }
}
