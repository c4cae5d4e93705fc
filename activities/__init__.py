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
from register.embedded import EmbeddedRegister
from register.port import NationalRegister


def build_activities(
    pool: asyncpg.Pool, clock: Clock = SYSTEM_CLOCK, register: NationalRegister | None = None
) -> list[Callable[..., Any]]:
    """Every activity of the application workflow, bound to `pool`, reading the time from `clock`.

    `register` is the national register the duplicate check and IIN formation ask; by default the
    embedded one, in `pool`'s database.
    """
    register = register or EmbeddedRegister(pool)
    submission = SubmissionActivities(pool, clock)
    checks = CheckActivities(pool, register, clock)
    iin = IinActivities(pool, register, clock)
    assessment = AssessmentActivities(pool, register, clock)
    certificates = CertificateActivities(pool, clock=clock)
    review = ReviewActivities(pool, clock)
    return [
        assessment.open_and_check,
        assessment.assess_application,
        submission.register_submission,
        submission.record_breach,
        checks.verify_documents,
        checks.check_requirements,
        checks.check_duplicates,
        iin.check_and_form_iin,
        iin.form_iin,
        certificates.issue_certificate,
        NoticeActivities(pool, clock).issue_rejection_notice,
        review.record_review,
        review.record_withdrawal,
    ]
