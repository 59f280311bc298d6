package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Calls of three and four in the pages (issue 14, docs/pages.md "Calls of three or four"), in a real
 * Chromium: an interpreter asked for with the call, one added during the call, a second authority, and a
 * joined party leaving. Every page decodes every other party's video: the media is a mesh of one peer
 * connection per pair of parties. The four-party test measures the mesh's browser CPU and bandwidth
 * (docs/performance.md, "Four-party mesh").
 */
class InterpreterCallBrowserTest extends BrowserTestBase {

    private static final Duration MESH_VIDEO = Duration.ofSeconds(60);

    @Override
    String deployment() {
        return "/test-deployment-interpreters.yaml";
    }

    /** Waits until the window's call has a connected peer connection to each of {@code parties}, each decoding video. */
    static Map<String, Map<String, Object>> awaitMesh(Browser.Window w, String... parties) {
        return await().atMost(MESH_VIDEO).until(w::mesh, m -> m.keySet().equals(Set.of(parties))
                && m.values().stream().allMatch(p -> "connected".equals(p.get("state"))
                        && ((Number) p.get("framesDecoded")).longValue() > 0));
    }

    static long frames(Map<String, Map<String, Object>> mesh, String party) {
        return ((Number) mesh.get(party).get("framesDecoded")).longValue();
    }

    /** The call view's tiles, as their labels read. */
    static List<String> tileLabels(Browser.Window w) {
        return w.all("#tiles .tile-label").stream().map(e -> e.getText()).sorted().collect(Collectors.toList());
    }

    /** The advisor asks for a Kela call in Finnish with an interpreter of {@code language}. */
    static void requestWithInterpreter(Browser.Window advisor, String language) {
        choose(advisor, "ring", "kela");
        choose(advisor, "topic", "pension");
        choose(advisor, "customer-language", "fi");
        choose(advisor, "interpreter", language);
        advisor.click("call-now");
    }

    /** Advisor anna, Kela's expert e1 and interpreter t1 in one call, all three decoding both others; ms from Call now. */
    long threeWayCall(Browser.Window advisor, Browser.Window expert, Browser.Window interpreter) {
        long clicked = System.nanoTime();
        requestWithInterpreter(advisor, "ar");
        expert.shown("accept");
        assertThat(expert.text("offer-role")).isEqualTo("Tulkin kanssa (arabia)");
        interpreter.shown("accept");
        assertThat(interpreter.text("offer-role")).isEqualTo("Tulkkaus suomi–arabia");
        // The expert answers first: held until the interpreter answers too, and told so.
        expert.click("accept");
        await().until(() -> expert.text("desk-message").equals("Hyväksyit puhelun. Odotetaan tulkkia…"));
        assertThat(expert.displayed("offer")).isFalse();
        interpreter.click("accept");
        awaitMesh(advisor, "expert:e1", "expert:t1");
        awaitMesh(expert, "advisor:anna", "expert:t1");
        awaitMesh(interpreter, "advisor:anna", "expert:e1");
        return (System.nanoTime() - clicked) / 1_000_000;
    }

    @Test
    void anAdvisorAsksForAnInterpreterWithTheCallAndAllThreeSeeBothOthers() {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window interpreter = expertAvailable("t1");
        Browser.Window advisor = advisorReady("anna");
        // The interpreter ring is no service of its own: the form offers its languages, not the ring.
        assertThat(advisor.all("#ring option[value='tulkit']")).isEmpty();
        assertThat(advisor.all("#interpreter option").stream().map(o -> o.getAttribute("value")).toList())
                .containsExactly("", "ar", "so", "ru", "fse");
        assertThat(advisor.find("#interpreter option[value='fse']").getText()).isEqualTo("suomalainen viittomakieli");

        long ms = threeWayCall(advisor, expert, interpreter);
        System.out.printf("THREE_WAY_VIDEO ms=%d (Call now to all three pages decoding both other parties; load %s)%n",
                ms, loadAverage());

        assertThat(tileLabels(advisor)).containsExactly("Eeva Salonen · asiantuntija", "Tuulikki Tulkki · tulkki");
        assertThat(tileLabels(interpreter)).anySatisfy(l -> assertThat(l).endsWith("· palveluneuvoja"))
                .contains("Eeva Salonen · asiantuntija");
        assertThat(advisor.text("call-context")).contains("Tulkkaus", "arabia");
        // The expert in the call may bring in a fourth party too (the same control as the advisor's).
        assertThat(expert.displayed("add-interpreter") && expert.displayed("add-authority")).isTrue();
        assertThat(interpreter.text("call-context")).contains("tulkki", "arabia");
        assertThat(advisor.accessibilityViolations()).as("advisor's call of three").isEmpty();
        advisor.screenshotSizes("issue14-1-advisor-three-way");
        interpreter.screenshot("issue14-2-interpreter-three-way");

        // The advisor hangs up: the call ends for everyone.
        advisor.click("hangup");
        advisor.shown("call-now");
        expert.shown("ready");
        interpreter.shown("ready");
    }

    @Test
    void anExpertHeldForAnInterpreterWhoNeverComesIsReleasedAndToldWhy() {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window interpreter = expertAvailable("t1");
        Browser.Window advisor = advisorReady("anna");
        requestWithInterpreter(advisor, "ar");
        expert.shown("accept");
        expert.click("accept");
        await().until(() -> expert.text("desk-message").equals("Hyväksyit puhelun. Odotetaan tulkkia…"));
        interpreter.shown("accept");
        interpreter.click("decline");
        // Nobody else interprets Arabic: after the hold time the expert is let go.
        f.advance(Duration.ofSeconds(21));
        await().until(() -> expert.text("desk-message").startsWith("Puhelu ei toteutunut: toista osapuolta"));
        assertThat(expert.displayed("call")).isFalse();
        assertThat(expert.accessibilityViolations()).as("expert told the partner is missing").isEmpty();
        expert.screenshot("issue14-5-expert-partner-missing");
        advisor.click("cancel");
    }

    @Test
    void anInterpreterAddedDuringACallOfTwoJoinsAndVideoFlowsThreeWays() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window advisor = advisorReady("anna");
        callAndAccept(advisor, expert);
        awaitMesh(advisor, "expert:e1");
        awaitMesh(expert, "advisor:anna");
        // The same measurement as the four-party test's, for a call of two: what the mesh is compared with.
        measure("TWO_PARTY_CALL", List.of(advisor, expert));
        Browser.Window interpreter = expertAvailable("t1");

        advisor.click("add-interpreter");
        choose(advisor, "party-choice", "ar");
        advisor.click("party-ask");
        await().until(() -> advisor.text("party-pending").startsWith("Etsitään tulkkia (arabia)…"));
        advisor.screenshot("issue14-3-advisor-looking-for-interpreter");

        interpreter.shown("accept");
        assertThat(interpreter.text("offer-role")).isEqualTo("Tulkkaus suomi–arabia · liittyminen käynnissä olevaan puheluun");
        interpreter.click("accept");
        awaitMesh(interpreter, "advisor:anna", "expert:e1");
        awaitMesh(advisor, "expert:e1", "expert:t1");
        awaitMesh(expert, "advisor:anna", "expert:t1");
        await().until(() -> advisor.all("#party-pending li").isEmpty()
                && advisor.text("party-status").equals("Tuulikki Tulkki liittyi puheluun."));
    }

    @Test
    void aPageReloadedInACallOfThreeReconnectsToBothOthers() {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window interpreter = expertAvailable("t1");
        Browser.Window advisor = advisorReady("anna");
        threeWayCall(advisor, expert, interpreter);

        interpreter.reload();
        awaitMesh(interpreter, "advisor:anna", "expert:e1");
        Map<String, Map<String, Object>> advisorSees = awaitMesh(advisor, "expert:e1", "expert:t1");
        Map<String, Map<String, Object>> expertSees = awaitMesh(expert, "advisor:anna", "expert:t1");
        await().until(() -> frames(advisor.mesh(), "expert:t1") > frames(advisorSees, "expert:t1") + 10
                && frames(expert.mesh(), "expert:t1") > frames(expertSees, "expert:t1") + 10);
        assertThat(tileLabels(interpreter)).contains("Eeva Salonen · asiantuntija");
    }

    @Test
    void anAdvisorBooksATimeWithAnInterpreter() {
        Browser.Window advisor = advisorReady("anna");
        assertThat(advisor.all("#book-interpreter option").stream().map(o -> o.getAttribute("value")).toList())
                .containsExactly("", "ar", "so", "ru", "fse");
        choose(advisor, "book-language", "fi");
        choose(advisor, "book-interpreter", "ar");
        await().atMost(Duration.ofSeconds(20)).until(() -> !advisor.all("#slot-list input[data-time='10:30']").isEmpty());
        advisor.find("#slot-list input[data-time='10:30']").click();
        advisor.find("#book-note").sendKeys("tulkki mukaan");
        advisor.click("book");
        await().until(() -> advisor.text("booking-message").startsWith("Varattu:"));
        await().until(() -> advisor.all("#bookings-body tr").stream().anyMatch(r -> r.getText().contains("tulkki mukaan")
                && r.getText().contains("Tulkin kanssa (arabia)")));
        assertThat(advisor.find("#book-interpreter").getAttribute("value")).as("the next booking starts without").isEmpty();
    }

    @Test
    void theInterpreterLeavesAndTheAdvisorAndExpertStayConnected() {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window interpreter = expertAvailable("t1");
        Browser.Window advisor = advisorReady("anna");
        threeWayCall(advisor, expert, interpreter);

        interpreter.click("hangup");
        await().until(() -> interpreter.text("desk-message").equals("Poistuit puhelusta. Muut jatkavat puhelua."));
        // The call's outcome is the answering expert's to record, not the interpreter's.
        interpreter.shown("ready");
        assertThat(interpreter.displayed("outcome-form")).isFalse();
        Map<String, Map<String, Object>> before = awaitMesh(advisor, "expert:e1");
        Map<String, Map<String, Object>> expertBefore = awaitMesh(expert, "advisor:anna");
        assertThat(tileLabels(advisor)).containsExactly("Eeva Salonen · asiantuntija");
        await().until(() -> advisor.text("party-status").equals("Tuulikki Tulkki poistui puhelusta."));
        // Still in the call, and the video keeps coming both ways.
        await().until(() -> frames(advisor.mesh(), "expert:e1") > frames(before, "expert:e1") + 10
                && frames(expert.mesh(), "advisor:anna") > frames(expertBefore, "advisor:anna") + 10);
        assertThat(advisor.displayed("call")).isTrue();
        assertThat(expert.displayed("call")).isTrue();
    }

    @Test
    void aSecondAuthorityJoinsACallWithAnInterpreterAndAllFourSeeTheOtherThree() throws Exception {
        Browser.Window expert = expertAvailable("e1");
        Browser.Window interpreter = expertAvailable("t1");
        Browser.Window advisor = advisorReady("anna");
        threeWayCall(advisor, expert, interpreter);

        // An interpreter asked for and given up: nobody else interprets Somali just now.
        advisor.click("add-interpreter");
        choose(advisor, "party-choice", "so");
        advisor.click("party-ask");
        await().until(() -> advisor.all("#party-pending li").size() == 1);
        advisor.find("#party-pending .party-cancel").click();
        await().until(() -> advisor.all("#party-pending li").isEmpty()
                && advisor.text("party-status").equals("Pyyntö peruttiin."));

        Browser.Window dvv = expertAvailable("e3");
        advisor.click("add-authority");
        choose(advisor, "party-choice", "dvv");
        advisor.click("party-ask");
        await().until(() -> advisor.text("party-pending").startsWith("Etsitään asiantuntijaa: DVV…"));
        dvv.shown("accept");
        assertThat(dvv.text("offer-role")).isEqualTo("liittyminen käynnissä olevaan puheluun");
        dvv.click("accept");
        awaitMesh(dvv, "advisor:anna", "expert:e1", "expert:t1");
        awaitMesh(advisor, "expert:e1", "expert:t1", "expert:e3");
        awaitMesh(expert, "advisor:anna", "expert:t1", "expert:e3");
        awaitMesh(interpreter, "advisor:anna", "expert:e1", "expert:e3");
        assertThat(tileLabels(advisor)).containsExactly("Eeva Salonen · asiantuntija", "Tuula Jokinen · asiantuntija",
                "Tuulikki Tulkki · tulkki");
        advisor.screenshotSizes("issue14-4-advisor-four-way");

        // The mesh's cost: twelve peer connections in one Chromium (four pages, three each).
        double sentKbps = measure("FOUR_PARTY_MESH", List.of(advisor, expert, interpreter, dvv));
        assertThat(sentKbps).as("video flows").isPositive();

        // The second authority leaves; the three others go on.
        dvv.click("hangup");
        awaitMesh(advisor, "expert:e1", "expert:t1");
        awaitMesh(interpreter, "advisor:anna", "expert:e1");
    }

    /**
     * Measures the browser over 20 s while the pages' calls go on and prints a line {@code LABEL …}: the CPU of all
     * of Chromium's processes (as a percentage of one core) and the bytes all the pages' peer connections sent and
     * received (transport stats; each page's rated over its own interval, as reading getStats takes a while on a
     * loaded machine). Returns the total sent, kbit/s.
     */
    static double measure(String label, List<Browser.Window> pages) throws InterruptedException {
        List<long[]> bytesBefore = pages.stream().map(InterpreterCallBrowserTest::pageBytes).toList();
        Duration cpuBefore = Browser.cpuTime();
        long cpuFrom = System.nanoTime();
        Thread.sleep(20_000); // a measurement interval, not a wait for anything
        Duration cpuAfter = Browser.cpuTime();
        double cpuSeconds = (System.nanoTime() - cpuFrom) / 1e9;
        double sentKbps = 0;
        double receivedKbps = 0;
        for (int i = 0; i < pages.size(); i++) {
            long[] before = bytesBefore.get(i);
            long[] after = pageBytes(pages.get(i));
            double seconds = (after[2] - before[2]) / 1e9;
            sentKbps += (after[0] - before[0]) * 8 / 1000.0 / seconds;
            receivedKbps += (after[1] - before[1]) * 8 / 1000.0 / seconds;
        }
        double cpuPercent = 100.0 * (cpuAfter.minus(cpuBefore).toNanos() / 1e9) / cpuSeconds;
        System.out.printf("%s seconds=%.1f chromium_cpu_percent_of_one_core=%.0f sent_kbps_total=%.0f "
                + "received_kbps_total=%.0f per_party_up_kbps=%.0f per_party_down_kbps=%.0f cores=%d load=%s%n",
                label, cpuSeconds, cpuPercent, sentKbps, receivedKbps, sentKbps / pages.size(), receivedKbps / pages.size(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        return sentKbps;
    }

    /** Bytes a page's peer connections sent and received so far, and when: {sent, received, nanoTime}. */
    static long[] pageBytes(Browser.Window w) {
        long sent = 0;
        long received = 0;
        Map<String, Map<String, Object>> mesh = w.mesh();
        long at = System.nanoTime();
        for (Map<String, Object> p : mesh.values()) {
            sent += ((Number) p.get("bytesSent")).longValue();
            received += ((Number) p.get("bytesReceived")).longValue();
        }
        return new long[] {sent, received, at};
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
