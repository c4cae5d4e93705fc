-- Extracts of the national register loaded with `iin register import` (db/register_import.py): people
-- who got an IIN through another channel (public service centres, the e-government portal, the
-- migration service), so that the duplicate check refuses them and allocation never reissues their IIN.
--
-- One row per import that added anything: a file imported again adds nothing and writes no row, so
-- an import is idempotent down to this table. file_sha256 tells an auditor which extract it was.
CREATE TABLE register_imports (
    id              bigserial PRIMARY KEY,
    file_name       text NOT NULL,
    file_sha256     char(64) NOT NULL,
    rows            integer NOT NULL CHECK (rows >= 0),
    people_added    integer NOT NULL CHECK (people_added >= 0),
    documents_added integer NOT NULL CHECK (documents_added >= 0),
    imported_at     timestamptz NOT NULL
);

-- The extract that brought a person in; NULL for people this service registered (application_id
-- says which application) and for those registered elsewhere before this migration.
ALTER TABLE people ADD COLUMN import_id bigint REFERENCES register_imports (id);
-- The patronymic, where the source gives one: the name keys (people_name_keys) are derived from
-- surname, given names and patronymic, and storing all three keeps every key reproducible from the
-- row, should the keys' rules change and the keys be rebuilt. NULL: none, or not recorded.
ALTER TABLE people ADD COLUMN patronymic text;
