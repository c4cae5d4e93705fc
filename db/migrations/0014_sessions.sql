-- Issue 18, item 4. Browser sessions (the codec's sign-in; the review desk's): an opaque token of 256
-- random bits, stored as its SHA-256 like an API key's, tied to the key that signed in, short-lived,
-- and ended by a logout or by the key's revocation. The cookie carries the session, never the key.
CREATE TABLE sessions (
    id text PRIMARY KEY,
    token_sha256 text NOT NULL UNIQUE,
    api_key_id text NOT NULL REFERENCES api_keys (id),
    purpose text NOT NULL CHECK (purpose IN ('codec', 'desk')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    ended_at timestamptz
);
CREATE INDEX sessions_api_key ON sessions (api_key_id);

-- A session changes once after it is opened: it is ended (a logout). Who it is for, for what and until
-- when stay as opened, so no one lengthens a session or moves it to another key.
CREATE FUNCTION sessions_end_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.token_sha256, NEW.api_key_id, NEW.purpose, NEW.created_at, NEW.expires_at)
           IS DISTINCT FROM
       (OLD.id, OLD.token_sha256, OLD.api_key_id, OLD.purpose, OLD.created_at, OLD.expires_at)
       OR (OLD.ended_at IS NOT NULL AND NEW.ended_at IS DISTINCT FROM OLD.ended_at) THEN
        RAISE EXCEPTION 'sessions: only a logout may change a session, once (session %)', OLD.id;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER sessions_end_only BEFORE UPDATE ON sessions
    FOR EACH ROW EXECUTE FUNCTION sessions_end_only();
