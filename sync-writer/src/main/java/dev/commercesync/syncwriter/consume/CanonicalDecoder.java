package dev.commercesync.syncwriter.consume;

import dev.commercesync.kafka.AvroSerdes;
import dev.commercesync.kafka.RegistryUnavailable;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.content.CanonicalEvents;
import dev.commercesync.syncwriter.SyncWriterConfig;
import dev.commercesync.syncwriter.errors.ErrorClass;
import dev.commercesync.syncwriter.errors.PermanentTargetException;
import dev.commercesync.syncwriter.errors.TargetException;
import dev.commercesync.telemetry.KafkaTraceContext;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a canonical topic's record (Confluent-framed Avro) into a {@link CanonicalChange}. Records arrive as bytes, not
 * through a deserializer on the channel, so that one that cannot be read is dead-lettered with its original bytes and
 * position instead of stopping the consumer.
 */
@ApplicationScoped
public class CanonicalDecoder {
    private static final Map<String, CommerceTopic> CANONICAL = Arrays.stream(CommerceTopic.values())
            .filter(CommerceTopic::isCanonical)
            .collect(Collectors.toMap(CommerceTopic::topicName, Function.identity()));

    private final Deserializer<SpecificRecord> deserializer;
    private final OpenTelemetry openTelemetry;

    public CanonicalDecoder(SyncWriterConfig config, OpenTelemetry openTelemetry) {
        this.deserializer = AvroSerdes.valueDeserializer(config.registryUrl());
        this.openTelemetry = openTelemetry;
    }

    /**
     * @throws PermanentTargetException UNDECODABLE when the bytes are not a canonical event of the topic, VALIDATION when
     *     the event is not applicable
     * @throws TargetException TRANSIENT when the registry could not be reached or answered 5xx: the batch waits
     */
    public CanonicalChange decode(ConsumerRecord<String, byte[]> record) {
        RecordPosition position = new RecordPosition(record.topic(), record.partition(), record.offset(), record.key());
        CommerceTopic topic = CANONICAL.get(record.topic());
        if (topic == null) {
            throw PermanentTargetException.undecodable("not a canonical topic: " + record.topic(), null);
        }
        byte[] value = record.value();
        if (value == null || value.length < 5 || value[0] != 0) {
            throw PermanentTargetException.undecodable(
                    "value is not Confluent-framed Avro (magic byte 0 and a 4-byte schema id)", null);
        }
        Object decoded;
        try {
            decoded = deserializer.deserialize(record.topic(), record.headers(), value);
        } catch (RuntimeException e) {
            if (RegistryUnavailable.causedBy(e)) {
                throw TargetException.of(ErrorClass.TRANSIENT, "schema registry unreachable", null, e);
            }
            throw PermanentTargetException.undecodable(
                    "cannot decode the value: " + e.getClass().getSimpleName(), e);
        }
        if (!topic.valueType().isInstance(decoded)) {
            throw PermanentTargetException.undecodable(
                    "expected " + topic.valueType().getSimpleName() + " on " + topic.topicName() + ", got "
                            + (decoded == null ? "null" : decoded.getClass().getSimpleName()),
                    null);
        }
        SpecificRecord event = (SpecificRecord) decoded;
        // Every canonical event is {metadata, entity}: the schemas module checks it (SchemaConventionsTest).
        EventMetadata metadata = CanonicalEvents.metadata(event);
        SpecificRecord entity = CanonicalEvents.entity(event);
        if (topic.entityType().orElseThrow() != metadata.getEntityType()) {
            throw PermanentTargetException.validation(
                    "entity type " + metadata.getEntityType() + " on topic " + topic.topicName());
        }
        return CanonicalChange.of(
                position, metadata, entity, KafkaTraceContext.extract(openTelemetry, record.headers(), Context.root()));
    }

    @PreDestroy
    void close() {
        deserializer.close();
    }
}
