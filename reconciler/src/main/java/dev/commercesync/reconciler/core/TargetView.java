package dev.commercesync.reconciler.core;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The target's side, from the sync-writer's tables: live (not deleted) entities grouped by their applied
 * source_updated_at. Reading it costs no platform API calls.
 */
public interface TargetView {

    /** One applied entity: its key, id, applied source updated-at and the platform's version when it has one. */
    record Entity(String entityKey, String id, Instant sourceUpdatedAt, String sourceVersion) {}

    /** The count of live entities in a range. */
    record Summary(long count) {}

    /** Ids present more than once (under several entity keys) for one store and type. */
    record Duplicate(String id, List<String> entityKeys) {}

    /** One live entity with the fingerprint of its applied content (null for rows applied before fingerprints). */
    record Content(String entityKey, String id, Long fingerprint) {}

    Summary summarize(StoreRef store, EntityType type, Range range);

    /** Every live entity of a store and type with its content fingerprint, whatever its updated-at. */
    List<Content> contents(StoreRef store, EntityType type);

    List<Entity> list(StoreRef store, EntityType type, Range range);

    /** The live entities with these ids, whatever their updated-at. */
    List<Entity> find(StoreRef store, EntityType type, Collection<String> ids);

    List<Duplicate> duplicates(StoreRef store, EntityType type);

    /**
     * Up to {@code parts - 1} whole-second instants strictly inside the range that split the target's entities of the
     * range into about equal parts (quantiles of source_updated_at); empty when the range holds too few to split.
     */
    List<Instant> splitPoints(StoreRef store, EntityType type, Range range, int parts);
}
