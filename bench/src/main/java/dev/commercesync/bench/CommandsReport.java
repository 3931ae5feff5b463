package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The commands benchmark's table, JSON and Markdown ({@code templates/commands.md}). */
final class CommandsReport {
    private final Map<String, CommandsRun.Result> results;
    private final Map<String, CommandsBench.Limit> limits;
    private final Map<String, CommandsBench.PollerBudget> budgets;

    CommandsReport(
            Map<String, CommandsRun.Result> results,
            Map<String, CommandsBench.Limit> limits,
            Map<String, CommandsBench.PollerBudget> budgets) {
        this.results = results;
        this.limits = limits;
        this.budgets = budgets;
    }

    /** One row per platform: both phases, the limit and the ratio of the sustained rate to it. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append("| platform | commands sent | sustained APPLIED/s (closed loop) | limit: writes/s (burst) | ratio"
                + " | closed loop: p50 / p99 | paced: rate, APPLIED/s | paced: p50 / p99 | API requests (writes) per"
                + " command | poller's budget: commands/s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        results.forEach((platform, r) -> {
            CommandsBench.Limit limit = limits.get(platform);
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | **%.2f** | **%.2f** (%.0f) | **%.2f** | %s / %s | %.2f/s, %.2f | %s / %s | %.2f (%.2f)"
                            + " | %.2f |\n",
                    platform,
                    r.closed().sent() + r.paced().sent(),
                    r.closed().perSecond(),
                    limit.writesPerSecond(),
                    limit.burstWrites(),
                    ratio(r, limit),
                    ms(r.closed().p50()),
                    ms(r.closed().p99()),
                    r.paced().offeredPerSecond(),
                    r.paced().perSecond(),
                    ms(r.paced().p50()),
                    ms(r.paced().p99()),
                    r.requestsPerCommand(),
                    r.writesPerCommand(),
                    budgets.get(platform).commandsPerSecond()));
        });
        return b.toString();
    }

    private static double ratio(CommandsRun.Result r, CommandsBench.Limit limit) {
        return r.closed().perSecond() / limit.writesPerSecond();
    }

    void json(ObjectNode doc) {
        ObjectNode platforms = doc.putObject("platforms");
        results.forEach((platform, r) -> {
            ObjectNode p = platforms.putObject(platform);
            CommandsBench.Limit limit = limits.get(platform);
            p.put("limit_writes_per_second", limit.writesPerSecond());
            p.put("limit_burst_writes", limit.burstWrites());
            p.put("limit_how", limit.how());
            p.put("poller_budget_commands_per_second", budgets.get(platform).commandsPerSecond());
            p.put("poller_budget_how", budgets.get(platform).how());
            p.put("api_requests_per_command", r.requestsPerCommand());
            p.put("writes_per_command", r.writesPerCommand());
            p.put("api_rate_limited", r.rateLimited());
            p.put("ratio_to_limit", ratio(r, limit));
            p.set("paced", BenchResults.json().valueToTree(r.paced()));
            p.set("closed_loop", BenchResults.json().valueToTree(r.closed()));
        });
    }

    String markdown(
            String command,
            double rateShare,
            int inFlight,
            Duration saturation,
            Duration duration,
            int count,
            List<String> failures) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", command);
        data.put("machine", BenchResults.machineLine());
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("table", table());
        data.put("rateShare", CommandsBench.fmt(rateShare * 100) + " %");
        data.put("inFlight", inFlight);
        data.put("saturation", saturation.toSeconds() + " s");
        data.put("paced", count > 0 ? count + " commands" : duration.toSeconds() + " s");
        Map<String, String> how = new LinkedHashMap<>();
        limits.forEach((platform, limit) -> how.put(
                platform,
                limit.how() + "; the poller's own limiter: "
                        + budgets.get(platform).how()));
        data.put("how", how);
        data.put("failures", failures);
        return Templates.render("commands.md", data);
    }

    private static String ms(double v) {
        return Double.isNaN(v)
                ? "–"
                : v >= 10_000
                        ? String.format(Locale.ROOT, "%.1f s", v / 1000)
                        : String.format(Locale.ROOT, "%.0f ms", v);
    }
}
