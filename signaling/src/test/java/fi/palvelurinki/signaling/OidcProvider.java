package fi.palvelurinki.signaling;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID provider on loopback: the npm package oidc-provider (OpenID certified) run by node from
 * {@code src/test/oidc/provider.mjs}, with the test users written there (asta an advisor at Mikkeli, eino a
 * Kela expert, olga an operator, vieras with no role). bin/test installs its packages ({@code npm ci}).
 */
final class OidcProvider implements AutoCloseable {
    static final Path DIR = Path.of("src", "test", "oidc");
    static final String CLIENT_ID = "palvelurinki";
    static final String CLIENT_SECRET = "palvelurinki-test-secret";

    final int port;
    private final Process process;

    /** A free loopback port for the provider, chosen before the server (whose configuration names it) starts. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    OidcProvider(int port, String redirectUri, String postLogoutUri) throws Exception {
        if (!Files.isDirectory(DIR.resolve("node_modules/oidc-provider"))) {
            throw new IllegalStateException("oidc-provider is not installed: run npm ci in " + DIR.toAbsolutePath()
                    + " (bin/test does)");
        }
        this.port = port;
        Path log = Path.of("target", "oidc-provider.log");
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder("node", "provider.mjs", String.valueOf(port), redirectUri, postLogoutUri)
                .directory(DIR.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                    if (line.startsWith("ready ")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.complete(false);
        }, "oidc-provider-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.get(30, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("oidc-provider did not start; see " + log.toAbsolutePath());
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + port;
    }

    /** The configuration's security section for this provider, with the test directory's claims mapping. */
    static String securityYaml(int port) {
        return """
                security:
                  oidc:
                    sessionTtl: 1h
                    providers:
                      - id: test
                        name: Testikunta
                        issuer: http://127.0.0.1:%d
                        clientId: %s
                        clientSecret: %s
                        scopes: [openid, profile, groups]
                        nameClaim: name
                        roles:
                          - { role: advisor, claim: groups, value: palvelurinki-neuvojat, pointClaim: office }
                          - { role: expert, claim: groups, value: palvelurinki-asiantuntijat, ringsClaim: groups,
                              ringsPrefix: palvelurinki-rinki-, languages: [fi, sv] }
                          - { role: operator, claim: groups, value: palvelurinki-valvojat }
                """.formatted(port, CLIENT_ID, CLIENT_SECRET);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
