package dev.commercesync.kafka;

import dev.commercesync.schemas.CommerceTopic;
import dev.commercesync.schemas.canonical.EntityType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The topics the normalizer reads and writes. Production uses {@link #standard()} (the {@link CommerceTopic} names);
 * tests isolate themselves with {@link #withSuffix}.
 */
public record TopicNames(String raw, Map<EntityType, String> canonical, String fetchRequests, String quarantine) {

    public TopicNames {
        Objects.requireNonNull(raw, "raw");
        canonical = Map.copyOf(canonical);
        for (EntityType type : EntityType.values()) {
            if (!canonical.containsKey(type)) {
                throw new IllegalArgumentException("no canonical topic for " + type);
            }
        }
        Objects.requireNonNull(fetchRequests, "fetchRequests");
        Objects.requireNonNull(quarantine, "quarantine");
    }

    public static TopicNames standard() {
        return withSuffix("");
    }

    /** Every {@link CommerceTopic} name followed by {@code suffix}. */
    public static TopicNames withSuffix(String suffix) {
        Map<EntityType, String> canonical = new EnumMap<>(EntityType.class);
        for (EntityType type : EntityType.values()) {
            canonical.put(type, CommerceTopic.forEntityType(type).topicName() + suffix);
        }
        return new TopicNames(
                CommerceTopic.RAW.topicName() + suffix,
                canonical,
                CommerceTopic.FETCH_REQUESTS.topicName() + suffix,
                CommerceTopic.QUARANTINE.topicName() + suffix);
    }

    public String canonical(EntityType type) {
        return canonical.get(type);
    }

    /** Every topic the normalizer writes. */
    public List<String> outputs() {
        List<String> outputs = new ArrayList<>();
        for (EntityType type : EntityType.values()) {
            outputs.add(canonical.get(type));
        }
        outputs.add(fetchRequests);
        outputs.add(quarantine);
        return outputs;
    }
}
