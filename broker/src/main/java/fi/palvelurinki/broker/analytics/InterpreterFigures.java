package fi.palvelurinki.broker.analytics;

import java.util.List;

/**
 * The report's figures of issue 14's interpreters and calls of three or four parties, from
 * {@link InterpreterFold}.
 */
public record InterpreterFigures(List<InterpreterWaitRow> waits, List<HoldRow> holds, List<InterpreterUseRow> use,
        List<PartyCallRow> calls) {
    public static final InterpreterFigures NONE = new InterpreterFigures(List.of(), List.of(), List.of(), List.of());

    public InterpreterFigures {
        waits = List.copyOf(waits);
        holds = List.copyOf(holds);
        use = List.copyOf(use);
        calls = List.copyOf(calls);
    }
}
