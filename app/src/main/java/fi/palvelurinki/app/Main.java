package fi.palvelurinki.app;

import fi.palvelurinki.signaling.config.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/palvelurinki}: one entry point, one subcommand per task. */
@Command(name = "palvelurinki", mixinStandardHelpOptions = true, version = "palvelurinki 0.1.0",
        description = "Brokers live video remote service between joint service points and public authorities.",
        subcommands = {ServeCommand.class, TokenCommand.class, WsCommand.class, BenchCommand.class, LoadtestCommand.class,
                StaffingCommand.class, ReportCommand.class, SimulateCommand.class, JournalCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // One line per record: time, level, logger, message.
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(java.time.Duration.class, Durations::parse);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
