package fi.palvelurinki.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.testing.ManualClock;
import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import fi.palvelurinki.signaling.auth.oidc.ClaimsMapping;
import fi.palvelurinki.signaling.auth.oidc.OidcConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code security.oidc} section as read from the file, its mistakes, and the claims mapping's rules. */
class OidcConfigTest {
    static final String PROVIDER = """
            security:
              oidc:
                publicUrl: https://palvelurinki.example.fi
                providers:
                  - id: kela
                    name: Kela
                    issuer: https://tunnistus.kela.fi/realms/virkailijat
                    clientId: palvelurinki
                    clientSecret: s
                    scopes: [openid, groups]
                    userPrefix: "kela."
                    roles:
                      - { role: expert, claim: groups, value: asiantuntijat, ringsClaim: groups, ringsPrefix: rinki-, languages: [fi, sv] }
                      - { role: advisor, claim: groups, value: neuvojat, pointClaim: toimipiste }
                      - { role: operator, claim: valvoja }
            """;

    @Test
    void aProviderSectionReadsAsWritten() throws Exception {
        OidcConfig c = ConfigFileTest.parse(PROVIDER).oidc();
        assertThat(c.sessionTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(c.devTokens()).isFalse();
        assertThat(c.publicUrl()).hasToString("https://palvelurinki.example.fi");
        OidcConfig.Provider p = c.provider("kela");
        assertThat(p.userClaim()).isEqualTo("sub");
        assertThat(p.userPrefix()).isEqualTo("kela.");
        assertThat(p.roles()).extracting(OidcConfig.RoleRule::role).containsExactly(Role.EXPERT, Role.ADVISOR, Role.OPERATOR);
        assertThat(p.roles().get(0).languages()).containsExactlyInAnyOrder(Language.FI, Language.SV);
        assertThat(ConfigFileTest.parse("operators: [{id: olli}]\n").oidc()).as("no section: no providers").isNull();
    }

    @Test
    void theExampleInTheOperationsGuideReads() throws Exception {
        String guide = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/operations.md"));
        int section = guide.indexOf("## 4. Configuring a provider");
        int start = guide.indexOf("```yaml\n", section) + 8;
        String yaml = guide.substring(start, guide.indexOf("```", start))
                .replaceAll("clientSecretFile: \\S+", "clientSecret: from-a-file");
        OidcConfig c = ConfigFileTest.parse(yaml).oidc();
        assertThat(c.providers()).extracting(OidcConfig.Provider::id).containsExactly("mikkeli", "kela");
        var kela = c.provider("kela");
        var expert = ClaimsMapping.map(kela, Map.of("sub", "k-123", "groups", List.of("palvelurinki-asiantuntijat",
                "palvelurinki-rinki-kela-sv")), x -> true, Set.of("kela", "kela-sv")::contains);
        assertThat(expert.user()).isEqualTo("kela.k-123");
        assertThat(expert.rings()).containsExactly("kela-sv");
        var mikkeli = c.provider("mikkeli");
        assertThat(ClaimsMapping.map(mikkeli, Map.of("oid", "2b7e", "groups", List.of("6a0b…")), "mikkeli"::equals,
                x -> true).point()).isEqualTo("mikkeli");
    }

    @Test
    void mistakesAreReportedWithTheirPlace() {
        assertThatThrownBy(() -> ConfigFileTest.parse(PROVIDER.replace("https://tunnistus", "http://tunnistus")))
                .hasMessageContaining("test.yaml.security.oidc.providers[0].issuer: must be https");
        assertThatThrownBy(() -> ConfigFileTest.parse(PROVIDER.replace("pointClaim: toimipiste", "rings: [kela]")))
                .hasMessageContaining("providers[0].roles[1]: an advisor rule needs one of point or pointClaim");
        assertThatThrownBy(() -> ConfigFileTest.parse(PROVIDER.replace("clientSecret: s", "clientSecret: s\n        colour: red")))
                .hasMessageContaining("providers[0]: unknown setting 'colour'");
        assertThatThrownBy(() -> ConfigFileTest.parse(PROVIDER.replace("[openid, groups]", "[groups]")))
                .hasMessageContaining("scopes must include openid");
    }

    @Test
    void theFirstRuleThatHoldsDecidesAndOnlyConfiguredPointsAndRingsCount() throws Exception {
        OidcConfig.Provider p = ConfigFileTest.parse(PROVIDER).oidc().provider("kela");
        Set<String> rings = Set.of("kela", "kela-sv");
        var expert = ClaimsMapping.map(p, Map.of("sub", "e7", "groups", List.of("asiantuntijat", "neuvojat", "rinki-kela-sv",
                "rinki-vero", "muut")), "mikkeli"::equals, rings::contains);
        assertThat(expert.role()).isEqualTo(Role.EXPERT);
        assertThat(expert.user()).isEqualTo("kela.e7");
        assertThat(expert.name()).as("no nameClaim: no name").isEqualTo("kela.e7");
        assertThat(expert.rings()).containsExactly("kela-sv");
        assertThat(expert.reason()).isEqualTo("rule 1 (expert); not configured: vero");
        var advisor = ClaimsMapping.map(p, Map.of("sub", "a1", "groups", List.of("neuvojat"), "toimipiste", "mikkeli"),
                "mikkeli"::equals, rings::contains);
        assertThat(advisor.role()).isEqualTo(Role.ADVISOR);
        assertThat(advisor.point()).isEqualTo("mikkeli");
        assertThat(ClaimsMapping.map(p, Map.of("sub", "o1", "valvoja", true), x -> true, x -> true).role())
                .isEqualTo(Role.OPERATOR);
        var badId = ClaimsMapping.map(p, Map.of("sub", "anna@example.fi", "valvoja", true), x -> true, x -> true);
        assertThat(badId.admitted()).isFalse();
        assertThat(badId.user()).isNull();
    }

    @Test
    void withProvidersTheTokenCommandsTokensAreTakenOnlyWhenDevelopmentTokensAreEnabled() {
        TokenService tokens = new TokenService(ServerFixture.SECRET, ManualClock.tuesdayMorning());
        String command = tokens.issue("anna", Role.ADVISOR, "mikkeli", List.of(), Duration.ofHours(1));
        tokens.onlySignInSessions(true);
        assertThat(tokens.verify(command)).isEmpty();
        String session = tokens.issueSession(new fi.palvelurinki.signaling.auth.Principal("anna", Role.ADVISOR, "mikkeli",
                List.of(), ManualClock.tuesdayMorning().instant().plus(Duration.ofHours(1))), "kela");
        assertThat(tokens.verify(session)).isPresent();
        tokens.onlySignInSessions(false); // security.oidc.devTokens: true
        assertThat(tokens.verify(command)).isPresent();
        assertThat(tokens.revoke(session)).isTrue();
        assertThat(tokens.verify(session)).as("signed out").isEmpty();
    }
}
