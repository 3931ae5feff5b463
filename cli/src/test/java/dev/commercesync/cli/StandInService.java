package dev.commercesync.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** A stand-in for a service's HTTP endpoint: records the last request under its path and answers as the test says. */
final class StandInService implements AutoCloseable {
    private final HttpServer server;
    final AtomicReference<String> method = new AtomicReference<>();
    /** The raw (still encoded) path. */
    final AtomicReference<String> rawPath = new AtomicReference<>();
    /** The decoded query, as the service sees its parameters. */
    final AtomicReference<String> query = new AtomicReference<>();

    final AtomicReference<String> body = new AtomicReference<>();
    final AtomicReference<String> authorization = new AtomicReference<>();
    volatile int status;
    volatile String answer;
    volatile Map<String, String> headers = Map.of();

    StandInService(String path, int status, String answer) throws IOException {
        this.status = status;
        this.answer = answer;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            method.set(exchange.getRequestMethod());
            rawPath.set(exchange.getRequestURI().getRawPath());
            query.set(exchange.getRequestURI().getQuery());
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = this.answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(this.status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
