package dev.commercesync.cli.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.commercesync.cli.DemoRun;
import dev.commercesync.cli.LocalServices;
import dev.commercesync.cli.Verdict;
import dev.commercesync.devstack.Waiting;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.simulator.SimulatedStore;
import dev.commercesync.simulator.dialect.Dialects;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * The chaos suite: one demo stack driven with traffic while, one scenario at a time, a part of it is killed, frozen or
 * restarted. After each scenario the demo's verdict must be clean (nothing missing, stale, extra or duplicated) and no
 * record may have gone to the sync-writer's dead-letter topic or the normalizer's quarantine: the stores send only
 * valid events (no injected webhook faults), so any there was diverted because infrastructure was away.
 */
public final class ChaosRun {

    /** What a scenario does to the running stack, in the middle of its traffic. */
    @FunctionalInterface
    public interface Fault {
        void inject(DemoRun.Session session, Consumer<String> out) throws Exception;
    }

    public record Scenario(String name, String description, Fault fault) {}

    /**
     * @param faultAfter when, after the scenario's traffic started, its fault is injected
     * @param loadAfter how long the traffic goes on after the fault is over (it runs through the whole fault)
     * @param outage how long a frozen component stays frozen, and how long a 429 storm lasts
     * @param settleTimeout how long, after the traffic, the scenario may take to converge
     * @param only scenario names to run (empty: all)
     */
    public record Options(
            double rate,
            Duration faultAfter,
            Duration loadAfter,
            Duration outage,
            Duration settleTimeout,
            long seed,
            List<String> only,
            List<String> platforms) {

        /**
         * The stores of the suite by default: those of the simulated platforms that push webhooks (their dialect
         * offers topics), whose changes arrive within seconds. The others are polled (Amazon's searchOrders refills
         * one request every three minutes), so with them a scenario's convergence waits on their polling cadence
         * rather than on the fault under test (CI of f0161d3: kill-sync-writer 252 s, kill-poller 227 s; without
         * them, 18 s and 60 s). The demos in e2e run them; {@code --platforms} adds them here. Chosen from the
         * dialects' declarations: no platform is named here (PlatformNamesTest).
         */
        public static final List<String> DEFAULT_PLATFORMS = Dialects.names().stream()
                .filter(p -> Dialects.get(p).pushesWebhooks())
                .sorted()
                .toList();

        public static Options defaults() {
            return new Options(
                    9,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(6),
                    42,
                    List.of(),
                    DEFAULT_PLATFORMS);
        }
    }

    /**
     * @param events changes the stores made during the scenario
     * @param converged from the end of the fault (component back, thawed, storm over) to a clean verdict; null when
     *     not clean
     * @param deadLettered records the scenario added to commerce.sync-dlq.v1 and commerce.fetch-dlq.v1
     * @param quarantined records the scenario added to commerce.quarantine.v1
     * @param relay why the sync-writer's outbox relay is not relaying after the scenario, else null
     * @param error why the scenario could not run (e.g. a service did not come back), else null
     */
    public record Outcome(
            String scenario,
            long events,
            Duration converged,
            Verdict verdict,
            int reconcileRounds,
            long deadLettered,
            long quarantined,
            String relay,
            String error) {

        public boolean passed() {
            return error == null
                    && verdict != null
                    && verdict.clean()
                    && deadLettered == 0
                    && quarantined == 0
                    && relay == null;
        }

        /** PASS, or what failed. */
        public String outcome() {
            if (passed()) {
                return "PASS";
            }
            List<String> why = new ArrayList<>();
            if (error != null) {
                why.add(error);
            }
            if (verdict != null && !verdict.clean()) {
                why.add(String.format(
                        "%d missing, %d stale, %d extra, %d duplicated",
                        verdict.total(Verdict.Row::missing),
                        verdict.total(Verdict.Row::stale),
                        verdict.total(Verdict.Row::extra),
                        verdict.total(Verdict.Row::duplicated)));
            }
            if (deadLettered > 0) {
                why.add(deadLettered + " dead-lettered");
            }
            if (quarantined > 0) {
                why.add(quarantined + " quarantined");
            }
            if (relay != null) {
                why.add(relay);
            }
            return "FAIL: " + String.join("; ", why);
        }
    }

    /**
     * How long a kill scenario waits for the service to have a success to remember. The reconciler's first pass fails
     * when an earlier scenario killed the poller it asks; its scheduler retries one minute later, then two, then four.
     */
    static final Duration FIRST_SUCCESS_WAIT = Duration.ofMinutes(10);

    private final Consumer<String> out;

    public ChaosRun(Consumer<String> out) {
        this.out = out;
    }

    /** Every scenario, in the order they run. */
    public static List<Scenario> scenarios(Options o) {
        List<Scenario> all = new ArrayList<>();
        for (String module : LocalServices.PORTS.keySet()) {
            all.add(new Scenario("kill-" + module, "SIGKILL " + module + " and start it again", (session, out) -> {
                var node = session.services().node(module);
                boolean keepsStatus = StatusMemory.STATUS_PATHS.containsKey(module);
                Map<String, Instant> before = keepsStatus
                        ? StatusMemory.awaitFirstSuccess(
                                module, node.baseUrl(), session.internalAuth(), FIRST_SUCCESS_WAIT, out)
                        : Map.of();
                node.kill();
                out.accept("killed " + module + " (SIGKILL); starting it again ...");
                node.restart(Duration.ofMinutes(3));
                out.accept(module + " is ready again");
                if (keepsStatus) {
                    String forgotten = StatusMemory.forgotten(
                            module, before, StatusMemory.lastSuccesses(module, node.baseUrl(), session.internalAuth()));
                    if (forgotten != null) {
                        throw new IllegalStateException(forgotten);
                    }
                    out.accept(module + " still answers the status of its " + before.size()
                            + " operations that had succeeded before the kill");
                }
            }));
        }
        long outage = o.outage().toSeconds();
        all.add(new Scenario("pause-kafka", "SIGSTOP the broker for " + outage + " s", (session, out) -> {
            session.stack().kafka().pause();
            out.accept("broker frozen (SIGSTOP) for " + outage + " s");
            try {
                Thread.sleep(o.outage().toMillis());
            } finally {
                session.stack().kafka().resume();
                out.accept("broker thawed (SIGCONT)");
            }
        }));
        all.add(new Scenario(
                "hang-postgres", "SIGSTOP every PostgreSQL process for " + outage + " s", (session, out) -> {
                    session.stack().postgres().pause();
                    out.accept("PostgreSQL hung (every process SIGSTOPped) for " + outage + " s");
                    try {
                        Thread.sleep(o.outage().toMillis());
                    } finally {
                        session.stack().postgres().resume();
                        out.accept("PostgreSQL resumed (SIGCONT)");
                    }
                }));
        all.add(new Scenario("restart-registry", "restart the schema registry", (session, out) -> {
            out.accept("restarting the schema registry ...");
            session.stack().registry().restart();
            out.accept("the schema registry is back");
        }));
        all.add(new Scenario(
                "api-429-storm",
                "every store answers every API call 429 (its platform's rate-limited answer) for " + outage + " s",
                (session, out) -> {
                    for (SimulatedStore store : session.stores()) {
                        store.rateLimitStorm(o.outage());
                    }
                    out.accept("every store answers 429 for " + outage + " s");
                    Thread.sleep(o.outage().toMillis());
                    out.accept("the 429 storm is over");
                }));
        if (o.only().isEmpty()) {
            return all;
        }
        for (String name : o.only()) {
            if (all.stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + String.join(", ", all.stream().map(Scenario::name).toList()));
            }
        }
        return all.stream().filter(s -> o.only().contains(s.name())).toList();
    }

    /** Starts one stack in {@code dataDir} and runs the scenarios on it one after another. */
    public List<Outcome> run(Options o, Path dataDir) throws Exception {
        List<Scenario> scenarios = scenarios(o);
        List<Outcome> outcomes = new ArrayList<>();
        DemoRun.Options demo = new DemoRun.Options(
                        Duration.ZERO, o.rate(), "none", o.seed(), o.settleTimeout(), Duration.ofSeconds(5), Map.of())
                .withPlatforms(o.platforms());
        try (DemoRun.Session session = new DemoRun(line -> out.accept("[chaos] " + line)).start(demo, dataDir);
                Admin admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        session.stack().endpoints().kafkaBootstrap()))) {
            for (int i = 0; i < scenarios.size(); i++) {
                Scenario scenario = scenarios.get(i);
                String tag = String.format("[chaos %d/%d %s] ", i + 1, scenarios.size(), scenario.name());
                out.accept(tag + scenario.description());
                Outcome outcome = runOne(scenario, o, session, admin, line -> out.accept(tag + line));
                out.accept(tag
                        + outcome.outcome()
                        + (outcome.converged() != null
                                ? String.format(" (converged %.0f s after the fault)", seconds(outcome.converged()))
                                : ""));
                outcomes.add(outcome);
            }
        }
        return outcomes;
    }

    private Outcome runOne(Scenario scenario, Options o, DemoRun.Session session, Admin admin, Consumer<String> log) {
        long changesBefore = session.changes();
        long dlqBefore = deadLetters(admin);
        long quarantineBefore = records(admin, CommerceTopic.QUARANTINE.topicName());
        long appliedBefore = records(admin, CommerceTopic.APPLIED.topicName());
        String error = null;
        String relay = null;
        Verdict verdict = null;
        int rounds = 0;
        Duration converged = null;
        try {
            // Traffic from before the fault until shortly after it is over: every phase of the fault sees changes.
            session.startLoad(o.rate());
            long faultEnded;
            try {
                Thread.sleep(o.faultAfter().toMillis());
                scenario.fault().inject(session, log);
                faultEnded = System.nanoTime();
                Thread.sleep(o.loadAfter().toMillis());
            } finally {
                session.stopLoad();
            }
            DemoRun.Result result = session.settle(o.settleTimeout());
            verdict = result.verdict();
            rounds = result.reconcileRounds();
            if (verdict.clean()) {
                converged = Duration.ofNanos(System.nanoTime() - faultEnded);
            } else {
                log.accept("not clean after " + o.settleTimeout().toSeconds() + " s:\n" + verdict.table());
            }
            relay = relayProblem(session, admin, appliedBefore);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            error = e.toString().lines().findFirst().orElse("");
            log.accept("scenario failed: " + e);
        }
        return new Outcome(
                scenario.name(),
                session.changes() - changesBefore,
                converged,
                verdict,
                rounds,
                deadLetters(admin) - dlqBefore,
                records(admin, CommerceTopic.QUARANTINE.topicName()) - quarantineBefore,
                relay,
                error);
    }

    /** How long the outbox relay may take to be running again (its restart backoff reaches 60 s). */
    static final Duration RELAY_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Null when the sync-writer's outbox relay is relaying: its liveness check UP in state RUNNING (within {@link
     * #RELAY_TIMEOUT}) and the scenario's applied changes on {@code commerce.applied.v1}. Otherwise why not: the
     * verdict reads the target, so a relay that died would pass it unseen while nothing reaches the applied topic.
     */
    private static String relayProblem(DemoRun.Session session, Admin admin, long appliedBefore)
            throws InterruptedException {
        AtomicReference<String> problem = new AtomicReference<>();
        boolean relaying = Waiting.until(RELAY_TIMEOUT, () -> {
            String found = relayCheck(session.services().url("sync-writer"));
            if (found == null && records(admin, CommerceTopic.APPLIED.topicName()) <= appliedBefore) {
                found = "outbox relay relayed nothing to " + CommerceTopic.APPLIED.topicName();
            }
            problem.set(found);
            return found == null;
        });
        return relaying ? null : problem.get();
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Null when the sync-writer's liveness reports the outbox relay UP and RUNNING, else what it reports. */
    static String relayCheck(String syncWriterUrl) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(syncWriterUrl + "/q/health/live"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
                if (check.path("name").asText().equals("Outbox relay")) {
                    return check.path("status").asText().equals("UP")
                                    && check.path("data").path("state").asText().equals("RUNNING")
                                    && !check.path("data").has("failing-seconds")
                            ? null
                            : "outbox relay " + check.path("status").asText() + " " + check.path("data");
                }
            }
            return "no outbox relay check in the sync-writer's liveness (HTTP " + response.statusCode() + ")";
        } catch (IOException | RuntimeException e) {
            return "sync-writer liveness unanswered: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Dead letters of the sync-writer (events it could not apply) and of the poller (fetches it could not serve). */
    private static long deadLetters(Admin admin) {
        return records(admin, CommerceTopic.SYNC_DLQ.topicName()) + records(admin, CommerceTopic.FETCH_DLQ.topicName());
    }

    /** How many records a topic holds (the sum of its partitions' end offsets); 0 if it does not exist yet. */
    static long records(Admin admin, String topic) {
        try {
            Map<String, TopicDescription> described =
                    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described
                    .get(topic)
                    .partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(r -> r.offset())
                    .sum();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return 0;
            }
            throw new IllegalStateException("cannot count the records of " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot count the records of " + topic, e);
        }
    }

    /** The results as a Markdown table: scenario, events, time to converge, outcome. */
    public static String table(List<Outcome> outcomes) {
        StringBuilder b = new StringBuilder();
        b.append("| scenario | events | time to converge | reconciliation rounds | outcome |\n");
        b.append("|---|---:|---:|---:|---|\n");
        for (Outcome r : outcomes) {
            b.append(String.format(
                    "| %s | %d | %s | %d | %s |%n",
                    r.scenario(),
                    r.events(),
                    r.converged() == null ? "—" : String.format("%.0f s", seconds(r.converged())),
                    r.reconcileRounds(),
                    r.outcome()));
        }
        return b.toString();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
