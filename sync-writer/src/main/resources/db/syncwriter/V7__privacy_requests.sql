-- Platforms' privacy requests (docs/privacy.md), one row per request, written by PrivacyRequests in the same transaction
-- as the redaction it asks for. No personal data: the customer is named only by the SHA-256 of its canonical entity
-- key, orders by their platform ids. A recorded CUSTOMER_REDACT also keeps the customer redacted: the writer masks the
-- personal data of every later version of their customer, order and shipment rows (PersonalData), and a SHOP_REDACT
-- makes every event the ingest received before it a no-op.
CREATE TABLE syncwriter.privacy_requests (
    request_id        text PRIMARY KEY,
    platform          text NOT NULL,
    store             text NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('CUSTOMER_REDACT', 'CUSTOMER_DATA_REQUEST', 'SHOP_REDACT')),
    customer_key_hash text CHECK (customer_key_hash ~ '^[0-9a-f]{64}$'),
    order_ids         text[] NOT NULL DEFAULT '{}',
    received_at       timestamptz NOT NULL,
    due_at            timestamptz NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    -- When the writer carried it out (redactions); for a data request, when an operator marked the export sent.
    done_at           timestamptz,
    rows_affected     integer
);
CREATE INDEX privacy_requests_store_idx ON syncwriter.privacy_requests (platform, store, kind);
