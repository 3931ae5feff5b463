package dev.commercesync.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The ingest benchmark's open-loop measurement: each offered rate in turn, then bisection towards the rate where p99
 * crosses the limit; the CPU time of the ingest, the broker and the generator per phase.
 */
final class IngestSweep {
    private final List<Integer> rates;
    private final Duration rateDuration;
    private final int maxInFlight;
    private final Duration p99Limit;
    private final int bisectSteps;
    private final ProcessHandle ingestProcess;
    private final ProcessHandle brokerProcess;
    private final Consumer<String> progress;

    IngestSweep(
            IngestBench bench, ProcessHandle ingestProcess, ProcessHandle brokerProcess, Consumer<String> progress) {
        this.rates = bench.rates;
        this.rateDuration = bench.rateDuration;
        this.maxInFlight = bench.maxInFlight;
        this.p99Limit = bench.p99Limit;
        this.bisectSteps = bench.bisectSteps;
        this.ingestProcess = ingestProcess;
        this.brokerProcess = brokerProcess;
        this.progress = progress;
    }

    /** One offered rate of one run. */
    record RatePoint(int rate, IngestLoad.Result result, boolean bisection) {}

    /** CPU time of the processes that matter, in nanoseconds. */
    record Cpu(long ingest, long broker, long generator) {
        Cpu minus(Cpu earlier) {
            return new Cpu(ingest - earlier.ingest, broker - earlier.broker, generator - earlier.generator);
        }
    }

    /** The offered rates, then bisection towards where p99 crosses the limit. */
    void sweep(IngestLoad load, IngestBench.Run run) throws InterruptedException {
        double limitMs = p99Limit.toNanos() / 1e6;
        for (int rate : rates) {
            run.points.add(openLoop(load, run, rate, false));
        }
        // The lowest rate from which p99 stays over the limit at every higher rate (a lone spike at a lower rate,
        // e.g. a GC pause, shows in the table but does not make the crossing).
        Integer above = null;
        int below = 0;
        for (RatePoint p : run.points) {
            if (p.result().percentileMs(99) > limitMs) {
                if (above == null) {
                    above = p.rate();
                }
            } else {
                above = null;
                below = p.rate();
            }
        }
        if (above != null) {
            for (int step = 0; step < bisectSteps; step++) {
                int mid = (int) (Math.round((below + above) / 2.0 / 10) * 10);
                if (mid <= below || mid >= above || above - below <= Math.max(20, above / 20)) {
                    break;
                }
                RatePoint p = openLoop(load, run, mid, true);
                run.points.add(p);
                if (p.result().percentileMs(99) > limitMs) {
                    above = mid;
                } else {
                    below = mid;
                }
            }
        }
        run.crossingAbove = above;
        run.crossingBelow = below;
        progress.accept(
                above == null
                        ? "  p99 stays under " + IngestBench.seconds(p99Limit) + " up to " + rates.get(rates.size() - 1)
                                + "/s"
                        : "  p99 crosses " + IngestBench.seconds(p99Limit) + " between " + below + "/s and " + above
                                + "/s");
    }

    RatePoint openLoop(IngestLoad load, IngestBench.Run run, int rate, boolean bisection) throws InterruptedException {
        pause();
        Cpu c0 = cpu();
        IngestLoad.Result r = load.openLoop(rate, rateDuration, maxInFlight);
        Cpu c = cpu().minus(c0);
        if (!bisection) {
            run.rateCpu.put(rate, c);
        }
        progress.accept(String.format(
                Locale.ROOT,
                "  %s%,6d/s offered: %,7.0f/s achieved, p50 %8.1f ms, p99 %8.1f ms, max %8.1f ms, %,d failed%s;"
                        + " ingest %.2f, broker %.2f, generator %.2f cores",
                bisection ? "(bisect) " : "",
                rate,
                r.okPerSecond(),
                r.percentileMs(50),
                r.percentileMs(99),
                r.maxMs(),
                r.failed(),
                r.failures().isEmpty() ? "" : " " + r.failures(),
                cores(c.ingest(), r.seconds()),
                cores(c.broker(), r.seconds()),
                cores(c.generator(), r.seconds())));
        return new RatePoint(rate, r, bisection);
    }

    /** A short pause between phases, so one's tail does not fall into the next. */
    static void pause() throws InterruptedException {
        Thread.sleep(2_000);
    }

    Cpu cpu() {
        return new Cpu(cpuOf(ingestProcess), cpuOf(brokerProcess), IngestLoad.ownCpuNanos());
    }

    static long cpuOf(ProcessHandle process) {
        if (process == null) {
            return 0;
        }
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    static double cores(long cpuNanos, double seconds) {
        return seconds <= 0 ? 0 : cpuNanos / 1e9 / seconds;
    }
}
