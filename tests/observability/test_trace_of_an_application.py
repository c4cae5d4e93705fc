"""One trace follows an application from the API's POST to its certificate, and carries no personal data."""

from collections.abc import Sequence

from opentelemetry.sdk.trace import ReadableSpan

from iin_models.application import Application
from schemas.contract import workflow_id
from tests.factories import make_application
from tests.toolkit.api import Keys, final_status
from tests.toolkit.tracing import TracedStack

# The activities of the path to a certificate, in the order the workflow runs them.
ACTIVITIES = ("open_and_check", "check_and_form_iin", "issue_certificate")


def personal_values(application: Application) -> set[str]:
    """What identifies the applicant in the posted body: names, document number, birth date."""
    applicant = application.applicant
    values = {applicant.surname, applicant.given_names, application.document.number, applicant.birth_date.isoformat()}
    return values | {value.upper() for value in values}


def span_text(span: ReadableSpan) -> str:
    """Everything a span shows a trace backend: its name, attributes, events and status."""
    events = [f"{event.name} {dict(event.attributes or {})}" for event in span.events]
    return f"{span.name} {dict(span.attributes or {})} {events} {span.status.description or ''}"


def named(spans: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    [span] = [span for span in spans if span.name == name]
    return span


async def application_spans(traced_stack: TracedStack, keys: Keys, application: Application) -> list[ReadableSpan]:
    status = await final_status(traced_stack.http, application, keys.ankara)
    assert status.certificate_number is not None
    return list(traced_stack.spans.get_finished_spans())


async def test_one_trace_links_the_post_the_workflow_and_every_activity_to_the_certificate(
    traced_stack: TracedStack, keys: Keys
) -> None:
    application = make_application()
    spans = await application_spans(traced_stack, keys, application)

    post = named(spans, "POST /v1/applications")
    chain = [
        post,
        named(spans, "StartWorkflow:IINApplicationWorkflow"),
        named(spans, "RunWorkflow:IINApplicationWorkflow"),
        *(named(spans, f"RunActivity:{activity}") for activity in ACTIVITIES),
    ]
    in_trace = [span for span in spans if span.context.trace_id == post.context.trace_id]
    print(f"observability: spans={len(spans)} in the POST's trace={len(in_trace)}")
    assert {span.context.trace_id for span in chain} == {post.context.trace_id}
    assert post.parent is None
    assert all(
        span.attributes and span.attributes.get("temporalWorkflowID") == workflow_id(application.application_id)
        for span in chain[1:]
    )


async def test_no_span_holds_the_applicants_personal_data(traced_stack: TracedStack, keys: Keys) -> None:
    application = make_application()
    spans = await application_spans(traced_stack, keys, application)

    text = "\n".join(span_text(span) for span in spans)
    assert str(application.application_id) in text  # the capture sees the application
    assert {value for value in personal_values(application) if value in text} == set()
