package dev.commercesync.inventory;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.StreamThreadReplacer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Wires the pool's topology into Quarkus' Kafka Streams extension, which runs it with the {@code kafka-streams.*}
 * settings (exactly_once_v2) and waits for the input topics ({@code quarkus.kafka-streams.topics}). Produced beans are
 * {@code @Singleton}: Kafka Streams reads the topology's internals, which a client proxy would hide.
 */
@ApplicationScoped
public class InventoryStreams {

    @Produces
    @Singleton
    InventoryMetrics metrics(MeterRegistry registry) {
        return new InventoryMetrics(registry);
    }

    /**
     * A failure that escapes the processors (registry unreachable while decoding or encoding, a broker error, the
     * configuration not read yet) aborts the task's transaction; the thread is replaced after a backoff and the records
     * are processed again, never dropped.
     */
    @Produces
    @Singleton
    StreamsUncaughtExceptionHandler uncaughtExceptionHandler(InventoryConfig config, InventoryMetrics metrics) {
        return new StreamThreadReplacer(
                config.threadRestart().initialBackoff(),
                config.threadRestart().maxBackoff(),
                metrics::streamThreadReplaced);
    }

    @Produces
    @Singleton
    Topology topology(InventoryConfig config, MerchantConfigs configs, InventoryMetrics metrics) {
        return InventoryTopology.build(
                Serdes.serdeFrom(
                        AvroSerdes.valueSerializer(config.registryUrl()),
                        AvroSerdes.valueDeserializer(config.registryUrl())),
                configs,
                config.coalesceInterval(),
                config.commandDeadline(),
                metrics);
    }
}
