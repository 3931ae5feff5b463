-- The install flow's state nonces (docs/install.md): one row per install started, deleted when its callback uses it
-- (single use) or when it expired. Only a SHA-256 of the nonce is kept, so a database reader cannot complete an
-- install in progress. V7: the history of this schema also holds db/opstate's V6.
CREATE TABLE install_state (
    state_hash  TEXT        PRIMARY KEY,
    platform    TEXT        NOT NULL,
    store_id    TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX install_state_expires_at ON install_state (expires_at);
