-- Issue 18, item 5. Least privilege: migrations (and the operator's commands: keys, reference data,
-- register imports) run as the database's owner; the API and the worker log in as a role in
-- `iin_service`, which may read everything and write only what a step or a request writes. It cannot
-- change the schema (nor so disable a trigger), create, alter or un-revoke a key, change reference
-- data, or change or delete an audit, decision, certificate, notice or archive row.
-- The login role is the operator's (docs/operations.md, "Database roles"): CREATE ROLE ... IN ROLE iin_service.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'iin_service') THEN
        CREATE ROLE iin_service NOLOGIN;
    END IF;
END;
$$;

-- PostgreSQL 15 and later already refuse CREATE in public to everyone but its owner; older ones do not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO iin_service;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO iin_service;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO iin_service;

-- Moved by the workflow's steps and the API: the projection, update requests, the outbox and its
-- sequencer, webhook subscriptions and their leases, the IIN serials.
GRANT INSERT, UPDATE ON applications, api_update_requests, events, event_sequencer, webhooks, iin_serials
    TO iin_service;
-- Written once, then only read: receipts, audit, decisions, certificates, notices, the archive, the
-- people an embedded register forms, deliveries made, browser sessions.
GRANT INSERT ON api_submissions, audit_events, decisions, certificates, rejection_notices, history_archive,
    people, person_documents, people_name_keys, webhook_deliveries, sessions
    TO iin_service;
-- A withdrawal revokes a certificate; a logout ends a session. Nothing else of those rows changes.
GRANT UPDATE (revoked_at, revocation_reason) ON certificates TO iin_service;
GRANT UPDATE (ended_at) ON sessions TO iin_service;
