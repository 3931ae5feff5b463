package dev.commercesync.platforms.shared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.commercesync.platforms.spi.ApiResponse;
import dev.commercesync.platforms.spi.ReadBack;
import dev.commercesync.platforms.spi.WriteOutcome;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.canonical.Shipment;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResultReason;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/** What the platforms' write clients share: states as JSON, the deadline check, rejections and read-backs. */
public final class CommandWrites {
    /** What names a command in a platform's free text (adjustment reason, shipment comment, order note). */
    private static final String REFERENCE = "commerce-sync command ";

    private static final Pattern REFERENCED = Pattern.compile(Pattern.quote(REFERENCE) + "([^\\s\"\\\\,;]+)");

    private CommandWrites() {}

    /**
     * The text a writer puts where the platform keeps a free-text reason, comment or note, naming the command: what
     * {@link #referencedCommandId} finds in the platform's records again (echo recognition).
     */
    public static String reference(String commandId) {
        return REFERENCE + commandId;
    }

    /**
     * The command_id a {@link #reference} in {@code text} names (the last one, should there be several), if any; the
     * text may be a JSON-encoded platform field (a string or an array of comments).
     */
    public static Optional<String> referencedCommandId(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = REFERENCED.matcher(text);
        String found = null;
        while (matcher.find()) {
            found = matcher.group(1);
        }
        return Optional.ofNullable(found);
    }

    /**
     * The Expired outcome when the command's deadline has passed (checked before a request that changes state, in
     * attempts of several requests); empty while it may still be sent.
     */
    public static Optional<ApiResponse<WriteOutcome>> expired(Command command, Clock clock) {
        if (clock.instant().isBefore(command.getMetadata().getDeadline())) {
            return Optional.empty();
        }
        return Optional.of(
                new ApiResponse<>(new WriteOutcome.Expired(command.getMetadata().getDeadline()), Optional.empty()));
    }

    /**
     * Why a price cannot be written to a store that prices in {@code storeCurrency} (its price or compare-at price is
     * in another currency: no platform converts), or empty.
     *
     * @param storeNoun how the platform calls the store in the message ("store", "shop")
     */
    public static Optional<String> currencyMismatch(String storeCurrency, SetPrice price, String storeNoun) {
        for (Money money : price.getCompareAtPrice() == null
                ? List.of(price.getPrice())
                : List.of(price.getPrice(), price.getCompareAtPrice())) {
            if (!storeCurrency.equals(money.getCurrency())) {
                return Optional.of("the " + storeNoun + "'s currency is " + storeCurrency + ", the price's "
                        + money.getCurrency());
            }
        }
        return Optional.empty();
    }

    /**
     * The command_id a writer's {@link #reference} left in a mapped shipment's platform field ({@code field}, JSON as
     * the mappers keep it), for {@code PlatformAdapter.commandMarker}; empty for any other entity.
     */
    public static Optional<String> shipmentMarker(SpecificRecord entity, String field) {
        return entity instanceof Shipment shipment
                ? referencedCommandId(shipment.getPlatformFields().get(field))
                : Optional.empty();
    }

    /** A refusal by the writer itself, before any request. */
    public static ApiResponse<WriteOutcome> rejected(CommandResultReason reason, String why) {
        return new ApiResponse<>(new WriteOutcome.Rejected(reason, why), Optional.empty());
    }

    public static boolean success(HttpResponse<byte[]> response) {
        return response.statusCode() >= 200 && response.statusCode() < 300;
    }

    /** The named fields of a platform answer (those present): the resulting or current state a result carries. */
    public static ObjectNode fields(JsonNode node, List<String> names) {
        ObjectNode state = Json.MAPPER.createObjectNode();
        for (String name : names) {
            if (node.has(name)) {
                state.set(name, node.get(name));
            }
        }
        return state;
    }

    /** {@link #fields} encoded. */
    public static String state(JsonNode node, List<String> names) {
        return Json.encode(fields(node, names));
    }

    /**
     * The read-back of a target fetched by id: NOT_FOUND when it is absent, else APPLIED when it shows the effect,
     * NOT_APPLIED otherwise, with the named fields as its state.
     */
    public static ApiResponse<ReadBack> readBackOf(
            ApiResponse<Optional<JsonNode>> target, Predicate<JsonNode> showsEffect, List<String> names) {
        if (target.value().isEmpty()) {
            return new ApiResponse<>(ReadBack.notFound(), target.quota());
        }
        JsonNode node = target.value().get();
        String state = state(node, names);
        return new ApiResponse<>(
                showsEffect.test(node) ? ReadBack.applied(state) : ReadBack.notApplied(state), target.quota());
    }

    /** The order a CancelOrder or UpdateOrderStatus names and the canonical status it asks for. */
    public record WantedStatus(String orderId, OrderStatus status) {
        /** @param action a CancelOrder (wants CANCELLED) or an UpdateOrderStatus */
        public static WantedStatus of(Object action) {
            if (action instanceof CancelOrder cancel) {
                return new WantedStatus(cancel.getOrderId(), OrderStatus.CANCELLED);
            }
            UpdateOrderStatus update = (UpdateOrderStatus) action;
            return new WantedStatus(update.getOrderId(), update.getStatus());
        }
    }

    /** Whether a platform's amount (a JSON number or decimal string) equals the wanted one, whatever its scale. */
    public static boolean sameAmount(JsonNode value, BigDecimal wanted) {
        if (value.isNumber()) {
            return value.decimalValue().compareTo(wanted) == 0;
        }
        try {
            return !value.asText("").isEmpty() && new BigDecimal(value.asText()).compareTo(wanted) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether a mapped entity's platform field (JSON, as the mappers keep unmapped fields) is the wanted amount,
     * whatever its scale: prices kept verbatim where the payload names no currency.
     */
    public static boolean platformFieldIsAmount(Map<String, String> platformFields, String field, BigDecimal wanted) {
        String value = platformFields.get(field);
        if (value == null) {
            return false;
        }
        try {
            return sameAmount(Json.MAPPER.readTree(value), wanted);
        } catch (IOException e) {
            return false;
        }
    }

    /** An amount as the platforms write it: plain, without trailing zeros (19.990000 → 19.99). */
    public static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
