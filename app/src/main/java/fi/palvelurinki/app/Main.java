package fi.palvelurinki.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/palvelurinki}: one entry point, one subcommand per task. */
@Command(name = "palvelurinki", mixinStandardHelpOptions = true, version = "palvelurinki 0.1.0",
        description = "Brokers live video remote service between joint service points and public authorities.",
        subcommands = {BenchCommand.class, StaffingCommand.class, ReportCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
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
