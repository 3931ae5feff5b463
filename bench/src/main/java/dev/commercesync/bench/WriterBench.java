package dev.commercesync.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.bench.ReplayPool.Template;
import dev.commercesync.devstack.RepoRoot;
import dev.commercesync.devstack.ServiceNode;
import dev.commercesync.kafka.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Issue 19: canonical events applied per second by the sync-writer alone. Per run, a fresh private stack; the
 * canonical topics are filled with {@code --events} events ({@link WriterEvents}) before the writer starts, then the
 * built sync-writer application runs until its consumer group has committed every event. With several {@code
 * --writer-app}s (another build, e.g. a {@code git worktree} of an older commit) the runs alternate between them.
 */
@Command(
        name = "writer",
        mixinStandardHelpOptions = true,
        description = {
            "Canonical events applied per second by the sync-writer alone, from canonical topics filled before it"
                    + " starts (a fresh private stack per run).",
            "Repeat --writer-app to compare builds: the runs alternate between them (a, b, a, b, ...)."
        })
public final class WriterBench implements Callable<Integer> {
    static final String NAME = "writer";
    static final String MODULE = "sync-writer";
    /** The sync-writer's consumer group (its application.properties). */
    static final String GROUP = "commerce-sync-writer";

    private static final Duration POLL = Duration.ofMillis(500);

    @Mixin
    BenchOptions options;

    @Option(
            names = "--events",
            defaultValue = "200000",
            description = "Canonical events on the topics before the writer starts (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--pool",
            defaultValue = "12000",
            description = "Distinct simulator payloads the events come from, each cycle as other stores"
                    + " (default: ${DEFAULT-VALUE}).")
    int poolSize;

    @Option(
            names = "--platforms",
            split = ",",
            completionCandidates = BenchPlatforms.class,
            description = "Platforms whose simulated stores make the events, one store each (default: every"
                    + " registered one: ${COMPLETION-CANDIDATES}).")
    List<String> platforms;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--writer-app",
            description = "A built sync-writer application (<checkout>/sync-writer/target/quarkus-app); repeat to"
                    + " compare builds, run alternately (default: this checkout's).")
    List<Path> writerApps;

    @Option(
            names = "--timeout",
            defaultValue = "PT30M",
            description = "Longest a run may take to apply every event (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** A sync-writer build: its checkout and a name for people (the checkout's commit). */
    record Build(String name, Path checkout) {}

    /** What one run measured. */
    record Run(
            String build,
            int run,
            long events,
            long applied,
            long stale,
            double applySeconds,
            double wallSeconds,
            double cpuSeconds,
            double rssMedianMib,
            double rssMaxMib,
            double[] loadStart,
            double[] loadEnd,
            boolean finished) {
        /** Events applied per second: all events over the first transaction's start to the last commit. */
        double perSecond() {
            return (applied + stale) / applySeconds;
        }

        /** Events per second from the writer being ready to its group's lag reading 0 (joining the group included). */
        double wallPerSecond() {
            return events / wallSeconds;
        }

        /** CPU cores the writer kept busy from ready to done. */
        double cores() {
            return cpuSeconds / wallSeconds;
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
        List<Build> builds = builds();
        ReplayBench.say(
                "Writer benchmark: %,d canonical events per run, %d run(s) of %s%s",
                events,
                options.runs,
                String.join(", ", builds.stream().map(Build::name).toList()),
                options.profile ? ", profiled" : "");
        ObjectNode doc = BenchResults.document(NAME, command());
        List<Template> pool = new ReplayPool(platforms, poolSize, seed).generate();
        List<Run> runs = new ArrayList<>();
        Map<String, Profiles.Profile> profiles = new LinkedHashMap<>();
        WriterEvents.Fill fill = null;
        for (int run = 1; run <= options.runs; run++) {
            for (Build build : builds) {
                ReplayBench.say("Run %d/%d, sync-writer %s (%s):", run, options.runs, build.name(), build.checkout());
                Path jfr;
                try (BenchStack stack =
                        BenchStack.start(NAME, List.of(), Map.of(), options.profile, ReplayBench::say)) {
                    jfr = stack.profileFile(MODULE);
                    fill = prefill(stack, pool);
                    runs.add(measure(stack, build, run));
                }
                if (options.profile) {
                    // one recording per build: its last run's (each run starts in a fresh stack folder)
                    if (Files.isRegularFile(jfr)) {
                        profiles.put(build.name(), Profiles.summarize(jfr));
                    }
                }
            }
        }
        new WriterReport(command(), events, runs, fill, profiles).report(doc);
        return 0;
    }

    private List<Build> builds() throws IOException {
        List<Path> apps = writerApps == null
                ? List.of(RepoRoot.find().resolve(MODULE).resolve("target/quarkus-app"))
                : writerApps;
        List<Build> builds = new ArrayList<>();
        for (Path app : apps) {
            Path a = app.toAbsolutePath().normalize();
            if (!a.endsWith(Path.of(MODULE, "target", "quarkus-app"))) {
                throw new IllegalArgumentException(
                        "--writer-app must be a checkout's " + MODULE + "/target/quarkus-app: " + app);
            }
            Path checkout = a.getParent().getParent().getParent();
            if (!ServiceNode.isBuilt(checkout, MODULE)) {
                throw new IllegalArgumentException(app + " holds no built application (quarkus-run.jar): ./mvnw -pl "
                        + MODULE + " -am package -DskipTests in " + checkout);
            }
            String name = commit(checkout);
            long same = builds.stream().filter(b -> b.name().startsWith(name)).count();
            builds.add(new Build(same == 0 ? name : name + "#" + (same + 1), checkout));
        }
        return builds;
    }

    /** The checkout's commit, e.g. {@code 1bbe27c} or {@code 1bbe27c-dirty}; the folder's name without git. */
    static String commit(Path checkout) {
        try {
            Process git = new ProcessBuilder("git", "-C", checkout.toString(), "describe", "--always", "--dirty")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 && !out.isEmpty()
                    ? out
                    : checkout.getFileName().toString();
        } catch (IOException e) {
            return checkout.getFileName().toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return checkout.getFileName().toString();
        }
    }

    private WriterEvents.Fill prefill(BenchStack stack, List<Template> pool) throws Exception {
        TopicNames topics = TopicNames.standard();
        try (Admin admin = admin(stack)) {
            admin.createTopics(ReplayTopics.outputTopics(topics)).all().get(60, TimeUnit.SECONDS);
        }
        return WriterEvents.fill(stack.endpoints(), topics, pool, events);
    }

    private Run measure(BenchStack stack, Build build, int run) throws Exception {
        double[] loadStart = loadAverage();
        stack.startServices(build.checkout(), List.of(MODULE), Map.of(), ReplayBench::say);
        ServiceNode writer = stack.node(MODULE);
        long t0 = System.nanoTime();
        double cpu0 = cpuSeconds(writer.pid());
        List<Double> rss = new ArrayList<>();
        boolean finished = false;
        long lastPrint = 0;
        long lastProcessed = -1;
        long lastChange = System.nanoTime();
        try (Admin admin = admin(stack)) {
            while (System.nanoTime() - t0 < timeout.toNanos()) {
                double mib = BenchResults.rssMib(writer.pid());
                if (mib > 0) {
                    rss.add(mib);
                }
                long lag = lag(admin);
                long processed = processed(stack);
                if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                    lastPrint = System.nanoTime();
                    double s = ReplayBench.seconds(t0);
                    ReplayBench.say(
                            "    %5.0f s  processed %,d/%,d (%,.0f/s so far), group lag %s, RSS %.0f MiB, load %.1f",
                            s,
                            processed,
                            events,
                            processed / s,
                            lag < 0 ? "-" : String.format(Locale.ROOT, "%,d", lag),
                            mib,
                            loadAverage()[0]);
                }
                if (processed != lastProcessed) {
                    lastProcessed = processed;
                    lastChange = System.nanoTime();
                }
                // the group has committed past every event and every event has its row (or, should some have gone
                // to the dead-letter topic, the count has stood still for 5 s): nothing left for the writer
                if (lag == 0 && (processed >= events || System.nanoTime() - lastChange > 5_000_000_000L)) {
                    finished = true;
                    break;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        double wall = ReplayBench.seconds(t0);
        double cpu = cpuSeconds(writer.pid()) - cpu0;
        double[] loadEnd = loadAverage();
        Map<String, Long> outcomes = new HashMap<>();
        double applySeconds;
        try (Connection c = EndToEndRun.jdbc(stack);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT outcome, count(*) FROM syncwriter.processed_events GROUP BY outcome")) {
            while (rs.next()) {
                outcomes.put(rs.getString(1), rs.getLong(2));
            }
            applySeconds = applySeconds(c);
        }
        Summary rssSummary = rss.isEmpty() ? Summary.of(List.of(-1.0)) : Summary.of(rss);
        Run result = new Run(
                build.name(),
                run,
                events,
                outcomes.getOrDefault("APPLIED", 0L),
                outcomes.getOrDefault("STALE", 0L),
                applySeconds,
                wall,
                cpu,
                rssSummary.median(),
                rssSummary.max(),
                loadStart,
                loadEnd,
                finished);
        ReplayBench.say(
                "  %s run %d: %s%,.0f events/s applied (%,d applied, %,d stale in %.1f s; %.1f s from ready to lag 0),"
                        + " CPU %.2f cores, RSS %.0f / %.0f MiB, load average %.1f → %.1f",
                build.name(),
                run,
                finished ? "" : "NOT FINISHED within " + timeout + ": ",
                result.perSecond(),
                result.applied(),
                result.stale(),
                applySeconds,
                wall,
                result.cores(),
                result.rssMedianMib(),
                result.rssMaxMib(),
                loadStart[0],
                loadEnd[0]);
        return result;
    }

    /**
     * Seconds from the start of the writer's first transaction ({@code processed_at} defaults to {@code now()}, the
     * transaction's start) to the commit of its last ({@code pg_xact_commit_timestamp}; the dev stack tracks commit
     * times), so the writer's start-up and joining its group are not counted.
     */
    static double applySeconds(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement()
                .executeQuery("SELECT extract(epoch FROM max(coalesce(pg_xact_commit_timestamp(xmin), processed_at))"
                        + " - min(processed_at)) FROM syncwriter.processed_events")) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static long processed(BenchStack stack) {
        try (Connection c = EndToEndRun.jdbc(stack);
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM syncwriter.processed_events")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // the writer's migrations have not created the table yet
        }
    }

    /** The writer group's committed lag over the canonical topics; -1 before it committed anything. */
    private static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        admin.describeTopics(Set.copyOf(TopicNames.standard().canonical().values()))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .forEach((topic, d) -> d.partitions()
                        .forEach(p -> query.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(query).all().get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(end.getKey());
            long position = c == null ? 0 : c.offset();
            if (end.getValue().offset() > 0 && c == null) {
                return -1;
            }
            lag += end.getValue().offset() - position;
        }
        return lag;
    }

    private static Admin admin(BenchStack stack) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.endpoints().kafkaBootstrap()));
    }

    /** The machine's load average over 1, 5 and 15 minutes (Linux; NaN elsewhere). */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    private static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(p -> p.info().totalCpuDuration())
                .map(d -> d.toNanos() / 1e9)
                .orElse(Double.NaN);
    }

    String command() {
        StringBuilder c = new StringBuilder("./synctl bench writer");
        if (events != 200_000) {
            c.append(" --events ").append(events);
        }
        if (poolSize != 12000) {
            c.append(" --pool ").append(poolSize);
        }
        if (options.runs != 3) {
            c.append(" --runs ").append(options.runs);
        }
        if (seed != 42) {
            c.append(" --seed ").append(seed);
        }
        if (platforms != null && !platforms.equals(BenchPlatforms.names())) {
            c.append(" --platforms ").append(String.join(",", platforms));
        }
        if (writerApps != null) {
            writerApps.forEach(a -> c.append(" --writer-app ").append(a));
        }
        if (options.profile) {
            c.append(" --profile");
        }
        return c.toString();
    }
}
