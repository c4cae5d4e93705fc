-- Verification in depth: the invalid documents registry and the keys of the duplicate search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Lost, stolen or invalidated identity documents, loaded from CSV (`iin invalid-documents load`).
-- A load adds or corrects rows and never deletes: a document once reported stays reported.
CREATE TABLE invalid_documents (
    issuing_state char(2) NOT NULL,
    number        text NOT NULL,
    reason        text NOT NULL CHECK (reason IN ('lost', 'stolen', 'invalidated')),
    reported_on   date NOT NULL,
    source        text NOT NULL DEFAULT '',
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuing_state, number)
);

-- Every match key of a registered person's name (rules/matching.py: registry_keys), one row each.
-- full_name = false marks a partial key (surname and first given name only), which can only ever
-- make a match probable. Searched by (birth_date, name_key): an index probe per key and date.
CREATE TABLE people_name_keys (
    birth_date date NOT NULL,
    name_key   text NOT NULL,
    iin        char(12) NOT NULL REFERENCES people (iin),
    full_name  boolean NOT NULL,
    PRIMARY KEY (birth_date, name_key, iin)
);
-- People registered before this migration keep the one key they had (ICAO spelling, sorted words).
INSERT INTO people_name_keys (birth_date, name_key, iin, full_name)
SELECT birth_date, name_key, iin, true FROM people WHERE name_key <> '';

-- The similar-name band scores, with pg_trgm's similarity(), only the people born on the probed
-- dates: a few dozen rows a day even at millions of people, found through this index.
CREATE INDEX people_birth_date ON people (birth_date);

-- The same number under another issuing state (a mistyped state) is a probable match.
CREATE INDEX person_documents_number ON person_documents (number);
