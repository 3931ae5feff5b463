package dev.commercesync.reconciler;

import static org.junit.jupiter.api.Assertions.fail;

import dev.commercesync.devstack.DevStackTestResource.SharedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the start and decodes Confluent-framed Avro values of one generated class. */
final class TopicReader {
    private TopicReader() {}

    /** Every record matching {@code wanted}, once {@code enough} of them arrived; fails after 30 s. */
    static <T extends SpecificRecord> List<ConsumerRecord<String, T>> read(
            String topic, Class<T> type, Predicate<T> wanted, int enough) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedStack.endpoints().kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        List<ConsumerRecord<String, T>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    T value = decode(type, r.value());
                    if (wanted.test(value)) {
                        seen.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value));
                    }
                }
                if (seen.size() >= enough) {
                    return seen;
                }
            }
        }
        return fail("only " + seen.size() + " of " + enough + " expected records arrived on " + topic);
    }

    /**
     * Magic byte 0, 4-byte schema id, Avro binary: decoded here because the registry deserializer's class lookup does
     * not see the generated classes through Quarkus' test class loader.
     */
    private static <T extends SpecificRecord> T decode(Class<T> type, byte[] framed) {
        if (framed.length < 5 || framed[0] != 0) {
            throw new AssertionError("record is not in the Confluent wire format");
        }
        SpecificData data = new SpecificData(type.getClassLoader());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        Schema schema = data.getSchema(type);
        try {
            return new SpecificDatumReader<T>(schema, schema, data)
                    .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
