package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fi.palvelurinki.broker.Broker;
import fi.palvelurinki.broker.BrokerConfig;
import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.routing.LongestIdlePolicy;
import fi.palvelurinki.signaling.auth.Role;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server that restarts with many waiting requests: a welcome carries one page of an advisor's
 * requests and the client pages through the rest; start-up asks the broker once, not once per advisor.
 */
class ManyWaitingTest extends ServerTestBase {

    /** Queues requests into the stopped server's journal, past the test deployment's per-point limit. */
    private List<Long> queueWhileStopped(List<String> advisors, int each, List<String> newAdvisors) throws Exception {
        f.close();
        BrokerConfig cfg = f.deployment.broker().toBrokerConfig(data).withLimits(200_000, 100_000);
        List<Long> ids = new ArrayList<>();
        try (Broker b = Broker.start(cfg, f.clock, f.timers, new LongestIdlePolicy(), n -> { }, null)) {
            for (String a : newAdvisors) {
                b.submit(new Command.DefineAdvisor(new Advisor(a, "Advisor " + a, "mikkeli"))).get(10, TimeUnit.SECONDS);
            }
            List<CompletableFuture<Reply>> queued = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                for (String a : advisors) {
                    queued.add(b.submit(Command.RequestCall.instant(a, "kela", "pension", Language.FI, "n" + i)));
                }
            }
            for (CompletableFuture<Reply> q : queued) {
                ids.add(((Reply.Queued) q.get(10, TimeUnit.SECONDS)).requestId());
            }
        }
        f.start();
        return ids;
    }

    @Test
    void theWelcomeCarriesOnePageAndListRequestsTheRest() throws Exception {
        List<Long> ids = queueWhileStopped(List.of("anna"), 250, List.of());
        WsClient anna = f.connect(Role.ADVISOR, "anna");
        JsonNode state = anna.welcome.path("state");
        assertThat(state.path("requests")).hasSize(100);
        assertThat(state.path("requestsTotal").asInt()).isEqualTo(250);
        assertThat(state.path("requests").get(99).path("position").asInt()).isEqualTo(100);
        assertThat(state.path("requestsNext").asLong()).isEqualTo(ids.get(99));

        List<Long> seen = new ArrayList<>();
        state.path("requests").forEach(r -> seen.add(r.path("requestId").asLong()));
        JsonNode next = state.path("requestsNext");
        while (!next.isNull()) {
            ObjectNode m = anna.msg("list_requests");
            m.put("after", next.asLong());
            JsonNode page = anna.request(m);
            assertThat(page.path("type").asText()).isEqualTo("requests");
            assertThat(page.path("total").asInt()).isEqualTo(250);
            page.path("requests").forEach(r -> seen.add(r.path("requestId").asLong()));
            next = page.path("next");
        }
        assertThat(seen).containsExactlyElementsOf(ids);

        ObjectNode tooMany = anna.msg("list_requests");
        tooMany.put("limit", 101);
        assertThat(anna.request(tooMany).path("code").asText()).isEqualTo("invalid_field");
        WsClient expert = f.connect(Role.EXPERT, "e1");
        assertThat(expert.request(expert.msg("list_requests")).path("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void startUpAsksOnceForEveryAdvisorWithRequests() throws Exception {
        f.restart();
        double quiet = commandsHandled();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("adv" + i);
        }
        List<Long> ids = queueWhileStopped(many, 1, many);
        // The last start-up command may be counted just after start returns: one either way.
        assertThat(commandsHandled() - quiet).as("commands at start beyond a start without requests")
                .isLessThanOrEqualTo(1);

        // Each advisor with requests is still expected back: gone past the grace, their requests end.
        f.advance(Duration.ofSeconds(31));
        await().until(() -> ((Reply.RequestStatus) f.server.broker().submit(new Command.GetRequest(ids.get(39)))
                .get(10, TimeUnit.SECONDS)).state().equals("ABANDONED"));
    }

    private double commandsHandled() throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(f.http("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("palvelurinki_broker_command_seconds_count")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no command count in /metrics");
    }
}
