"""The test toolkit, registered as pytest plugins; what each provides is in its module (tests/toolkit/).

The stack the tests run on is real: PostgreSQL (embedded, a fresh data directory per session, unless
DATABASE_URL names a server; each session then works in a database of its own), a Temporal server and
a worker. Each server starts the first time a test asks for it, so `make test-fast` starts none but
the time-skipping test server. `--workflow-environment` chooses the Temporal server
(tests/toolkit/environments.py); `--at INSTANT` runs the suite at an instant of its own
(tests/timetravel.py). Tests import helpers from tests/toolkit, never from a conftest.
"""

pytest_plugins = [
    "tests.toolkit.session",
    "tests.toolkit.stack",
    "tests.toolkit.api",
    "tests.toolkit.commands",
    "tests.toolkit.register",
    "tests.toolkit.tls",
    "tests.toolkit.tracing",
]
