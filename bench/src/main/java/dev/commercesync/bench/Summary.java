package dev.commercesync.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A figure measured over several runs: its median (what the results report), the runs' range and how far the range
 * spreads around the median (the noise).
 */
public record Summary(double median, double min, double max, List<Double> runs) {

    public static Summary of(List<Double> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<Double> sorted = new ArrayList<>(runs);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Summary(median, sorted.get(0), sorted.get(n - 1), List.copyOf(runs));
    }

    /** (max − min) / median in percent: 0 for a single run. */
    public double spreadPercent() {
        return median == 0 ? 0 : (max - min) / median * 100;
    }

    /** e.g. {@code 1,382 (1,301–1,420, ±9%, 3 runs)}. */
    public String describe(String format) {
        if (runs.size() == 1) {
            return String.format(Locale.ROOT, format, median) + " (1 run)";
        }
        return String.format(Locale.ROOT, format, median)
                + String.format(
                        Locale.ROOT,
                        " (" + format + "–" + format + ", spread %.0f%%, %d runs)",
                        min,
                        max,
                        spreadPercent(),
                        runs.size());
    }
}
