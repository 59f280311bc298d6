package fi.palvelurinki.broker.ring;

/** A public authority (Kela, Verohallinto, DVV, TE-toimisto…) that runs one or more service rings. */
public record Authority(String id, String name) {
    public Authority {
        Ids.check("authority", id);
        name = Texts.check("authority name", name, 200, true);
    }
}
