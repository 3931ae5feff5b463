package dev.commercesync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multichannel demo's reads of the inventory service's pools: a 503 while the pools' state is restored waits. */
class MultichannelPoolsTest {
    private static final String NOT_READY =
            "{\"error\":\"not_ready\",\"message\":\"the pool's state is being restored\"}";

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int notReadyAnswers;
    private volatile int otherStatus = 200;
    private Path dataDir;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        dataDir = dir;
        Files.writeString(dir.resolve("local-secrets.properties"), "commercesync.internal.token=internal-tok\n");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pools/" + MultichannelRun.MERCHANT, exchange -> {
            boolean notReady = requests.incrementAndGet() <= notReadyAnswers;
            byte[] body = (notReady ? NOT_READY : "{\"pools\":[]}").getBytes(StandardCharsets.UTF_8);
            if (notReady) {
                exchange.getResponseHeaders().add("Retry-After", "1");
            }
            exchange.sendResponseHeaders(notReady ? 503 : otherStatus, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MultichannelRun.Pools pools() {
        return new MultichannelRun.Pools(
                "http://127.0.0.1:" + server.getAddress().getPort(), dataDir);
    }

    @Test
    void aPoolStateBeingRestoredIsWaitedOut() throws Exception {
        notReadyAnswers = 2;

        assertTrue(pools().raw().path("pools").isArray());
        assertEquals(3, requests.get(), "asked again after each 503");
    }

    @Test
    void anotherRefusalIsNotRetried() {
        otherStatus = 401;

        IOException failure = assertThrows(IOException.class, () -> pools().raw());
        assertTrue(failure.getMessage().contains("HTTP 401"), failure.getMessage());
        assertEquals(1, requests.get());
    }
}
