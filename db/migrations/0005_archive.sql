-- The history archive: every ended application's workflow history, kept after Temporal's retention
-- deletes it, as a hash chain an auditor can verify (`iin archive verify`, db/archive.py).
--
-- history holds the history exactly as fetched from Temporal (proto3 JSON, UTF-8), payloads still
-- sealed by the codec: the archive holds no readable personal data, and what is replayed is
-- byte for byte what ran. history_sha256 is the SHA-256 of those bytes; row_hash is the SHA-256 of
-- the row's fields and prev_hash, the row_hash of the row before it (64 zeros for the first row).
-- prev_application_id names that row, so a removed row is named by the row after it.
-- Appends are serialized by an advisory lock (db/archive.py), so seq order is chain order.
CREATE TABLE history_archive (
    seq                 bigserial PRIMARY KEY,
    application_id      uuid NOT NULL UNIQUE,
    workflow_id         text NOT NULL,
    run_id              text NOT NULL,
    state               text NOT NULL,
    closed_at           timestamptz NOT NULL,
    history             bytea NOT NULL,
    history_sha256      char(64) NOT NULL,
    prev_application_id uuid,
    prev_hash           char(64) NOT NULL,
    row_hash            char(64) NOT NULL UNIQUE,
    archived_at         timestamptz NOT NULL DEFAULT now()
);
-- `iin replay --archive --since DATE`: the applications closed in a range.
CREATE INDEX history_archive_closed_at ON history_archive (closed_at);

-- Written once: the owner can still disable the triggers, which is what the chain is for.
CREATE TRIGGER history_archive_append_only BEFORE UPDATE OR DELETE ON history_archive
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER history_archive_no_truncate BEFORE TRUNCATE ON history_archive
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
