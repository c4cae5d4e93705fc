-- Review and withdrawal requests sent with an Idempotency-Key: the same key and body again answer the
-- first outcome; the same key with another request is refused. Scoped to the API key that sent it.
CREATE TABLE api_update_requests (
    api_key_id      text NOT NULL REFERENCES api_keys (id),
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    application_id  uuid NOT NULL,
    update_name     text NOT NULL,
    body_sha256     char(64) NOT NULL,
    answer          jsonb,  -- NULL until the first request was answered with an outcome
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (api_key_id, idempotency_key)
);
