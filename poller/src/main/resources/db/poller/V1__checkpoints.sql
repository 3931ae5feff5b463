-- The poller's checkpoints: per store x resource, the updated-at up to which every entity is on Kafka.
-- A run lists from (cursor_at - overlap); cursor_at only moves forward, and only after Kafka acknowledged the records.
CREATE TABLE checkpoint (
    platform        TEXT        NOT NULL,
    store_id        TEXT        NOT NULL,
    entity_type     TEXT        NOT NULL,
    cursor_at       TIMESTAMPTZ,
    last_success_at TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, store_id, entity_type)
);
