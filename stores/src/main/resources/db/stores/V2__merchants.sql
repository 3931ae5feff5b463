-- Merchants (tenants) and what the shared stock pool needs to know about them (docs/inventory.md).
-- A merchant groups stores: each of its stores is a sales channel that shares one stock pool per SKU.

CREATE TABLE merchant (
    id                      TEXT        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    display_name            TEXT,
    -- Where physical on-hand stock comes from (docs/inventory.md#physical-stock):
    --   the channel (a store of this merchant) designated as the source of physical stock, and
    --   LOCATION: its level at physical_location (or its only level on single-location platforms),
    --   SUM_OF_LOCATIONS: the sum of its levels over every location.
    physical_store          BIGINT,
    physical_mode           TEXT        NOT NULL DEFAULT 'LOCATION'
                                        CHECK (physical_mode IN ('LOCATION', 'SUM_OF_LOCATIONS')),
    physical_location       TEXT,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A store belongs to at most one merchant; a store of no merchant takes no part in any pool.
ALTER TABLE store ADD COLUMN merchant_id TEXT REFERENCES merchant (id) ON DELETE RESTRICT;
CREATE INDEX store_merchant_id ON store (merchant_id);

ALTER TABLE merchant
    ADD CONSTRAINT merchant_physical_store FOREIGN KEY (physical_store) REFERENCES store (id) ON DELETE SET NULL;

-- Items are linked across a merchant's stores by SKU. An explicit link overrides that for one item (a variant, or a
-- product without variants) of one store: its stock belongs to the pool of pool_sku instead of its own SKU.
-- item_id is the item part of the canonical InventoryLevel id (as SetInventoryLevel.item_id).
CREATE TABLE sku_link (
    store_pk    BIGINT      NOT NULL REFERENCES store (id) ON DELETE CASCADE,
    item_id     TEXT        NOT NULL,
    pool_sku    TEXT        NOT NULL CHECK (length(pool_sku) BETWEEN 1 AND 255),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (store_pk, item_id)
);

-- How much of the pool's available stock a channel lists (docs/inventory.md#channel-rules), applied in this order:
--   listed = available - safety_buffer; 0 when available <= zero_at; floor(listed * percentage / 100);
--   at most max_listed; never below 0.
-- location_id: the location a multi-location channel's writes go to (null: the channel's only or default location).
CREATE TABLE channel_rule (
    store_pk        BIGINT      PRIMARY KEY REFERENCES store (id) ON DELETE CASCADE,
    safety_buffer   BIGINT      NOT NULL DEFAULT 0   CHECK (safety_buffer >= 0),
    zero_at         BIGINT                           CHECK (zero_at >= 0),
    percentage      INTEGER     NOT NULL DEFAULT 100 CHECK (percentage BETWEEN 0 AND 100),
    max_listed      BIGINT                           CHECK (max_listed >= 0),
    location_id     TEXT,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
