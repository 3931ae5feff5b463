package dev.commercesync.simulator.model;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

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

    private final Map<String, List<String>> refundIdsByOrder = new HashMap<>();

    public synchronized void put(SimEntity entity) {
        Map<String, SimEntity> byId = entities.computeIfAbsent(entity.type(), t -> new HashMap<>());
        if (byId.put(entity.id(), entity) == null) {
            idsInOrder.computeIfAbsent(entity.type(), t -> new ArrayList<>()).add(entity.id());
            if (entity instanceof Refund refund) {
                refundIdsByOrder
                        .computeIfAbsent(refund.orderId(), o -> new ArrayList<>())
                        .add(refund.id());
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
        List<SimEntity> result = new ArrayList<>();
        for (SimEntity entity : entities.getOrDefault(type, Map.of()).values()) {
            if (!entity.updatedAt().isBefore(since)
                    && (before == null || entity.updatedAt().isBefore(before))) {
                result.add(entity);
            }
        }
        result.sort(BY_UPDATED_AT);
        return result;
    }

    /** All entities of a type by ascending numeric id. */
    public synchronized List<SimEntity> all(EntityType type) {
        List<SimEntity> result =
                new ArrayList<>(entities.getOrDefault(type, Map.of()).values());
        result.sort(Comparator.comparing(SimEntity::id, StoreState::compareIds));
        return result;
    }

    public synchronized List<Refund> refundsOf(String orderId) {
        List<Refund> result = new ArrayList<>();
        for (String id : refundIdsByOrder.getOrDefault(orderId, List.of())) {
            result.add((Refund) entities.get(EntityType.REFUND).get(id));
        }
        return result;
    }

    /** A random id among the {@code window} most recently created entities of a type; empty when there are none. */
    synchronized Optional<String> randomRecentId(EntityType type, int window, SplittableRandom random) {
        List<String> ids = idsInOrder.getOrDefault(type, List.of());
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
