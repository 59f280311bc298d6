package fi.palvelurinki.broker.routing;

/** How parts tell live updates that a ring's figures changed. Implemented by {@link LiveUpdatesPart}. */
interface RingChanges {
    /** Its queue positions, estimates and figures may have changed. */
    void changed(RingState ring);

    /** Only its figures for operators may have changed. */
    void statusChanged(RingState ring);
}
