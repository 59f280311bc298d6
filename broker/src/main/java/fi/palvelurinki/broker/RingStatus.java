package fi.palvelurinki.broker;

import fi.palvelurinki.broker.expert.Presence;
import java.time.Duration;
import java.util.Map;

/**
 * A ring's live state for operators. "Today" is the current date in Europe/Helsinki.
 *
 * @param serviceLevelToday answered within the ring's threshold / (answered + abandoned after the
 *                          short-abandon grace); null before any such request today
 */
public record RingStatus(String ringId, String name, String authorityId, boolean open, int waiting,
        Duration longestWait, Duration estimatedWait, Map<Presence, Integer> expertsByPresence, int offersPending,
        int callsInProgress, int queuedToday, int answeredToday, int abandonedToday, Double serviceLevelToday,
        Duration serviceLevelThreshold, Duration averageHandleTime) {}
