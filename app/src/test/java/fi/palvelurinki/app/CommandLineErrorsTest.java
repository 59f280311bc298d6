package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A mistake on the command line gets one line saying what to fix, in the terms typed, and where the help is. */
class CommandLineErrorsTest {
    @TempDir
    Path dir;

    @Test
    void everyMistakeIsOneLineWithoutStackTraceOrUsage() {
        List<List<String>> mistakes = List.of(
                List.of("serve", "--port", "99999", "--demo", "--data", dir.toString()),
                List.of("serve", "--stun-port", "-1", "--demo", "--data", dir.toString()),
                List.of("bench", "routing", "--rings", "99"),
                List.of("staffing", "--arrivals", "-5", "--period", "30m", "--aht", "180s"),
                List.of("staffing", "--arrivals", "5", "--period", "30m", "--aht", "-3m"),
                List.of("staffing", "--bogus"),
                List.of("simulate", "--experts", "2", "--arrivals", "-1", "--period", "1h", "--aht", "3m"),
                List.of("report", "--out", "r.html"),
                List.of("token", "--role", "boss", "--user", "x", "--demo", "--data", dir.toString()),
                List.of("ws", "--token", "t", "--url", "http://localhost:8080/ws"),
                List.of("nonsense"));
        for (List<String> args : mistakes) {
            CommandRun r = CommandRun.of(args.toArray(String[]::new));
            assertThat(r.exit()).as(args + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines()).as(args.toString()).singleElement().satisfies(line -> {
                assertThat(line).matches(".+; see 'palvelurinki( [a-z]+)* --help'");
                assertThat(line).doesNotContain("Exception").doesNotContain("Usage:");
            });
        }
    }

    @Test
    void theMessagesSpeakInWhatWasTyped() {
        assertThat(CommandRun.of("serve", "--port", "99999", "--demo", "--data", dir.toString()).err())
                .isEqualTo("--port must be 0-65535 (0: any free port), got 99999; see 'palvelurinki serve --help'\n");
        assertThat(CommandRun.of("bench", "routing", "--rings", "99").err())
                .isEqualTo("rings must be 1-8; see 'palvelurinki bench routing --help'\n");
        assertThat(CommandRun.of("staffing", "--arrivals", "5", "--period", "30m", "--aht", "-3m").err())
                .startsWith("Invalid value for option '--aht': cannot read duration '-3m'; write e.g. 500ms");
        assertThat(CommandRun.of("staffing", "--jsn", "--arrivals", "5", "--period", "1h", "--aht", "3m").err()).contains("Unknown option: '--jsn' (did you mean --json?)");
    }

    @Test
    void anEmptyPeriodIsToldInTheDatesTyped() {
        fi.palvelurinki.broker.testing.ReferenceJournal.write(dir);
        CommandRun r = CommandRun.of("report", "--data", dir.toString(), "--from", "2026-12-01", "--to", "2026-11-01",
                "--out", dir.resolve("r.html").toString());
        assertThat(r.err()).isEqualTo("the period is empty: --from 2026-12-01 is not before --to 2026-11-01 (which"
                + " includes that whole day); see 'palvelurinki report --help'\n");
        CommandRun times = CommandRun.of("report", "--data", dir.toString(), "--from", "2026-11-24T10:00", "--to",
                "2026-11-24T09:00", "--out", dir.resolve("r.html").toString());
        assertThat(times.err()).startsWith("the period is empty: --from 2026-11-24T10:00 is not before --to 2026-11-24T09:00;");
    }

    @Test
    void wsTellsABadTokenFromAServerThatIsNotThere() throws Exception {
        CommandLine serve = new CommandLine(new ServeCommand());
        ServeCommand cmd = serve.getCommand();
        serve.parseArgs("--demo", "--data", dir.toString(), "--host", "127.0.0.1", "--port", "0", "--stun-port", "0");
        try (ServeCommand.Running running = cmd.start()) {
            CommandRun refused = CommandRun.of("ws", "--token", "not-a-token", "--url",
                    "ws://127.0.0.1:" + running.server().port() + "/ws");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).startsWith("could not connect to ws://127.0.0.1:" + running.server().port()
                    + "/ws: the server refused the token (HTTP 401)");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CommandRun nobody = CommandRun.of("ws", "--token", "t", "--url", "ws://127.0.0.1:" + closed + "/ws");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err()).isEqualTo("could not connect to ws://127.0.0.1:" + closed + "/ws: nothing is listening"
                + " there (connection refused): is the server running, on this port?\n");
    }

    @Test
    void theHelpListsEveryCommandInOneWholeSentence() {
        for (List<String> help : List.of(List.of("--help"), List.of("bench", "--help"))) {
            List<String> lines = CommandRun.of(help.toArray(String[]::new)).lines();
            List<String> commands = lines.subList(lines.indexOf("Commands:") + 1, lines.size());
            assertThat(commands).as(help.toString()).isNotEmpty().allSatisfy(line -> {
                assertThat(line).as("one line per command, not wrapped").matches("  [a-z]+ +\\S.*");
                assertThat(line).as("not cut mid-sentence").endsWith(".");
            });
        }
    }
}
