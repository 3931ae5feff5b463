package dev.commercesync.syncwriter.errors;

/** Why applying a canonical event failed, and therefore what the writer does about it. */
public enum ErrorClass {
    /** Connection loss, serialization failure, deadlock, a restarting server: retried with backoff. */
    TRANSIENT(Disposition.RETRY),
    /** The target is out of a resource (connections, rate limit, disk): retried with backoff. */
    QUOTA(Disposition.RETRY),
    /** The target refused our credentials: nothing any event can fix, so the consumer stops (readiness goes DOWN). */
    AUTH(Disposition.STOP),
    /** The event is invalid for the target: dead-lettered. */
    VALIDATION(Disposition.DEAD_LETTER),
    /** The target refused the event because of what it already holds (unique, foreign key): dead-lettered. */
    CONFLICT(Disposition.DEAD_LETTER),
    /** The record is not a readable canonical event: dead-lettered. */
    UNDECODABLE(Disposition.DEAD_LETTER),
    /** A bug: dead-lettered, so one bad event does not stop the stream, and replayable after the fix. */
    INTERNAL(Disposition.DEAD_LETTER);

    /** What the writer does with an event that failed this way. */
    public enum Disposition {
        RETRY,
        STOP,
        DEAD_LETTER
    }

    private final Disposition disposition;

    ErrorClass(Disposition disposition) {
        this.disposition = disposition;
    }

    public Disposition disposition() {
        return disposition;
    }
}
