"""Names of the metrics the workflow records through its replay-safe meter (the dashboards query them).

The worker's runtime gives some of them buckets of their own (workers/metrics.py), so both import them
from here.
"""

APPLICATIONS_COMPLETED = "iin_applications_completed"
DEADLINE_BREACHES = "iin_deadline_breaches"
SUBMISSION_TO_CERTIFICATE = "iin_submission_to_certificate"
