-- The fingerprint of each applied entity's canonical content (dev.commercesync.platforms.ContentFingerprint, CRC-64-AVRO
-- of its Avro binary form): what the reconciler compares for entity types a platform lists without any updated-at
-- (BigCommerce inventory levels), against the same fingerprint the poller computes from the platform's snapshot.
-- Nullable and without a rewrite: rows applied before this version stay NULL until they are applied again (the
-- reconciler reports them as stale and the repair refetches them). Tombstones have none.
ALTER TABLE target.orders ADD COLUMN content_fingerprint bigint;
ALTER TABLE target.products ADD COLUMN content_fingerprint bigint;
ALTER TABLE target.inventory_levels ADD COLUMN content_fingerprint bigint;
ALTER TABLE target.customers ADD COLUMN content_fingerprint bigint;
ALTER TABLE target.shipments ADD COLUMN content_fingerprint bigint;
ALTER TABLE target.refunds ADD COLUMN content_fingerprint bigint;

CREATE OR REPLACE VIEW target.entity_versions AS
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at, content_fingerprint FROM target.orders
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at, content_fingerprint FROM target.products
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at, content_fingerprint FROM target.inventory_levels
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at, content_fingerprint FROM target.customers
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at, content_fingerprint FROM target.shipments
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at, content_fingerprint FROM target.refunds;
