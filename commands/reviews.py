"""`iin reviews list|show|decide`: the review desk in a terminal, through the API (reviewer keys; operators list)."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from api.desk_render import waited_text
from commands.api import ApiKeyOption, api_client_of, explain
from config.settings import get_settings
from iin_client import ApiError, IinClient
from iin_models.desk import ReviewComparison, ReviewPending, ReviewQueuePage
from iin_models.enums import ReviewVerdict
from iin_models.review import ReviewDecision
from iin_models.status import ApplicationStatus

app = typer.Typer(help="The review desk: probable duplicates awaiting a reviewer's verdict.")
console = Console(soft_wrap=True)
T = TypeVar("T")
_MARKS = {"agrees": "[green]agrees[/green]", "differs": "[red]differs[/red]", "unknown": "[dim]unknown[/dim]"}


def _call(api_key: str | None, call: Callable[[IinClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with api_client_of(get_settings(), api_key) as iin:
            return await call(iin)

    try:
        return asyncio.run(main())
    except ApiError as error:
        explain(error)
        raise typer.Exit(1) from error


def print_queue(page: ReviewQueuePage) -> None:
    """The queue as a table, the most urgent first."""
    table = Table("application", "establishment", "due", "waiting", "matches", "approvals", "breached")
    for item in page.items:
        table.add_row(
            str(item.application_id),
            item.establishment_id,
            item.due_date.isoformat(),
            waited_text(item.waiting_seconds, "en"),
            ", ".join(f"{m.band}: {m.basis}" for m in item.matches),
            str(item.approvals),
            "[red]yes[/red]" if item.breached else "no",
        )
    console.print(table)
    if page.next_cursor:
        console.print(f"more: --cursor {page.next_cursor}")


def print_comparison(shown: ReviewComparison) -> None:
    """Both people side by side: one table per registered candidate."""
    console.print(
        f"application [bold]{shown.application_id}[/bold] at {shown.establishment_id}, due {shown.due_date}"
        + (" [red](deadline breached)[/red]" if shown.breached else "")
        + ("; four eyes: different_person needs two reviewers" if shown.four_eyes else "")
    )
    for index, candidate in enumerate(shown.candidates, start=1):
        title = f"candidate {index}: IIN {candidate.iin} ({candidate.match.band}: {candidate.match.basis})"
        table = Table("field", "applicant as filed", "registered", "", title=title)
        for field in candidate.fields:
            table.add_row(field.field, field.applicant or "-", field.candidate or "-", _MARKS[field.agreement])
        person = candidate.person
        if person is None:
            table.add_row("register", "", "[red]no longer holds this IIN[/red]", "")
        else:
            documents = "; ".join(
                f"{d.kind or ''} {d.issuing_state} {d.number} {d.issued_on or ''}".strip() for d in person.documents
            )
            table.add_row("documents", "", documents, "")
            table.add_row("formed", "", f"{person.formed_at:%Y-%m-%d %H:%M} UTC, {person.formed_through or '?'}", "")
        console.print(table)
    for approval in shown.approvals:
        console.print(f"approved different_person: key {approval.api_key_id}, officer {approval.officer_id}")


@app.command("list")
def list_command(
    establishment: Annotated[str | None, typer.Option(help="Only this establishment's applications.")] = None,
    breached: Annotated[bool | None, typer.Option("--breached/--on-time", help="Only breached, or on time.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
    cursor: Annotated[str | None, typer.Option(help="The cursor a previous page printed.")] = None,
    api_key: ApiKeyOption = None,
) -> None:
    """The applications awaiting review, the most urgent first (a reviewer's or an operator's key)."""
    page = _call(
        api_key,
        lambda iin: iin.review_queue(establishment=establishment, breached=breached, limit=limit, cursor=cursor),
    )
    print_queue(page)


@app.command("show")
def show_command(application_id: UUID, api_key: ApiKeyOption = None) -> None:
    """The applicant beside each registered candidate (a reviewer's key; the read is recorded)."""
    print_comparison(_call(api_key, lambda iin: iin.review_comparison(application_id)))


@app.command("decide")
def decide_command(
    application_id: UUID,
    verdict: Annotated[ReviewVerdict, typer.Argument(help="same_person or different_person.")],
    officer: Annotated[str, typer.Option(help="The officer giving the verdict, for the record.")],
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    idempotency_key: Annotated[
        str | None, typer.Option(help="Send again with the same key after a timeout: acts once.")
    ] = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Give the verdict (a reviewer's key); with four eyes on, a first different_person waits for a second."""
    decision = ReviewDecision(officer_id=officer, verdict=verdict, note=note)
    key = idempotency_key or str(uuid.uuid4())
    outcome = _call(api_key, lambda iin: iin.decide(application_id, decision, idempotency_key=key))
    if isinstance(outcome, ReviewPending):
        keys = ", ".join(a.api_key_id for a in outcome.approvals)
        console.print(f"recorded; waits for {outcome.needed} different reviewer keys (so far: {keys})")
        return
    _print_outcome(outcome)


def _print_outcome(status: ApplicationStatus) -> None:
    console.print(f"{status.application_id}: {status.state.value}" + (f", IIN {status.iin}" if status.iin else ""))
