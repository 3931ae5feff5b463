package dev.commercesync.syncwriter.consume;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the canonical topics in batches (channel {@code canonical-in}, see application.properties). The batch is
 * acknowledged when this method returns, i.e. after the database commit and the dead letters' acknowledgement, and its
 * offsets are committed after that; a redelivered batch finds its events in the processed-event table.
 */
@ApplicationScoped
public class CanonicalConsumer {
    private final BatchProcessor processor;

    public CanonicalConsumer(BatchProcessor processor) {
        this.processor = processor;
    }

    @Incoming("canonical-in")
    @Blocking(ordered = true)
    public void consume(ConsumerRecords<String, byte[]> records) {
        processor.process(records);
    }
}
