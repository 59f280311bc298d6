package fi.palvelurinki.media.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jitsi.xmpp.extensions.colibri2.Colibri2Endpoint;
import org.jitsi.xmpp.extensions.colibri2.ConferenceModifyIQ;
import org.jitsi.xmpp.extensions.colibri2.json.Colibri2JSONDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client over HTTP against {@link Colibri2ContractStub}, a stub of the Colibri2 REST contract (not a bridge):
 * the method, path and JSON the client sends, and how it reads the answers, replayed from Jitsi's fixtures.
 */
class Colibri2ClientTest {
    static final String ANNA = "advisor:anna";
    static final String EEVA = "expert:eeva";
    static final String TUULIKKI = "expert:tuulikki";

    static Colibri2ContractStub stub;
    Colibri2Client client;

    @BeforeAll
    static void startStub() throws IOException {
        stub = new Colibri2ContractStub();
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @BeforeEach
    void fresh() {
        stub.reset();
        client = new Colibri2Client(new VideobridgeConfig(stub.url(), Duration.ofSeconds(10)));
    }

    /** The bridge's documented create answer, with its one endpoint repeated for each of ours. */
    static String createAnswer(String... parties) {
        ObjectNode answer = JitsiFixtures.object("jvb-create-response.json");
        ArrayNode endpoints = (ArrayNode) answer.get("endpoints");
        ObjectNode template = (ObjectNode) endpoints.get(0);
        endpoints.removeAll();
        for (String p : parties) {
            endpoints.add(template.deepCopy().put("id", Colibri2Messages.endpointId(p)));
        }
        return answer.toString();
    }

    static ConferenceModifyIQ sent(Colibri2ContractStub.Request r) {
        return Colibri2JSONDeserializer.deserializeConferenceModify((ObjectNode) JitsiFixtures.tree(r.body())).build();
    }

    @Test
    void aCallOfThreeIsAllocatedWithOnePostAndEachPartyGetsTheBridgesTransport() throws Exception {
        stub.answer(200, createAnswer(ANNA, EEVA, TUULIKKI));

        Colibri2Client.Allocation a = client.allocate("call-42", List.of(ANNA, EEVA, TUULIKKI));

        Colibri2ContractStub.Request r = stub.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.rawPath()).isEqualTo("/colibri/v2/conferences");
        assertThat(r.contentType()).isEqualTo("application/json");
        ConferenceModifyIQ iq = sent(r);
        assertThat(iq.getMeetingId()).isEqualTo("call-42");
        assertThat(iq.getCreate()).isTrue();
        assertThat(iq.getEndpoints()).extracting(Colibri2Endpoint::getId).containsExactly(
                Colibri2Messages.endpointId(ANNA), Colibri2Messages.endpointId(EEVA), Colibri2Messages.endpointId(TUULIKKI));

        assertThat(a.transports()).containsOnlyKeys(ANNA, EEVA, TUULIKKI);
        assertThat(a.transports().get(TUULIKKI).ufrag()).isEqualTo("26ant1ioqu7qnr");
        assertThat(a.transports().get(TUULIKKI).candidates()).hasSize(3);
        assertThat(a.feedbackSources()).extracting(MediaSourceDesc::id).containsExactly("jvb-a0", "jvb-v0");
    }

    @Test
    void aFourthPartyJoiningIsOnePatchOfTheCallsConference() throws Exception {
        stub.answer(200, createAnswer("expert:second"));

        Colibri2Client.Allocation a = client.addParty("call-42", "expert:second");

        Colibri2ContractStub.Request r = stub.requests().get(0);
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.rawPath()).isEqualTo("/colibri/v2/conferences/call-42");
        ConferenceModifyIQ iq = sent(r);
        assertThat(iq.getCreate()).isFalse();
        assertThat(iq.getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getId()).isEqualTo(Colibri2Messages.endpointId("expert:second"));
            assertThat(e.getCreate()).isTrue();
        });
        assertThat(a.transports()).containsOnlyKeys("expert:second");
    }

    @Test
    void aBrowsersAnswerIsHandedToItsEndpoint() throws Exception {
        stub.answer(200, "{\"endpoints\":[{\"id\":\"" + Colibri2Messages.endpointId(EEVA) + "\"}]}");
        IceTransport browser = new IceTransport("abcd", "0123456789abcdefghijkl",
                List.of(IceCandidate.of("1", "udp", 2122260223L, "192.168.1.20", 51234, "host")),
                List.of(new DtlsFingerprint("sha-256", "AA:BB", "active")));

        client.updateParty("call-42", EEVA, browser,
                List.of(new MediaSourceDesc(false, "eeva-a0", List.of(11L), List.of()),
                        new MediaSourceDesc(true, "eeva-v0", List.of(21L, 22L),
                                List.of(new MediaSourceDesc.SsrcGroup("FID", List.of(21L, 22L))))));

        Colibri2ContractStub.Request r = stub.requests().get(0);
        assertThat(r.method()).isEqualTo("PATCH");
        assertThat(r.rawPath()).isEqualTo("/colibri/v2/conferences/call-42");
        Colibri2Endpoint e = sent(r).getEndpoints().get(0);
        assertThat(e.getId()).isEqualTo(Colibri2Messages.endpointId(EEVA));
        assertThat(e.getTransport().getIceUdpTransport().getUfrag()).isEqualTo("abcd");
        assertThat(e.getTransport().getIceUdpTransport().getCandidateList()).hasSize(1);
        assertThat(e.getSources().getMediaSources()).hasSize(2);
    }

    @Test
    void aPartyLeavingAndTheCallEndingExpireEndpointAndConference() throws Exception {
        stub.answer(200, "{\"endpoints\":[{\"id\":\"" + Colibri2Messages.endpointId(TUULIKKI) + "\",\"expire\":true}]}")
                .answer(200, "{}");

        client.removeParty("call-42", TUULIKKI);
        client.endCall("call-42");

        List<Colibri2ContractStub.Request> rs = stub.requests();
        assertThat(rs).extracting(r -> r.method() + " " + r.rawPath())
                .containsExactly("PATCH /colibri/v2/conferences/call-42", "PATCH /colibri/v2/conferences/call-42");
        assertThat(sent(rs.get(0)).getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getId()).isEqualTo(Colibri2Messages.endpointId(TUULIKKI));
            assertThat(e.getExpire()).isTrue();
        });
        assertThat(sent(rs.get(1)).getExpire()).isTrue();
        assertThat(sent(rs.get(1)).getEndpoints()).isEmpty();
    }

    @Test
    void endingACallWhoseConferenceTheBridgeAlreadyExpiredIsNotAnError() throws Exception {
        // The bridge expires a conference by itself when its last endpoint goes, and then answers 404.
        stub.answer(404, "").answer(404, "");

        client.removeParty("call-42", ANNA);
        client.endCall("call-42");

        assertThat(stub.requests()).hasSize(2);
    }

    @Test
    void updatingAConferenceTheBridgeDoesNotHaveIsConferenceNotFound() {
        stub.answer(404, "");

        assertThatThrownBy(() -> client.updateParty("call-42", ANNA, null,
                List.of(new MediaSourceDesc(false, "a0", List.of(1L), List.of()))))
                .isInstanceOfSatisfying(Colibri2Exception.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.kind()).isEqualTo(Colibri2Exception.Kind.CONFERENCE_NOT_FOUND);
                    assertThat(e).hasMessageContaining("has no conference call-42");
                });
    }

    @Test
    void aRefusalCarriesTheAnswersBody() {
        stub.answer(400, "Failed to create conference: Endpoint with ID 5e1a already exists");

        assertThatThrownBy(() -> client.allocate("call-42", List.of(ANNA, EEVA)))
                .isInstanceOfSatisfying(Colibri2Exception.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.kind()).isEqualTo(Colibri2Exception.Kind.REFUSED);
                    assertThat(e).hasMessageContaining("refused the request (POST /colibri/v2/conferences)")
                            .hasMessageContaining("Endpoint with ID 5e1a already exists");
                });
    }

    @Test
    void anAnswerWithoutAPartysTransportIsAnError() {
        stub.answer(200, createAnswer(ANNA));

        assertThatThrownBy(() -> client.allocate("call-42", List.of(ANNA, EEVA)))
                .isInstanceOf(Colibri2Exception.class)
                .hasMessageContaining("allocated no transport for party expert:eeva");
    }

    @Test
    void aServerErrorOrAnswerThatIsNotColibri2IsAnError() {
        stub.answer(500, "boom").answer(200, "<html>proxy page</html>");

        assertThatThrownBy(() -> client.endCall("call-42")).isInstanceOfSatisfying(Colibri2Exception.class,
                e -> assertThat(e.kind()).isEqualTo(Colibri2Exception.Kind.BRIDGE_ERROR)).hasMessageContaining("answered HTTP 500").hasMessageContaining("boom");
        assertThatThrownBy(() -> client.allocate("call-42", List.of(ANNA)))
                .isInstanceOfSatisfying(Colibri2Exception.class, e -> assertThat(e.kind()).isEqualTo(Colibri2Exception.Kind.BAD_ANSWER))
                .hasMessageContaining("is not JSON");
    }

    @Test
    void theCallIdIsOnePercentEncodedPathSegment() throws Exception {
        stub.answer(200, "{}");

        client.endCall("call/1 ä?");

        assertThat(stub.requests().get(0).rawPath()).isEqualTo("/colibri/v2/conferences/call%2F1%20%C3%A4%3F");
        assertThat(sent(stub.requests().get(0)).getMeetingId()).isEqualTo("call/1 ä?");
    }

    @Test
    void aBridgeThatDoesNotAnswerInTimeIsNoAnswer() {
        stub.goSilent();
        Colibri2Client impatient = new Colibri2Client(new VideobridgeConfig(stub.url(), Duration.ofMillis(200)));

        assertThatThrownBy(() -> impatient.endCall("call-42")).isInstanceOfSatisfying(Colibri2Exception.class,
                e -> assertThat(e.kind()).isEqualTo(Colibri2Exception.Kind.NO_ANSWER)).hasMessageContaining("did not answer PATCH /colibri/v2/conferences/call-42");
    }

    @Test
    void anUnreachableBridgeIsNoAnswer() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Colibri2Client nowhere = new Colibri2Client(new VideobridgeConfig(URI.create("http://127.0.0.1:" + closedPort),
                Duration.ofSeconds(5)));

        assertThatThrownBy(() -> nowhere.endCall("call-42")).isInstanceOfSatisfying(Colibri2Exception.class,
                e -> assertThat(e.kind()).isEqualTo(Colibri2Exception.Kind.NO_ANSWER)).hasMessageContaining("cannot reach the videobridge at http://127.0.0.1:" + closedPort);
    }

    @Test
    void aCallHasOneToFourDistinctParties() {
        assertThatThrownBy(() -> client.allocate("c", List.of(ANNA, EEVA, TUULIKKI, "expert:a", "expert:b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a call has 1-4 parties");
        assertThatThrownBy(() -> client.allocate("c", List.of(ANNA, ANNA)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a party is named twice");
        assertThat(stub.requests()).isEmpty();
    }
}
