package dev.commercesync.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's commands judged per store (docs/commands.md#the-demos-commands): how each command ended, whether any was
 * applied twice or lost, and whether the store shows what the commands asked for.
 */
public record CommandsVerdict(List<Row> rows) {

    /**
     * @param ambiguousThenApplied APPLIED after an attempt ended with a 5xx or a timeout (the journal's last error
     *     class SERVER or TRANSPORT): the executor read back before any retry
     * @param echoes APPLIED commands named by a canonical event's {@code metadata.command_id}
     * @param ambiguousRecognisable of the ambiguous-then-applied commands, those of a kind whose echo the platform
     *     makes recognisable ({@code PlatformAdapter.recognisableEchoes()})
     * @param ambiguousEchoed of those, the ones named by a canonical event's {@code metadata.command_id}: the store's
     *     webhook about a write whose answer was a 5xx or a timeout was recognised as its echo
     * @param appliedTwice writes the store applied more than once ({@code StoreStats.writesAppliedTwice}) plus
     *     commands whose effect the store shows more than once: must be 0
     * @param lost commands without a final result by the end, and applied ones the store does not show: must be 0
     * @param stateChecked entities whose last command was APPLIED; {@code stateMatched} of them show its value
     * @param oneFinalResult commands with exactly one final status on commerce.command-results.v1, the journal's
     * @param faults429 the store's write faults injected: 429s, 5xx after applying, timeouts after applying
     */
    public record Row(
            String platform,
            String store,
            int sent,
            int applied,
            Map<String, Integer> rejected,
            int expired,
            int failed,
            int ambiguousThenApplied,
            int echoes,
            int ambiguousRecognisable,
            int ambiguousEchoed,
            int appliedTwice,
            int lost,
            int stateChecked,
            int stateMatched,
            int oneFinalResult,
            long faults429,
            long faults5xxAfterApply,
            long faultsTimeoutAfterApply) {

        public int rejectedTotal() {
            return rejected.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Nothing applied twice, nothing lost, the state as asked, exactly one final result per command. */
        public boolean clean() {
            return appliedTwice == 0 && lost == 0 && stateMatched == stateChecked && oneFinalResult == sent;
        }
    }

    /** No commands were sent (the demo without them): clean. */
    public static CommandsVerdict none() {
        return new CommandsVerdict(List.of());
    }

    public boolean clean() {
        return rows.stream().allMatch(Row::clean);
    }

    public int total(java.util.function.ToIntFunction<Row> column) {
        return rows.stream().mapToInt(column).sum();
    }

    /** The table for people. */
    public String table() {
        StringBuilder b = new StringBuilder();
        String format = "%-12s %5s %8s %-22s %8s %7s %10s %7s %9s %8s %5s %7s %7s %-14s%n";
        b.append(String.format(
                format,
                "platform",
                "sent",
                "applied",
                "rejected",
                "expired",
                "failed",
                "ambiguous",
                "echoes",
                "ambiguous",
                "applied",
                "lost",
                "state",
                "one",
                "write faults"));
        b.append(String.format(
                format,
                "",
                "",
                "once",
                "(by reason)",
                "",
                "",
                "->applied",
                "",
                "echoed",
                "twice",
                "",
                "as sent",
                "result",
                "429/5xx/t-o"));
        for (Row r : rows) {
            String rejected = r.rejectedTotal() == 0
                    ? "0"
                    : r.rejectedTotal() + " ("
                            + r.rejected().entrySet().stream()
                                    .map(e -> e.getKey() + " " + e.getValue())
                                    .collect(Collectors.joining(", "))
                            + ")";
            b.append(String.format(
                    "%-12s %5d %8d %-22s %8d %7d %10d %7s %9s %8d %5d %7s %7s %-14s%s%n",
                    r.platform(),
                    r.sent(),
                    r.applied(),
                    rejected,
                    r.expired(),
                    r.failed(),
                    r.ambiguousThenApplied(),
                    r.echoes() + "/" + r.applied(),
                    r.ambiguousEchoed() + "/" + r.ambiguousRecognisable(),
                    r.appliedTwice(),
                    r.lost(),
                    r.stateMatched() + "/" + r.stateChecked(),
                    r.oneFinalResult() + "/" + r.sent(),
                    r.faults429() + "/" + r.faults5xxAfterApply() + "/" + r.faultsTimeoutAfterApply(),
                    r.clean() ? "" : "  <--"));
        }
        return b.toString();
    }
}
