package fi.palvelurinki.app;

import fi.palvelurinki.signaling.auth.TokenSecret;
import fi.palvelurinki.signaling.config.ConfigFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which deployment a command works on: its configuration (a file or the demo) and data directory. */
final class DeploymentOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "data", description = "Data directory: journal and token secret (default ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--config", description = "Configuration file (YAML, see docs/configuration.md).")
    Path config;

    @Option(names = "--demo", description = "The built-in demo deployment (pilot points; Kela, DVV, TE and Vero rings).")
    boolean demo;

    ConfigFile.Deployment deployment() throws IOException {
        if (demo && config != null) {
            throw new ParameterException(spec.commandLine(), "give either --config FILE or --demo, not both");
        }
        if (!demo && config == null) {
            throw new ParameterException(spec.commandLine(), "give --config FILE (see docs/configuration.md) or --demo");
        }
        try {
            return demo ? ConfigFile.demo() : ConfigFile.load(config);
        } catch (ConfigFile.ConfigException e) {
            throw new ParameterException(spec.commandLine(), "configuration: " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), "no configuration file " + config);
        }
    }

    /** The secret tokens are signed with, created on first use. */
    byte[] tokenSecret(ConfigFile.Deployment d) throws IOException {
        return TokenSecret.loadOrCreate(d.tokenSecretFile() != null ? d.tokenSecretFile() : TokenSecret.defaultFile(data));
    }
}
