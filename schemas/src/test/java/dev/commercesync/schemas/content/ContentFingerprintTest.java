package dev.commercesync.schemas.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.commercesync.schemas.canonical.InventoryLevel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Fingerprints are stored (the sync-writer's {@code content_fingerprint}) and compared across versions: the values
 * below were computed by the first implementation, and every later one must give them.
 */
class ContentFingerprintTest {
    private static final long WITH_FIELDS = -2274401753282307201L;
    private static final long WITHOUT_FIELDS = 600240113616866508L;
    private static final long WITH_2000_FIELDS = 4098492971221763493L;

    @Test
    void fingerprintsAreTheOnesStoredBefore() {
        Map<String, String> unsorted = new LinkedHashMap<>();
        unsorted.put("zone", "\"b\"");
        unsorted.put("admin_graphql_api_id", "\"gid://shopify/InventoryLevel/1\"");
        unsorted.put("m", "3");

        assertEquals(WITH_FIELDS, ContentFingerprint.of(level(unsorted)));
        assertEquals(WITH_FIELDS, ContentFingerprint.of(level(new TreeMap<>(unsorted))), "map order is not content");
        assertEquals(WITHOUT_FIELDS, ContentFingerprint.of(level(Map.of())));
    }

    /** One thread's buffer is reused: a large record, then a small one, then one whose write failed half-way. */
    @Test
    void aThreadsEarlierRecordsLeaveNothingBehind() {
        assertEquals(WITH_2000_FIELDS, ContentFingerprint.of(level(manyFields())));
        assertEquals(WITHOUT_FIELDS, ContentFingerprint.of(level(Map.of())));

        Map<String, String> lastValueMissing = manyFields();
        lastValueMissing.put("zz", null); // written last (keys in order), after kilobytes of the others
        InventoryLevel broken = level(lastValueMissing);
        assertThrows(RuntimeException.class, () -> ContentFingerprint.of(broken));
        assertEquals(WITHOUT_FIELDS, ContentFingerprint.of(level(Map.of())));
        assertEquals(WITH_2000_FIELDS, ContentFingerprint.of(level(manyFields())));
    }

    private static Map<String, String> manyFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            fields.put("field_" + (i * 7919 % 2000), "\"" + "x".repeat(50) + i + "\"");
        }
        return fields;
    }

    private static InventoryLevel level(Map<String, String> fields) {
        return InventoryLevel.newBuilder()
                .setId("40001@7001")
                .setInventoryItemId("40001")
                .setSku("SKU-1")
                .setLocationId("7001")
                .setAvailable(12L)
                .setTracked(true)
                .setUpdatedAt(Instant.parse("2026-12-07T10:15:30.123Z"))
                .setPlatformFields(fields)
                .build();
    }
}
