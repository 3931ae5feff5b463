package dev.commercesync.syncwriter.errors;

/** A failure that retrying the same event cannot fix: dead-letter it (or stop, for AUTH). */
public final class PermanentTargetException extends TargetException {
    PermanentTargetException(ErrorClass errorClass, String message, String sqlState, Throwable cause) {
        super(errorClass, message, sqlState, cause);
    }

    public static PermanentTargetException validation(String message) {
        return new PermanentTargetException(ErrorClass.VALIDATION, message, null, null);
    }

    public static PermanentTargetException undecodable(String message, Throwable cause) {
        return new PermanentTargetException(ErrorClass.UNDECODABLE, message, null, cause);
    }
}
