"""The test toolkit: fixtures registered as pytest plugins by tests/conftest.py, and the helpers tests import.

session      options (`--at`, `--workflow-environment`) and the `fast` marker
stack        PostgreSQL, the Temporal servers, a worker on a task queue of the test's own
environments which Temporal server `--workflow-environment` chooses, started on first use
databases    the one helper for a throwaway database, and the session's PostgreSQL server
api          the API on the real stack, API keys, and helpers to submit and follow applications
commands     running `iin` commands in-process against the test's database
waiting      `eventually`, and waiting for an update to reach the server
review       applications that wait for an officer's verdict
worker_process  `iin worker` in a process of its own
tls          pilot certificates, and an mTLS proxy before the dev server as Temporal's frontend in production
tracing      the API and a worker traced to an in-memory exporter
"""
