package dev.commercesync.simulator;

import com.sun.net.httpserver.HttpServer;
import dev.commercesync.platforms.spi.WebhookRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for webhook-ingest: records every delivery and answers a fixed status. */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<WebhookRequest> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            received.add(new WebhookRequest(headers, body));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url(String platform) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/" + platform);
    }

    void answer(int newStatus) {
        this.status = newStatus;
    }

    List<WebhookRequest> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
