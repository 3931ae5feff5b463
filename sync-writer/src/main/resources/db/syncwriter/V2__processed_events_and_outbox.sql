-- Bookkeeping of the sync-writer itself, apart from the target tables.

-- One row per canonical event the writer has handled (applied, or found stale), written in the same transaction as
-- the target change: a redelivered event finds its row and is a no-op. Dead-lettered events have none, so a replay
-- after a fix applies them. Keyed by event id and mapping version: a replay after a mapping fix re-sends the same
-- event ids under a new mapping version, and those must reach the target.
CREATE TABLE syncwriter.processed_events (
    event_id        text NOT NULL,
    mapping_version text NOT NULL,
    entity_key   text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('APPLIED', 'STALE')),
    topic        text NOT NULL,
    "partition"  int NOT NULL,
    "offset"     bigint NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, mapping_version)
);
CREATE INDEX processed_events_processed_at_idx ON syncwriter.processed_events (processed_at);

-- The transactional outbox: one row per applied change, inserted (and deleted again) in the target's transaction.
-- Debezium reads the inserts from the WAL through the publication below and the relay produces them to
-- commerce.applied.v1; the table itself stays empty.
CREATE TABLE syncwriter.outbox (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id          text NOT NULL,
    entity_key        text NOT NULL,
    platform          text NOT NULL,
    store             text NOT NULL,
    entity_type       text NOT NULL,
    entity_id         text NOT NULL,
    operation         text NOT NULL,
    version           text NOT NULL,
    version_basis     text NOT NULL,
    source_version    text,
    source_updated_at timestamptz,
    mapping_version   text NOT NULL,
    target            text NOT NULL,
    applied_at        timestamptz NOT NULL,
    event_topic       text NOT NULL,
    event_partition   int NOT NULL,
    event_offset      bigint NOT NULL
);
