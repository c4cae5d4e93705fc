-- Events (issue 17): every transition of an application, written in the transaction that writes the
-- projection (a transactional outbox), a feed in commit order, and webhook subscriptions with their
-- delivery log. docs/architecture.md, "Events and webhooks", says why it is built this way.

-- One row per transition. `id` is insertion order only: under concurrent transactions a smaller id can
-- commit after a larger one, so it is not the feed's order. `position` is: it stays NULL until the
-- sequencer (db/events.py: sequence_pending), one transaction at a time under the lock of the
-- `event_sequencer` row, numbers the committed rows; a reader that has seen position p can never see a
-- row appear at or below p later.
CREATE TABLE events (
    id               bigserial PRIMARY KEY,
    event_id         uuid NOT NULL UNIQUE,      -- uuid5 of (application, type): stable, for de-duplication
    application_id   uuid NOT NULL,
    establishment_id text NOT NULL,
    type             text NOT NULL,
    state            text NOT NULL,
    reasons          text[] NOT NULL DEFAULT '{}',
    breached         boolean NOT NULL,
    at               timestamptz NOT NULL,      -- the transition's instant (the injectable clock's)
    recorded_at      timestamptz NOT NULL DEFAULT clock_timestamp(),  -- bookkeeping: when the row was written
    position         bigint UNIQUE
);
CREATE INDEX events_unsequenced ON events (id) WHERE position IS NULL;
CREATE INDEX events_establishment_position ON events (establishment_id, position) WHERE position IS NOT NULL;

CREATE TABLE event_sequencer (
    singleton     boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_position bigint NOT NULL
);
INSERT INTO event_sequencer (last_position) VALUES (0);

-- Waiters (long polls, the delivery loop) hear of a new event when its transaction commits.
CREATE FUNCTION notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('iin_events', NEW.application_id::text);
    RETURN NULL;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION notify_event();

-- Webhook subscriptions, scoped like the key that created them (establishment_id NULL: an operator's,
-- every establishment's events). The secrets are sealed with the codec key ring (events/secrets.py).
CREATE TABLE webhooks (
    id                       uuid PRIMARY KEY,
    api_key_id               text NOT NULL REFERENCES api_keys (id),
    establishment_id         text,
    url                      text NOT NULL,
    event_types              text[],            -- NULL: every type
    secret_key_id            text NOT NULL,
    secret_sealed            bytea NOT NULL,
    previous_key_id          text,              -- the secret before the last rotation, signing too until
    previous_sealed          bytea,
    previous_until           timestamptz,       -- ...this instant (the overlap period)
    delivered_position       bigint NOT NULL,   -- the feed position delivered up to
    attempts                 integer NOT NULL DEFAULT 0,  -- failed attempts in a row
    next_attempt_at          timestamptz,
    failing_since            timestamptz,
    last_error               text,
    disabled_at              timestamptz,
    disabled_reason          text,
    deleted_at               timestamptz,
    lease_owner              text,              -- the delivery loop serving it, until lease_until
    lease_until              timestamptz,
    created_at               timestamptz NOT NULL
);
CREATE INDEX webhooks_establishment ON webhooks (establishment_id) WHERE deleted_at IS NULL;

-- One row per delivery attempt: what the receiver answered, or why there was no answer.
CREATE TABLE webhook_deliveries (
    id           bigserial PRIMARY KEY,
    webhook_id   uuid NOT NULL REFERENCES webhooks (id),
    event_id     uuid NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    error        text,
    duration_ms  double precision NOT NULL,
    delivered    boolean NOT NULL
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
