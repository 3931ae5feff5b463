package dev.commercesync.console;

import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.kafka.TopicNames;
import dev.commercesync.schemas.CommerceTopic;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How the console's browsers reach Kafka: a {@link PipelineKafka} per task (it is not thread-safe), with the service's
 * {@code kafka.*} settings (SCRAM/TLS on Kubernetes), and the topics' names (tests add a suffix).
 */
@ApplicationScoped
public class ConsoleKafka {
    private final String bootstrap;
    private final String registryUrl;
    private final String suffix;
    private final Map<String, Object> kafkaConfig;

    public ConsoleKafka(
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @ConfigProperty(name = "commercesync.registry.url") String registryUrl,
            @ConfigProperty(name = "commercesync.console.topic-suffix", defaultValue = "") Optional<String> suffix,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.suffix = suffix.orElse("");
        this.kafkaConfig = kafkaConfig;
    }

    /** A new connection; the caller closes it. */
    public PipelineKafka open() {
        return new PipelineKafka(bootstrap, registryUrl, "console", kafkaConfig);
    }

    /** The normalizer's topics (raw, quarantine, ...), as {@link dev.commercesync.kafka.Quarantine} takes them. */
    public TopicNames topics() {
        return TopicNames.withSuffix(suffix);
    }

    public String topic(CommerceTopic topic) {
        return topic.topicName() + suffix;
    }
}
