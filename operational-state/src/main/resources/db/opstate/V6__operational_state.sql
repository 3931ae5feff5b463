-- The operational state (docs/reliability.md, "Operational state"): per store, entity type (NULL for a store-wide
-- operation) and operation, the last outcome, whether it is retrying or waiting for a person and since when. Written
-- and read by dev.commercesync.stores.ops.OperationalStates: one upsert per outcome; an older outcome never overwrites a
-- newer one.
--
-- One definition, one table per component in the component's own schema: each component's Flyway adds this location
-- to its own (the poller: db/poller,db/opstate into schema poller; the reconciler: db/opstate into schema reconciler).
-- The version is shared by every such component: V6 lies above every migration of the components when it was added
-- (sync-writer's reach V5), so any of them can add this location; their own later migrations take V7 and up, and a
-- later change to this table a version above all of theirs.
CREATE TABLE operational_state (
    platform             TEXT        NOT NULL,
    store_id             TEXT        NOT NULL,
    entity_type          TEXT,
    operation            TEXT        NOT NULL
        CHECK (operation IN ('POLL', 'HYDRATE', 'SUBSCRIBE', 'WRITE', 'COMMAND', 'RECONCILE')),
    last_attempt_at      TIMESTAMPTZ NOT NULL,
    last_success_at      TIMESTAMPTZ,
    error_class          TEXT
        CHECK (error_class IN ('TRANSIENT', 'QUOTA', 'AUTH', 'VALIDATION', 'CONFLICT')),
    last_error           TEXT        CHECK (char_length(last_error) <= 500),
    last_failure_at      TIMESTAMPTZ,
    state                TEXT        NOT NULL CHECK (state IN ('OK', 'RETRYING', 'WAITING_FOR_PERSON')),
    since                TIMESTAMPTZ NOT NULL,
    consecutive_failures INTEGER     NOT NULL DEFAULT 0,
    details              JSONB,
    CONSTRAINT operational_state_key UNIQUE NULLS NOT DISTINCT (platform, store_id, entity_type, operation),
    CONSTRAINT operational_state_error CHECK ((state = 'OK') = (error_class IS NULL))
);
