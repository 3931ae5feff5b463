package dev.commercesync.ingest.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The queue consumer's endpoint and queue URL rules, checked before any signed request is sent. */
class QueueUrlsTest {

    @Test
    void endpointsOfALocalServerOrOverHttpsAreAccepted() {
        for (String endpoint : List.of(
                "http://127.0.0.1:9324",
                "http://localhost:9324/",
                "http://[::1]:9324",
                "http://elasticmq:9324",
                "https://sqs.example.test")) {
            assertEquals(Optional.empty(), QueueUrls.endpointProblem(URI.create(endpoint)), endpoint);
        }
    }

    @Test
    void endpointsThatCouldLeakOrMisdirectRequestsAreRefused() {
        for (String endpoint : List.of(
                "http://sqs.example.test",
                "http://10.0.0.5:9324",
                "https://key:secret@sqs.example.test",
                "https://169.254.169.254",
                "http://169.254.169.254",
                "https://0.0.0.0",
                "https://sqs.example.test/123456789012/queue",
                "https://sqs.example.test?x=1",
                "ftp://sqs.example.test",
                "sqs.example.test")) {
            assertTrue(QueueUrls.endpointProblem(URI.create(endpoint)).isPresent(), endpoint);
        }
    }

    @Test
    void queueUrlsAreHttpsWithAccountAndName() {
        assertEquals(
                Optional.empty(),
                QueueUrls.queueUrlProblem(
                        "https://sqs.us-east-1.example.test/123456789012/sp-api-notifications", false));
        assertEquals(
                Optional.empty(),
                QueueUrls.queueUrlProblem("https://sqs.us-east-1.example.test/123456789012/orders.fifo", false));
        assertEquals(
                Optional.empty(),
                QueueUrls.queueUrlProblem("http://127.0.0.1:9324/000000000000/sp-api-notifications", true),
                "a local server's own queue URL");
    }

    @Test
    void otherQueueUrlsAreRefusedWithoutEchoingThem() {
        for (String url : List.of(
                "http://sqs.us-east-1.example.test/123456789012/q",
                "https://user:hunter2@sqs.example.test/123456789012/q",
                "https://sqs.example.test/123456789012/q?Action=DeleteQueue",
                "https://sqs.example.test/q",
                "https://sqs.example.test/123456789012/q/extra",
                "https://sqs.example.test/123456789012/has space",
                "file:///123456789012/q",
                "not a url")) {
            Optional<String> problem = QueueUrls.queueUrlProblem(url, false);
            assertTrue(problem.isPresent(), url);
            assertFalse(problem.get().contains("hunter2"), problem.get());
        }
    }
}
