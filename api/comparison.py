"""The comparison a reviewer decides on: the applicant as filed beside each registered candidate.

The applicant comes from the workflow's input (the history's first event, opened with the API's data
converter: the service keeps no other copy of the particulars); the candidates are the probable
matches the duplicate check recorded, each read whole from the register. Field by field, names agree
when they share a spelling (Юрий and IURII do), dates and codes when equal.
"""

import re
from datetime import datetime
from uuid import UUID

from temporalio.service import RPCError

from api.context import ApiContext
from api.problems import ProblemError
from db.reviews import Approval, approvals_of, review_findings
from iin_models.application import Application
from iin_models.desk import (
    Agreement,
    ApprovalShown,
    CandidateShown,
    FieldComparison,
    MatchShown,
    PersonAsFiled,
    ReviewComparison,
)
from iin_models.national_register import RegisteredDocument, RegisteredPerson
from register.embedded import EmbeddedRegister
from register.port import RegisterRecords
from rules.names import spelling_variants
from schemas.contract import ApplicationInput, workflow_id

# The message review_findings (activities/checks.py) writes, as every stored decision holds it.
_NAMED_IIN = re.compile(r"IIN (\d{12})")


def register_of(context: ApiContext) -> RegisterRecords:
    """The register the context names, else the one embedded in the service's database."""
    return context.register if context.register is not None else EmbeddedRegister(context.pool)


def probable_matches(findings: list[dict[str, object]]) -> list[tuple[str, MatchShown]]:
    """(IIN, match) of each probable match a duplicate decision recorded, in its order, each IIN once."""
    seen: dict[str, MatchShown] = {}
    for finding in findings:
        named = _NAMED_IIN.search(str(finding.get("message", "")))
        if named and named.group(1) not in seen:
            seen[named.group(1)] = MatchShown(basis=str(finding.get("code", "")).removeprefix("probable_"))
    return list(seen.items())


async def filed_input(context: ApiContext, application_id: UUID) -> ApplicationInput:
    """The workflow's input: the application as filed, decoded with the API's converter."""
    handle = context.client.get_workflow_handle(workflow_id(application_id))
    try:
        async for event in handle.fetch_history_events():
            payloads = event.workflow_execution_started_event_attributes.input.payloads
            [data] = await context.client.data_converter.decode(payloads, [ApplicationInput])
            assert isinstance(data, ApplicationInput)
            return data
    except RPCError as error:
        raise ProblemError("unavailable", "the application's workflow cannot be reached") from error
    raise ProblemError("unavailable", "the application's workflow has no history")


def as_filed(application: Application) -> PersonAsFiled:
    """The applicant and their document, as the comparison shows them."""
    applicant, document = application.applicant, application.document
    return PersonAsFiled(
        surname=applicant.surname,
        given_names=applicant.given_names,
        patronymic=applicant.patronymic,
        native_name=applicant.native_name,
        sex=applicant.sex.value,
        birth_date=applicant.birth_date,
        citizenship=str(applicant.citizenship),
        documents=(
            RegisteredDocument(
                issuing_state=str(document.issuing_state),
                number=document.number,
                kind=document.kind.value,
                issued_on=document.issued_on,
                expires_on=document.expires_on,
            ),
        ),
    )


def _names(one: str | None, other: str | None) -> Agreement:
    if not one or not other:
        return "unknown"
    return "agrees" if spelling_variants(one) & spelling_variants(other) else "differs"


def _equal(one: object | None, other: object | None) -> Agreement:
    if one is None or other is None:
        return "unknown"
    return "agrees" if one == other else "differs"


def _document(filed: RegisteredDocument, held: tuple[RegisteredDocument, ...]) -> tuple[str | None, Agreement]:
    """The candidate's document the filed one is compared with, and whether it is the same one."""
    same = [d for d in held if (d.issuing_state, d.number) == (filed.issuing_state, filed.number)]
    numbered = [d for d in held if d.number == filed.number]
    candidates = same or numbered or list(held)
    text = f"{candidates[0].issuing_state} {candidates[0].number}" if candidates else None
    return text, "agrees" if same else "differs" if held else "unknown"


def compare(applicant: PersonAsFiled, person: RegisteredPerson) -> list[FieldComparison]:
    """The applicant's fields beside the registered person's, each agreeing, differing, or unknown."""
    filed = applicant.documents[0]
    held_document, document_agreement = _document(filed, person.documents)
    rows: list[tuple[str, str | None, str | None, Agreement]] = [
        ("surname", applicant.surname, person.surname, _names(applicant.surname, person.surname)),
        ("given_names", applicant.given_names, person.given_names, _names(applicant.given_names, person.given_names)),
        ("patronymic", applicant.patronymic, person.patronymic, _names(applicant.patronymic, person.patronymic)),
        ("native_name", applicant.native_name, person.native_name, _names(applicant.native_name, person.native_name)),
        (
            "birth_date",
            applicant.birth_date.isoformat(),
            person.birth_date.isoformat(),
            _equal(applicant.birth_date, person.birth_date),
        ),
        ("sex", applicant.sex, person.sex, _equal(applicant.sex, person.sex)),
        ("citizenship", applicant.citizenship, person.citizenship, _equal(applicant.citizenship, person.citizenship)),
        ("document", f"{filed.issuing_state} {filed.number}", held_document, document_agreement),
    ]
    return [FieldComparison(field=f, applicant=a, candidate=c, agreement=g) for f, a, c, g in rows]


def _candidate(
    applicant: PersonAsFiled, iin: str, match: MatchShown, person: RegisteredPerson | None
) -> CandidateShown:
    fields = compare(applicant, person) if person is not None else []
    return CandidateShown(
        iin=iin,
        match=match,
        person=person,
        fields=fields,
        agree=[f.field for f in fields if f.agreement == "agrees"],
        differ=[f.field for f in fields if f.agreement == "differs"],
    )


def shown(approvals: list[Approval]) -> list[ApprovalShown]:
    """Approvals as answered: who and when, not the note."""
    return [
        ApprovalShown(api_key_id=a.api_key_id, officer_id=a.officer_id, approved_at=a.approved_at) for a in approvals
    ]


async def comparison(context: ApiContext, application_id: UUID) -> ReviewComparison:
    """The comparison of an application awaiting review; 404 if it awaits none."""
    async with context.pool.acquire() as conn:
        findings = await review_findings(conn, application_id)
        if findings is None:
            raise ProblemError("not-found", f"no application {application_id} awaits review")
        row = await conn.fetchrow(
            """SELECT a.establishment_id, a.due_date, a.deadline, a.breached, d.decided_at AS waiting_since
                 FROM applications a JOIN decisions d ON d.application_id = a.application_id AND d.step = 'duplicates'
                WHERE a.application_id = $1""",
            application_id,
        )
        approvals = await approvals_of(conn, application_id)
    assert row is not None
    data = await filed_input(context, application_id)
    applicant = as_filed(data.application)
    register = register_of(context)
    candidates = [
        _candidate(applicant, iin, match, await register.person(iin)) for iin, match in probable_matches(findings)
    ]
    return ReviewComparison(
        application_id=application_id,
        establishment_id=row["establishment_id"],
        due_date=row["due_date"],
        deadline=row["deadline"],
        breached=row["breached"],
        waiting_since=row["waiting_since"],
        applicant=applicant,
        candidates=candidates,
        four_eyes=context.review_four_eyes,
        approvals=shown(approvals),
    )


def waited(since: datetime, now: datetime) -> int:
    """Whole seconds waited from `since` to `now` (0 if the clocks disagree)."""
    return max(0, int((now - since).total_seconds()))
