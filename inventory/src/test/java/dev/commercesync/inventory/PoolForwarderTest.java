package dev.commercesync.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hop to the replica holding a merchant: a real HTTP server stands in for that replica. */
class PoolForwarderTest {
    private HttpServer other;
    private final AtomicReference<String> seenAuthorization = new AtomicReference<>();
    private final AtomicReference<String> seenForwarded = new AtomicReference<>();
    private final AtomicReference<String> seenPath = new AtomicReference<>();
    private final AtomicReference<String> seenQuery = new AtomicReference<>();

    @BeforeEach
    void startTheOtherReplica() throws IOException {
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/pools", exchange -> {
            seenAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            seenForwarded.set(exchange.getRequestHeaders().getFirst(PoolForwarder.FORWARDED));
            seenPath.set(exchange.getRequestURI().getRawPath());
            seenQuery.set(exchange.getRequestURI().getRawQuery());
            byte[] body = "{\"error\":\"no_pool\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        other.start();
    }

    @AfterEach
    void stop() {
        other.stop(0);
    }

    @Test
    void theOtherReplicasAnswerIsReturnedAsItIsAndTheRequestIsMarkedAndAuthenticated() {
        var forwarder = new PoolForwarder(Optional.of("the-internal-token"));
        var response = forwarder.forward(
                new HostInfo("127.0.0.1", other.getAddress().getPort()), "/pools/m%201/propagation?since=3");

        assertEquals(404, response.getStatus());
        assertEquals("{\"error\":\"no_pool\"}", response.getEntity());
        assertEquals("Bearer the-internal-token", seenAuthorization.get());
        assertEquals("1", seenForwarded.get(), "the other replica must answer from its own stores, not forward again");
        assertEquals("/pools/m%201/propagation", seenPath.get());
        assertEquals("since=3", seenQuery.get(), "the query goes along");
    }

    @Test
    void aReplicaThatDoesNotAnswerIsA503NamingItNeverAWrongAnswer() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        var response = new PoolForwarder(Optional.of("t")).forward(new HostInfo("127.0.0.1", closed), "/pools/m");

        assertEquals(503, response.getStatus());
        assertEquals("5", response.getHeaderString("Retry-After"));
        assertTrue(
                response.getEntity().toString().contains("127.0.0.1:" + closed),
                response.getEntity().toString());
    }
}
