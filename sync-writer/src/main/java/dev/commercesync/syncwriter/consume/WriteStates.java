package dev.commercesync.syncwriter.consume;

import dev.commercesync.opstate.ErrorClass;
import dev.commercesync.opstate.Operation;
import dev.commercesync.opstate.OperationalStates;
import dev.commercesync.opstate.OperationalStates.Subject;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.syncwriter.errors.TargetException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The sync-writer's part of the operational state (docs/reliability.md, "Operational state"): operation {@code WRITE}
 * per store and entity type, in {@code syncwriter.operational_state}. A dead-lettered event records a failure that
 * waits for a person (the event is on commerce.sync-dlq.v1 until someone fixes and retries it); applied events record
 * a success, at most once per {@link #SUCCESS_EVERY} per store and entity type, so the hot path adds no statement per
 * event. Infrastructure trouble is not the store's: the batch waits and retries, and nothing is recorded about it.
 */
@ApplicationScoped
public class WriteStates {
    /** How often an applied batch records its stores' successes: the row says "writing works since", not each event. */
    static final Duration SUCCESS_EVERY = Duration.ofSeconds(10);

    private final OperationalStates states;
    private final LongSupplier nanoTime;
    /** When each subject's success was last recorded (System.nanoTime); absent after a failure. */
    private final Map<Subject, Long> recorded = new ConcurrentHashMap<>();

    @Inject
    public WriteStates(OperationalStates states) {
        this(states, System::nanoTime);
    }

    WriteStates(OperationalStates states, LongSupplier nanoTime) {
        this.states = states;
        this.nanoTime = nanoTime;
    }

    /** The changes were applied (or found stale or duplicate: the target holds them). */
    public void applied(List<CanonicalChange> changes) {
        Set<Subject> subjects = new LinkedHashSet<>();
        for (CanonicalChange change : changes) {
            subjects.add(subject(change.metadata()));
        }
        long now = nanoTime.getAsLong();
        for (Subject subject : subjects) {
            Long last = recorded.get(subject);
            if (last == null || now - last >= SUCCESS_EVERY.toNanos()) {
                recorded.put(subject, now);
                states.succeeded(subject);
            }
        }
    }

    /** The change was dead-lettered: its store's writes of that type wait for a person. */
    public void deadLettered(CanonicalChange change, TargetException failure) {
        Subject subject = subject(change.metadata());
        recorded.remove(subject);
        states.failed(
                subject,
                failure.errorClass() == dev.commercesync.syncwriter.errors.ErrorClass.CONFLICT
                        ? ErrorClass.CONFLICT
                        : ErrorClass.VALIDATION,
                "event " + change.metadata().getEventId() + " dead-lettered to commerce.sync-dlq.v1 ("
                        + failure.errorClass() + "): " + failure.getMessage(),
                false);
    }

    private static Subject subject(EventMetadata m) {
        return new Subject(m.getPlatform(), m.getStore(), m.getEntityType().name(), Operation.WRITE);
    }
}
