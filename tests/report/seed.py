"""A seeded quarter of projection rows at three establishments in three time zones, and the figures a
report should show for them, computed here in Python from the seeded values alone (not from SQL).

The rows go in through `pool` (the owner), as the workflow's steps would have left them: running
workflows over three months of business days is not practical in a test. February 2025 is the seeded
month, with January and March around it, and applications a few minutes either side of each local
midnight that starts or ends February. No other test files applications at these establishments then.
"""

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg

from iin_models.enums import ApplicationState, RejectionReason

ZONES = {"emb-jp-tokyo": "Asia/Tokyo", "emb-br-brasilia": "America/Sao_Paulo", "cg-us-new-york": "America/New_York"}
AS_OF = datetime(2025, 4, 1, tzinfo=UTC)  # "now" of the reports made of the seed: every term has run out
TERM = timedelta(hours=30)  # a deadline per row; the report reads it as stored, whatever rule made it


@dataclass(frozen=True)
class Seeded:
    """One seeded application and the instants of its transitions."""

    application_id: uuid.UUID
    establishment_id: str
    submitted_at: datetime
    state: ApplicationState
    reasons: tuple[RejectionReason, ...] = ()
    ended_at: datetime | None = None
    review_from: datetime | None = None
    review_until: datetime | None = None

    @property
    def deadline(self) -> datetime:
        return self.submitted_at + TERM

    @property
    def breached(self) -> bool:
        return (self.ended_at or AS_OF) > self.deadline

    @property
    def local_day(self) -> date:
        return self.submitted_at.astimezone(ZoneInfo(ZONES[self.establishment_id])).date()

    def transitions(self) -> list[dict[str, object]]:
        moves: list[tuple[ApplicationState, datetime, tuple[RejectionReason, ...]]] = [
            (ApplicationState.SUBMITTED, self.submitted_at, ()),
            (ApplicationState.DOCUMENTS_VERIFIED, self.submitted_at + timedelta(seconds=1), ()),
        ]
        if self.review_from is not None:
            moves.append((ApplicationState.AWAITING_REVIEW, self.review_from, ()))
        if self.state is ApplicationState.CERTIFICATE_ISSUED and self.ended_at is not None:
            # After a review the IIN is formed at the verdict; the certificate follows.
            formed = self.review_until or self.ended_at - timedelta(seconds=1)
            moves.append((ApplicationState.IIN_FORMED, formed, ()))
        if self.state.is_terminal and self.ended_at is not None:
            moves.append((self.state, self.ended_at, self.reasons))
        return [{"state": s.value, "at": at.isoformat(), "reasons": [r.value for r in why]} for s, at, why in moves]


def _local(establishment_id: str, month: int, day: int, hour: int, minute: int) -> datetime:
    """An instant of 2025 given by the establishment's wall clock."""
    return datetime(2025, month, day, hour, minute, tzinfo=ZoneInfo(ZONES[establishment_id])).astimezone(UTC)


def _one(rng: random.Random, establishment_id: str, submitted_at: datetime) -> Seeded:
    application_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    base = Seeded(application_id, establishment_id, submitted_at, ApplicationState.SUBMITTED)
    draw = rng.random()
    reviewed = rng.random() < 0.25
    review_from = submitted_at + timedelta(seconds=2)
    review_until = review_from + timedelta(seconds=rng.uniform(600, 20 * 3600))
    if draw < 0.55:
        ended = (review_until if reviewed else submitted_at) + timedelta(seconds=rng.uniform(60, 40 * 3600))
        return Seeded(
            application_id,
            establishment_id,
            submitted_at,
            ApplicationState.CERTIFICATE_ISSUED,
            ended_at=ended,
            review_from=review_from if reviewed else None,
            review_until=review_until if reviewed else None,
        )
    if draw < 0.75:
        reasons = tuple(rng.sample(list(RejectionReason), rng.choice((1, 1, 2))))
        if RejectionReason.ALREADY_REGISTERED in reasons and reviewed:
            return Seeded(
                application_id,
                establishment_id,
                submitted_at,
                ApplicationState.REJECTED,
                (RejectionReason.ALREADY_REGISTERED,),
                ended_at=review_until,
                review_from=review_from,
                review_until=review_until,
            )
        ended = submitted_at + timedelta(seconds=rng.uniform(5, 3600))
        return Seeded(application_id, establishment_id, submitted_at, ApplicationState.REJECTED, reasons, ended)
    if draw < 0.85:
        ended = submitted_at + timedelta(seconds=rng.uniform(60, 36 * 3600))
        return Seeded(application_id, establishment_id, submitted_at, ApplicationState.WITHDRAWN, ended_at=ended)
    if reviewed:
        return Seeded(
            application_id, establishment_id, submitted_at, ApplicationState.AWAITING_REVIEW, review_from=review_from
        )
    return base


def seeded_applications() -> list[Seeded]:
    """The seed, the same at every call: random instants and outcomes from a fixed seed."""
    rng = random.Random(20250201)
    seeded: list[Seeded] = []
    for establishment_id in ZONES:
        instants = [
            _local(establishment_id, 1, 31, 23, 55),
            _local(establishment_id, 2, 1, 0, 5),
            _local(establishment_id, 2, 28, 23, 55),
            _local(establishment_id, 3, 1, 0, 5),
        ]
        for month, days, count in ((1, 31, 8), (2, 28, 40), (3, 31, 6)):
            instants += [
                _local(establishment_id, month, rng.randint(1, days), rng.randint(0, 23), rng.randint(0, 59))
                for _ in range(count)
            ]
        seeded += [_one(rng, establishment_id, at) for at in instants]
    return seeded


async def seed(pool: asyncpg.Pool) -> list[Seeded]:
    """Insert the seed's projection rows (again: nothing changes); the seed."""
    seeded = seeded_applications()
    async with pool.acquire() as conn:
        await conn.executemany(
            """INSERT INTO applications (application_id, establishment_id, state, submitted_at, due_date, deadline,
                                         breached, breached_at, rejection_reasons, transitions)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb) ON CONFLICT (application_id) DO NOTHING""",
            [
                (
                    s.application_id,
                    s.establishment_id,
                    s.state.value,
                    s.submitted_at,
                    s.deadline.date(),
                    s.deadline,
                    s.breached,
                    s.deadline if s.breached else None,
                    [r.value for r in s.reasons],
                    s.transitions(),
                )
                for s in seeded
            ],
        )
    return seeded


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """The fraction's percentile by linear interpolation between the closest ranks, as SQL's percentile_cont."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Expected:
    """The figures of one establishment and month, computed from the seed."""

    applications: int = 0
    certificates: int = 0
    rejected: int = 0
    rejections: dict[RejectionReason, int] = field(default_factory=lambda: dict.fromkeys(RejectionReason, 0))
    withdrawn: int = 0
    open: int = 0
    formed_within_term: int = 0
    breaches: int = 0
    reviews: int = 0
    awaiting_review: int = 0
    to_certificate: list[float] = field(default_factory=list)
    in_review: list[float] = field(default_factory=list)
    awaiting: list[float] = field(default_factory=list)


def expected_figures(
    seeded: list[Seeded], first_day: date, last_day: date, establishment_id: str | None = None
) -> dict[tuple[str, str], Expected]:
    """By (establishment, "YYYY-MM" of the local date of submission): what the report must show."""
    found: dict[tuple[str, str], Expected] = defaultdict(Expected)
    for s in seeded:
        if not first_day <= s.local_day <= last_day or establishment_id not in (None, s.establishment_id):
            continue
        e = found[(s.establishment_id, s.local_day.strftime("%Y-%m"))]
        e.applications += 1
        e.breaches += s.breached
        if s.state is ApplicationState.CERTIFICATE_ISSUED and s.ended_at is not None:
            e.certificates += 1
            e.formed_within_term += s.ended_at <= s.deadline
            e.to_certificate.append((s.ended_at - s.submitted_at).total_seconds())
        elif s.state is ApplicationState.REJECTED:
            e.rejected += 1
            for reason in s.reasons:
                e.rejections[reason] += 1
        elif s.state is ApplicationState.WITHDRAWN:
            e.withdrawn += 1
        else:
            e.open += 1
        if s.review_from is not None:
            e.reviews += 1
            if s.review_until is not None:
                e.in_review.append((s.review_until - s.review_from).total_seconds())
            else:
                e.awaiting_review += 1
                e.awaiting.append((AS_OF - s.review_from).total_seconds())
    return dict(found)
