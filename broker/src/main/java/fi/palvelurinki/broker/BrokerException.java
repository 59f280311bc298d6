package fi.palvelurinki.broker;

import java.util.Objects;

/** A refused command. The broker's state is exactly as it was before the command. */
public final class BrokerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public BrokerException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
    }

    public ErrorCode code() {
        return code;
    }

    public static BrokerException invalid(String message) {
        return new BrokerException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
