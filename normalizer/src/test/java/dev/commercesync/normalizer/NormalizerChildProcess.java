package dev.commercesync.normalizer;

import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.schemas.CommerceTopic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The normalizer's topology in a JVM of its own, with the service's Kafka Streams settings, so a test can kill it
 * with SIGKILL. Arguments: bootstrap, registry API URL, topic suffix, application id, state dir, per-record delay (ms,
 * to make a kill land mid-batch).
 */
public final class NormalizerChildProcess {
    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        String registry = args[1];
        long delayMillis = Long.parseLong(args[5]);
        Normalization normalization = new Normalization(PlatformRegistry.loadInstalled());
        RawNormalizer slow = (envelope, ref) -> {
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis); // the slow mapping under test, not a wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return normalization.normalize(envelope, ref);
        };
        KafkaStreams streams = streams(bootstrap, registry, args[2], args[3], args[4], slow);
        CountDownLatch done = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println("STATE " + now);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                done.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
        streams.start();
        done.await();
    }

    /** The normalizer's topology with the service's Kafka Streams settings (exactly_once_v2), not started. */
    static KafkaStreams streams(
            String bootstrap, String registry, String suffix, String appId, String stateDir, RawNormalizer normalizer) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        props.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 3_000);
        return new KafkaStreams(
                NormalizerTopology.build(
                        TopicNames.withSuffix(suffix),
                        normalizer,
                        registry,
                        new NormalizerMetrics(new SimpleMeterRegistry()),
                        Duration.ofDays(7),
                        Duration.ofHours(1),
                        io.opentelemetry.api.OpenTelemetry.noop(),
                        echoSettings(bootstrap, suffix),
                        EchoRecognition.Markers.of(PlatformRegistry.loadInstalled())),
                props);
    }

    /** The echo topics with the run's suffix, created here: Kafka Streams does not start without them. */
    static EchoRecognition.Settings echoSettings(String bootstrap, String suffix) {
        EchoRecognition.Settings echo = new EchoRecognition.Settings(
                CommerceTopic.COMMANDS.topicName() + suffix,
                CommerceTopic.COMMAND_RESULTS.topicName() + suffix,
                Duration.ofMinutes(10),
                Duration.ofHours(24));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            new TopicProvisioner(3, (short) 1, Duration.ofDays(30), Duration.ofDays(30), 16 * 1024 * 1024)
                    .ensure(admin, TopicNames.withSuffix(suffix), List.of(echo.commandsTopic(), echo.resultsTopic()));
        }
        return echo;
    }
}
