package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.signaling.config.ConfigFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command's arguments. The load generator itself runs against a real server in loadtest's
 * LoopbackLoadTest; this does not start one.
 */
class LoadtestCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheScenariosServerConfigurationForAnExternalServer() throws Exception {
        Path config = dir.resolve("national-day.yaml");
        CommandRun r = CommandRun.of("loadtest", "--scenario", "national-day", "--write-config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        ConfigFile.Deployment d = ConfigFile.load(config);
        assertThat(d.signaling().benchRelay()).isTrue();
        assertThat(d.seed().stream().filter(c -> c instanceof fi.palvelurinki.broker.Command.DefineExpert)).hasSize(300);
    }

    @Test
    void refusesAnUnknownScenarioAndAMissingTarget() {
        CommandRun unknown = CommandRun.of("loadtest", "--scenario", "nope", "--spawn-server");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("no scenario 'nope'").contains("national-day");
        CommandRun neither = CommandRun.of("loadtest", "--scenario", "peak");
        assertThat(neither.exit()).isNotZero();
        assertThat(neither.err()).contains("--target URL or --spawn-server");
        CommandRun tlsAgainstATarget = CommandRun.of("loadtest", "--scenario", "peak", "--target", "https://127.0.0.1:1",
                "--secret-file", dir.resolve("none").toString(), "--tls");
        assertThat(tlsAgainstATarget.exit()).isNotZero();
        assertThat(tlsAgainstATarget.err()).contains("--tls compares ws and wss with --spawn-server");
    }

    @Test
    void theFailoverScenarioStartsItsOwnNodesAndATargetListIsChecked() {
        CommandRun failoverAgainstTargets = CommandRun.of("loadtest", "--scenario", "failover", "--target",
                "http://127.0.0.1:1,http://127.0.0.1:2", "--secret-file", dir.resolve("none").toString());
        assertThat(failoverAgainstTargets.exit()).isNotZero();
        assertThat(failoverAgainstTargets.err()).contains("scenario failover kills the active node: run it with --spawn-server");
        CommandRun badList = CommandRun.of("loadtest", "--scenario", "peak", "--target", "http://127.0.0.1:1,ws://x/ws",
                "--secret-file", dir.resolve("none").toString());
        assertThat(badList.exit()).isNotZero();
        assertThat(badList.err()).contains("--target: 'ws://x/ws' is not a server's base URL");
        CommandRun threeNodes = CommandRun.of("loadtest", "--scenario", "peak", "--target",
                "http://a:1,http://b:1,http://c:1", "--secret-file", dir.resolve("none").toString());
        assertThat(threeNodes.exit()).isNotZero();
        assertThat(threeNodes.err()).contains("at most two nodes");
        CommandRun overTls = CommandRun.of("loadtest", "--scenario", "failover", "--spawn-server", "--tls");
        assertThat(overTls.exit()).isNotZero();
        assertThat(overTls.err()).contains("runs two nodes over plain http only");
    }
}
