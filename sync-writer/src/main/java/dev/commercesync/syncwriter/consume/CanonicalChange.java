package dev.commercesync.syncwriter.consume;

import dev.commercesync.schemas.canonical.EventMetadata;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.VersionBasis;
import dev.commercesync.syncwriter.errors.PermanentTargetException;
import io.opentelemetry.context.Context;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * One decoded canonical event, where it was read, and the version it carries: what every target applies.
 *
 * @param entity the entity's full state ({@code Order}, {@code Product}, …); null for a DELETE
 * @param version the comparable version (see {@link #of})
 * @param trace the trace context the record carried (its producer's span), the parent of the change's apply span
 */
public record CanonicalChange(
        RecordPosition position,
        EventMetadata metadata,
        SpecificRecord entity,
        BigDecimal version,
        VersionBasis versionBasis,
        Context trace) {

    /** Up to 38 digits: what numeric(38, 0) holds. */
    private static final Pattern NUMERIC_VERSION = Pattern.compile("[0-9]{1,38}");

    /**
     * Validates an event and works out its version: {@code source_version} when it is a non-negative integer (the
     * platform's own revision), otherwise {@code source_updated_at} in epoch milliseconds, and for an event that has
     * neither, {@code received_at}: some platforms' delete notifications, and entities the platform gives no version at
     * all (BigCommerce inventory levels), which arrive read from its API (their webhooks are thin), so a later read saw
     * a later state. One platform's entity always takes the same branch, so versions of one entity compare like with
     * like.
     *
     * @throws PermanentTargetException (VALIDATION) when the event cannot be applied as it is
     */
    public static CanonicalChange of(RecordPosition position, EventMetadata metadata, SpecificRecord entity) {
        return of(position, metadata, entity, Context.root());
    }

    /** As {@link #of(RecordPosition, EventMetadata, SpecificRecord)}, for a record that carried a trace context. */
    public static CanonicalChange of(
            RecordPosition position, EventMetadata metadata, SpecificRecord entity, Context trace) {
        if (metadata.getOperation() == Operation.UPSERT && entity == null) {
            throw PermanentTargetException.validation("UPSERT without an entity");
        }
        if (metadata.getOperation() == Operation.DELETE && entity != null) {
            throw PermanentTargetException.validation("DELETE with an entity");
        }
        String expectedKey = metadata.getPlatform() + "/" + metadata.getStore() + "/"
                + metadata.getEntityType().name().toLowerCase(Locale.ROOT) + "/" + metadata.getEntityId();
        if (!expectedKey.equals(metadata.getEntityKey())) {
            throw PermanentTargetException.validation(
                    "entity_key " + metadata.getEntityKey() + " does not match platform/store/type/id " + expectedKey);
        }
        String sourceVersion = metadata.getSourceVersion();
        if (sourceVersion != null && NUMERIC_VERSION.matcher(sourceVersion).matches()) {
            return new CanonicalChange(
                    position, metadata, entity, new BigDecimal(sourceVersion), VersionBasis.SOURCE_VERSION, trace);
        }
        if (metadata.getSourceUpdatedAt() != null) {
            return new CanonicalChange(
                    position,
                    metadata,
                    entity,
                    BigDecimal.valueOf(metadata.getSourceUpdatedAt().toEpochMilli()),
                    VersionBasis.SOURCE_UPDATED_AT,
                    trace);
        }
        return new CanonicalChange(
                position,
                metadata,
                entity,
                BigDecimal.valueOf(metadata.getReceivedAt().toEpochMilli()),
                VersionBasis.RECEIVED_AT,
                trace);
    }

    public String eventId() {
        return metadata.getEventId();
    }

    public String entityKey() {
        return metadata.getEntityKey();
    }

    public boolean isDelete() {
        return metadata.getOperation() == Operation.DELETE;
    }
}
