-- Who may apply in each service period: applicant categories and the periods' eligible categories.

CREATE TABLE applicant_categories (
    code                 text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
    title_en             text NOT NULL,
    title_ru             text NOT NULL,
    supporting_documents text[] NOT NULL DEFAULT '{}',  -- any one suffices; empty: the identity document proves it
    documents_note       text NOT NULL DEFAULT '',
    age_at_least         smallint CHECK (age_at_least > 0),  -- full years on the local submission day
    age_under            smallint CHECK (age_under > 0),
    source               text NOT NULL DEFAULT '',
    CHECK (age_at_least IS NULL OR age_under IS NULL)
);

-- NULL: every foreigner may apply. The loader refuses codes that applicant_categories lacks.
ALTER TABLE service_periods ADD COLUMN categories text[];
