package fi.palvelurinki.broker.routing;

import fi.palvelurinki.broker.Command;
import fi.palvelurinki.broker.Reply;
import fi.palvelurinki.broker.journal.DomainEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/** Where the engine's parts declare the commands they answer and the events they apply. */
final class Wiring {
    private final Map<Class<?>, Function<Command, Reply>> commands = new HashMap<>();
    private final Map<Class<?>, String> commandOwners = new HashMap<>();
    private final EnumMap<DomainEvent.Type, List<Consumer<DomainEvent>>> appliers = new EnumMap<>(DomainEvent.Type.class);
    private String part = "?";

    void part(EnginePart p) {
        part = p.getClass().getSimpleName();
    }

    /** {@code handler} answers every command of {@code type}; one part per command type. */
    <C extends Command> void command(Class<C> type, Function<? super C, Reply> handler) {
        String before = commandOwners.putIfAbsent(type, part);
        if (before != null) {
            throw new IllegalStateException(type.getSimpleName() + " is handled by both " + before + " and " + part);
        }
        commands.put(type, c -> handler.apply(type.cast(c)));
    }

    /** {@code applier} applies every event of {@code type} to this part's state; several parts may. */
    <E extends DomainEvent> void event(DomainEvent.Type type, Class<E> eventClass, Consumer<? super E> applier) {
        appliers.computeIfAbsent(type, t -> new ArrayList<>()).add(e -> applier.accept(eventClass.cast(e)));
    }

    Map<Class<?>, Function<Command, Reply>> commands() {
        for (Class<?> c : Command.class.getPermittedSubclasses()) {
            if (!commands.containsKey(c)) {
                throw new IllegalStateException("no part handles " + c.getSimpleName());
            }
        }
        return Map.copyOf(commands);
    }

    /** Appliers by event type ordinal. */
    @SuppressWarnings("unchecked")
    Consumer<DomainEvent>[][] appliers() {
        DomainEvent.Type[] types = DomainEvent.Type.values();
        Consumer<DomainEvent>[][] out = new Consumer[types.length][];
        for (DomainEvent.Type t : types) {
            List<Consumer<DomainEvent>> l = appliers.get(t);
            if (l == null) {
                throw new IllegalStateException("no part applies " + t);
            }
            out[t.ordinal()] = l.toArray(new Consumer[0]);
        }
        return out;
    }
}
