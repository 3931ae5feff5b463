package dev.commercesync.syncwriter.errors;

/** A failure worth retrying (TRANSIENT, QUOTA): the same events may well succeed in a moment. */
public final class RetriableTargetException extends TargetException {
    RetriableTargetException(ErrorClass errorClass, String message, String sqlState, Throwable cause) {
        super(errorClass, message, sqlState, cause);
    }
}
