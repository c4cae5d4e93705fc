"""How steps meet errors: what the database cannot do now is retried with backoff; what no retry can fix is not."""

import ast
from datetime import date

import asyncpg
import pytest
from temporalio.client import Client, WorkflowExecutionStatus

from clock import SYSTEM_CLOCK
from config.settings import REPO_ROOT
from iin_models.enums import ApplicationState, Sex
from iin_models.status import ApplicationStatus
from rules.iin import century_sex_digit
from schemas.contract import STATUS_QUERY
from service.intake import submit
from tests.factories import make_applicant, make_application
from tests.toolkit.waiting import eventually
from workflows.application import STEP_RETRY

# Raised by activities as non-retryable, each for a condition no retry can change: none so far. Even
# exhausted IIN serials are retried: the register's operator can free them, and the application waits.
NON_RETRYABLE: set[str] = set()
# A birth date no factory draws (they draw 1950-1999), so filling its serials disturbs no other test.
FULL_DAY = date(1901, 2, 3)


def test_steps_retry_without_end_and_with_backoff() -> None:
    # An outage of any length delays an application and never fails it: no attempt limit, growing waits.
    assert STEP_RETRY.maximum_attempts == 0
    assert STEP_RETRY.backoff_coefficient > 1
    assert not STEP_RETRY.non_retryable_error_types


def test_activities_raise_only_the_known_non_retryable_errors() -> None:
    raised = set()
    for path in (REPO_ROOT / "activities").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ApplicationError":
                keywords = {k.arg: k.value for k in node.keywords}
                marked = keywords.get("non_retryable")
                assert isinstance(marked, ast.Constant) and marked.value is True, f"{path}: retryable ApplicationError"
                error_type = keywords["type"]
                assert isinstance(error_type, ast.Constant)
                raised.add(error_type.value)

    assert raised == NON_RETRYABLE


def test_no_step_swallows_a_database_outage() -> None:
    # Connection errors must reach Temporal, which retries the step; a handler here would end it instead.
    outage_errors = {"OSError", "ConnectionError", "PostgresConnectionError", "InterfaceError", "PostgresError"}
    for package in ("activities", "db"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ExceptHandler) and node.type is not None:
                    names = {getattr(n, "attr", getattr(n, "id", None)) for n in ast.walk(node.type)}
                    assert not names & outage_errors, f"{path}:{node.lineno} catches {names & outage_errors}"
                    assert "Exception" not in names, f"{path}:{node.lineno} catches every exception"


def failed_attempts(caplog: pytest.LogCaptureFixture, activity_type: str, workflow_id: str) -> int:
    """How many attempts of the workflow's activity failed, as the SDK's activity logger reported them."""
    reported = (getattr(record, "temporal_activity", {}) for record in caplog.records)
    return sum(1 for a in reported if (a.get("activity_type"), a.get("workflow_id")) == (activity_type, workflow_id))


async def test_exhausted_serials_hold_the_application_open_until_the_register_frees_them(
    client: Client, pool: asyncpg.Pool, task_queue: str, caplog: pytest.LogCaptureFixture
) -> None:
    application = make_application(applicant=make_applicant(birth_date=FULL_DAY, sex=Sex.FEMALE))
    prefix = f"{FULL_DAY:%y%m%d}{century_sex_digit(FULL_DAY, Sex.FEMALE)}"
    await pool.execute(
        "INSERT INTO iin_serials (prefix, next_serial) VALUES ($1, 10000) "
        "ON CONFLICT (prefix) DO UPDATE SET next_serial = 10000",
        prefix,
    )
    submitted = await submit(client, pool, application, task_queue, now=SYSTEM_CLOCK.now())
    try:
        held = await eventually(
            lambda: submitted.handle.query(STATUS_QUERY, result_type=ApplicationStatus),
            lambda s: s.state is ApplicationState.DOCUMENTS_VERIFIED,
        )

        async def formation_failures() -> int:
            return failed_attempts(caplog, "check_and_form_iin", submitted.handle.id)

        await eventually(formation_failures, lambda n: n >= 3)  # a few attempts met the exhausted prefix
        running = (await submitted.handle.describe()).status is WorkflowExecutionStatus.RUNNING
        people = await pool.fetchval(
            "SELECT count(*) FROM people WHERE application_id = $1", application.application_id
        )
    finally:
        await pool.execute("UPDATE iin_serials SET next_serial = 0 WHERE prefix = $1", prefix)  # the operator's fix
    final = await submitted.handle.result()

    assert (held.iin, running, people) == (None, True, 0)
    assert final.state is ApplicationState.CERTIFICATE_ISSUED
    assert final.iin is not None and final.iin.startswith(prefix)
