package dev.commercesync.kafka;

import dev.commercesync.schemas.envelope.RawEnvelope;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

/**
 * The Apicurio registry serdes every commerce-sync topic uses: Confluent wire format (magic byte, 4-byte schema id),
 * value subject {@code <topic>-value}, schemas registered on first use, generated classes (of module {@code schemas},
 * through {@link GeneratedClassesDatumProvider}) on read and write. The one way every service and synctl configure
 * them in code; the services' SmallRye channels name {@link RegistryPatientSerializer}, which takes the same datum
 * provider from {@link #withDatumProvider}.
 */
public final class AvroSerdes {
    private static final Logger LOG = Logger.getLogger(AvroSerdes.class);

    static {
        // Before any producer or consumer of this JVM compresses or decompresses a batch (NativeLz4).
        if (!NativeLz4.load()) {
            LOG.info("lz4's native codec could not be loaded: Kafka compresses and decompresses with the Java codec");
        }
    }

    private AvroSerdes() {}

    /** The registry's Apicurio v2 API under its base URL ({@code http://host:port}, trailing slashes ignored). */
    public static String registryApiUrl(String registryUrl) {
        return registryUrl.replaceAll("/+$", "") + "/apis/registry/v2";
    }

    /**
     * {@code configs} with the datum provider of every commerce-sync serde, {@link GeneratedClassesDatumProvider}, unless
     * they name one. The class, not its name: the serde would look the name up in its own class loader.
     */
    public static Map<String, ?> withDatumProvider(Map<String, ?> configs) {
        if (configs.containsKey(AvroSerdeConfig.AVRO_DATUM_PROVIDER)) {
            return configs;
        }
        Map<String, Object> with = new HashMap<>(configs);
        with.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, GeneratedClassesDatumProvider.class);
        return with;
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
                        300),
                false);
        return serializer;
    }

    /** Reads any commerce-sync value as its generated class. */
    public static Deserializer<SpecificRecord> valueDeserializer(String registryApiUrl) {
        AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(
                withDatumProvider(Map.of(
                        "apicurio.registry.url", registryApiUrl, "apicurio.registry.use-specific-avro-reader", true)),
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
