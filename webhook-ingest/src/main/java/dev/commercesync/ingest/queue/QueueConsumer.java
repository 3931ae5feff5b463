package dev.commercesync.ingest.queue;

import dev.commercesync.ingest.IngestConfig;
import dev.commercesync.ingest.RawPublisher;
import dev.commercesync.ingest.StoreLookup;
import dev.commercesync.ingest.queue.QueuedNotificationConsumer.Outcome;
import dev.commercesync.platforms.PlatformRegistry;
import dev.commercesync.platforms.spi.PlatformAdapter;
import dev.commercesync.stores.StoreRegistry.StoreView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Runs the queue consumer ({@link QueuedNotificationConsumer}) on one thread from start-up to shutdown when {@code
 * commercesync.ingest.queue.platform} is set; refuses to start on a configuration that cannot work (an unknown platform,
 * one without queued notifications, no queue URL, an endpoint or queue URL that breaks {@link QueueUrls}' rules). SQS or Kafka away: it waits {@link QueueConfig#retryDelay()} and
 * tries again, for as long as it takes; nothing is deleted from the queue that is not on Kafka.
 */
@ApplicationScoped
public class QueueConsumer {
    private static final Logger LOG = Logger.getLogger(QueueConsumer.class);

    private final QueueConfig config;
    private final PlatformRegistry platforms;
    private final StoreLookup stores;
    private final RawPublisher publisher;
    private final IngestConfig ingest;
    private final MeterRegistry meters;
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile SqsClient sqs;

    public QueueConsumer(
            QueueConfig config,
            PlatformRegistry platforms,
            StoreLookup stores,
            RawPublisher publisher,
            IngestConfig ingest,
            MeterRegistry meters) {
        this.config = config;
        this.platforms = platforms;
        this.stores = stores;
        this.publisher = publisher;
        this.ingest = ingest;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        if (config.platform().isEmpty()) {
            return;
        }
        String name = config.platform().get();
        PlatformAdapter adapter = platforms
                .find(name)
                .orElseThrow(() -> new IllegalStateException(
                        "commercesync.ingest.queue.platform names no installed platform: " + name));
        if (adapter.queuedNotifications().isEmpty()) {
            throw new IllegalStateException(
                    "commercesync.ingest.queue.platform: platform " + name + " delivers no notifications to a queue");
        }
        String url = config.url()
                .orElseThrow(() -> new IllegalStateException(
                        "commercesync.ingest.queue.url is required with commercesync.ingest.queue.platform"));
        boolean localEndpoint = config.endpoint().isPresent();
        config.endpoint().flatMap(QueueUrls::endpointProblem).ifPresent(problem -> {
            throw new IllegalStateException("commercesync.ingest.queue.endpoint " + problem);
        });
        QueueUrls.queueUrlProblem(url, localEndpoint).ifPresent(problem -> {
            throw new IllegalStateException("commercesync.ingest.queue.url " + problem);
        });
        config.deadLetterUrl()
                .flatMap(deadLetters -> QueueUrls.queueUrlProblem(deadLetters, localEndpoint))
                .ifPresent(problem -> {
                    throw new IllegalStateException("commercesync.ingest.queue.dead-letter-url " + problem);
                });
        if (config.maxMessages() < 1 || config.maxMessages() > 10) {
            throw new IllegalStateException("commercesync.ingest.queue.max-messages must be 1 to 10 (SQS's limits)");
        }
        if (config.waitTime().isNegative() || config.waitTime().compareTo(Duration.ofSeconds(20)) > 0) {
            throw new IllegalStateException("commercesync.ingest.queue.wait-time must be 0 to 20 s (SQS's limits)");
        }
        for (Outcome outcome : Outcome.values()) {
            counters.put(
                    outcome,
                    Counter.builder("commercesync.queue.notifications")
                            .description("Queued platform notifications received, by what became of them")
                            .tags("platform", name, "outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                            .register(meters));
        }
        sqs = client();
        QueuedNotificationConsumer consumer = new QueuedNotificationConsumer(
                sqs,
                url,
                config.deadLetterUrl(),
                adapter,
                store -> refusal(name, store),
                (key, envelope) -> publisher.publish(key, envelope, ingest.produceTimeout()),
                config.maxMessages(),
                config.waitTime(),
                config.visibilityTimeout(),
                Clock.systemUTC());
        thread = new Thread(() -> run(consumer), "queue-consumer-" + name);
        thread.setDaemon(true);
        thread.start();
        // The URL names the account and queue, no secret; the credentials are never logged.
        LOG.infof("reading %s notifications from SQS queue %s", name, url);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
        Thread running = thread;
        if (running != null) {
            running.interrupt();
            try {
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        SqsClient client = sqs;
        if (client != null) {
            client.close();
        }
    }

    /** How many received messages had this outcome since start-up (also the metric commercesync_queue_notifications_total). */
    public long count(String outcome) {
        Counter counter = counters.get(Outcome.valueOf(outcome.toUpperCase(java.util.Locale.ROOT)));
        return counter == null ? 0 : (long) counter.count();
    }

    private void run(QueuedNotificationConsumer consumer) {
        while (stopping.getCount() > 0) {
            boolean pause;
            try {
                List<Outcome> outcomes = consumer.pollOnce();
                outcomes.forEach(outcome -> counters.get(outcome).increment());
                // Kafka did not acknowledge: give it time before the next receive instead of spinning.
                pause = outcomes.contains(Outcome.NOT_STORED);
            } catch (RuntimeException e) {
                if (stopping.getCount() == 0) {
                    return;
                }
                // SQS or the store registry unreachable: what was not deleted comes back, so wait and try again.
                LOG.warnf(
                        "reading the notification queue failed (%s: %s); retrying in %s",
                        e.getClass().getSimpleName(), e.getMessage(), config.retryDelay());
                pause = true;
            }
            if (pause && waitForStop(config.retryDelay())) {
                return;
            }
        }
    }

    /** Waits for the delay; true when the service is stopping. */
    private boolean waitForStop(Duration delay) {
        try {
            return stopping.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return stopping.getCount() == 0;
        }
    }

    /**
     * Why the store's notifications cannot be stored, or empty. The registry reads PostgreSQL through Hibernate, which
     * needs a request context: the consumer's thread has none of its own, so one is active for the look-up.
     */
    private Optional<String> refusal(String platform, String store) {
        ManagedContext requestContext = Arc.container().requestContext();
        boolean activated = !requestContext.isActive();
        if (activated) {
            requestContext.activate();
        }
        try {
            Optional<StoreView> view = stores.find(platform, store);
            if (view.isEmpty()) {
                return Optional.of("unknown_store");
            }
            return view.get().enabled() ? Optional.empty() : Optional.of("store_disabled");
        } finally {
            if (activated) {
                requestContext.terminate();
            }
        }
    }

    private SqsClient client() {
        SqsClientBuilder builder = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials());
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private AwsCredentialsProvider credentials() {
        if (config.accessKeyId().isPresent() != config.secretAccessKey().isPresent()) {
            throw new IllegalStateException(
                    "commercesync.ingest.queue.access-key-id and secret-access-key go together");
        }
        if (config.accessKeyId().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    config.accessKeyId().get(), config.secretAccessKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
