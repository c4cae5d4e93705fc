-- The name keys and documents of the embedded register are written only with their person, in the
-- same transaction (db/registry.py when an IIN is formed, db/register_import.py for an extract),
-- and people are never deleted; so their references to `people` could never fail. Checking them
-- cost a lookup per row: at a million imported holders, six million name keys and a million
-- documents, about 60% of the time those statements took (116 s against 43 s for six million keys).
ALTER TABLE people_name_keys DROP CONSTRAINT IF EXISTS people_name_keys_iin_fkey;
ALTER TABLE person_documents DROP CONSTRAINT IF EXISTS person_documents_iin_fkey;
-- No query has read people by (citizenship, birth_date, name_key) since the name keys have a table
-- of their own (0004); the index only cost every registration a write and the register disk space.
DROP INDEX IF EXISTS people_identity;
