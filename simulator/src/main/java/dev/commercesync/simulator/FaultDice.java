package dev.commercesync.simulator;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Decides, reproducibly from a seed, whether each fault happens. Every roll draws one number whatever the rate, so
 * the sequence of decisions depends only on the seed and the order of rolls. Thread-safe.
 */
public final class FaultDice {
    private final SplittableRandom random;
    private final FaultProfile profile;
    private final StatsRecorder stats;

    public FaultDice(long seed, FaultProfile profile, StatsRecorder stats) {
        this.random = new SplittableRandom(seed);
        this.profile = profile;
        this.stats = stats;
    }

    /** Whether the fault happens this time; counted when it does. */
    public boolean roll(Fault fault) {
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        boolean happens = draw < profile.rate(fault);
        if (happens) {
            stats.fault(fault);
        }
        return happens;
    }

    /** A delay between zero and the profile's maximum. */
    public Duration delay() {
        long max = profile.maxDelay().toMillis();
        synchronized (random) {
            return Duration.ofMillis(max <= 0 ? 0 : random.nextLong(max + 1));
        }
    }

    /** Whether a coin lands heads (which 5xx to answer). */
    public boolean coin() {
        synchronized (random) {
            return random.nextBoolean();
        }
    }
}
