package fi.palvelurinki.broker;

/** The two sides of a call. */
public enum Party {
    ADVISOR, EXPERT
}
