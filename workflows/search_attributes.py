"""The custom search attributes operators filter the Web UI by; registered by the stack at start."""

from typing import Any

from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
)

from iin_models.status import ApplicationStatus
from schemas.contract import ApplicationInput

STATE = SearchAttributeKey.for_keyword("IinState")
ESTABLISHMENT = SearchAttributeKey.for_keyword("EstablishmentId")
ESTABLISHMENT_COUNTRY = SearchAttributeKey.for_keyword("EstablishmentCountry")
CITIZENSHIP = SearchAttributeKey.for_keyword("Citizenship")
DEADLINE = SearchAttributeKey.for_datetime("IinDeadline")
BREACHED = SearchAttributeKey.for_bool("DeadlineBreached")
REJECTION_REASONS = SearchAttributeKey.for_keyword_list("RejectionReasons")

ALL_KEYS = (STATE, ESTABLISHMENT, ESTABLISHMENT_COUNTRY, CITIZENSHIP, DEADLINE, BREACHED, REJECTION_REASONS)


def at_start(data: ApplicationInput) -> list[SearchAttributePair[Any]]:
    """The attributes a new application starts with, set by whoever starts the workflow."""
    pairs: list[SearchAttributePair[Any]] = [
        SearchAttributePair(STATE, "submitted"),
        SearchAttributePair(ESTABLISHMENT, data.establishment.id),
        SearchAttributePair(ESTABLISHMENT_COUNTRY, str(data.establishment.country)),
        SearchAttributePair(CITIZENSHIP, str(data.application.applicant.citizenship)),
        SearchAttributePair(DEADLINE, data.deadline.due_at),
        SearchAttributePair(BREACHED, False),
    ]
    return pairs


def updates_for(status: ApplicationStatus) -> list[SearchAttributeUpdate[Any]]:
    """The attributes that change with the status: state, breach and rejection reasons."""
    updates: list[SearchAttributeUpdate[Any]] = [
        STATE.value_set(status.state.value),
        BREACHED.value_set(status.breached),
    ]
    if status.rejection_reasons:
        updates.append(REJECTION_REASONS.value_set([r.value for r in status.rejection_reasons]))
    return updates
