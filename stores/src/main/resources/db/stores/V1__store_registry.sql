-- The store registry. Secrets and API credentials are stored encrypted (AES-256-GCM, see SecretCipher):
-- the columns hold "v1:" + base64(nonce || ciphertext || tag), never a plaintext value.
CREATE TABLE store (
    id                          BIGSERIAL PRIMARY KEY,
    platform                    TEXT        NOT NULL,
    store_id                    TEXT        NOT NULL,
    display_name                TEXT,
    api_base_url                TEXT,
    webhook_secret              TEXT        NOT NULL,
    previous_webhook_secret     TEXT,
    previous_secret_valid_until TIMESTAMPTZ,
    api_credentials             TEXT,
    enabled                     BOOLEAN     NOT NULL DEFAULT TRUE,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT store_platform_store_id UNIQUE (platform, store_id)
);
