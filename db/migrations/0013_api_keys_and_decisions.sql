-- Issue 18. The reviewer role: keys of the register's staff, who decide probable duplicates; an
-- establishment's key may no longer clear its own. A key is exactly one of: bound to an establishment,
-- the operator role, the reviewer role.
ALTER TABLE api_keys ADD COLUMN reviewer boolean NOT NULL DEFAULT false;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_one_role
    CHECK ((establishment_id IS NOT NULL)::int + operator::int + reviewer::int = 1);

-- A key changes once after its creation: it is revoked. The role, the establishment and the token stay
-- as created, and a revocation can be neither undone nor moved (`UPDATE api_keys SET revoked_at = NULL`
-- would bring a withdrawn key back to life; `SET operator = true` would widen what it may do).
CREATE FUNCTION api_keys_revocation_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.id, NEW.token_sha256, NEW.establishment_id, NEW.operator, NEW.reviewer, NEW.label, NEW.created_at)
           IS DISTINCT FROM
       (OLD.id, OLD.token_sha256, OLD.establishment_id, OLD.operator, OLD.reviewer, OLD.label, OLD.created_at)
       OR (OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) THEN
        RAISE EXCEPTION 'api_keys: only a revocation may change a key, once (key %)', OLD.id;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER api_keys_revocation_only BEFORE UPDATE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION api_keys_revocation_only();

-- Decisions are what retries return and what the audit repeats: written once, never changed or removed.
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
