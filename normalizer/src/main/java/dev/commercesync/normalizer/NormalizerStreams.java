package dev.commercesync.normalizer;

import dev.commercesync.kafka.StreamThreadReplacer;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.platforms.Normalization;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.schemas.CommerceTopic;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the topology into Quarkus' Kafka Streams extension, which runs it with the {@code kafka-streams.*} settings
 * (exactly_once_v2) and reports its state in the health checks. The topics are ensured before the topology exists,
 * so Kafka Streams never starts against missing output topics. Produced beans are {@code @Singleton}: Kafka Streams
 * reads the topology's internals, which a client proxy would hide.
 */
@ApplicationScoped
public class NormalizerStreams {
    private static final Logger LOG = Logger.getLogger(NormalizerStreams.class);

    @Produces
    @Singleton
    PlatformRegistry platforms() {
        PlatformRegistry registry = PlatformRegistry.loadInstalled();
        LOG.infof("Platform adapters: %s", registry.names());
        return registry;
    }

    @Produces
    @Singleton
    Normalization normalization(PlatformRegistry platforms) {
        return new Normalization(platforms);
    }

    @Produces
    @Singleton
    NormalizerMetrics metrics(MeterRegistry registry) {
        return new NormalizerMetrics(registry);
    }

    /**
     * A processing error that escapes the processor (the registry unreachable while decoding or serializing, a broker
     * error) aborts the task's transaction; the thread is replaced after a backoff and the records are processed again,
     * instead of the app dying or the records being quarantined.
     */
    @Produces
    @Singleton
    StreamsUncaughtExceptionHandler uncaughtExceptionHandler(NormalizerConfig config, NormalizerMetrics metrics) {
        return new StreamThreadReplacer(
                config.threadRestart().initialBackoff(),
                config.threadRestart().maxBackoff(),
                metrics::streamThreadReplaced);
    }

    @Produces
    @Singleton
    org.apache.kafka.streams.Topology topology(
            NormalizerConfig config,
            Normalization normalization,
            PlatformRegistry platforms,
            NormalizerMetrics metrics,
            OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.kafka-streams.bootstrap-servers") String bootstrapServers,
            @ConfigProperty(name = "commercesync.kafka.max-record-bytes") int maxRecordBytes) {
        TopicNames topics = TopicNames.standard();
        EchoRecognition.Settings echo = new EchoRecognition.Settings(
                CommerceTopic.COMMANDS.topicName(),
                CommerceTopic.COMMAND_RESULTS.topicName(),
                config.echo().window(),
                config.echo().retention());
        if (config.topics().ensure()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                new TopicProvisioner(
                                config.topics().partitions(),
                                config.topics().replicationFactor(),
                                config.topics().rawRetention(),
                                config.topics().quarantineRetention(),
                                maxRecordBytes)
                        .ensure(admin, topics, List.of(echo.commandsTopic(), echo.resultsTopic()));
            }
        }
        return NormalizerTopology.build(
                topics,
                RawNormalizer.of(normalization),
                config.registryUrl(),
                metrics,
                config.dedup().retention(),
                config.dedup().purgeInterval(),
                openTelemetry,
                echo,
                EchoRecognition.Markers.of(platforms));
    }
}
