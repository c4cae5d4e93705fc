-- Issue 19. The review desk: the reviewer sees the applicant beside each registered candidate, and
-- every such read of personal data is recorded; with four eyes on, a `different_person` verdict waits
-- for a second reviewer's key.

-- Who read which application's comparison, when, and through what (the API, the desk's page).
-- Append-only like the audit: the service role may insert and read, never change or remove a row,
-- and a trigger refuses UPDATE, DELETE and TRUNCATE to everyone (the owner can disable it; the
-- archive's hash chain then still holds the rows of every ended application, db/archive.py).
CREATE TABLE review_access_log (
    id             bigserial PRIMARY KEY,
    application_id uuid NOT NULL,
    api_key_id     text NOT NULL REFERENCES api_keys (id),
    session_id     text REFERENCES sessions (id),  -- the desk's sign-in the read came through; NULL over the API
    via            text NOT NULL CHECK (via IN ('api', 'desk')),
    at             timestamptz NOT NULL
);
CREATE INDEX review_access_log_application ON review_access_log (application_id, id);
CREATE INDEX review_access_log_at ON review_access_log (at, id);
CREATE TRIGGER review_access_log_append_only BEFORE UPDATE OR DELETE ON review_access_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER review_access_log_no_truncate BEFORE TRUNCATE ON review_access_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Four eyes (REVIEW_FOUR_EYES): the first reviewer's `different_person`, kept outside the workflow
-- until a second, different key agrees; the workflow then gets one verdict naming both. One approval
-- per key and application: the same key sending again is never a second pair of eyes.
CREATE TABLE review_approvals (
    application_id uuid NOT NULL,
    api_key_id     text NOT NULL REFERENCES api_keys (id),
    officer_id     text NOT NULL,
    verdict        text NOT NULL CHECK (verdict IN ('different_person')),
    note           text,
    approved_at    timestamptz NOT NULL,
    PRIMARY KEY (application_id, api_key_id)
);
CREATE TRIGGER review_approvals_append_only BEFORE UPDATE OR DELETE ON review_approvals
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER review_approvals_no_truncate BEFORE TRUNCATE ON review_approvals
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- What the comparison shows of a registered person beyond the match fields: the name in its own
-- script, and each document's kind and dates. NULL for people registered before this migration and
-- for imported holders (the extract's file has no such columns).
ALTER TABLE people ADD COLUMN native_name text;
ALTER TABLE person_documents ADD COLUMN kind text;
ALTER TABLE person_documents ADD COLUMN issued_on date;
ALTER TABLE person_documents ADD COLUMN expires_on date;

-- The archive keeps an application's access log beside its history: the rows as canonical JSON and
-- their SHA-256, which the row hash covers (rows archived before this migration have neither).
ALTER TABLE history_archive ADD COLUMN access_log bytea;
ALTER TABLE history_archive ADD COLUMN access_log_sha256 char(64);

GRANT SELECT, INSERT ON review_access_log, review_approvals TO iin_service;
GRANT USAGE ON SEQUENCE review_access_log_id_seq TO iin_service;
