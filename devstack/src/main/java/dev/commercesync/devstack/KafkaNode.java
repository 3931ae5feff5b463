package dev.commercesync.devstack;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A single-node KRaft broker (broker + controller) bound to 127.0.0.1, in a child JVM. */
public final class KafkaNode implements AutoCloseable {
    /** The broker's {@code message.max.bytes}: 16 MiB, as the services' {@code commercesync.kafka.max-record-bytes}. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    /** Fixed so that a persistent data folder keeps being accepted across restarts. */
    private static final String CLUSTER_ID = "Y29tbWVyY2Utc3luYy1kZQ";

    /** The broker's class path (written by devstack's build), relative to the checkout. */
    private static final String BROKER_CLASSPATH = "devstack/target/kafka.classpath";

    private final ChildProcess process;
    private final String bootstrap;

    private KafkaNode(ChildProcess process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /**
     * Set (true) in the build's test JVMs: a broker that serves one test class for a minute or two gets the client
     * compiler only and the serial collector, as the services and the registry always do. {@code synctl up}, the demo
     * and the benchmarks keep the broker's own settings, so their figures stay comparable.
     */
    public static final String TEST_JVM_PROPERTY = "commercesync.devstack.test-jvms";

    static List<String> jvmOptions(boolean forTests) {
        List<String> options = new ArrayList<>(
                forTests
                        ? List.of("-Xms64m", "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                        : List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC"));
        options.addAll(List.of(
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.showDateTime=true"));
        return options;
    }

    static KafkaNode start(Path repoRoot, Path dataDir, int port, int controllerPort, Duration timeout)
            throws IOException, InterruptedException {
        Path dir = dataDir.resolve("kafka");
        Path logDir = dir.resolve("data");
        Files.createDirectories(logDir);
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.setProperty("log.dirs", logDir.toString());
        props.setProperty("num.partitions", "3");
        // The pipeline's largest record (commercesync.kafka.max-record-bytes in the services): a webhook body at the
        // ingest's limit plus its envelope. Topics without their own max.message.bytes take this.
        props.setProperty("message.max.bytes", Integer.toString(MAX_RECORD_BYTES));
        props.setProperty("replica.fetch.max.bytes", Integer.toString(MAX_RECORD_BYTES));
        props.setProperty("default.replication.factor", "1");
        props.setProperty("min.insync.replicas", "1");
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "5");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        props.setProperty("transaction.state.log.num.partitions", "5");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        props.setProperty("auto.create.topics.enable", "true");
        props.setProperty("log.retention.hours", "-1");
        Path config = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "written by commerce-sync devstack");
        }

        List<String> classpath = new ArrayList<>();
        classpath.add(ChildProcess.ownClasspathEntry());
        classpath.addAll(brokerClasspath(repoRoot));
        List<String> jvm = jvmOptions(Boolean.getBoolean(TEST_JVM_PROPERTY));
        List<Path> classpathFiles = classpath.stream().map(Path::of).toList();
        List<Path> inputs = new ArrayList<>(classpathFiles);
        inputs.add(repoRoot.resolve(BROKER_CLASSPATH));
        Optional<ClassDataArchive> archive =
                ClassDataArchive.of(repoRoot.resolve("devstack/target"), "kafka", classpathFiles, inputs, jvm);
        archive.ifPresent(a -> jvm.addAll(a.jvmOptions()));
        ChildProcess process = ChildProcess.startJava(
                "kafka",
                classpath,
                jvm,
                KafkaMain.class.getName(),
                List.of(config.toString(), logDir.toString(), CLUSTER_ID),
                dataDir.resolve("logs/kafka.log"));
        KafkaNode node = new KafkaNode(process, "127.0.0.1:" + port);
        try {
            node.awaitReady(timeout);
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        archive.ifPresent(a -> a.createInBackground(process.pid()));
        return node;
    }

    private static List<String> brokerClasspath(Path repoRoot) throws IOException {
        Path file = repoRoot.resolve(BROKER_CLASSPATH);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("The broker classpath " + file
                    + " is missing: build devstack first (./mvnw -pl devstack -am install -DskipTests)");
        }
        String cp = Files.readString(file).trim();
        return Arrays.asList(cp.split(java.io.File.pathSeparator));
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        // Wait for the listener first: an admin client started earlier logs a warning per failed connect.
        int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        while (System.nanoTime() < deadline && !listening(port)) {
            process.ensureAlive();
            Thread.sleep(100);
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (System.nanoTime() < deadline) {
                process.ensureAlive();
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("Kafka did not become ready within " + timeout + " (" + last + "); log: "
                + process.log() + "\n" + process.tail());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Freezes the broker (SIGSTOP of its JVM): clients keep their connections and get no answers. */
    public void pause() {
        process.pause();
    }

    /** Lets a {@link #pause() paused} broker continue. */
    public void resume() {
        process.resume();
    }

    /** The broker's process id (e.g. to see what it has mapped). */
    public long pid() {
        return process.pid();
    }

    String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        process.close();
    }
}
