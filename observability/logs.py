"""Structured logs: JSON in production, text for a developer, each record with the ids that find it again.

Every record handled gets `trace_id` and `span_id` when a span is current (tracing on), and
`application_id` where it is known: in an activity or a workflow, from the workflow id temporalio puts
on the records of `activity.logger` and `workflow.logger`; in the API, from what the request is about
(`note_application`). Records carry ids and states only, never what identifies a person (names,
document numbers, birth dates, IINs): tests/security/test_logs.py and tests/observability check it.
"""

import contextlib
import logging
import sys
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import IO, Literal

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

from schemas.contract import application_id_in

LogFormat = Literal["text", "json"]
# Field names of the JSON lines, as log stores (Loki, Elasticsearch, Cloud Logging) commonly expect them;
# "time" is ISO 8601 in UTC, whatever the host's zone.
JSON_FIELDS = "%(levelname)s %(name)s %(message)s"
JSON_RENAMES = {"levelname": "level", "name": "logger"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ID_FIELDS = ("application_id", "trace_id", "span_id")
# Kept to warnings, whatever LOG_LEVEL: httpx logs every request's URL at INFO, and the remote register's
# URLs hold document numbers and IINs (/v1/documents/{number}/holders, /v1/people/{iin}); fontTools logs
# some 40 lines for each PDF issued, among them the glyphs the applicant's name is written with.
QUIETED_LOGGERS = ("httpx", "httpcore", "fontTools")


@dataclass
class RequestNote:
    """What one API request is about, filled in by the route that learns it (one per request)."""

    application_id: str | None = None


_request: ContextVar[RequestNote | None] = ContextVar("iin_request_note", default=None)


@contextlib.contextmanager
def request_note() -> Iterator[RequestNote]:
    """A note for the request being served; tasks the request starts share it (contexts are copied)."""
    note = RequestNote()
    token = _request.set(note)
    try:
        yield note
    finally:
        _request.reset(token)


def note_application(application_id: object) -> None:
    """Name the application the current request is about: on its logs and on its server span."""
    note = _request.get()
    if note is not None:
        note.application_id = str(application_id)
    trace.get_current_span().set_attribute("iin.application_id", str(application_id))


def _application_of(record: logging.LogRecord) -> str | None:
    for extra in ("temporal_activity", "temporal_workflow"):
        details = getattr(record, extra, None)
        if isinstance(details, Mapping) and isinstance(details.get("workflow_id"), str):
            return application_id_in(details["workflow_id"])
    note = _request.get()
    return note.application_id if note is not None else None


class ContextIds(logging.Filter):
    """Put the trace, the span and the application on each record, where there are any."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add the ids; never drops a record."""
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            record.trace_id = trace.format_trace_id(span.trace_id)
            record.span_id = trace.format_span_id(span.span_id)
        if getattr(record, "application_id", None) is None:
            application_id = _application_of(record)
            if application_id is not None:
                record.application_id = application_id
        return True


class TextWithIds(logging.Formatter):
    """One line for a person: the message, then whichever ids the record carries."""

    def format(self, record: logging.LogRecord) -> str:
        """The standard text line, with `application_id=... trace_id=...` appended when known."""
        line = super().format(record)
        ids = " ".join(f"{name}={getattr(record, name)}" for name in ID_FIELDS if hasattr(record, name))
        return f"{line} [{ids}]" if ids else line


def log_handler(log_format: LogFormat, stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing `log_format` lines to `stream` (stderr), with the ids filter on it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    formatter: logging.Formatter
    if log_format == "json":
        formatter = JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMES, timestamp="time")
    else:
        formatter = TextWithIds(TEXT_FORMAT)
    handler.setFormatter(formatter)
    handler.addFilter(ContextIds())
    return handler


def configure_logging(log_format: LogFormat, level: str = "INFO") -> None:
    """Send every logger's records to stderr as `log_format`, from `level` up (the process's entry point)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(log_handler(log_format))
    root.setLevel(level)
    for name in QUIETED_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
