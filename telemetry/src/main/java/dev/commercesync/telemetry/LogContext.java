package dev.commercesync.telemetry;

import org.jboss.logging.MDC;

/**
 * The log context of one record being processed: {@code platform}, {@code store} and {@code event_id} in the MDC
 * (the JSON log format of the prod profile writes them into every line; the OpenTelemetry extension adds
 * {@code traceId} and {@code spanId} while a span is current). Opened where a record's processing starts, closed when
 * it ends, which restores what was there before, so nothing leaks to the next record on the same thread. Null values
 * leave a key unset. Never put secrets or payload fields here.
 */
public final class LogContext implements AutoCloseable {
    public static final String PLATFORM = "platform";
    public static final String STORE = "store";
    public static final String EVENT_ID = "event_id";

    private final String[] keys;
    private final Object[] previous;

    private LogContext(String[] keys, String[] values) {
        this.keys = keys;
        this.previous = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            previous[i] = MDC.get(keys[i]);
            if (values[i] == null) {
                MDC.remove(keys[i]);
            } else {
                MDC.put(keys[i], values[i]);
            }
        }
    }

    /** Platform, store and event id of one record. */
    public static LogContext of(String platform, String store, String eventId) {
        return new LogContext(new String[] {PLATFORM, STORE, EVENT_ID}, new String[] {platform, store, eventId});
    }

    /** Platform and store, before the record's event id is known. */
    public static LogContext of(String platform, String store) {
        return of(platform, store, null);
    }

    /** Sets platform and store within this scope, once they are known (restored with the rest on close). */
    public static void platformAndStore(String platform, String store) {
        set(PLATFORM, platform);
        set(STORE, store);
    }

    /** Sets the event id within this scope (restored with the rest on close). */
    public static void eventId(String eventId) {
        set(EVENT_ID, eventId);
    }

    private static void set(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        for (int i = keys.length - 1; i >= 0; i--) {
            if (previous[i] == null) {
                MDC.remove(keys[i]);
            } else {
                MDC.put(keys[i], previous[i]);
            }
        }
    }
}
