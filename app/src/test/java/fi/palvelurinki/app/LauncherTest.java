package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/palvelurinki} as a user runs it, in a process of its own: what reaches the terminal, and
 * what a signal to the launcher's pid does. The launcher is laid out over a jar that runs this build's
 * classes, since the runnable jar is packaged only after the tests.
 */
class LauncherTest {
    @TempDir
    Path dir;

    private Path install() throws IOException {
        Path launcher = dir.resolve("install/bin/palvelurinki");
        Files.createDirectories(launcher.getParent());
        Files.copy(Path.of("../bin/palvelurinki"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Path jar = dir.resolve("install/app/target/palvelurinki.jar");
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, java.util.Arrays.stream(
                System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
        new JarOutputStream(Files.newOutputStream(jar), m).close();
        return launcher;
    }

    private Process run(Path launcher, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PALVELURINKI_JAVA_OPTS", "-Xms64m -Xmx512m");
        return pb.start();
    }

    private static String read(java.io.InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aCommandPrintsItsAnswerAndNothingElse() throws Exception {
        Path launcher = install();
        Process staffing = run(launcher, "staffing", "--arrivals", "100", "--period", "30m", "--aht", "180s");
        String out = read(staffing.getInputStream());
        String err = read(staffing.getErrorStream());
        assertThat(staffing.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(staffing.exitValue()).as(err).isZero();
        assertThat(out).contains("experts are the fewest");
        assertThat(err).as("no library's start-up chatter (ical4j.properties not found)").isEmpty();

        Process badPort = run(launcher, "serve", "--demo", "--data", dir.resolve("data").toString(), "--port", "99999");
        String badErr = read(badPort.getErrorStream());
        assertThat(badPort.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(badPort.exitValue()).isEqualTo(2);
        assertThat(badErr).isEqualTo("--port must be 0-65535 (0: any free port), got 99999; see 'palvelurinki serve --help'\n");
    }

    @Test
    void aSignalToTheLaunchersPidStopsTheServer() throws Exception {
        Process p = run(install(), "serve", "--demo", "--data", dir.resolve("data").toString(), "--host", "127.0.0.1",
                "--port", "0", "--stun-port", "0");
        List<ProcessHandle> started = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern running = Pattern.compile("Palvelurinki is running at http://127\\.0\\.0\\.1:(\\d+) ");
            int port = -1;
            for (String line = out.readLine(); line != null && port < 0; line = out.readLine()) {
                Matcher m = running.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).as("the server started").isPositive();
            p.descendants().forEach(started::add);
            assertThat(p.info().command()).as("the launcher's pid is the JVM's (exec)").hasValueSatisfying(
                    c -> assertThat(c).endsWith("java"));
            p.destroy(); // SIGTERM, as kill PID
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the server stopped").isTrue();
            int stoppedPort = port;
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Socket("127.0.0.1", stoppedPort).close()))
                    .as("nothing listens on its port any more").isInstanceOf(ConnectException.class);
        } finally {
            p.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
