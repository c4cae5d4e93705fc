"""The shipped convention memberships (data/conventions.csv), for rules tested against the real data."""

import csv
from datetime import date
from pathlib import Path

from iin_models.enums import Convention
from rules.conventions import Membership

CONVENTIONS_CSV = Path(__file__).resolve().parents[2] / "data" / "conventions.csv"


def load_memberships(path: Path = CONVENTIONS_CSV) -> list[Membership]:
    """Every row of the shipped conventions file as a Membership."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Membership(
                convention=Convention(row["convention"]),
                state=row["state"],
                in_force_from=date.fromisoformat(row["in_force_from"]),
                in_force_to=date.fromisoformat(row["in_force_to"]) if row["in_force_to"] else None,
            )
            for row in csv.DictReader(handle)
        ]


MEMBERSHIPS = load_memberships()
