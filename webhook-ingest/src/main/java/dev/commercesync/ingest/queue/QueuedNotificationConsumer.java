package dev.commercesync.ingest.queue;

import dev.commercesync.ingest.RawPublisher;
import dev.commercesync.kafka.PipelineRecords;
import dev.commercesync.platforms.RawEnvelopes;
import dev.commercesync.platforms.spi.MappingException;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.platforms.spi.QueuedNotifications;
import dev.commercesync.platforms.spi.WebhookDelivery;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.telemetry.LogContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * Moves a platform's notifications from one SQS queue to {@code commerce.raw.v1}, at least once: a message is deleted
 * from the queue only after Kafka acknowledged its raw record (acks=all). When Kafka does not acknowledge, the message
 * is left alone and SQS delivers it again once its visibility timeout has passed; a redelivered copy carries the same
 * notification id (the raw envelope's platform event id), so the normalizer drops the duplicate. A message that can
 * never be stored (not the platform's notification shape, a store that is not registered or not enabled) goes to the
 * dead-letter queue with its reason, or, without one, stays on the queue for the queue's own redrive policy; it is
 * logged either way, never dropped silently. Not thread-safe: one thread polls.
 */
final class QueuedNotificationConsumer {
    private static final Logger LOG = Logger.getLogger(QueuedNotificationConsumer.class);

    /** The message attribute on a dead-lettered copy that says why it could not be stored. */
    static final String REASON_ATTRIBUTE = "commercesync-reason";

    /** The message attribute on a dead-lettered copy naming the original message's id. */
    static final String SOURCE_MESSAGE_ATTRIBUTE = "commercesync-source-message-id";

    /** What became of one received message. */
    enum Outcome {
        /** On Kafka, deleted from the queue. */
        STORED,
        /** Kafka did not acknowledge: left on the queue, SQS delivers it again. */
        NOT_STORED,
        /** Can never be stored: copied to the dead-letter queue with its reason and deleted. */
        DEAD_LETTERED,
        /** Can never be stored and no dead-letter queue is configured: left for the queue's redrive policy. */
        LEFT_FOR_REDRIVE
    }

    /** Stores a raw record on Kafka and returns once the broker acknowledged it. */
    @FunctionalInterface
    interface RawSink {
        void store(String key, RawEnvelope envelope) throws RawPublisher.NotStoredException;
    }

    /** Why a store's notifications cannot be stored (a fixed word: unknown_store, store_disabled), or empty. */
    @FunctionalInterface
    interface StoreCheck {
        Optional<String> refusal(String storeId);
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final Optional<String> deadLetterUrl;
    private final PlatformAdapter adapter;
    private final QueuedNotifications notifications;
    private final StoreCheck stores;
    private final RawSink sink;
    private final int maxMessages;
    private final Duration waitTime;
    private final Optional<Duration> visibilityTimeout;
    private final Clock clock;

    QueuedNotificationConsumer(
            SqsClient sqs,
            String queueUrl,
            Optional<String> deadLetterUrl,
            PlatformAdapter adapter,
            StoreCheck stores,
            RawSink sink,
            int maxMessages,
            Duration waitTime,
            Optional<Duration> visibilityTimeout,
            Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterUrl = deadLetterUrl;
        this.adapter = adapter;
        this.notifications = adapter.queuedNotifications()
                .orElseThrow(() -> new IllegalArgumentException(
                        "platform " + adapter.name() + " delivers no notifications to a queue"));
        this.stores = stores;
        this.sink = sink;
        this.maxMessages = maxMessages;
        this.waitTime = waitTime;
        this.visibilityTimeout = visibilityTimeout;
        this.clock = clock;
    }

    /**
     * One long-poll receive and what became of each message received (none when the wait passed empty).
     *
     * @throws software.amazon.awssdk.core.exception.SdkException SQS could not be reached; nothing was lost (what was
     *     not deleted comes back)
     */
    List<Outcome> pollOnce() {
        ReceiveMessageRequest.Builder request = ReceiveMessageRequest.builder()
                .queueUrl(queueUrl)
                .maxNumberOfMessages(maxMessages)
                .waitTimeSeconds((int) waitTime.toSeconds());
        visibilityTimeout.ifPresent(timeout -> request.visibilityTimeout((int) timeout.toSeconds()));
        List<Message> messages = sqs.receiveMessage(request.build()).messages();
        List<Outcome> outcomes = new ArrayList<>(messages.size());
        for (Message message : messages) {
            // Once Kafka did not acknowledge, the rest of the batch is left for redelivery rather than each waiting
            // out the produce timeout in turn.
            outcomes.add(outcomes.contains(Outcome.NOT_STORED) ? Outcome.NOT_STORED : handle(message));
        }
        return outcomes;
    }

    private Outcome handle(Message message) {
        byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
        WebhookDelivery delivery;
        try {
            delivery = notifications.describe(body);
        } catch (MappingException e) {
            return cannotBeStored(message, "malformed_notification", e.getMessage());
        }
        if (delivery.eventType().isEmpty()) {
            return cannotBeStored(message, "malformed_notification", "the notification names no type");
        }
        String store = delivery.store().orElse("");
        if (!adapter.isValidStoreId(store)) {
            return cannotBeStored(message, "invalid_store_id", "the store id is not in the platform's form");
        }
        Optional<String> refusal = stores.refusal(store);
        if (refusal.isPresent()) {
            return cannotBeStored(message, refusal.get(), "no enabled store " + store);
        }
        RawEnvelope envelope = RawEnvelopes.fromQueue(adapter.name(), delivery, body, clock.instant());
        try (LogContext ignored = LogContext.of(adapter.name(), store)) {
            try {
                // One store's notifications share a partition with its webhooks and polled records.
                sink.store(PipelineRecords.storeKey(adapter.name(), store), envelope);
            } catch (RawPublisher.NotStoredException e) {
                LOG.warnf(
                        "%s notification %s for store %s not stored (%s); it stays on the queue and comes back after"
                                + " its visibility timeout",
                        adapter.name(), envelope.getPlatformEventId(), store, e.getMessage());
                return Outcome.NOT_STORED;
            }
            delete(message);
            LOG.debugf(
                    "stored %s notification %s as %s",
                    adapter.name(), envelope.getEventType(), envelope.getEnvelopeId());
        }
        return Outcome.STORED;
    }

    /** A message that no retry can store: to the dead-letter queue with its reason, or left for the redrive policy. */
    private Outcome cannotBeStored(Message message, String reason, String detail) {
        if (deadLetterUrl.isEmpty()) {
            LOG.warnf(
                    "%s queue message %s can never be stored: %s (%s); no dead-letter queue is configured, so it"
                            + " stays on the queue until the queue's redrive policy moves it",
                    adapter.name(), message.messageId(), reason, detail);
            return Outcome.LEFT_FOR_REDRIVE;
        }
        sqs.sendMessage(send -> send.queueUrl(deadLetterUrl.get())
                .messageBody(message.body())
                .messageAttributes(Map.of(
                        REASON_ATTRIBUTE, text(reason + ": " + detail),
                        SOURCE_MESSAGE_ATTRIBUTE, text(message.messageId()))));
        delete(message);
        LOG.warnf(
                "%s queue message %s can never be stored: %s (%s); moved to the dead-letter queue",
                adapter.name(), message.messageId(), reason, detail);
        return Outcome.DEAD_LETTERED;
    }

    private void delete(Message message) {
        sqs.deleteMessage(delete -> delete.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder()
                .dataType("String")
                .stringValue(value)
                .build();
    }
}
