package fi.palvelurinki.broker.analytics;

/**
 * Remote-service contacts per authority per service point per month: the table the 2015 evaluators
 * asked for and could not get.
 *
 * @param month    {@code 2026-11}, by the time the request was queued
 * @param offered  requests queued
 * @param contacts requests answered: remote-service calls that took place
 */
public record ContactRow(String authorityId, String authorityName, String pointId, String pointName,
        String municipality, String month, long offered, long contacts) {}
