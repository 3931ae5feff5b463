package dev.commercesync.platforms.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A webhook delivery as received: its headers and the raw body bytes (signatures are computed over these exact
 * bytes). Header names are matched case-insensitively.
 */
public final class WebhookRequest {
    /**
     * The header the ingest sets to the store named in the delivery's URL ({@code POST /webhooks/{platform}/{store}}),
     * for platforms whose deliveries do not name the store (eBay's notifications are the application's). The ingest
     * drops any value a sender put there, so an adapter may read it as the URL's store.
     */
    public static final String PATH_STORE_HEADER = "x-commercesync-store";

    private final Map<String, String> headers;
    private final byte[] body;

    public WebhookRequest(Map<String, String> headers, byte[] body) {
        Map<String, String> lowerCased = new TreeMap<>();
        headers.forEach((name, value) -> lowerCased.put(name.toLowerCase(Locale.ROOT), value));
        this.headers = Map.copyOf(lowerCased);
        this.body = Objects.requireNonNull(body, "body").clone();
    }

    /** The value of a header, whatever the case of its name; empty when absent. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** All headers, names lower-cased. */
    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body.clone();
    }
}
