package fi.palvelurinki.broker;

/** Who a notification is for: one advisor, one expert, or every operator. */
public record Recipient(Role role, String id) {
    public enum Role { ADVISOR, EXPERT, OPERATORS }

    public static final Recipient OPERATORS = new Recipient(Role.OPERATORS, "*");

    public static Recipient advisor(String id) {
        return new Recipient(Role.ADVISOR, id);
    }

    public static Recipient expert(String id) {
        return new Recipient(Role.EXPERT, id);
    }

    // Written out: the broker thread looks recipients up in hash maps for every notification it holds
    // back, and a record's generated equals/hashCode (invokedynamic, ObjectMethods) was a visible share
    // of its time in profiles.
    @Override
    public boolean equals(Object o) {
        return o instanceof Recipient r && role == r.role && java.util.Objects.equals(id, r.id);
    }

    @Override
    public int hashCode() {
        return 31 * role.ordinal() + (id == null ? 0 : id.hashCode());
    }
}
