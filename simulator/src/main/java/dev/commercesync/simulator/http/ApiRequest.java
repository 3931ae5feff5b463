package dev.commercesync.simulator.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request to a simulated store's API.
 *
 * @param path the path below the store's base URL, starting with {@code /} ({@code /admin/api/2026-01/orders/1.json})
 * @param query decoded query parameters (first value of each)
 * @param headers header names lower-cased (first value of each)
 */
public record ApiRequest(
        String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {

    public static ApiRequest of(
            String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        Map<String, String> lowerCased = new TreeMap<>();
        headers.forEach((name, values) -> {
            if (!values.isEmpty()) {
                lowerCased.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return new ApiRequest(method.toUpperCase(Locale.ROOT), path, parseQuery(rawQuery), lowerCased, body);
    }

    /** Decodes {@code name=value&...} (a query string or a form body), first value of each name. */
    public static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(name, value);
        }
        return query;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    public int intParam(String name, int defaultValue) {
        try {
            return param(name).map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }
}
