package dev.commercesync.schemas;

import dev.commercesync.schemas.canonical.CustomerEvent;
import dev.commercesync.schemas.canonical.EntityType;
import dev.commercesync.schemas.canonical.InventoryLevelEvent;
import dev.commercesync.schemas.canonical.OrderEvent;
import dev.commercesync.schemas.canonical.ProductEvent;
import dev.commercesync.schemas.canonical.RefundEvent;
import dev.commercesync.schemas.canonical.ShipmentEvent;
import dev.commercesync.schemas.command.Command;
import dev.commercesync.schemas.command.CommandResult;
import dev.commercesync.schemas.envelope.AppliedChange;
import dev.commercesync.schemas.envelope.FetchDeadLetter;
import dev.commercesync.schemas.envelope.FetchRequest;
import dev.commercesync.schemas.envelope.PrivacyRequest;
import dev.commercesync.schemas.envelope.QuarantineRecord;
import dev.commercesync.schemas.envelope.RawEnvelope;
import dev.commercesync.schemas.envelope.ReconciliationFinding;
import dev.commercesync.schemas.envelope.SyncDeadLetter;
import java.util.Arrays;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schema catalogue: every topic whose values this module defines, with the one record type it carries. Value
 * subjects in the schema registry follow the topic-name strategy ({@code <topic>-value}).
 */
public enum CommerceTopic {
    RAW("commerce.raw.v1", RawEnvelope.class, null),
    ORDERS("commerce.orders.v1", OrderEvent.class, EntityType.ORDER),
    PRODUCTS("commerce.products.v1", ProductEvent.class, EntityType.PRODUCT),
    INVENTORY("commerce.inventory.v1", InventoryLevelEvent.class, EntityType.INVENTORY_LEVEL),
    CUSTOMERS("commerce.customers.v1", CustomerEvent.class, EntityType.CUSTOMER),
    SHIPMENTS("commerce.shipments.v1", ShipmentEvent.class, EntityType.SHIPMENT),
    REFUNDS("commerce.refunds.v1", RefundEvent.class, EntityType.REFUND),
    FETCH_REQUESTS("commerce.fetch-requests.v1", FetchRequest.class, null),
    FETCH_DLQ("commerce.fetch-dlq.v1", FetchDeadLetter.class, null),
    QUARANTINE("commerce.quarantine.v1", QuarantineRecord.class, null),
    APPLIED("commerce.applied.v1", AppliedChange.class, null),
    SYNC_DLQ("commerce.sync-dlq.v1", SyncDeadLetter.class, null),
    RECONCILIATION("commerce.reconciliation.v1", ReconciliationFinding.class, null),
    /** Changes to write to the stores, keyed by {@code metadata.command_key}. */
    COMMANDS("commerce.commands.v1", Command.class, null),
    /** One final outcome per command, keyed like the command. */
    COMMAND_RESULTS("commerce.command-results.v1", CommandResult.class, null),
    /** Platforms' privacy requests (redact a customer or a shop, export a customer's data), keyed by platform/store. */
    PRIVACY("commerce.privacy.v1", PrivacyRequest.class, null);

    private final String topicName;
    private final Class<? extends SpecificRecord> valueType;
    private final EntityType entityType;

    CommerceTopic(String topicName, Class<? extends SpecificRecord> valueType, EntityType entityType) {
        this.topicName = topicName;
        this.valueType = valueType;
        this.entityType = entityType;
    }

    public String topicName() {
        return topicName;
    }

    /** The generated class of the topic's record values. */
    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    public Schema valueSchema() {
        return SpecificData.get().getSchema(valueType);
    }

    /** Registry subject of the value schema under the topic-name strategy. */
    public String valueSubject() {
        return topicName + "-value";
    }

    /** The entity type of a canonical event topic; empty for envelope topics. */
    public Optional<EntityType> entityType() {
        return Optional.ofNullable(entityType);
    }

    public boolean isCanonical() {
        return entityType != null;
    }

    /** The canonical topic that carries events of the given entity type. */
    public static CommerceTopic forEntityType(EntityType type) {
        return Arrays.stream(values())
                .filter(topic -> topic.entityType == type)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no canonical topic for entity type " + type));
    }
}
