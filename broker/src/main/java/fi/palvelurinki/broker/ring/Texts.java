package fi.palvelurinki.broker.ring;

import fi.palvelurinki.broker.BrokerException;

/** Checks for free text that users type (names, triage notes, reasons). */
public final class Texts {
    private Texts() {}

    public static String check(String what, String value, int maxLength, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw BrokerException.invalid(what + " is required");
            }
            return "";
        }
        if (value.length() > maxLength) {
            throw BrokerException.invalid(what + " is " + value.length() + " characters, at most " + maxLength + " allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw BrokerException.invalid(what + " contains a control character at position " + i);
            }
        }
        return value.strip();
    }

    static String abbreviate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "…";
    }
}
