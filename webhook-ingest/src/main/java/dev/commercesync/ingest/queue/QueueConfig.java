package dev.commercesync.ingest.queue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The queue consumer ({@code commercesync.ingest.queue.*}): reads the notifications a platform delivers to an Amazon
 * SQS queue instead of an HTTPS endpoint (docs/amazon-notifications.md). Off unless {@link #platform()} is set.
 */
@ConfigMapping(prefix = "commercesync.ingest.queue")
public interface QueueConfig {

    /**
     * The platform whose notifications the queue carries (a registered adapter with queued notifications); unset: no
     * consumer runs.
     */
    Optional<String> platform();

    /** The queue's URL ({@code https://sqs.<region>.amazonaws.com/<account>/<name>}); required with a platform. */
    Optional<String> url();

    /**
     * Where notifications that can never be stored go, with their reason as a message attribute: a queue URL. Unset,
     * they stay on the queue and its own redrive policy (maxReceiveCount) moves them to its dead-letter queue.
     */
    Optional<String> deadLetterUrl();

    /**
     * The SQS endpoint, only to use an SQS-compatible server instead of Amazon's (tests: ElasticMQ); unset, the
     * region's Amazon endpoint.
     */
    Optional<URI> endpoint();

    /** The queue's AWS region. */
    @WithDefault("us-east-1")
    String region();

    /**
     * A static access key id (with {@link #secretAccessKey()}); unset, the AWS SDK's default credentials chain
     * (environment, profile, container or instance role) is used, as in production it should be.
     */
    Optional<String> accessKeyId();

    /** The static secret access key; never logged. */
    Optional<String> secretAccessKey();

    /** Long-poll wait of one receive (SQS allows 0 to 20 s). */
    @WithDefault("20s")
    Duration waitTime();

    /** Messages per receive (SQS allows 1 to 10). */
    @WithDefault("10")
    int maxMessages();

    /**
     * How long a received message stays invisible to other consumers before SQS delivers it again if it was not deleted
     * (stored on Kafka); unset, the queue's own visibility timeout (default 30 s).
     */
    Optional<Duration> visibilityTimeout();

    /** The pause before the next receive after SQS or Kafka failed. */
    @WithDefault("5s")
    Duration retryDelay();
}
