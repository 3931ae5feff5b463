package dev.commercesync.ingest;

import static org.junit.jupiter.api.Assertions.fail;

import dev.commercesync.devstack.DevStackTestResource.SharedStack;
import dev.commercesync.devstack.Endpoints;
import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads {@code commerce.raw.v1} from the start, as any consumer of the real broker would. */
final class RawTopicReader {
    private RawTopicReader() {}

    /**
     * Every raw record of the topic up to and including the first that matches {@code until}; fails if none arrives
     * within 30 s.
     */
    static List<ConsumerRecord<String, RawEnvelope>> readUntil(Predicate<RawEnvelope> until) {
        Endpoints stack = SharedStack.endpoints();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
        List<ConsumerRecord<String, RawEnvelope>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(config)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(CommerceTopic.RAW.topicName(), Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    RawEnvelope value = decode(r.value());
                    seen.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value));
                    if (until.test(value)) {
                        return seen;
                    }
                }
            }
        }
        return fail("the expected raw record did not arrive on " + CommerceTopic.RAW.topicName() + " within 30 s");
    }

    /**
     * Decodes a Confluent-framed record (magic byte 0, 4-byte schema id, Avro binary) written with the RawEnvelope
     * schema. Decoded here rather than by the registry deserializer, whose class lookup does not see the generated
     * classes through Quarkus' test class loader.
     */
    private static RawEnvelope decode(byte[] framed) {
        if (framed.length < 5 || framed[0] != 0) {
            throw new AssertionError("raw record is not in the Confluent wire format");
        }
        try {
            return new SpecificDatumReader<RawEnvelope>(
                            RawEnvelope.getClassSchema(),
                            RawEnvelope.getClassSchema(),
                            new SpecificData(RawEnvelope.class.getClassLoader()))
                    .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
