-- The command journal: one row per command_id the executor received from commerce.commands.v1 (docs/commands.md).
-- It makes execution exactly-once on the platform and the result exactly-one: a redelivered command finds its row;
-- a command that may have reached the platform (IN_FLIGHT, AMBIGUOUS) is read back before it is sent again; a final
-- row whose result is not yet on Kafka (result_published = false) is published by the recovery pass.
CREATE TABLE command_journal (
    command_id            TEXT        PRIMARY KEY,
    -- Order of arrival: the commands of one command_key are executed in this order (the topic's order).
    received_seq          BIGSERIAL   NOT NULL,
    platform              TEXT        NOT NULL,
    store_id              TEXT        NOT NULL,
    command_key           TEXT        NOT NULL,
    kind                  TEXT        NOT NULL,
    -- RECEIVED, IN_FLIGHT (a request is or may be under way), AMBIGUOUS (an attempt failed after it may have been
    -- applied: read back before any retry), APPLIED, REJECTED, EXPIRED, FAILED.
    state                 TEXT        NOT NULL,
    attempts              INTEGER     NOT NULL DEFAULT 0,
    deadline              TIMESTAMPTZ NOT NULL,
    -- Not before this instant (backoff, a store waiting for new credentials).
    next_attempt_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    platform_request_ids  TEXT[]      NOT NULL DEFAULT '{}',
    -- REJECTED/FAILED: the CommandResultReason; FAILED: the SPI's error class of the last failure.
    reason                TEXT,
    last_error_class      TEXT,
    -- The platform's or the executor's error text: names the call and the status, never credentials.
    last_error            TEXT,
    resulting_state       TEXT,
    -- The command as received: Avro JSON of dev.commercesync.schemas.command.Command. Text, not JSONB: that encoding
    -- writes a decimal's bytes (Money.amount) as code points U+0000..U+00FF, and JSONB refuses U+0000 (10.00 is 0x00989680).
    command               TEXT        NOT NULL,
    received_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at          TIMESTAMPTZ,
    result_published      BOOLEAN     NOT NULL DEFAULT false,
    CONSTRAINT command_journal_state CHECK (state IN
        ('RECEIVED', 'IN_FLIGHT', 'AMBIGUOUS', 'APPLIED', 'REJECTED', 'EXPIRED', 'FAILED'))
);

-- The executor's work: the oldest open command of each command_key.
CREATE INDEX command_journal_open ON command_journal (command_key, received_seq)
    WHERE state IN ('RECEIVED', 'IN_FLIGHT', 'AMBIGUOUS');
-- The recovery pass: final rows whose result is not on Kafka yet.
CREATE INDEX command_journal_unpublished ON command_journal (completed_at)
    WHERE result_published = false AND completed_at IS NOT NULL;
