package dev.commercesync.poller.fetch;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.serdes.GeneratedClassesDatumProvider;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Decodes fetch requests with the registry's deserializer, configured here rather than in the channel's properties:
 * the datum provider must be handed over as a class (by name, the deserializer's class lookup does not see the
 * service's classes in Quarkus dev and test mode).
 */
@ApplicationScoped
public class FetchRequestDecoder {
    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();

    public FetchRequestDecoder(
            @ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        deserializer.configure(
                Map.of(
                        "apicurio.registry.url",
                        registryUrl,
                        "apicurio.registry.use-specific-avro-reader",
                        true,
                        "apicurio.registry.avro-datum-provider",
                        GeneratedClassesDatumProvider.class),
                false);
    }

    /** @throws RuntimeException when the bytes are not a framed, registered FetchRequest */
    public FetchRequest decode(byte[] value) {
        Object decoded = deserializer.deserialize(CommerceTopic.FETCH_REQUESTS.topicName(), value);
        if (decoded instanceof FetchRequest request) {
            return request;
        }
        throw new IllegalArgumentException("expected a FetchRequest, got "
                + (decoded == null ? "null" : decoded.getClass().getName()));
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }
}
