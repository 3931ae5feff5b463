package dev.commercesync.normalizer;

import dev.commercesync.kafka.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the normalizer's topics when they are missing: the raw topic with a retention long enough for replay, the
 * quarantine topic with support's retry window, the canonical and fetch-request topics with the broker's defaults.
 * An existing raw or quarantine topic whose retention is shorter than configured is raised to it (never lowered).
 * Every topic it creates takes records up to the pipeline's {@code commercesync.kafka.max-record-bytes}
 * ({@code max.message.bytes}), so a webhook body at the ingest's limit and what it maps to fit whatever the broker's
 * default.
 */
public final class TopicProvisioner {
    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final int partitions;
    private final short replicationFactor;
    private final Duration rawRetention;
    private final Duration quarantineRetention;
    private final int maxMessageBytes;

    public TopicProvisioner(
            int partitions,
            short replicationFactor,
            Duration rawRetention,
            Duration quarantineRetention,
            int maxMessageBytes) {
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.rawRetention = rawRetention;
        this.quarantineRetention = quarantineRetention;
        this.maxMessageBytes = maxMessageBytes;
    }

    public void ensure(Admin admin, TopicNames topics) {
        ensure(admin, topics, List.of());
    }

    /**
     * @param inputs further topics the normalizer reads, created with the partitions and record size above when missing
     *     (the commands and command results echo recognition reads: Kafka Streams does not start without them)
     */
    public void ensure(Admin admin, TopicNames topics, List<String> inputs) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            Map<String, Duration> retentions =
                    Map.of(topics.raw(), rawRetention, topics.quarantine(), quarantineRetention);
            List<String> all = new ArrayList<>(topics.outputs());
            all.add(0, topics.raw());
            all.addAll(inputs);
            for (String topic : all) {
                if (existing.contains(topic)) {
                    continue;
                }
                NewTopic newTopic = new NewTopic(topic, partitions, replicationFactor);
                Map<String, String> configs = new HashMap<>();
                configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
                Duration retention = retentions.get(topic);
                if (retention != null) {
                    configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
                }
                newTopic.configs(configs);
                missing.add(newTopic);
            }
            create(admin, missing);
            for (Map.Entry<String, Duration> retention : retentions.entrySet()) {
                if (existing.contains(retention.getKey())) {
                    raiseRetention(admin, retention.getKey(), retention.getValue());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ensuring the normalizer's topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot ensure the normalizer's topics: " + e.getMessage(), e);
        }
    }

    private static void create(Admin admin, Collection<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(topics).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Another instance created some of them at the same moment: fine.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        LOG.infof("Created topics %s", topics.stream().map(NewTopic::name).toList());
    }

    private static void raiseRetention(Admin admin, String topic, Duration wanted)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource))
                .all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(resource);
        ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
        long current = entry == null || entry.value() == null ? Long.MAX_VALUE : Long.parseLong(entry.value());
        if (current >= 0 && current < wanted.toMillis()) {
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(wanted.toMillis())),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.infof("Raised retention.ms of %s from %d to %d", topic, current, wanted.toMillis());
        }
    }
}
