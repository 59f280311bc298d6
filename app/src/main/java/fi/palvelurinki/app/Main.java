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
        cl.registerConverter(java.time.Duration.class, text -> {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        cl.setParameterExceptionHandler(Main::badArguments);
        cl.setExecutionExceptionHandler(Main::failed);
        return cl;
    }

    /**
     * One line saying what to fix, and where the help is: the whole usage after every mistake (18-55
     * lines) buried the one line that mattered.
     */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        StringBuilder line = new StringBuilder(e.getMessage());
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append(" (did you mean ").append(String.join(" or ", u.getSuggestions())).append("?)");
        }
        line.append("; see '").append(cl.getCommandSpec().qualifiedName()).append(" --help'");
        cl.getErr().println(line);
        cl.getErr().flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A value refused while the command ran (a constructor's check) is a mistake in what was typed, said
     * in one line like the others; anything else is a fault of ours, and its stack trace is wanted.
     */
    private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException) {
            return badArguments(new CommandLine.ParameterException(cl, e.getMessage(), e), null);
        }
        throw e;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
