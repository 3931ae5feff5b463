package dev.commercesync.platforms.shared;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.RawEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Entity keys, dedup keys and event ids of canonical events: one definition for every platform. */
public final class EventKeys {
    /**
     * Longest entity id (and parent id), in characters: 255. Platform ids are at most 20 digits, composite ids
     * ({@code <item>@<location>}) about 41 characters, Magento SKUs 64; the id becomes part of the Kafka key and of
     * the target's primary key ({@code entity_key}), whose B-tree entries PostgreSQL limits to about 2.7 kB.
     */
    public static final int MAX_ENTITY_ID_LENGTH = 255;

    private EventKeys() {}

    /** {@code platform/store/type/id}, type the lower-case EntityType (the Kafka key of canonical events). */
    public static String entityKey(String platform, String store, EntityType type, String entityId) {
        return platform + "/" + store + "/" + type.name().toLowerCase(Locale.ROOT) + "/" + entityId;
    }

    /**
     * Dedup key from the platform's own event id (stable across redeliveries), scoped to platform and store so that
     * ids of different platforms or stores cannot collide: {@code platform/store/event/<id>}.
     */
    public static String fromPlatformEventId(String platform, String store, String platformEventId) {
        return platform + "/" + store + "/event/" + platformEventId;
    }

    /**
     * Dedup key computed from the entity and its source updated-at, for platforms without a stable event id: {@code
     * platform/store/type/id@<updated-at ISO-8601>}. Without an updated-at (delete notifications) the operation stands
     * in for it ({@code @delete}), so redeliveries of one delete share a key.
     */
    public static String computed(
            String platform, String store, EntityType type, String entityId, Instant sourceUpdatedAt, Operation op) {
        String version =
                sourceUpdatedAt != null ? sourceUpdatedAt.toString() : op.name().toLowerCase(Locale.ROOT);
        return entityKey(platform, store, type, entityId) + "@" + version;
    }

    /**
     * Dedup key of a fetched entity that has no updated-at (Magento source items, BigCommerce inventory items): {@code
     * platform/store/type/id@read:<received_at ISO-8601>}, the moment the poller read it. Such an entity's version is
     * the read itself (the sync-writer orders it by {@code received_at}): a redelivery of the same record
     * deduplicates, every new read is a new event. Not the content: a level that returns to an earlier state (5, then
     * 0, then 5 again) would share the first read's key, so the later read would be dropped as a duplicate by the
     * normalizer and the sync-writer and the target would keep the state in between, even after a repair.
     */
    public static String readAt(String platform, String store, EntityType type, String entityId, Instant readAt) {
        return entityKey(platform, store, type, entityId) + "@read:" + readAt;
    }

    /**
     * The dedup key of a raw record: from its platform event id when the envelope has one, otherwise computed.
     */
    public static String dedupKey(
            RawEnvelope envelope, EntityType type, String entityId, Instant sourceUpdatedAt, Operation op) {
        String platformEventId = envelope.getPlatformEventId();
        if (platformEventId != null && !platformEventId.isBlank()) {
            return fromPlatformEventId(envelope.getPlatform(), envelope.getStore(), platformEventId);
        }
        return computed(envelope.getPlatform(), envelope.getStore(), type, entityId, sourceUpdatedAt, op);
    }

    /** The event id: a name-based (type 3) UUID of the dedup key's UTF-8 bytes, so it is deterministic. */
    public static String eventId(String dedupKey) {
        return UUID.nameUUIDFromBytes(dedupKey.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
