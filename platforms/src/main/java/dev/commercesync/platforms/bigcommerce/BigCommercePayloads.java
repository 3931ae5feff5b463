package dev.commercesync.platforms.bigcommerce;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.MappingException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading BigCommerce payloads: the v3 {@code {data, meta}} envelope, v2 RFC 2822 dates, ISO dates of v3. */
final class BigCommercePayloads {
    /**
     * Field the API client adds to entities whose API shape carries no currency (v3 catalog products: the store's
     * default currency; v3 refunds: the order's currency), read from a second call. Never sent by BigCommerce.
     */
    static final String CURRENCY_ANNOTATION = "x_commercesync_currency_code";

    private BigCommercePayloads() {}

    /**
     * The entity of a v3 single-entity response ({@code {"data": {...}, "meta": {}}}), or the payload itself when it
     * is already the bare entity (a v2 resource, or one item of a v3 list).
     */
    static PayloadObject entity(JsonNode payload) throws MappingException {
        PayloadObject root = PayloadObject.root(payload);
        if (!root.has("id") && payload.path("data").isObject()) {
            return root.requiredObject("data");
        }
        return root;
    }

    /**
     * A v2 date: RFC 2822 with a numeric offset ({@code Tue, 20 Nov 2012 00:00:00 +0000}); the empty string v2 uses
     * for "not set" (date_shipped) is absent.
     */
    static Optional<Instant> rfc2822(PayloadObject object, String field) throws MappingException {
        Optional<String> text = object.text(field);
        if (text.isEmpty() || text.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(text.get().trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            throw MappingException.field(object.path(field), "not an RFC 2822 date");
        }
    }

    static Instant requiredRfc2822(PayloadObject object, String field) throws MappingException {
        return rfc2822(object, field)
                .orElseThrow(() -> MappingException.field(object.path(field), "required date is missing"));
    }
}
