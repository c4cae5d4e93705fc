"""Which conventions bind a state on a given day: membership is data with dates, resolved per day."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from iin_models.enums import Convention

# For this service both CIS conventions mean the same: a notarial act done in a party state is
# recognised in Kazakhstan without apostille or legalization.
EXEMPTING_CONVENTIONS = frozenset({Convention.MINSK_1993, Convention.CHISINAU_2002})


@dataclass(frozen=True)
class Membership:
    """A state's membership of a convention, valid from `in_force_from` through `in_force_to`."""

    convention: Convention
    state: str
    in_force_from: date
    in_force_to: date | None

    def holds_on(self, day: date) -> bool:
        """Whether the convention applied to the state on `day`."""
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)


def conventions_on(memberships: Iterable[Membership], state: str, day: date) -> frozenset[Convention]:
    """The conventions that applied to `state` on `day`."""
    return frozenset(m.convention for m in memberships if m.state == state and m.holds_on(day))
