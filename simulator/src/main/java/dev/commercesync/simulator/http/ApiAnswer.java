package dev.commercesync.simulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A simulated store's answer: status, headers, body (JSON unless empty). */
public record ApiAnswer(int status, Map<String, String> headers, byte[] body) {

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
        return new ApiAnswer(status, copy, body);
    }
}
