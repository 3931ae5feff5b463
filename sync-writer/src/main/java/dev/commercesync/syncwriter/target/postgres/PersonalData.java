package dev.commercesync.syncwriter.target.postgres;

import dev.commercesync.schemas.canonical.EntityType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * Where the target holds a customer's personal data, and how it is masked — the one definition used both to carry out
 * a {@code CUSTOMER_REDACT} request and to keep its customer redacted when later events of theirs are applied (a late
 * webhook, a replay of the retained raw topic). docs/privacy.md lists the fields.
 *
 * <ul>
 *   <li>{@code target.customers}: the customer's row ({@code entity_key} hashed as the request names it): email, phone,
 *       names, addresses, note and platform fields;
 *   <li>{@code target.orders}: the orders of that customer ({@code customer_id}) and those the request lists: the order's
 *       customer (but its id), billing and shipping addresses, note and platform fields;
 *   <li>{@code target.shipments}: the shipping address of shipments of those orders.
 * </ul>
 *
 * <p>Rows stay, with their ids, versions and amounts: what was sold is the merchant's business record, not the
 * customer's personal data. Tombstones ({@code data} NULL) hold nothing to mask.
 */
final class PersonalData {
    private PersonalData() {}

    /** SQL of the lower-case hex SHA-256 of a text expression, as {@code PrivacyKeys} computes it in Java. */
    private static String sha256Hex(String expression) {
        return "encode(sha256(convert_to(" + expression + ", 'UTF8')), 'hex')";
    }

    /** The hash of the customer key of an order row {@code alias} (its customer_id); null without a customer. */
    private static String orderCustomerHash(String alias) {
        return sha256Hex(
                alias + ".platform || '/' || " + alias + ".store || '/customer/' || " + alias + ".customer_id");
    }

    /** One table's masking: the SET clause and the predicate "row t belongs to request r". */
    private record Masking(String table, String set, String belongsToRequest) {}

    private static final Map<EntityType, Masking> MASKINGS = Map.of(
            EntityType.CUSTOMER,
            new Masking(
                    "target.customers",
                    "email = NULL, first_name = NULL, last_name = NULL, data = t.data || jsonb_build_object("
                            + "'email', NULL, 'phone', NULL, 'first_name', NULL, 'last_name', NULL,"
                            + " 'default_address', NULL, 'addresses', '[]'::jsonb, 'note', NULL,"
                            + " 'platform_fields', '{}'::jsonb)",
                    "r.customer_key_hash = " + sha256Hex("t.entity_key")),
            EntityType.ORDER,
            new Masking(
                    "target.orders",
                    "data = t.data || jsonb_build_object("
                            + "'customer', CASE WHEN jsonb_typeof(t.data -> 'customer') = 'object' THEN"
                            + " jsonb_build_object('id', t.data -> 'customer' -> 'id', 'email', NULL, 'phone', NULL,"
                            + " 'first_name', NULL, 'last_name', NULL, 'is_guest', t.data -> 'customer' -> 'is_guest',"
                            + " 'note', NULL) ELSE t.data -> 'customer' END,"
                            + " 'billing_address', NULL, 'shipping_address', NULL, 'note', NULL,"
                            + " 'platform_fields', '{}'::jsonb)",
                    "(r.customer_key_hash = " + orderCustomerHash("t") + " OR t.entity_id = ANY (r.order_ids))"),
            EntityType.SHIPMENT,
            new Masking(
                    "target.shipments",
                    "data = t.data || jsonb_build_object('shipping_address', NULL)",
                    "(t.order_id = ANY (r.order_ids) OR EXISTS (SELECT 1 FROM target.orders o"
                            + " WHERE o.platform = t.platform AND o.store = t.store AND o.entity_id = t.order_id"
                            + " AND r.customer_key_hash = " + orderCustomerHash("o") + "))"));

    /** Masks every row of the request's customer and orders; answers how many rows it masked. */
    static int redact(Connection connection, String requestId) throws SQLException {
        int rows = 0;
        for (EntityType type : new EntityType[] {EntityType.CUSTOMER, EntityType.ORDER, EntityType.SHIPMENT}) {
            Masking m = MASKINGS.get(type);
            String sql = "UPDATE " + m.table() + " t SET " + m.set() + " FROM syncwriter.privacy_requests r"
                    + " WHERE r.request_id = ? AND r.kind = 'CUSTOMER_REDACT'"
                    + " AND t.platform = r.platform AND t.store = r.store AND t.data IS NOT NULL AND "
                    + m.belongsToRequest();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, requestId);
                rows += statement.executeUpdate();
            }
        }
        return rows;
    }

    /**
     * Masks the row just written for {@code entityKey} if a recorded customer redaction covers it: a redacted customer
     * stays redacted whatever arrives later. Types that hold no personal data are left alone.
     *
     * @return whether the row was masked
     */
    static boolean keepRedacted(Connection connection, EntityType type, String entityKey) throws SQLException {
        Masking m = MASKINGS.get(type);
        if (m == null) {
            return false;
        }
        String sql = "UPDATE " + m.table() + " t SET " + m.set()
                + " WHERE t.entity_key = ? AND t.data IS NOT NULL AND EXISTS (SELECT 1 FROM"
                + " syncwriter.privacy_requests r WHERE r.kind = 'CUSTOMER_REDACT'"
                + " AND r.platform = t.platform AND r.store = t.store AND " + m.belongsToRequest() + ")";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, entityKey);
            return statement.executeUpdate() == 1;
        }
    }

    /** What the store's recorded redactions mean for one event about to be applied. */
    /**
     * A store's redactions, as far as applying its events is concerned.
     *
     * @param lastShopRedaction when the latest shop redaction of the store was received, or null: an event received
     *     before it must not bring the store's data back
     * @param customers whether some of the store's customers were redacted: a written row may need masking ({@link
     *     #keepRedacted})
     */
    record StoreRedactions(Instant lastShopRedaction, boolean customers) {
        static final StoreRedactions NONE = new StoreRedactions(null, false);

        boolean removedAfter(Instant receivedAt) {
            return lastShopRedaction != null && lastShopRedaction.isAfter(receivedAt);
        }
    }

    /** One indexed look-up per store of a batch; most stores have no privacy requests at all. */
    static StoreRedactions redactions(Connection connection, String platform, String store) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT max(received_at) FILTER (WHERE kind = 'SHOP_REDACT'),"
                        + " coalesce(bool_or(kind = 'CUSTOMER_REDACT'), false)"
                        + " FROM syncwriter.privacy_requests WHERE platform = ? AND store = ? AND kind <> 'CUSTOMER_DATA_REQUEST'")) {
            statement.setString(1, platform);
            statement.setString(2, store);
            try (var result = statement.executeQuery()) {
                result.next();
                var shop = result.getObject(1, java.time.OffsetDateTime.class);
                return new StoreRedactions(shop == null ? null : shop.toInstant(), result.getBoolean(2));
            }
        }
    }

    /** Removes every target row of the store (children go with their parents); answers how many rows. */
    static int removeStore(Connection connection, String platform, String store) throws SQLException {
        int rows = 0;
        for (EntityTable<?> table : EntityTables.BY_TYPE.values()) {
            try (PreparedStatement statement =
                    connection.prepareStatement("DELETE FROM " + table.table() + " WHERE platform = ? AND store = ?")) {
                statement.setString(1, platform);
                statement.setString(2, store);
                rows += statement.executeUpdate();
            }
        }
        return rows;
    }
}
