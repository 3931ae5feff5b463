package dev.commercesync.simulator.queue;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A queue on an SQS-compatible server on this machine (ElasticMQ in the tests), as SP-API's notification service
 * would send to the application's Amazon SQS queue: {@code SendMessage} with the notification document as the body. A
 * send that fails is logged and counted, not retried: Amazon's own retries are not simulated.
 */
public final class SqsNotificationQueue implements NotificationQueue, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SqsNotificationQueue.class.getName());

    private final SqsClient sqs;
    private final String queueUrl;
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param endpoint the SQS-compatible server ({@code http://127.0.0.1:<port>})
     * @param queueUrl the queue's URL as the server named it
     */
    public SqsNotificationQueue(URI endpoint, String queueUrl, String region) {
        this.sqs = SqsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of(region))
                // A local server checks no signature; the SDK wants credentials to sign with.
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("simulator", "simulator")))
                .build();
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(String body) {
        try {
            sqs.sendMessage(send -> send.queueUrl(queueUrl).messageBody(body));
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "notification not sent to " + queueUrl + ": " + e.getMessage());
        }
    }

    /** Notifications that could not be sent. */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        sqs.close();
    }
}
