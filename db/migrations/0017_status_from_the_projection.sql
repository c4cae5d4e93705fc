-- Issue 21. The API answers an application's status from the projection, running or ended, instead of
-- asking its workflow: the projection must then hold all of it. The service period the application is
-- judged by was only in the workflow's input; rows opened before this migration have none (NULL), as
-- their ended statuses never had one in the API.
ALTER TABLE applications ADD COLUMN service_period_id text;
