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
}
