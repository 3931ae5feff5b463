package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Every entity of one simulated store at its current version: the truth the API serves, the webhooks describe and
 * the end-to-end checks compare the target with. Thread-safe (one lock per store).
 */
public final class StoreState {
    /** Oldest first by updated-at, then by numeric id: the order the platforms' "changed since" listings use. */
    public static final Comparator<SimEntity> BY_UPDATED_AT =
            Comparator.comparing(SimEntity::updatedAt).thenComparing(SimEntity::id, StoreState::compareIds);

    private final Map<EntityType, Map<String, SimEntity>> entities = new EnumMap<>(EntityType.class);
    /** Ids in creation order, to pick entities reproducibly by index. */
    private final Map<EntityType, List<String>> idsInOrder = new EnumMap<>(EntityType.class);

    /**
     * Per type, the entities by {@link #BY_UPDATED_AT}: ranges of updated-at (listings, counts) are read without
     * scanning or sorting the whole store, so a store of a million entities answers as fast as a small one.
     */
    private final Map<EntityType, TreeMap<IndexKey, SimEntity>> byUpdatedAt = new EnumMap<>(EntityType.class);

    /** Per type of an order's parts (refunds, shipments), their ids by order, in creation order. */
    private final Map<EntityType, Map<String, List<String>>> idsByOrder = new EnumMap<>(EntityType.class);

    /** Notes per order id, oldest first. */
    private final Map<String, List<OrderNote>> notesByOrder = new HashMap<>();

    private long nextNoteId = 1;

    /** Per type, the ids the generated changes leave alone ({@link #reserve}). */
    private final Map<EntityType, Set<String>> reserved = new EnumMap<>(EntityType.class);

    /** An entity's place in {@link #byUpdatedAt}; id {@code ""} sorts before every id of its second. */
    private record IndexKey(Instant updatedAt, String id) {}

    private static final Comparator<IndexKey> INDEX_ORDER =
            Comparator.comparing(IndexKey::updatedAt).thenComparing(IndexKey::id, StoreState::compareIds);

    public synchronized void put(SimEntity entity) {
        Map<String, SimEntity> byId = entities.computeIfAbsent(entity.type(), t -> new HashMap<>());
        SimEntity previous = byId.put(entity.id(), entity);
        TreeMap<IndexKey, SimEntity> index =
                byUpdatedAt.computeIfAbsent(entity.type(), t -> new TreeMap<>(INDEX_ORDER));
        if (previous != null) {
            index.remove(new IndexKey(previous.updatedAt(), previous.id()));
        }
        index.put(new IndexKey(entity.updatedAt(), entity.id()), entity);
        if (previous == null) {
            idsInOrder.computeIfAbsent(entity.type(), t -> new ArrayList<>()).add(entity.id());
            if (entity.parentId() != null) {
                idsByOrder
                        .computeIfAbsent(entity.type(), t -> new HashMap<>())
                        .computeIfAbsent(entity.parentId(), o -> new ArrayList<>())
                        .add(entity.id());
            }
        }
    }

    public synchronized Optional<SimEntity> get(EntityType type, String id) {
        return Optional.ofNullable(entities.getOrDefault(type, Map.of()).get(id));
    }

    public synchronized <T extends SimEntity> Optional<T> get(EntityType type, String id, Class<T> kind) {
        return get(type, id).filter(kind::isInstance).map(kind::cast);
    }

    public synchronized int count(EntityType type) {
        return idsInOrder.getOrDefault(type, List.of()).size();
    }

    /** The entities of a type changed at or after a time, sorted by {@link #BY_UPDATED_AT}. */
    public List<SimEntity> changedSince(EntityType type, Instant since) {
        return changedBetween(type, since, null);
    }

    /**
     * The entities of a type with updated-at in {@code [since, before)} ({@code before} null: no upper bound), sorted
     * by {@link #BY_UPDATED_AT}.
     */
    public synchronized List<SimEntity> changedBetween(EntityType type, Instant since, Instant before) {
        return new ArrayList<>(range(type, since, before).values());
    }

    /** How many entities of a type have updated-at in {@code [since, before)} ({@code before} null: no upper bound). */
    public synchronized int countBetween(EntityType type, Instant since, Instant before) {
        return range(type, since, before).size();
    }

    /**
     * One page of {@link #changedBetween}: at most {@code limit} entities from position {@code offset} (0-based) of
     * the range, without materializing the rest of it.
     */
    public synchronized List<SimEntity> pageBetween(
            EntityType type, Instant since, Instant before, long offset, int limit) {
        List<SimEntity> result = new ArrayList<>(Math.max(0, Math.min(limit, 1000)));
        long position = 0;
        for (SimEntity entity : range(type, since, before).values()) {
            if (result.size() >= limit) {
                break;
            }
            if (position++ >= offset) {
                result.add(entity);
            }
        }
        return result;
    }

    private NavigableMap<IndexKey, SimEntity> range(EntityType type, Instant since, Instant before) {
        TreeMap<IndexKey, SimEntity> index = byUpdatedAt.get(type);
        if (index == null || (before != null && !before.isAfter(since))) {
            return new TreeMap<>(INDEX_ORDER);
        }
        IndexKey from = new IndexKey(since, "");
        return before == null ? index.tailMap(from, true) : index.subMap(from, true, new IndexKey(before, ""), false);
    }

    /** All entities of a type by ascending numeric id. */
    public synchronized List<SimEntity> all(EntityType type) {
        List<SimEntity> result =
                new ArrayList<>(entities.getOrDefault(type, Map.of()).values());
        result.sort(Comparator.comparing(SimEntity::id, StoreState::compareIds));
        return result;
    }

    public List<Refund> refundsOf(String orderId) {
        return partsOf(EntityType.REFUND, orderId, Refund.class);
    }

    /** An order's shipments, oldest first; shipments changed since a time are {@code changedSince(SHIPMENT, t)}. */
    public List<Shipment> shipmentsOf(String orderId) {
        return partsOf(EntityType.SHIPMENT, orderId, Shipment.class);
    }

    private synchronized <T extends SimEntity> List<T> partsOf(EntityType type, String orderId, Class<T> kind) {
        List<T> result = new ArrayList<>();
        for (String id : idsByOrder.getOrDefault(type, Map.of()).getOrDefault(orderId, List.of())) {
            result.add(kind.cast(entities.get(type).get(id)));
        }
        return result;
    }

    /** Adds a note to an order (no version change: notes are not part of the order's state). */
    public synchronized OrderNote addNote(String orderId, String note, boolean customerNote, Instant at) {
        List<OrderNote> notes = notesByOrder.computeIfAbsent(orderId, o -> new ArrayList<>());
        OrderNote added = new OrderNote(Long.toString(nextNoteId++), orderId, note, customerNote, at);
        notes.add(added);
        return added;
    }

    /** An order's notes, oldest first. */
    public synchronized List<OrderNote> notesOf(String orderId) {
        return List.copyOf(notesByOrder.getOrDefault(orderId, List.of()));
    }

    /**
     * Keeps an entity out of the generated changes from now on (a driver's writes own it, so that their effect stays
     * checkable): {@link #randomRecentId} never picks it, nor a shipment of a reserved order.
     */
    public synchronized void reserve(EntityType type, String id) {
        reserved.computeIfAbsent(type, t -> new HashSet<>()).add(id);
    }

    /** Whether {@link #reserve} kept the entity out of the generated changes. */
    public synchronized boolean reserved(EntityType type, String id) {
        return reserved.getOrDefault(type, Set.of()).contains(id);
    }

    /** A random id among the {@code window} most recently created entities of a type; empty when there are none. */
    synchronized Optional<String> randomRecentId(EntityType type, int window, SplittableRandom random) {
        List<String> ids = idsInOrder.getOrDefault(type, List.of());
        Set<String> held = reserved.getOrDefault(type, Set.of());
        if (!held.isEmpty()) {
            ids = ids.stream().filter(id -> !held.contains(id)).toList();
        }
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        int from = Math.max(0, ids.size() - window);
        return Optional.of(ids.get(from + random.nextInt(ids.size() - from)));
    }

    /** Numeric ids compare as numbers (shorter first), anything else as text. */
    public static int compareIds(String a, String b) {
        if (a.length() != b.length()
                && a.chars().allMatch(Character::isDigit)
                && b.chars().allMatch(Character::isDigit)) {
            return Integer.compare(a.length(), b.length());
        }
        return a.compareTo(b);
    }
}
