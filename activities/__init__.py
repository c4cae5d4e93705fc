"""Side effects of an application: each activity decides one step once and records it atomically."""

from collections.abc import Callable
from typing import Any

import asyncpg

from activities.assessment import AssessmentActivities
from activities.certificates import CertificateActivities
from activities.checks import CheckActivities
from activities.iin import IinActivities
from activities.notices import NoticeActivities
from activities.review import ReviewActivities
from activities.submission import SubmissionActivities
from clock import SYSTEM_CLOCK, Clock


def build_activities(pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK) -> list[Callable[..., Any]]:
    """Every activity of the application workflow, bound to `pool`, reading the time from `clock`."""
    submission = SubmissionActivities(pool, clock)
    checks = CheckActivities(pool, clock)
    iin = IinActivities(pool, clock)
    certificates = CertificateActivities(pool, clock=clock)
    review = ReviewActivities(pool, clock)
    return [
        AssessmentActivities(pool, clock).assess_application,
        submission.register_submission,
        submission.record_breach,
        checks.verify_documents,
        checks.check_requirements,
        checks.check_duplicates,
        iin.form_iin,
        certificates.issue_certificate,
        NoticeActivities(pool, clock).issue_rejection_notice,
        review.record_review,
        review.record_withdrawal,
    ]
