package dev.commercesync.syncwriter.outbox;

import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.Operation;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.RawRecordRef;
import dev.commercesync.schemas.envelope.VersionBasis;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.apache.kafka.connect.data.Struct;

/** An outbox row as Debezium captured it ({@code after} of an insert) → the applied record. */
final class AppliedChanges {
    private AppliedChanges() {}

    static AppliedChange fromOutboxRow(Struct row) {
        return AppliedChange.newBuilder()
                .setEventId(row.getString("event_id"))
                .setEntityKey(row.getString("entity_key"))
                .setPlatform(row.getString("platform"))
                .setStore(row.getString("store"))
                .setEntityType(EntityType.valueOf(row.getString("entity_type")))
                .setEntityId(row.getString("entity_id"))
                .setOperation(Operation.valueOf(row.getString("operation")))
                .setVersion(row.getString("version"))
                .setVersionBasis(VersionBasis.valueOf(row.getString("version_basis")))
                .setSourceVersion(row.getString("source_version"))
                .setSourceUpdatedAt(instant(row.getString("source_updated_at")))
                .setMappingVersion(row.getString("mapping_version"))
                .setTarget(row.getString("target"))
                .setAppliedAt(instant(row.getString("applied_at")))
                .setEventRef(new RawRecordRef(
                        row.getString("event_topic"), row.getInt32("event_partition"), row.getInt64("event_offset")))
                .build();
    }

    /** Debezium sends timestamptz as an ISO-8601 string with offset (io.debezium.time.ZonedTimestamp). */
    private static Instant instant(String zonedTimestamp) {
        return zonedTimestamp == null
                ? null
                : OffsetDateTime.parse(zonedTimestamp).toInstant();
    }
}
