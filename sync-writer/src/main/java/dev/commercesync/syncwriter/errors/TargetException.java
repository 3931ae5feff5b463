package dev.commercesync.syncwriter.errors;

import java.util.Optional;

/** A classified failure to apply canonical events. Messages never contain entity data (they may hold ids). */
public abstract sealed class TargetException extends RuntimeException
        permits RetriableTargetException, PermanentTargetException {
    private final ErrorClass errorClass;
    private final String sqlState;

    protected TargetException(ErrorClass errorClass, String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
        this.sqlState = sqlState;
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }

    /** The class of the exception that caused it (or this one's), for the dead letter. */
    public String rootExceptionClass() {
        return getCause() == null ? getClass().getName() : getCause().getClass().getName();
    }

    public static TargetException of(ErrorClass errorClass, String message, String sqlState, Throwable cause) {
        return errorClass.disposition() == ErrorClass.Disposition.RETRY
                ? new RetriableTargetException(errorClass, message, sqlState, cause)
                : new PermanentTargetException(errorClass, message, sqlState, cause);
    }
}
