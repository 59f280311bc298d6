package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import fi.palvelurinki.signaling.auth.Principal;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenSecret;
import fi.palvelurinki.signaling.auth.TokenService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
    @TempDir
    Path data;

    String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void issuesATokenTheServerWillAcceptNamingThePointOrRings() throws Exception {
        String advisor = run("token", "--demo", "--data", data.toString(), "--role", "advisor", "--user", "bo");
        String expert = run("token", "--demo", "--data", data.toString(), "--role", "expert", "--user", "minna", "--ttl", "1h");
        TokenService verify = new TokenService(TokenSecret.read(data.resolve("token.secret")), InstantSource.system());
        Principal a = verify.verify(advisor).orElseThrow();
        assertThat(a.user()).isEqualTo("bo");
        assertThat(a.role()).isEqualTo(Role.ADVISOR);
        assertThat(a.point()).isEqualTo("parainen");
        Principal e = verify.verify(expert).orElseThrow();
        assertThat(e.rings()).isEqualTo(List.of("kela", "te"));
    }

    @Test
    void unknownUsersAndRolesAreRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        assertThat(cl.execute("token", "--demo", "--data", data.toString(), "--role", "expert", "--user", "anna")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no expert 'anna' in the configuration");
        assertThat(cl.execute("token", "--demo", "--data", data.toString(), "--role", "king", "--user", "anna")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown role 'king'");
        assertThat(cl.execute("token", "--data", data.toString(), "--role", "advisor", "--user", "anna")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("give --config FILE");
    }
}
