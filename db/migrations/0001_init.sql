-- Reference data: loaded from data/*.csv, each row valid between the dates it carries.
CREATE TABLE establishments (
    id          text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('embassy', 'consulate_general')),
    city        text NOT NULL,
    country     char(2) NOT NULL,
    time_zone   text NOT NULL,
    rest_days   smallint[] NOT NULL,
    source      text NOT NULL DEFAULT ''
);

CREATE TABLE establishment_closures (
    establishment_id text NOT NULL REFERENCES establishments (id),
    closed_on        date NOT NULL,
    note             text NOT NULL DEFAULT '',
    PRIMARY KEY (establishment_id, closed_on)
);

CREATE TABLE service_periods (
    id                text PRIMARY KEY,
    starts_on         date NOT NULL,
    ends_on           date NOT NULL CHECK (ends_on >= starts_on),
    establishment_ids text[],           -- NULL: every establishment in the reference data
    source            text NOT NULL DEFAULT ''
);

CREATE TABLE convention_memberships (
    convention    text NOT NULL CHECK (convention IN ('minsk_1993', 'chisinau_2002', 'apostille_1961')),
    state         char(2) NOT NULL,
    in_force_from date NOT NULL,
    in_force_to   date CHECK (in_force_to IS NULL OR in_force_to >= in_force_from),
    source        text NOT NULL DEFAULT '',
    PRIMARY KEY (convention, state, in_force_from)
);

-- The applications projection: one row per application, mirrored from the workflow's transitions.
CREATE TABLE applications (
    application_id     uuid PRIMARY KEY,
    establishment_id   text NOT NULL,
    state              text NOT NULL,
    submitted_at       timestamptz NOT NULL,
    due_date           date NOT NULL,
    deadline           timestamptz NOT NULL,
    breached           boolean NOT NULL DEFAULT false,
    breached_at        timestamptz,
    iin                char(12),
    rejection_reasons  text[] NOT NULL DEFAULT '{}',
    certificate_number text,
    transitions        jsonb NOT NULL DEFAULT '[]',
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applications_establishment_submitted ON applications (establishment_id, submitted_at);
CREATE INDEX applications_state ON applications (state);

-- Each step of an application is decided once; a retried activity reads its decision back from here.
CREATE TABLE decisions (
    application_id uuid NOT NULL,
    step           text NOT NULL,
    result         jsonb NOT NULL,
    decided_at     timestamptz NOT NULL,
    PRIMARY KEY (application_id, step)
);

-- The IIN registry of foreigners: one row per person, one IIN per person, one person per IIN.
CREATE TABLE people (
    iin            char(12) PRIMARY KEY CHECK (iin ~ '^[0-9]{12}$'),
    application_id uuid UNIQUE,        -- NULL for people registered before this service
    surname        text NOT NULL,
    given_names    text NOT NULL,
    name_key       text NOT NULL,
    sex            text NOT NULL,
    birth_date     date NOT NULL,
    citizenship    char(2) NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_identity ON people (citizenship, birth_date, name_key);

-- Every identity document seen for a registered person: a document identifies at most one person.
CREATE TABLE person_documents (
    issuing_state char(2) NOT NULL,
    number        text NOT NULL,
    iin           char(12) NOT NULL REFERENCES people (iin),
    PRIMARY KEY (issuing_state, number)
);

-- Next free serial per IIN prefix (birth date + century/sex digit); the row lock serializes allocators.
CREATE TABLE iin_serials (
    prefix      char(7) PRIMARY KEY,
    next_serial integer NOT NULL CHECK (next_serial BETWEEN 0 AND 10000)
);

CREATE TABLE certificates (
    number         text PRIMARY KEY,
    application_id uuid NOT NULL UNIQUE,
    iin            char(12) NOT NULL REFERENCES people (iin),
    issued_at      timestamptz NOT NULL,
    sha256         char(64) NOT NULL,
    content        jsonb NOT NULL
);

-- Append-only record of every decision, written in the same transaction as the decision itself.
CREATE TABLE audit_events (
    id             bigserial PRIMARY KEY,
    application_id uuid NOT NULL,
    step           text NOT NULL,
    at             timestamptz NOT NULL,
    detail         jsonb NOT NULL
);
CREATE INDEX audit_events_application ON audit_events (application_id, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
