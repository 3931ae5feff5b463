package dev.commercesync.kafka;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * Apicurio's Avro serializer, waiting while the schema registry is away: a registration or look-up that fails
 * because the registry cannot be reached or answers 5xx ({@link RegistryUnavailable}) is tried again with backoff
 * (200 ms doubling to 5 s, ±25 %) for up to {@link #PATIENCE}, instead of failing the send at once. Apicurio's own cache
 * retries only a 429; a fresh registry answers 500 when several services register their first schemas at the same
 * moment (a table lock in its storage), which failed those services' first sends. A failure caused by the record
 * (no schema for it, an incompatible schema) is not retried. Past the patience the failure is the caller's, as
 * before: every producer of commerce-sync treats an unsent record as infrastructure trouble and tries again.
 *
 * <p>Configured by {@link AvroSerdes} or by name in a SmallRye channel ({@code value.serializer}); either way it writes
 * through the datum provider of every commerce-sync serde ({@link AvroSerdes#withDatumProvider}).
 */
public class RegistryPatientSerializer<U> extends AvroKafkaSerializer<U> {
    /** How long one record waits for the registry before its send fails. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final FailsafeExecutor<byte[]> WHILE_THE_REGISTRY_IS_AWAY =
            Failsafe.with(RetryPolicy.<byte[]>builder()
                    .handleIf(RegistryUnavailable::causedBy)
                    .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                    .withJitter(0.25)
                    .withMaxRetries(-1)
                    .withMaxDuration(PATIENCE)
                    .build());

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        super.configure(AvroSerdes.withDatumProvider(configs), isKey);
    }

    @Override
    public byte[] serialize(String topic, U data) {
        return WHILE_THE_REGISTRY_IS_AWAY.get(() -> super.serialize(topic, data));
    }

    @Override
    public byte[] serialize(String topic, Headers headers, U data) {
        return WHILE_THE_REGISTRY_IS_AWAY.get(() -> super.serialize(topic, headers, data));
    }
}
