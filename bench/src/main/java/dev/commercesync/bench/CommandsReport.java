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
        b.append(
                "| platform | limit: writes/s (burst) | poller's budget: requests/s | API requests (writes) per command"
                        + " | paced: sent, rate | paced: APPLIED/s | paced: p50 / p99 | backlog: sent | backlog: APPLIED/s"
                        + " sustained | backlog: p50 / p99 | ratio to the limit |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        results.forEach((platform, r) -> {
            CommandsBench.Limit limit = limits.get(platform);
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | **%.2f** (%.0f) | %.2f | %.2f (%.2f) | %d at %.2f/s | %.2f | %s / %s | %d | **%.2f** | %s / %s"
                            + " | **%.2f** |\n",
                    platform,
                    limit.writesPerSecond(),
                    limit.burstWrites(),
                    budgets.get(platform).requestsPerSecond(),
                    r.requestsPerCommand(),
                    r.writesPerCommand(),
                    r.paced().sent(),
                    r.paced().offeredPerSecond(),
                    r.paced().perSecond(),
                    ms(r.paced().p50()),
                    ms(r.paced().p99()),
                    r.backlog().sent(),
                    r.backlog().perSecond(),
                    ms(r.backlog().p50()),
                    ms(r.backlog().p99()),
                    r.backlog().perSecond() / limit.writesPerSecond()));
        });
        return b.toString();
    }

    void json(ObjectNode doc) {
        ObjectNode platforms = doc.putObject("platforms");
        results.forEach((platform, r) -> {
            ObjectNode p = platforms.putObject(platform);
            CommandsBench.Limit limit = limits.get(platform);
            p.put("limit_writes_per_second", limit.writesPerSecond());
            p.put("limit_burst_writes", limit.burstWrites());
            p.put("limit_how", limit.how());
            p.put("poller_budget_requests_per_second", budgets.get(platform).requestsPerSecond());
            p.put("poller_budget_how", budgets.get(platform).how());
            p.put("api_requests_per_command", r.requestsPerCommand());
            p.put("writes_per_command", r.writesPerCommand());
            p.put("api_rate_limited", r.rateLimited());
            p.put("ratio_to_limit", r.backlog().perSecond() / limit.writesPerSecond());
            p.set("paced", BenchResults.json().valueToTree(r.paced()));
            p.set("backlog", BenchResults.json().valueToTree(r.backlog()));
        });
    }

    String markdown(String command, double rateShare, Duration duration, List<String> failures) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", command);
        data.put("machine", BenchResults.machineLine());
        data.put("serviceJvm", String.join(" ", BenchStack.SERVICE_JVM));
        data.put("table", table());
        data.put("rateShare", CommandsBench.fmt(rateShare * 100) + " %");
        data.put("duration", duration.toSeconds() + " s");
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
