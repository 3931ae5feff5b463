package dev.commercesync.syncwriter.consume;

/** Where a Kafka record was read: enough to re-read it, and to name it in a dead letter. */
public record RecordPosition(String topic, int partition, long offset, String key) {

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
