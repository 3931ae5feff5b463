package dev.commercesync.platforms.magento2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.platforms.shared.PayloadObject;
import dev.commercesync.platforms.spi.MappingException;
import java.math.BigDecimal;
import java.util.Optional;

/** Reading Adobe Commerce payloads: REST resources and the {@code data.value} of Adobe I/O observer events. */
final class Magento2Payloads {
    /**
     * Field the API client adds to products (whose REST shape has no currency): the store's base currency from GET
     * /V1/store/storeConfigs. Never sent by Adobe Commerce.
     */
    static final String CURRENCY_ANNOTATION = "x_commercesync_currency_code";

    private Magento2Payloads() {}

    /**
     * The entity: the {@code data.value} of an I/O Events CloudEvent ({@code specversion} + {@code data}), else the
     * payload itself (a REST resource).
     */
    static PayloadObject entity(JsonNode payload) throws MappingException {
        PayloadObject root = PayloadObject.root(payload);
        if (isCloudEvent(payload)) {
            return root.requiredObject("data").requiredObject("value");
        }
        return root;
    }

    static boolean isCloudEvent(JsonNode payload) {
        return payload.has("specversion") && payload.path("data").isObject();
    }

    /**
     * A quantity in whole units ({@code qty} of shipment and credit-memo items, {@code quantity} of source items):
     * Magento sends decimals ({@code 1.0000}); a fractional quantity (is_qty_decimal) is a mapping error, never
     * rounded.
     */
    static Optional<Long> wholeQuantity(PayloadObject o, String field) throws MappingException {
        Optional<BigDecimal> quantity = o.decimal(field);
        if (quantity.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(quantity.get().longValueExact());
        } catch (ArithmeticException e) {
            throw MappingException.field(o.path(field), "fractional quantity; not rounded");
        }
    }

    /** A required {@link #wholeQuantity}. */
    static long requiredWholeQuantity(PayloadObject o, String field) throws MappingException {
        return wholeQuantity(o, field)
                .orElseThrow(() -> MappingException.field(o.path(field), "required number is missing"));
    }

    /** Magento's {@code custom_attributes} list: the value of one attribute code, as JSON. */
    static Optional<JsonNode> customAttribute(PayloadObject entity, String code) {
        for (JsonNode attribute : entity.node().path("custom_attributes")) {
            if (code.equals(attribute.path("attribute_code").asText())) {
                return Optional.of(attribute.path("value"));
            }
        }
        return Optional.empty();
    }
}
