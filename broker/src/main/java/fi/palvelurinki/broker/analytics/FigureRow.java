package fi.palvelurinki.broker.analytics;

/**
 * One group's figures. A part that does not apply to the dimension (experts' time of a service point,
 * requests of an expert) is all zeros.
 *
 * @param key   id of the ring, authority, point or expert; {@code 09} (hour of day), {@code 2026-11-24}
 *              (day), {@code 2026-11} (month), {@code all} (total)
 * @param label the name people know it by
 */
public record FigureRow(Dimension dimension, String key, String label, QueueFigures queue, HandleFigures handle,
        TimeFigures time) {}
