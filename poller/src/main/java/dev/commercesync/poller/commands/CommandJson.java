package dev.commercesync.poller.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.commercesync.kafka.AvroJson;
import dev.commercesync.platforms.shared.EventKeys;
import dev.commercesync.platforms.shared.Json;
import dev.commercesync.platforms.spi.CommandKind;
import dev.commercesync.schemas.canonical.Money;
import dev.commercesync.schemas.canonical.OrderStatus;
import dev.commercesync.schemas.command.CancelOrder;
import dev.commercesync.schemas.command.CancelReason;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandMetadata;
import dev.commercesync.schemas.command.CreateShipment;
import dev.commercesync.schemas.command.SetInventoryLevel;
import dev.commercesync.schemas.command.SetPrice;
import dev.commercesync.schemas.command.ShipmentLine;
import dev.commercesync.schemas.command.UpdateOrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Commands as JSON: the Avro JSON encoding of {@link Command} (what the journal keeps and {@code GET /commands/{id}}
 * shows), and the plain request shape of {@code POST /commands} (docs/commands.md, "REST endpoint"), from which the
 * metadata the schema derives (entity type and id, command key) is computed.
 */
public final class CommandJson {

    /** The request cannot be a command; the message says why, naming the field. */
    public static final class InvalidCommandException extends Exception {
        public InvalidCommandException(String message) {
            super(message);
        }
    }

    /** The plain shape's action types, by the name of the action's record. */
    private static final Map<String, CommandKind> ACTION_TYPES = new LinkedHashMap<>();

    static {
        for (CommandKind kind : CommandKind.values()) {
            ACTION_TYPES.put(kind.actionType().getSimpleName(), kind);
        }
    }

    private CommandJson() {}

    /** The Avro JSON encoding of the command. */
    public static String toAvroJson(Command command) {
        return AvroJson.encode(command);
    }

    /** @throws InvalidCommandException when the text is not the Avro JSON encoding of a command */
    public static Command fromAvroJson(String json) throws InvalidCommandException {
        try {
            return AvroJson.decode(Command.class, json);
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException(e.getMessage());
        }
    }

    /**
     * The command a {@code POST /commands} body states: the Avro JSON encoding (an object with {@code metadata}), or
     * the plain shape (an object with {@code action.type}).
     *
     * @param now {@code issued_at} when the plain shape leaves it out
     */
    public static Command fromRequest(JsonNode body, Instant now) throws InvalidCommandException {
        if (body == null || !body.isObject()) {
            throw new InvalidCommandException("the body must be a JSON object");
        }
        if (body.has("metadata")) {
            return fromAvroJson(Json.encode(body));
        }
        JsonNode action = body.path("action");
        if (!action.isObject()) {
            throw new InvalidCommandException(
                    "action is required: an object with a type, one of " + ACTION_TYPES.keySet());
        }
        String type = text(action, "action.type", "type");
        CommandKind kind = ACTION_TYPES.get(type);
        if (kind == null) {
            throw new InvalidCommandException(
                    "action.type " + type + " is not a command kind; one of " + ACTION_TYPES.keySet());
        }
        Object parsed = action(kind, action);
        String platform = text(body, "platform", "platform");
        String store = text(body, "store", "store");
        String entityId = CommandChecks.entityId(parsed);
        Instant issuedAt = body.hasNonNull("issued_at") ? instant(body, "issued_at") : now;
        Map<String, String> trace = null;
        if (body.hasNonNull("trace_context")) {
            trace = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : body.get("trace_context").properties()) {
                trace.put(e.getKey(), e.getValue().asText());
            }
        }
        CommandMetadata metadata = CommandMetadata.newBuilder()
                .setCommandId(text(body, "command_id", "command_id"))
                .setPlatform(platform)
                .setStore(store)
                .setEntityType(kind.entityType())
                .setEntityId(entityId)
                .setCommandKey(EventKeys.entityKey(platform, store, kind.entityType(), entityId))
                .setIssuedAt(issuedAt)
                .setDeadline(instant(body, "deadline"))
                .setIssuer(body.hasNonNull("issuer") ? body.get("issuer").asText() : null)
                .setTraceContext(trace)
                .build();
        return Command.newBuilder().setMetadata(metadata).setAction(parsed).build();
    }

    private static Object action(CommandKind kind, JsonNode a) throws InvalidCommandException {
        return switch (kind) {
            case SET_INVENTORY_LEVEL ->
                SetInventoryLevel.newBuilder()
                        .setItemId(text(a, "action.item_id", "item_id"))
                        .setLocationId(optionalText(a, "location_id"))
                        .setQuantity(number(a, "action.quantity", "quantity"))
                        .setExpectedQuantity(
                                a.hasNonNull("expected_quantity")
                                        ? number(a, "action.expected_quantity", "expected_quantity")
                                        : null)
                        .build();
            case CREATE_SHIPMENT -> {
                if (!a.path("lines").isArray()) {
                    throw new InvalidCommandException("action.lines is required: [{line_item_id, quantity}, ...]");
                }
                List<ShipmentLine> lines = new ArrayList<>();
                for (JsonNode line : a.get("lines")) {
                    lines.add(new ShipmentLine(
                            text(line, "action.lines[].line_item_id", "line_item_id"),
                            number(line, "action.lines[].quantity", "quantity")));
                }
                yield CreateShipment.newBuilder()
                        .setOrderId(text(a, "action.order_id", "order_id"))
                        .setLines(lines)
                        .setCarrier(text(a, "action.carrier", "carrier"))
                        .setTrackingNumber(text(a, "action.tracking_number", "tracking_number"))
                        .setTrackingUrl(optionalText(a, "tracking_url"))
                        .setNotifyCustomer(a.path("notify_customer").asBoolean(false))
                        .build();
            }
            case CANCEL_ORDER ->
                CancelOrder.newBuilder()
                        .setOrderId(text(a, "action.order_id", "order_id"))
                        .setReason(
                                a.hasNonNull("reason") ? symbol(CancelReason.class, a, "reason") : CancelReason.OTHER)
                        .setRestock(a.path("restock").asBoolean(false))
                        .setNotifyCustomer(a.path("notify_customer").asBoolean(false))
                        .build();
            case UPDATE_ORDER_STATUS ->
                UpdateOrderStatus.newBuilder()
                        .setOrderId(text(a, "action.order_id", "order_id"))
                        .setStatus(symbol(OrderStatus.class, a, "status"))
                        .build();
            case SET_PRICE ->
                SetPrice.newBuilder()
                        .setProductId(text(a, "action.product_id", "product_id"))
                        .setVariantId(optionalText(a, "variant_id"))
                        .setPrice(money(a, "price"))
                        .setCompareAtPrice(a.hasNonNull("compare_at_price") ? money(a, "compare_at_price") : null)
                        .build();
        };
    }

    private static String text(JsonNode node, String name, String field) throws InvalidCommandException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidCommandException(name + " is required (a non-empty string)");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static long number(JsonNode node, String name, String field) throws InvalidCommandException {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new InvalidCommandException(name + " is required (a whole number)");
        }
        return value.asLong();
    }

    private static Instant instant(JsonNode node, String field) throws InvalidCommandException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidCommandException(field + " is required (an ISO-8601 instant, e.g. 2026-12-06T18:00:00Z)");
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidCommandException(
                    field + " " + value.asText() + " is not an ISO-8601 instant (e.g. 2026-12-06T18:00:00Z)");
        }
    }

    private static <E extends Enum<E>> E symbol(Class<E> type, JsonNode node, String field)
            throws InvalidCommandException {
        String value = node.path(field).asText("");
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidCommandException("action." + field + " " + value + " is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static Money money(JsonNode node, String field) throws InvalidCommandException {
        JsonNode money = node.path(field);
        String name = "action." + field;
        if (!money.isObject()) {
            throw new InvalidCommandException(name + " is required: {\"amount\": \"19.99\", \"currency\": \"EUR\"}");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(money.path("amount").asText(""));
        } catch (NumberFormatException e) {
            throw new InvalidCommandException(name + ".amount must be a decimal number (\"19.99\")");
        }
        if (amount.scale() > 6) {
            throw new InvalidCommandException(name + ".amount has more than 6 decimals");
        }
        return new Money(amount.setScale(6), text(money, name + ".currency", "currency"));
    }
}
