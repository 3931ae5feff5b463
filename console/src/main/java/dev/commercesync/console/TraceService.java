package dev.commercesync.console;

import dev.commercesync.kafka.EntityTrace;
import dev.commercesync.kafka.EntityTrace.Trace;
import dev.commercesync.kafka.PipelineKafka;
import dev.commercesync.schemas.canonical.EntityType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The entity trace for the console's page and API: pipeline-kafka's {@link EntityTrace}, the same code as {@code
 * synctl trace}. Reads Kafka only (bounded by the window), never holding a database connection.
 */
@ApplicationScoped
public class TraceService {
    private static final Logger LOG = Logger.getLogger(TraceService.class);

    private final ConsoleService console;

    public TraceService(ConsoleService console) {
        this.console = console;
    }

    /**
     * A validated trace search.
     *
     * @param entityType null for every entity with the id
     */
    public record Query(String platform, String store, String entityId, EntityType entityType, Instant since) {

        /**
         * @param since an age ({@code 24h}) or an ISO-8601 instant; blank for the last 24 hours
         * @throws IllegalArgumentException with a message for the user when a parameter is missing or malformed
         */
        public static Query parse(String platform, String store, String entityId, String entityType, String since) {
            if (blank(platform) || blank(store) || blank(entityId)) {
                throw new IllegalArgumentException("platform, store and entity_id are required");
            }
            EntityType type = null;
            if (!blank(entityType)) {
                try {
                    type = EntityType.valueOf(entityType.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "entity_type '" + entityType + "' is none of " + List.of(EntityType.values()));
                }
            }
            Instant now = Instant.now();
            Instant from = blank(since) ? now.minus(EntityTrace.DEFAULT_WINDOW) : EntityTrace.parseSince(since, now);
            return new Query(platform.trim(), store.trim(), entityId.trim(), type, from);
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }
    }

    public Trace trace(Query q) {
        long started = System.nanoTime();
        try (PipelineKafka kafka = console.kafka()) {
            Trace trace = new EntityTrace(kafka, console.topicSuffix())
                    .trace(q.platform(), q.store(), q.entityId(), q.entityType(), q.since());
            LOG.infof(
                    "traced %s/%s %s %s since %s: %d steps in %d ms",
                    q.platform(),
                    q.store(),
                    q.entityType() == null ? "any type" : q.entityType(),
                    q.entityId(),
                    q.since(),
                    trace.steps().size(),
                    (System.nanoTime() - started) / 1_000_000);
            return trace;
        }
    }

    /** The ids of the store's orders with this number or customer email (see {@link EntityTrace#findOrders}). */
    public List<String> findOrders(Query q) {
        try (PipelineKafka kafka = console.kafka()) {
            return new EntityTrace(kafka, console.topicSuffix())
                    .findOrders(q.platform(), q.store(), q.entityId(), q.since());
        }
    }
}
