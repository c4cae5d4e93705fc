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


def build_activities(pool: asyncpg.Pool) -> list[Callable[..., Any]]:
    """Every activity of the application workflow, bound to `pool`."""
    submission = SubmissionActivities(pool)
    checks = CheckActivities(pool)
    iin = IinActivities(pool)
    certificates = CertificateActivities(pool)
    return [
        AssessmentActivities(pool).assess_application,
        submission.register_submission,
        submission.record_breach,
        checks.verify_documents,
        checks.check_requirements,
        checks.check_duplicates,
        iin.form_iin,
        certificates.issue_certificate,
        NoticeActivities(pool).issue_rejection_notice,
        ReviewActivities(pool).record_review,
        ReviewActivities(pool).record_withdrawal,
    ]
