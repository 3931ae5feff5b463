package dev.commercesync.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated store's answer: status, headers, body (JSON unless empty), and how long the server holds it before
 * sending (zero but for an injected timeout: a client whose timeout is shorter never sees it).
 */
public record ApiAnswer(int status, Map<String, String> headers, byte[] body, Duration hold) {

    public ApiAnswer(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, Duration.ZERO);
    }

    public static ApiAnswer json(int status, JsonNode body) {
        return new ApiAnswer(status, new LinkedHashMap<>(), Json.encode(body).getBytes(StandardCharsets.UTF_8));
    }

    public static ApiAnswer empty(int status) {
        return new ApiAnswer(status, new LinkedHashMap<>(), new byte[0]);
    }

    /** The same answer with one more header (answers are built, then decorated with quota headers). */
    public ApiAnswer withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiAnswer(status, copy, body, hold);
    }

    /** The same answer, sent only after {@code duration}. */
    public ApiAnswer heldFor(Duration duration) {
        return new ApiAnswer(status, headers, body, duration);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }
}
