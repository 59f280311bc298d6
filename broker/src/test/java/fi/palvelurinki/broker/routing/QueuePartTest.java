package fi.palvelurinki.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.ErrorCode;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.ring.Language;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The queue part's own queries: positions in long queues, an advisor's requests page by page. */
class QueuePartTest {
    private static Harness manyPerPoint() {
        return new Harness(new LongestIdlePolicy(), c -> c.withLimits(200_000, 10_000)).standard();
    }

    @Test
    void positionsStayExactWhileTheHeadOfALongQueueIsServedAndOthersLeave() {
        Harness h = manyPerPoint();
        List<Long> waiting = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            waiting.add(h.call(i % 2 == 0 ? "anna" : "bo", "kela", "pension", Language.FI).requestId());
        }
        h.expert("e1", Set.of("kela"), Language.FI);
        h.available("e1");
        assertThat(h.ringingAt("e1")).isEqualTo(waiting.get(0));
        h.run(new Command.DeclineOffer("e1", waiting.get(0)));
        // Declined: it goes back to its place, and e1 is offered the next one.
        assertThat(h.request(waiting.get(0)).position()).isEqualTo(1);
        long taken = h.ringingAt("e1");
        assertThat(taken).isEqualTo(waiting.get(1));
        h.accept("e1", taken);
        waiting.remove(taken);
        for (int i = waiting.size() - 1; i >= 0; i -= 3) {
            long id = waiting.remove(i);
            h.run(new Command.CancelRequest(id % 2 == 1 ? "anna" : "bo", id));
        }
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(h.request(waiting.get(i)).position()).as("request %d", waiting.get(i)).isEqualTo(i + 1);
        }
    }

    @Test
    void anAdvisorsRequestsComePageByPageOldestFirst() {
        Harness h = manyPerPoint();
        List<Long> mine = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            mine.add(h.call("anna", "kela", "pension", Language.FI).requestId());
            h.call("maria", "kela", "pension", Language.FI);
        }
        List<Long> seen = new ArrayList<>();
        long after = 0;
        int pages = 0;
        while (true) {
            Reply.Requests page = (Reply.Requests) h.run(new Command.GetAdvisorRequests("anna", after, 100));
            pages++;
            assertThat(page.total()).isEqualTo(250);
            assertThat(page.requests()).hasSizeLessThanOrEqualTo(100);
            page.requests().forEach(r -> seen.add(r.requestId()));
            if (page.next() == null) {
                break;
            }
            after = page.next();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(mine);
        Reply.Requests first = (Reply.Requests) h.run(new Command.GetAdvisorRequests("anna"));
        assertThat(first.requests()).hasSize(Command.GetAdvisorRequests.MAX_PAGE);
        assertThat(first.requests().get(99).position()).isEqualTo(199);
    }

    @Test
    void aPageOfMoreThanTheMaximumOrFromANegativeIdIsRefused() {
        Harness h = manyPerPoint();
        h.refuse(new Command.GetAdvisorRequests("anna", 0, 101), ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.GetAdvisorRequests("anna", 0, 0), ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.GetAdvisorRequests("anna", -1, 10), ErrorCode.INVALID_ARGUMENT);
        h.refuse(new Command.GetAdvisorRequests("nobody", 0, 10), ErrorCode.UNKNOWN_ADVISOR);
    }

    @Test
    void advisorsWithRequestsAreTheOnesWithActiveRequests() {
        Harness h = manyPerPoint();
        assertThat(((Reply.Advisors) h.run(new Command.GetAdvisorsWithRequests())).advisorIds()).isEmpty();
        long a = h.call("anna", "kela", "pension", Language.FI).requestId();
        h.call("bo", "kela", "pension", Language.FI);
        h.call("bo", "kela", "housing", Language.FI);
        assertThat(((Reply.Advisors) h.run(new Command.GetAdvisorsWithRequests())).advisorIds())
                .containsExactly("anna", "bo");
        h.run(new Command.CancelRequest("anna", a));
        h.run(new Command.AdvisorGone("bo"));
        assertThat(((Reply.Advisors) h.run(new Command.GetAdvisorsWithRequests())).advisorIds()).isEmpty();
    }
}
