"""The JSON logs of an application's run carry its id and its trace id, and none of the applicant's data."""

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from iin_models.application import Application
from observability.logs import QUIETED_LOGGERS, TextWithIds, configure_logging, log_handler
from tests.factories import make_application
from tests.toolkit.api import Keys, final_status
from tests.toolkit.tracing import TracedStack


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """Every record at INFO and above, from every logger, as the JSON lines production writes."""
    lines = io.StringIO()
    handler = log_handler("json", lines)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def personal_values(application: Application) -> set[str]:
    """What identifies the applicant: names, document number and birth date, as filed and in capitals."""
    applicant = application.applicant
    values = {applicant.surname, applicant.given_names, application.document.number, applicant.birth_date.isoformat()}
    return values | {value.upper() for value in values}


async def run(
    traced_stack: TracedStack, keys: Keys, json_logs: io.StringIO
) -> tuple[Application, list[dict[str, Any]]]:
    application = make_application()
    await final_status(traced_stack.http, application, keys.ankara)
    records = [json.loads(line) for line in json_logs.getvalue().splitlines()]
    print(f"observability: json log records={len(records)}")
    return application, records


async def test_no_log_record_holds_the_applicants_personal_data(
    traced_stack: TracedStack, keys: Keys, json_logs: io.StringIO
) -> None:
    application, records = await run(traced_stack, keys, json_logs)

    text = json_logs.getvalue()
    assert any(record.get("application_id") == str(application.application_id) for record in records)
    assert {value for value in personal_values(application) if value in text} == set()


async def test_the_request_and_every_step_log_the_application_id_and_the_posts_trace_id(
    traced_stack: TracedStack, keys: Keys, json_logs: io.StringIO
) -> None:
    application, records = await run(traced_stack, keys, json_logs)

    [post] = [span for span in traced_stack.spans.get_finished_spans() if span.name == "POST /v1/applications"]
    trace_id = format(post.context.trace_id, "032x")
    ours = [record for record in records if record.get("application_id") == str(application.application_id)]
    in_trace = [record["message"] for record in ours if record.get("trace_id") == trace_id]
    expected = [
        "POST /v1/applications 202",  # the request log, then the activities' steps in the worker
        "verification step: to documents_verified",
        "iin step: to iin_formed",
        "certificate step: to certificate_issued",
    ]
    assert [line for line in expected if not any(message.startswith(line) for message in in_trace)] == []


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, its handlers and levels put back as they were after the test configures it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quieted = {name: logging.getLogger(name).level for name in QUIETED_LOGGERS}
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in quieted.items():
        logging.getLogger(name).setLevel(was)


@pytest.mark.parametrize("name", ["httpx", "fontTools.subset"])
def test_the_libraries_lines_naming_urls_or_glyphs_are_not_logged_at_info(
    root_logger: logging.Logger, name: str
) -> None:
    configure_logging("json", "INFO")

    assert not logging.getLogger(name).isEnabledFor(logging.INFO)


def test_a_text_line_ends_with_the_ids_the_record_carries() -> None:
    record = logging.LogRecord("api.requests", logging.INFO, __file__, 1, "GET / 200", None, None)
    record.application_id = "5cc2"

    assert TextWithIds("%(message)s").format(record) == "GET / 200 [application_id=5cc2]"
