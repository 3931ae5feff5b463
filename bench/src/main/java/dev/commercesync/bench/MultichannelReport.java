package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The multichannel benchmark's analysis: per rate the medians over the runs (propagation, the channels' longest
 * lag behind the pool, writes per channel against its limit), whether every run stayed within N seconds of the
 * pool, the highest rate that did (and every lower one too); its table, JSON, Markdown ({@code
 * templates/multichannel.md}) and chart. Pure apart from writing the files.
 */
final class MultichannelReport {

    /**
     * One channel during one step: write requests its store received, API requests in all (reads and the poller's
     * polling too) and refused for the budget (429), per second of the sales; its limit (writes/s its standard budget
     * allows, {@link CommandsBench#limit}) and the poller's own budget (requests/s).
     */
    record Channel(
            long writes,
            double writesPerSecond,
            long apiRequests,
            double apiRequestsPerSecond,
            long rateLimited,
            double limitWritesPerSecond,
            double pollerRequestsPerSecond) {}

    /**
     * One rate, one run.
     *
     * @param rate store actions per second offered (sales mostly)
     * @param sales orders placed during the step
     * @param propagations sales whose propagation the pool recorded during the step
     * @param p50Ms propagation p50 (NaN without any)
     * @param maxLagMs the longest time a channel×SKU differed from the pool ({@link MultichannelLag})
     * @param settled whether every channel showed the pool's value within the settle timeout after the sales
     * @param settleSeconds from the last sale to settled (or to the timeout)
     */
    record Step(
            int run,
            double rate,
            double seconds,
            long sales,
            long refused,
            long propagations,
            double p50Ms,
            double p99Ms,
            double maxMs,
            long maxLagMs,
            String worstLag,
            Map<String, Long> maxLagPerChannel,
            boolean settled,
            double settleSeconds,
            Map<String, Channel> channels) {

        double salesPerSecond() {
            return sales / seconds;
        }

        boolean within(Duration within) {
            return settled && maxLagMs <= within.toMillis();
        }
    }

    /** One rate over its runs. */
    record Rate(double rate, List<Step> runs) {
        Summary summary(ToDoubleFunction<Step> figure) {
            return Summary.of(runs.stream().mapToDouble(figure).boxed().toList());
        }

        boolean within(Duration within) {
            return runs.stream().allMatch(s -> s.within(within));
        }
    }

    private final List<Rate> rates;
    private final Duration within;
    private final List<String> channels;

    /** @param steps every step of every run, in any order; the rates keep the order of their first step */
    MultichannelReport(List<Step> steps, Duration within) {
        Map<Double, List<Step>> byRate = new LinkedHashMap<>();
        steps.forEach(
                s -> byRate.computeIfAbsent(s.rate(), r -> new ArrayList<>()).add(s));
        List<Rate> rates = new ArrayList<>();
        byRate.forEach((rate, runs) -> rates.add(new Rate(rate, List.copyOf(runs))));
        rates.sort((a, b) -> Double.compare(a.rate(), b.rate()));
        this.rates = List.copyOf(rates);
        this.within = within;
        this.channels = steps.isEmpty()
                ? List.of()
                : List.copyOf(new java.util.TreeSet<>(steps.get(0).channels().keySet()));
    }

    List<Rate> rates() {
        return rates;
    }

    /**
     * The highest rate at which every run stayed within N seconds of the pool, as did every lower rate tried; NaN when
     * the lowest did not.
     */
    double highestWithin() {
        double highest = Double.NaN;
        for (Rate rate : rates) {
            if (!rate.within(within)) {
                break;
            }
            highest = rate.rate();
        }
        return highest;
    }

    /** The per-rate table: propagation, the longest lag behind the pool, within N s. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append("| actions/s offered | sales/s | sales propagated | propagation p50 | p99 | max | longest"
                + " lag behind the pool (channel, SKU) | settled after | within " + seconds(within) + " |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Rate r : rates) {
            Step first = r.runs().get(0);
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s |\n",
                    CommandsBench.fmt(r.rate()),
                    figure(r.summary(Step::salesPerSecond), "%.2f"),
                    figure(r.summary(s -> s.propagations()), "%.0f"),
                    ms(r.summary(Step::p50Ms)),
                    ms(r.summary(Step::p99Ms)),
                    ms(r.summary(Step::maxMs)),
                    ms(r.summary(s -> s.maxLagMs())),
                    first.worstLag().isEmpty() ? "none" : first.worstLag(),
                    ms(r.summary(s -> s.settleSeconds() * 1000)),
                    r.within(within)
                            ? "**yes**"
                            : r.runs().stream().allMatch(Step::settled) ? "no" : "no (not settled)"));
        }
        return b.toString();
    }

    /** Per rate and channel: write requests/s against the channel's limit, API requests/s, 429s (medians). */
    String writesTable() {
        StringBuilder b = new StringBuilder();
        b.append("| actions/s offered |");
        channels.forEach(c -> b.append(' ').append(c).append(": writes/s of limit (API req/s, 429s) |"));
        b.append('\n').append("|---|");
        channels.forEach(c -> b.append("---|"));
        b.append('\n');
        for (Rate r : rates) {
            b.append("| ").append(CommandsBench.fmt(r.rate())).append(" |");
            for (String c : channels) {
                Channel first = r.runs().get(0).channels().get(c);
                b.append(String.format(
                        Locale.ROOT,
                        " %.2f of %s (%.2f, %.0f) |",
                        r.summary(s -> s.channels().get(c).writesPerSecond()).median(),
                        CommandsBench.fmt(first.limitWritesPerSecond()),
                        r.summary(s -> s.channels().get(c).apiRequestsPerSecond())
                                .median(),
                        r.summary(s -> s.channels().get(c).rateLimited()).median()));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The headline: the highest rate within N s and its figures, one line. */
    String headline() {
        double highest = highestWithin();
        if (Double.isNaN(highest)) {
            return String.format(
                    Locale.ROOT, "No rate tried kept every channel within %s of the pool.", seconds(within));
        }
        Rate r = rates.stream().filter(x -> x.rate() == highest).findFirst().orElseThrow();
        return String.format(
                Locale.ROOT,
                "Highest rate at which every channel stayed within %s of the pool: %s actions/s (%s sales/s) on one"
                        + " merchant; there, propagation p50 %s, p99 %s, max %s%s.",
                seconds(within),
                CommandsBench.fmt(highest),
                String.format(
                        Locale.ROOT, "%.2f", r.summary(Step::salesPerSecond).median()),
                ms(r.summary(Step::p50Ms)),
                ms(r.summary(Step::p99Ms)),
                ms(r.summary(Step::maxMs)),
                highest == rates.get(rates.size() - 1).rate() ? " (the highest rate tried: the limit is higher)" : "");
    }

    void json(ObjectNode doc) {
        doc.put("within_seconds", within.toSeconds());
        double highest = highestWithin();
        if (Double.isNaN(highest)) {
            doc.putNull("highest_rate_within");
        } else {
            doc.put("highest_rate_within", highest);
        }
        ArrayNode steps = doc.putArray("steps");
        rates.forEach(r -> r.runs().forEach(s -> {
            ObjectNode step = BenchResults.json().valueToTree(s);
            step.put("sales_per_second", s.salesPerSecond());
            step.put("within", s.within(within));
            steps.add(step);
        }));
    }

    String markdown(Map<String, Object> setup) {
        Map<String, Object> data = new LinkedHashMap<>(setup);
        data.put("machine", BenchResults.machineLine());
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("within", seconds(within));
        data.put("table", table());
        data.put("writes", writesTable());
        data.put("headline", headline());
        return Templates.render("multichannel.md", data);
    }

    /** Propagation p50/p99/max and the longest lag behind the pool against the rate (medians). */
    void chart(Path png) throws IOException {
        List<Double> x = rates.stream().map(Rate::rate).toList();
        Charts.line(
                png,
                "Sale → every other channel, one merchant, standard rate limits",
                "store actions per second (sales mostly)",
                "seconds",
                false,
                false,
                List.of(
                        series("propagation p50", x, Step::p50Ms),
                        series("propagation p99", x, Step::p99Ms),
                        series("propagation max", x, Step::maxMs),
                        series("longest lag behind the pool", x, s -> s.maxLagMs())));
    }

    private Charts.Series series(String name, List<Double> x, ToDoubleFunction<Step> ms) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            double v = rates.get(i).summary(ms).median();
            if (!Double.isNaN(v)) {
                xs.add(x.get(i));
                ys.add(v / 1000);
            }
        }
        return new Charts.Series(name, xs, ys);
    }

    private static String figure(Summary s, String format) {
        String median = String.format(Locale.ROOT, format, s.median());
        return s.runs().size() == 1
                ? median
                : median + " (" + String.format(Locale.ROOT, format, s.min()) + "–"
                        + String.format(Locale.ROOT, format, s.max()) + ")";
    }

    private static String ms(Summary s) {
        if (Double.isNaN(s.median())) {
            return "–";
        }
        return s.runs().size() == 1 ? ms(s.median()) : ms(s.median()) + " (" + ms(s.min()) + "–" + ms(s.max()) + ")";
    }

    static String ms(double v) {
        return Double.isNaN(v)
                ? "–"
                : v >= 10_000
                        ? String.format(Locale.ROOT, "%.1f s", v / 1000)
                        : String.format(Locale.ROOT, "%.0f ms", v);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }
}
