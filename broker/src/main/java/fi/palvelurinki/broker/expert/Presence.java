package fi.palvelurinki.broker.expert;

import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.ErrorCode;
import java.util.EnumSet;
import java.util.Set;

/**
 * An expert's presence. Transitions are checked: anything not listed here is an error.
 *
 * <pre>
 * OFFLINE   → AVAILABLE, AWAY
 * AVAILABLE → OFFERED, AWAY, OFFLINE
 * OFFERED   → IN_CALL (accept), AVAILABLE (decline, timeout, withdrawn), AWAY, OFFLINE
 * IN_CALL   → WRAP_UP
 * WRAP_UP   → AVAILABLE, AWAY, OFFLINE
 * AWAY      → AVAILABLE, OFFLINE
 * </pre>
 */
public enum Presence {
    OFFLINE, AVAILABLE, OFFERED, IN_CALL, WRAP_UP, AWAY;

    private Set<Presence> next;

    static {
        OFFLINE.next = EnumSet.of(AVAILABLE, AWAY);
        AVAILABLE.next = EnumSet.of(OFFERED, AWAY, OFFLINE);
        OFFERED.next = EnumSet.of(IN_CALL, AVAILABLE, AWAY, OFFLINE);
        IN_CALL.next = EnumSet.of(WRAP_UP);
        WRAP_UP.next = EnumSet.of(AVAILABLE, AWAY, OFFLINE);
        AWAY.next = EnumSet.of(AVAILABLE, OFFLINE);
    }

    public boolean canBecome(Presence to) {
        return next.contains(to);
    }

    public void checkTransition(Presence to) {
        if (!canBecome(to)) {
            throw new BrokerException(ErrorCode.ILLEGAL_TRANSITION,
                    "presence cannot change from " + this + " to " + to);
        }
    }

    /** Signed in and working for the ring (counts as staffed). */
    public boolean staffed() {
        return this != OFFLINE && this != AWAY;
    }
}
