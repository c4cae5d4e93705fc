"""The statements of a register import (db/register_import.py), set-based over the staging tables.

The staging tables are temporary, private to the import's transaction (dropped at its end), and
always named with pg_temp, so that no statement here can reach a permanent table of the same name.
"""

HOLDER_COLUMNS = (
    "line",
    "iin",
    "surname",
    "given_names",
    "patronymic",
    "name_key",
    "sex",
    "birth_date",
    "citizenship",
    "issuing_state",
    "number",
)
STAGE_HOLDERS = "register_stage_holders"
STAGE_KEYS = "register_stage_keys"

# No indexes: each table is read whole, by hash joins, a few times.
CREATE_STAGE_HOLDERS = """
CREATE TEMP TABLE register_stage_holders (
    line          integer NOT NULL,
    iin           char(12) NOT NULL,
    surname       text NOT NULL,
    given_names   text NOT NULL,
    patronymic    text,
    name_key      text NOT NULL,
    sex           text NOT NULL,
    birth_date    date NOT NULL,
    citizenship   char(2) NOT NULL,
    issuing_state char(2) NOT NULL,
    number        text NOT NULL
) ON COMMIT DROP"""
# The match keys derived for each line (the rekey's too: db/register_rekey.py).
CREATE_STAGE_KEYS = """
CREATE TEMP TABLE register_stage_keys (
    line      integer NOT NULL,
    name_key  text NOT NULL,
    full_name boolean NOT NULL
) ON COMMIT DROP"""
# Autovacuum never analyzes temporary tables; without statistics the joins would be planned blind.
ANALYZE_HOLDERS = "ANALYZE pg_temp.register_stage_holders"
ANALYZE_KEYS = "ANALYZE pg_temp.register_stage_keys"

# The same person: the particulars the duplicate check compares (people.name_key is the folded name,
# so a name written in Cyrillic in one place and in Latin in another is the same name).
_DIFFERS = """concat_ws(', ',
    CASE WHEN s.name_key <> o.name_key THEN 'name' END,
    CASE WHEN s.sex <> o.sex THEN 'sex' END,
    CASE WHEN s.birth_date <> o.birth_date THEN 'birth date' END,
    CASE WHEN s.citizenship <> o.citizenship THEN 'citizenship' END)"""
_OTHER_PERSON = "(s.name_key, s.sex, s.birth_date, s.citizenship) <> (o.name_key, o.sex, o.birth_date, o.citizenship)"

# Rows naming another person than an earlier line of the file does, by IIN or by document. Only IINs
# and documents on several lines are compared, found by hashing: no sort of the whole file.
_FILE_CONFLICTS = f"""
    SELECT s.line, 'iin' AS field,
        concat('the IIN is on line ', o.line, ' for another person (', {_DIFFERS}, ')') AS message
    FROM (SELECT iin, min(line) AS line FROM pg_temp.register_stage_holders GROUP BY iin HAVING count(*) > 1) f
    JOIN pg_temp.register_stage_holders o ON o.line = f.line
    JOIN pg_temp.register_stage_holders s ON s.iin = f.iin
    WHERE {_OTHER_PERSON}
  UNION ALL
    SELECT s.line, 'document_number', concat('the document is on line ', o.line, ' for another IIN')
    FROM (
        SELECT issuing_state, number, min(line) AS line FROM pg_temp.register_stage_holders
        GROUP BY issuing_state, number HAVING count(*) > 1
    ) f
    JOIN pg_temp.register_stage_holders o ON o.line = f.line
    JOIN pg_temp.register_stage_holders s ON s.issuing_state = f.issuing_state AND s.number = f.number
    WHERE s.iin <> o.iin"""
# Rows naming another person than the register does, by IIN or by document.
_REGISTER_CONFLICTS = f"""
    SELECT s.line, 'iin' AS field, concat('the IIN is registered to another person (', {_DIFFERS}, ')') AS message
    FROM pg_temp.register_stage_holders s JOIN people o USING (iin)
    WHERE {_OTHER_PERSON}
  UNION ALL
    SELECT s.line, 'document_number', 'the document is registered to another IIN'
    FROM pg_temp.register_stage_holders s JOIN person_documents o USING (issuing_state, number)
    WHERE s.iin <> o.iin"""
# The first `$1` conflicts in line order, each with the total.
CONFLICTS = f"""
SELECT line, field, message, count(*) OVER () AS total FROM ({_FILE_CONFLICTS} UNION ALL {_REGISTER_CONFLICTS}) c
ORDER BY line, field LIMIT $1"""

# The holders to add: the first line of each IIN the register lacks, in IIN order (for digits, the
# C collation's order is every collation's, and much the cheapest to sort by). Dropped at commit.
# One sort, no self-join: the planner may take the anti-join to keep almost nothing (it did at 4,000,000
# people), and a join on the first lines then ran as a nested loop of 100,000 x 100,000 rows.
NEW_PEOPLE = """
CREATE TEMP TABLE register_stage_new ON COMMIT DROP AS
SELECT DISTINCT ON (s.iin COLLATE "C") s.* FROM pg_temp.register_stage_holders s
WHERE NOT EXISTS (SELECT FROM people p WHERE p.iin = s.iin)
ORDER BY s.iin COLLATE "C", s.line
"""
# The names to derive match keys from: those the new holders are registered under.
NEW_NAMES = "SELECT line, surname, given_names, patronymic FROM pg_temp.register_stage_new"
HOLDERS = "SELECT count(*) FROM (SELECT iin FROM pg_temp.register_stage_holders GROUP BY iin) g"

RECORD_IMPORT = """
INSERT INTO register_imports (file_name, file_sha256, rows, people_added, documents_added, imported_at)
VALUES ($1, $2, $3, $4, 0, $5) RETURNING id"""
COUNT_DOCUMENTS = "UPDATE register_imports SET documents_added = $2 WHERE id = $1"
# In the order of the primary key (register_stage_new is in IIN order): a b-tree larger than
# shared_buffers takes rows in its own order several times faster than at random (4,000,000 name
# keys: 34 s against 100 s here).
ADD_PEOPLE = """
INSERT INTO people (iin, surname, given_names, patronymic, name_key, sex, birth_date, citizenship, import_id)
SELECT iin, surname, given_names, patronymic, name_key, sex, birth_date, citizenship, $1
FROM pg_temp.register_stage_new"""
ADD_NAME_KEYS = """
INSERT INTO people_name_keys (birth_date, name_key, iin, full_name)
SELECT n.birth_date, k.name_key, n.iin, k.full_name
FROM pg_temp.register_stage_new n JOIN pg_temp.register_stage_keys k USING (line)
ORDER BY 1, 2, 3"""
# Every document of the file the register lacks; after the conflict checks, each is its holder's.
# In IIN order: each row's foreign key check then reads and locks the people rows in the order they
# were just written (at 1,000,000 documents, 46 s against 64 s in the primary key's order).
ADD_DOCUMENTS = """
INSERT INTO person_documents (issuing_state, number, iin)
SELECT s.issuing_state, s.number, s.iin FROM pg_temp.register_stage_holders s
WHERE NOT EXISTS (SELECT FROM person_documents d WHERE d.issuing_state = s.issuing_state AND d.number = s.number)
GROUP BY s.issuing_state, s.number, s.iin
ORDER BY s.iin COLLATE "C"
"""
