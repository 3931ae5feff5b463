package dev.commercesync.platforms.shared;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.envelope.PrivacyRequestKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How a privacy request names a customer without its personal data: the lower-case hex SHA-256 of the customer's
 * canonical entity key ({@code platform/store/customer/<id>}). The sync-writer finds the customer's rows by the same
 * hash of its {@code entity_key} column (docs/privacy.md). A pseudonym, not an anonymisation: platform ids are guessable.
 */
public final class PrivacyKeys {
    private PrivacyKeys() {}

    public static String customerKeyHash(String platform, String store, String customerId) {
        return sha256Hex(EventKeys.entityKey(platform, store, EntityType.CUSTOMER, customerId));
    }

    /**
     * A privacy request's id, {@code platform/store/<kind in lower case>/<stableId>}: the same for every redelivery
     * of the request when {@code stableId} is (the platform's request, event or notification id).
     */
    public static String requestId(String platform, String store, PrivacyRequestKind kind, String stableId) {
        return platform + "/" + store + "/" + kind.name().toLowerCase(Locale.ROOT) + "/" + stableId;
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
