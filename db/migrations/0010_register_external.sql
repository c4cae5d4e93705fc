-- The national register may be remote (REGISTER_URL): an IIN on a certificate need not be a row of
-- this database's `people`, so certificates no longer reference it. The register's own tables keep
-- their keys (they are the embedded register).
ALTER TABLE certificates DROP CONSTRAINT IF EXISTS certificates_iin_fkey;
