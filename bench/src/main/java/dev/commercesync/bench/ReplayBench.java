package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.ReplayPool.Template;
import dev.commercesync.cli.ReplayCommand;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.kafka.TopicNames;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Issue 7, figure 4: raw events re-normalized per second by {@code synctl replay} over 1M retained raw events. Fills
 * {@code commerce.raw.v1} once with simulator payloads (Shopify, WooCommerce, BigCommerce webhooks and the
 * BigCommerce hydrations the poller would write), then per run replays all of them three times through {@link
 * ReplayCommand} itself, in this JVM: into empty canonical topics, as a dry run, and again over the events the first
 * pass wrote (the production case: the canonical topics hold the events of the retained raw records).
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Raw events re-normalized per second by 'synctl replay' (run in this JVM, the command itself) over"
                    + " --events retained raw events on a private stack.",
            "Fills commerce.raw.v1 once with simulator payloads (one store per registered platform), then per run:"
                    + " replay into empty canonical topics, --dry-run, and replay over the existing canonical events."
        })
public final class ReplayBench implements Callable<Integer> {
    static final String NAME = "replay";
    private static final Pattern SUMMARY = Pattern.compile(
            "(?:Replay done|Dry run): read (\\d+), (?:produced|would produce) (\\d+) \\(changed (\\d+), new (\\d+)\\),"
                    + " unchanged (\\d+), quarantined (\\d+), thin skipped (\\d+), undecodable (\\d+)");
    private static final Pattern PROGRESS =
            Pattern.compile("\\s*\\.\\.\\. (\\d+) raw records scanned, (\\d+) replayed");

    @Mixin
    BenchOptions options;

    @Option(
            names = "--platforms",
            split = ",",
            completionCandidates = BenchPlatforms.class,
            description = "Platforms whose simulated stores fill the raw topic, one store each (default: every"
                    + " registered one: ${COMPLETION-CANDIDATES}).")
    List<String> platforms;

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "Raw events retained on commerce.raw.v1 and replayed (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--pool",
            defaultValue = "12000",
            description = "Distinct simulator payloads the events cycle through, each cycle as other stores so every"
                    + " event is distinct (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(names = "--no-dry-run", description = "Skip the --dry-run pass.")
    boolean noDryRun;

    @Option(
            names = "--new-only",
            description =
                    "Only the first pass (canonical topics empty). The comparing passes hold every existing"
                            + " canonical event in memory: at 1M events they need more than the default heap (bench/README.md).")
    boolean newOnly;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** One measured replay pass. */
    enum PassKind {
        EMPTY("replay, canonical topics empty", false),
        DRY_RUN("replay --dry-run, canonical events exist", true),
        EXISTING("replay, canonical events exist", false);

        final String label;
        final boolean dryRun;

        PassKind(String label, boolean dryRun) {
            this.label = label;
            this.dryRun = dryRun;
        }
    }

    /** What one pass printed and took. */
    record Pass(
            PassKind kind,
            double seconds,
            int exitCode,
            Map<String, Long> counts,
            long quarantineLines,
            long diffLines,
            double peakHeapMib,
            List<double[]> progress) {
        double rawPerSecond(long events) {
            return events / seconds;
        }

        double producedPerSecond() {
            return counts.getOrDefault("produced", 0L) / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (events < 1 || poolSize < 30 || options.runs < 1) {
            System.err.println("--events must be at least 1, --pool at least 30, --runs at least 1");
            return 2;
        }
        platforms = platforms == null ? BenchPlatforms.names() : platforms;
        platforms.forEach(BenchPlatforms::check);
        say(
                "Replay benchmark: %,d retained raw events (pool of %,d simulator payloads), %d run(s)%s",
                events, poolSize, options.runs, options.profile ? ", profiled" : "");
        say("JVM: %s", jvmArguments());
        ObjectNode doc = BenchResults.document(NAME, command());
        ReplayPool poolMaker = new ReplayPool(platforms, poolSize, seed);
        ReplayTopics kafka = new ReplayTopics(events);
        List<Pass> passes = new ArrayList<>();
        Map<String, Double> fill;
        long diskBytes;
        Profiles.Profile profile = null;
        try (BenchStack stack = BenchStack.start(NAME, List.of(), Map.of(), false, ReplayBench::say)) {
            Endpoints endpoints = stack.endpoints();
            TopicNames topics = TopicNames.standard();
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafkaBootstrap()))) {
                kafka.createTopics(admin, topics);
                List<Template> pool = poolMaker.generate();
                Instant from = Instant.now().minusSeconds(60);
                fill = kafka.fill(endpoints, topics, pool);
                diskBytes = kafka.bytesOnDisk(admin, topics.raw());
                say(
                        "Raw topic on disk: %.1f MiB (lz4 batches, %.0f bytes per event)",
                        diskBytes / 1048576.0, (double) diskBytes / events);
                Recording recording = null;
                if (options.profile) {
                    recording = new Recording(Configuration.getConfiguration("profile"));
                    recording.setName("synctl-replay");
                    recording.start();
                }
                for (int run = 1; run <= options.runs; run++) {
                    kafka.clearOutputs(admin, topics);
                    for (PassKind kind : PassKind.values()) {
                        if ((kind == PassKind.DRY_RUN && noDryRun) || (newOnly && kind != PassKind.values()[0])) {
                            continue;
                        }
                        say("Run %d/%d: %s ...", run, options.runs, kind.label);
                        Pass pass = replay(kind, from, endpoints);
                        passes.add(pass);
                        say(
                                "Run %d/%d: %s: %,.0f raw events/s, %,.0f canonical events %s/s, %.1f s, %s",
                                run,
                                options.runs,
                                kind.label,
                                pass.rawPerSecond(events),
                                pass.producedPerSecond(),
                                kind.dryRun ? "compared" : "produced",
                                pass.seconds(),
                                pass.counts());
                    }
                }
                if (recording != null) {
                    recording.stop();
                    Path jfr = stack.profileFile("synctl");
                    Files.createDirectories(jfr.getParent());
                    recording.dump(jfr);
                    recording.close();
                    profile = Profiles.summarize(jfr);
                }
            }
        }
        new ReplayReport(this, poolMaker).report(doc, passes, fill, diskBytes, profile);
        return 0;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Topics

    // ----------------------------------------------------------------------------------------------------------------
    // Payload pool

    // ----------------------------------------------------------------------------------------------------------------
    // Fill

    // ----------------------------------------------------------------------------------------------------------------
    // Replay

    /** Runs {@code synctl replay} itself (picocli, this JVM) over the whole raw topic and reads what it printed. */
    private Pass replay(PassKind kind, Instant from, Endpoints endpoints) {
        List<String> args = new ArrayList<>(List.of(
                "--from",
                from.toString(),
                "--bootstrap",
                endpoints.kafkaBootstrap(),
                "--registry",
                endpoints.registryUrl()));
        if (kind.dryRun) {
            args.add("--dry-run");
        }
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured"))
                .toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();
        Output output = new Output(t0);
        CommandLine command = new CommandLine(new ReplayCommand());
        command.setOut(new PrintWriter(output, true));
        command.setErr(new PrintWriter(output, true));
        int exit = command.execute(args.toArray(String[]::new));
        double s = seconds(t0);
        output.flushLine();
        double peakHeap =
                heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1048576.0;
        if (output.counts == null) {
            throw new IllegalStateException("synctl replay printed no summary (exit " + exit + ")");
        }
        if (exit != 0 && exit != 1) {
            throw new IllegalStateException("synctl replay failed with exit code " + exit);
        }
        long accounted = output.counts.get("read") + output.counts.get("thin") + output.counts.get("undecodable");
        if (accounted != events) {
            say("  note: %,d raw records accounted for (read + thin + undecodable), %,d retained", accounted, events);
        }
        return new Pass(
                kind, s, exit, output.counts, output.quarantineLines, output.diffLines, peakHeap, output.progress);
    }

    /** Receives what the replay command prints: forwards progress and summary, counts per-event lines. */
    private final class Output extends Writer {
        private final long t0;
        private final StringBuilder line = new StringBuilder();
        final List<double[]> progress = new ArrayList<>();
        Map<String, Long> counts;
        long quarantineLines;
        long diffLines;

        Output(long t0) {
            this.t0 = t0;
            progress.add(new double[] {0, 0});
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                char c = buffer[i];
                if (c == '\n') {
                    flushLine();
                } else if (c != '\r') {
                    line.append(c);
                }
            }
        }

        void flushLine() {
            if (line.length() == 0) {
                return;
            }
            String text = line.toString();
            line.setLength(0);
            Matcher m = PROGRESS.matcher(text);
            if (m.matches()) {
                double t = seconds(t0);
                long scanned = Long.parseLong(m.group(1));
                progress.add(new double[] {t, scanned});
                say(
                        "    %5.0f s  %,d raw records scanned (%,.0f/s so far), %s events replayed",
                        t, scanned, scanned / t, String.format(Locale.ROOT, "%,d", Long.parseLong(m.group(2))));
                return;
            }
            Matcher s = SUMMARY.matcher(text);
            if (s.find()) {
                Map<String, Long> c = new LinkedHashMap<>();
                String[] names = {
                    "read", "produced", "changed", "new", "unchanged", "quarantined", "thin", "undecodable"
                };
                for (int g = 0; g < names.length; g++) {
                    c.put(names[g], Long.parseLong(s.group(g + 1)));
                }
                counts = c;
                progress.add(new double[] {seconds(t0), events});
                say("    %s", text);
                return;
            }
            if (text.startsWith("!")) {
                if (quarantineLines++ < 5) {
                    say("    %s", text);
                }
                return;
            }
            if (text.startsWith("+") || text.startsWith("~") || text.startsWith("    ")) {
                if (diffLines++ < 12) {
                    say("    %s", text);
                }
                return;
            }
            say("    %s", text);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Report

    String command() {
        StringBuilder c = new StringBuilder("./synctl bench replay");
        if (events != 1_000_000) {
            c.append(" --events ").append(events);
        }
        if (poolSize != 12000) {
            c.append(" --pool ").append(poolSize);
        }
        if (options.runs != 3) {
            c.append(" --runs ").append(options.runs);
        }
        if (noDryRun) {
            c.append(" --no-dry-run");
        }
        if (newOnly) {
            c.append(" --new-only");
        }
        if (seed != 42) {
            c.append(" --seed ").append(seed);
        }
        if (!platforms.equals(BenchPlatforms.names())) {
            c.append(" --platforms ").append(String.join(",", platforms));
        }
        if (options.profile) {
            c.append(" --profile");
        }
        return c.toString();
    }

    static String jvmArguments() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-D") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
                .toList();
        long maxHeap = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return (args.isEmpty() ? "(no options)" : String.join(" ", args)) + ", max heap " + maxHeap + " MiB";
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
