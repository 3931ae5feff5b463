package dev.commercesync.kafka;

import dev.commercesync.schemas.envelope.RawEnvelope;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The Apicurio registry serdes every commerce-sync topic uses: Confluent wire format (magic byte, 4-byte schema id),
 * value subject {@code <topic>-value}, schemas registered on first use, generated classes (of module {@code schemas},
 * through {@link GeneratedClassesDatumProvider}) on read and write. The one way every service and synctl configure
 * them in code.
 */
public final class AvroSerdes {
    private AvroSerdes() {}

    /** The registry's Apicurio v2 API under its base URL ({@code http://host:port}, trailing slashes ignored). */
    public static String registryApiUrl(String registryUrl) {
        return registryUrl.replaceAll("/+$", "") + "/apis/registry/v2";
    }

    /**
     * Writes generated records, registering their schemas on first use.
     *
     * @param registryApiUrl the registry's Apicurio API ({@code http://host:port/apis/registry/v2})
     */
    public static Serializer<SpecificRecord> valueSerializer(String registryApiUrl) {
        AvroKafkaSerializer<SpecificRecord> serializer = new RegistryPatientSerializer<>();
        serializer.configure(
                Map.of(
                        "apicurio.registry.url",
                        registryApiUrl,
                        "apicurio.registry.auto-register",
                        true,
                        // Two producers registering schemas that share referenced types (EntityType, RawRecordRef) at
                        // the same moment can collide in the registry; a retry then finds what the other created.
                        "apicurio.registry.retry-count",
                        5,
                        "apicurio.registry.retry-backoff-ms",
                        300,
                        // The class, not its name: the serde would look the name up in its own class loader.
                        "apicurio.registry.avro-datum-provider",
                        GeneratedClassesDatumProvider.class),
                false);
        return serializer;
    }

    /** Reads any commerce-sync value as its generated class. */
    public static Deserializer<SpecificRecord> valueDeserializer(String registryApiUrl) {
        AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(
                Map.of(
                        "apicurio.registry.url",
                        registryApiUrl,
                        "apicurio.registry.use-specific-avro-reader",
                        true,
                        "apicurio.registry.avro-datum-provider",
                        GeneratedClassesDatumProvider.class),
                false);
        return deserializer;
    }

    /**
     * Decodes a raw topic value.
     *
     * @throws RuntimeException when the bytes are not a framed, registered RawEnvelope
     */
    public static RawEnvelope decodeRaw(Deserializer<SpecificRecord> deserializer, String topic, byte[] value) {
        Object decoded = deserializer.deserialize(topic, value);
        if (decoded instanceof RawEnvelope envelope) {
            return envelope;
        }
        throw new IllegalArgumentException("expected a RawEnvelope, got "
                + (decoded == null ? "null" : decoded.getClass().getName()));
    }
}
