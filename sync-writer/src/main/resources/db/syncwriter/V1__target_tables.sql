-- The target: one table per canonical entity type, the entity's full canonical JSON in data (null for a tombstone),
-- the columns queries need beside it, and the applied version. Rows are never physically deleted by a DELETE event:
-- they become tombstones (deleted = true) that keep their version, so a late, older upsert cannot resurrect them.
CREATE SCHEMA IF NOT EXISTS target;

CREATE TABLE target.orders (
    entity_key        text PRIMARY KEY,
    platform          text NOT NULL,
    store             text NOT NULL,
    entity_type       text NOT NULL CHECK (entity_type = 'ORDER'),
    entity_id         text NOT NULL,
    version           numeric(38, 0) NOT NULL,
    version_basis     text NOT NULL,
    source_version    text,
    source_updated_at timestamptz,
    deleted           boolean NOT NULL DEFAULT false,
    event_id          text NOT NULL,
    mapping_version   text NOT NULL,
    applied_at        timestamptz NOT NULL,
    data              jsonb,
    number             text,
    status             text,
    payment_status     text,
    fulfillment_status text,
    currency           text CHECK (char_length(currency) = 3),
    total_amount       numeric(24, 6),
    customer_id        text,
    placed_at          timestamptz
);
CREATE INDEX orders_store_idx ON target.orders (platform, store, entity_id) INCLUDE (version, deleted);
CREATE INDEX orders_updated_idx ON target.orders (platform, store, source_updated_at);

CREATE TABLE target.products (
    entity_key        text PRIMARY KEY,
    platform          text NOT NULL,
    store             text NOT NULL,
    entity_type       text NOT NULL CHECK (entity_type = 'PRODUCT'),
    entity_id         text NOT NULL,
    version           numeric(38, 0) NOT NULL,
    version_basis     text NOT NULL,
    source_version    text,
    source_updated_at timestamptz,
    deleted           boolean NOT NULL DEFAULT false,
    event_id          text NOT NULL,
    mapping_version   text NOT NULL,
    applied_at        timestamptz NOT NULL,
    data              jsonb,
    title        text,
    handle       text,
    status       text,
    vendor       text,
    product_type text
);
CREATE INDEX products_store_idx ON target.products (platform, store, entity_id) INCLUDE (version, deleted);
CREATE INDEX products_updated_idx ON target.products (platform, store, source_updated_at);

CREATE TABLE target.inventory_levels (
    entity_key        text PRIMARY KEY,
    platform          text NOT NULL,
    store             text NOT NULL,
    entity_type       text NOT NULL CHECK (entity_type = 'INVENTORY_LEVEL'),
    entity_id         text NOT NULL,
    version           numeric(38, 0) NOT NULL,
    version_basis     text NOT NULL,
    source_version    text,
    source_updated_at timestamptz,
    deleted           boolean NOT NULL DEFAULT false,
    event_id          text NOT NULL,
    mapping_version   text NOT NULL,
    applied_at        timestamptz NOT NULL,
    data              jsonb,
    inventory_item_id text,
    variant_id        text,
    sku               text,
    location_id       text,
    available         bigint,
    reserved          bigint,
    on_hand           bigint
);
CREATE INDEX inventory_levels_store_idx ON target.inventory_levels (platform, store, entity_id) INCLUDE (version, deleted);
CREATE INDEX inventory_levels_updated_idx ON target.inventory_levels (platform, store, source_updated_at);

CREATE TABLE target.customers (
    entity_key        text PRIMARY KEY,
    platform          text NOT NULL,
    store             text NOT NULL,
    entity_type       text NOT NULL CHECK (entity_type = 'CUSTOMER'),
    entity_id         text NOT NULL,
    version           numeric(38, 0) NOT NULL,
    version_basis     text NOT NULL,
    source_version    text,
    source_updated_at timestamptz,
    deleted           boolean NOT NULL DEFAULT false,
    event_id          text NOT NULL,
    mapping_version   text NOT NULL,
    applied_at        timestamptz NOT NULL,
    data              jsonb,
    email        text,
    first_name   text,
    last_name    text,
    orders_count bigint
);
CREATE INDEX customers_store_idx ON target.customers (platform, store, entity_id) INCLUDE (version, deleted);
CREATE INDEX customers_updated_idx ON target.customers (platform, store, source_updated_at);

CREATE TABLE target.shipments (
    entity_key        text PRIMARY KEY,
    platform          text NOT NULL,
    store             text NOT NULL,
    entity_type       text NOT NULL CHECK (entity_type = 'SHIPMENT'),
    entity_id         text NOT NULL,
    version           numeric(38, 0) NOT NULL,
    version_basis     text NOT NULL,
    source_version    text,
    source_updated_at timestamptz,
    deleted           boolean NOT NULL DEFAULT false,
    event_id          text NOT NULL,
    mapping_version   text NOT NULL,
    applied_at        timestamptz NOT NULL,
    data              jsonb,
    order_id         text,
    status           text,
    carrier          text,
    tracking_numbers text[]
);
CREATE INDEX shipments_store_idx ON target.shipments (platform, store, entity_id) INCLUDE (version, deleted);
CREATE INDEX shipments_updated_idx ON target.shipments (platform, store, source_updated_at);

CREATE TABLE target.refunds (
    entity_key        text PRIMARY KEY,
    platform          text NOT NULL,
    store             text NOT NULL,
    entity_type       text NOT NULL CHECK (entity_type = 'REFUND'),
    entity_id         text NOT NULL,
    version           numeric(38, 0) NOT NULL,
    version_basis     text NOT NULL,
    source_version    text,
    source_updated_at timestamptz,
    deleted           boolean NOT NULL DEFAULT false,
    event_id          text NOT NULL,
    mapping_version   text NOT NULL,
    applied_at        timestamptz NOT NULL,
    data              jsonb,
    order_id text,
    amount   numeric(24, 6),
    currency text CHECK (char_length(currency) = 3)
);
CREATE INDEX refunds_store_idx ON target.refunds (platform, store, entity_id) INCLUDE (version, deleted);
CREATE INDEX refunds_updated_idx ON target.refunds (platform, store, source_updated_at);

-- Children of an order and of a product: replaced as a whole with their parent's newer version.
CREATE TABLE target.order_lines (
    order_key   text NOT NULL REFERENCES target.orders (entity_key) ON DELETE CASCADE,
    line_id     text NOT NULL,
    position    int NOT NULL,
    product_id  text,
    variant_id  text,
    sku         text,
    name        text NOT NULL,
    quantity    bigint NOT NULL,
    unit_price  numeric(24, 6) NOT NULL,
    currency    text NOT NULL CHECK (char_length(currency) = 3),
    total       numeric(24, 6),
    PRIMARY KEY (order_key, line_id)
);
CREATE INDEX order_lines_sku_idx ON target.order_lines (sku);

CREATE TABLE target.product_variants (
    product_key       text NOT NULL REFERENCES target.products (entity_key) ON DELETE CASCADE,
    variant_id        text NOT NULL,
    position          int NOT NULL,
    sku               text,
    barcode           text,
    title             text,
    price             numeric(24, 6),
    currency          text CHECK (char_length(currency) = 3),
    inventory_item_id text,
    PRIMARY KEY (product_key, variant_id)
);
CREATE INDEX product_variants_sku_idx ON target.product_variants (sku);

-- The reconciler's view of the target: per store and entity type, ids and the applied version.
CREATE VIEW target.entity_versions AS
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at FROM target.orders
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at FROM target.products
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at FROM target.inventory_levels
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at FROM target.customers
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at FROM target.shipments
    UNION ALL
    SELECT platform, store, entity_type, entity_id, entity_key, version, version_basis, source_version,
           source_updated_at, deleted, applied_at FROM target.refunds;
