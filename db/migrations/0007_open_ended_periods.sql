-- A service period may run until further notice: ends_on NULL. The local stack's own window is one,
-- so that it covers the local date at every establishment however long the stack runs.
ALTER TABLE service_periods ALTER COLUMN ends_on DROP NOT NULL;
