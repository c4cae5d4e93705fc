-- API keys of backend services: stored as the SHA-256 of the token, bound to one establishment or to the
-- operator role, revoked by date and never deleted (a key's history stays auditable).
CREATE TABLE api_keys (
    id               text PRIMARY KEY,
    token_sha256     char(64) NOT NULL UNIQUE,
    establishment_id text,  -- checked against the reference data at creation; no FK, data reloads may drop rows
    operator         boolean NOT NULL DEFAULT false,
    label            text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz,
    CHECK (operator = (establishment_id IS NULL))
);
CREATE TRIGGER api_keys_never_deleted BEFORE DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER api_keys_no_truncate BEFORE TRUNCATE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Applications received through the API: the digest of the canonical body makes POST idempotent
-- (the same body again finds the application; another body under the same id is a conflict).
CREATE TABLE api_submissions (
    application_id   uuid PRIMARY KEY,
    establishment_id text NOT NULL,
    body_sha256      char(64) NOT NULL,
    api_key_id       text NOT NULL REFERENCES api_keys (id),
    received_at      timestamptz NOT NULL DEFAULT now()
);

-- The certificate's PDF beside the content it is rendered from; sha256 is now the PDF's digest.
-- Rows issued before this migration keep their JSON digest and have no PDF.
ALTER TABLE certificates ADD COLUMN pdf bytea;
ALTER TABLE certificates ADD COLUMN revoked_at timestamptz;
ALTER TABLE certificates ADD COLUMN revocation_reason text;

-- Rejection notices: one per rejected application, its PDF and the SHA-256 the workflow keeps.
CREATE TABLE rejection_notices (
    number         text PRIMARY KEY,
    application_id uuid NOT NULL UNIQUE,
    issued_at      timestamptz NOT NULL,
    sha256         char(64) NOT NULL,
    content        jsonb NOT NULL,
    pdf            bytea NOT NULL
);

-- Listing pages through the projection newest first, with or without an establishment.
CREATE INDEX applications_submitted_id ON applications (submitted_at DESC, application_id DESC);
