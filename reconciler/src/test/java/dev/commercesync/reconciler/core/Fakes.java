package dev.commercesync.reconciler.core;

import dev.commercesync.schemas.canonical.EntityType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** In-memory platform and target with the cost model of a real platform: a count is one request, a page another. */
final class Fakes {
    private Fakes() {}

    static final class Platform implements PlatformView {
        final Map<String, Instant> entities = new LinkedHashMap<>();
        /** Entities listed with a parent (refunds under their order). */
        final Map<String, String> parents = new LinkedHashMap<>();

        final int pageSize;
        int countRequests;
        int listRequests;

        Platform(int pageSize) {
            this.pageSize = pageSize;
        }

        @Override
        public Listable listable(String platform) {
            return new Listable(Set.of(EntityType.values()), Set.of());
        }

        @Override
        public Count count(StoreRef store, EntityType type, Range range) {
            countRequests++;
            return new Count(entities.values().stream().filter(range::contains).count(), 1);
        }

        @Override
        public Listing list(StoreRef store, EntityType type, Range range) {
            List<Entity> listed = entities.entrySet().stream()
                    .filter(e -> range.contains(e.getValue()))
                    .map(e -> new Entity(e.getKey(), e.getValue(), parents.get(e.getKey())))
                    .toList();
            int pages = Math.max(1, (listed.size() + pageSize - 1) / pageSize);
            listRequests += pages;
            return new Listing(listed, pages);
        }

        /** Snapshot listing: id → content fingerprint (types listed without updated-at). */
        final Map<String, Long> contents = new LinkedHashMap<>();

        @Override
        public Snapshot snapshot(StoreRef store, EntityType type) {
            int pages = Math.max(1, (contents.size() + pageSize - 1) / pageSize);
            listRequests += pages;
            return new Snapshot(
                    contents.entrySet().stream()
                            .map(e -> new SnapshotEntity(e.getKey(), e.getValue()))
                            .toList(),
                    pages);
        }

        /** What listing the whole window page by page would cost. */
        int fullListingCost() {
            return Math.max(1, (entities.size() + pageSize - 1) / pageSize);
        }
    }

    static final class Target implements TargetView {
        final List<Entity> rows = new ArrayList<>();
        /** Content fingerprint per entity key (absent: none stored). */
        final Map<String, Long> fingerprints = new java.util.HashMap<>();

        /** A row without updated-at and with content (a level of a platform that gives levels no updated-at). */
        void putContent(String key, String id, long fingerprint) {
            rows.add(new Entity(key, id, null, null));
            fingerprints.put(key, fingerprint);
        }

        @Override
        public List<Content> contents(StoreRef store, EntityType type) {
            return rows.stream()
                    .map(r -> new Content(r.entityKey(), r.id(), fingerprints.get(r.entityKey())))
                    .toList();
        }

        void put(String id, Instant at) {
            rows.add(new Entity("p/s/order/" + id, id, at, null));
        }

        void remove(String id) {
            rows.removeIf(r -> r.id().equals(id));
        }

        void set(String id, Instant at) {
            remove(id);
            put(id, at);
        }

        private List<Entity> in(Range range) {
            return rows.stream()
                    .filter(r -> r.sourceUpdatedAt() != null && range.contains(r.sourceUpdatedAt()))
                    .toList();
        }

        @Override
        public Summary summarize(StoreRef store, EntityType type, Range range) {
            List<Entity> in = in(range);
            return new Summary(in.size());
        }

        @Override
        public List<Entity> list(StoreRef store, EntityType type, Range range) {
            return in(range);
        }

        @Override
        public List<Entity> find(StoreRef store, EntityType type, Collection<String> ids) {
            Set<String> wanted = new HashSet<>(ids);
            return rows.stream().filter(r -> wanted.contains(r.id())).toList();
        }

        @Override
        public List<Duplicate> duplicates(StoreRef store, EntityType type) {
            return rows.stream()
                    .collect(Collectors.groupingBy(Entity::id, LinkedHashMap::new, Collectors.toList()))
                    .entrySet()
                    .stream()
                    .filter(e -> e.getValue().size() > 1)
                    .map(e -> new Duplicate(
                            e.getKey(),
                            e.getValue().stream().map(Entity::entityKey).toList()))
                    .toList();
        }

        @Override
        public List<Instant> splitPoints(StoreRef store, EntityType type, Range range, int parts) {
            List<Instant> sorted = in(range).stream()
                    .map(Entity::sourceUpdatedAt)
                    .sorted(Comparator.naturalOrder())
                    .toList();
            List<Instant> points = new ArrayList<>();
            for (int i = 1; i < parts && sorted.size() >= parts; i++) {
                points.add(sorted.get(i * sorted.size() / parts).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
            return points;
        }
    }
}
