package fi.palvelurinki.app;

import fi.palvelurinki.signaling.auth.Role;
import fi.palvelurinki.signaling.auth.TokenService;
import fi.palvelurinki.signaling.config.ConfigFile;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@picocli.CommandLine.Command(name = "token", mixinStandardHelpOptions = true,
        header = "Prints a bearer token for a configured user.",
        description = {"Issues a bearer token signed with the server's secret (DATA/token.secret, created if missing).",
                "The user is looked up in the configuration: an advisor's point and an expert's rings go into the token.",
                "Prints the token alone on one line."})
final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--role", required = true, description = "advisor, expert or operator")
    String role;

    @Option(names = "--user", required = true, description = "The user's id in the configuration.")
    String user;

    @Mixin
    DeploymentOptions deploymentOptions;

    @Option(names = "--ttl", description = "Lifetime (default: the configuration's tokenTtl, 12h).")
    Duration ttl;

    @Override
    public Integer call() throws Exception {
        ConfigFile.Deployment d = deploymentOptions.deployment();
        Role r;
        try {
            r = Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        String point = null;
        List<String> rings = new ArrayList<>();
        boolean found = false;
        for (fi.palvelurinki.broker.Command c : d.seed()) {
            if (r == Role.ADVISOR && c instanceof fi.palvelurinki.broker.Command.DefineAdvisor a && a.advisor().id().equals(user)) {
                point = a.advisor().pointId();
                found = true;
            } else if (r == Role.EXPERT && c instanceof fi.palvelurinki.broker.Command.DefineExpert x
                    && x.expert().id().equals(user)) {
                rings.addAll(new java.util.TreeSet<>(x.expert().rings()));
                found = true;
            }
        }
        if (r == Role.OPERATOR) {
            found = d.operators().containsKey(user);
        }
        if (!found) {
            throw new ParameterException(spec.commandLine(), "no " + r.wireName() + " '" + user + "' in the configuration");
        }
        TokenService tokens = new TokenService(deploymentOptions.tokenSecret(d), InstantSource.system());
        System.out.println(tokens.issue(user, r, point, rings, ttl != null ? ttl : d.signaling().tokenTtl()));
        return 0;
    }
}
