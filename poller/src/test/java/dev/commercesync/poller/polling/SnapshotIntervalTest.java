package dev.commercesync.poller.polling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code polling.snapshot-interval}: zero or unset means no repeats (the first listing still runs), negative is refused. */
class SnapshotIntervalTest {
    @Test
    void zeroOrUnsetDisablesRepeatsAndNegativeIsRefused() {
        assertEquals(
                Optional.of(Duration.ofHours(1)), PollScheduler.snapshotInterval(Optional.of(Duration.ofHours(1))));
        assertEquals(Optional.empty(), PollScheduler.snapshotInterval(Optional.of(Duration.ZERO)));
        assertEquals(Optional.empty(), PollScheduler.snapshotInterval(Optional.empty()));
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> PollScheduler.snapshotInterval(Optional.of(Duration.ofMinutes(-5))));
        assertTrue(
                refused.getMessage().contains("commercesync.poller.polling.snapshot-interval"), refused.getMessage());
    }
}
