"""The rejection notice's contract: what the workflow sends to have it issued, and what it keeps."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from iin_models.decisions import Finding
from schemas.contract import ApplicationInput


class RejectionNoticeRequest(BaseModel):
    """Issue the notice of a rejected application, with the findings that rejected it."""

    model_config = ConfigDict(frozen=True)

    data: ApplicationInput
    findings: tuple[Finding, ...]
    rejected_at: datetime


class RejectionNoticeRef(BaseModel):
    """Enough to find and check a notice; the document itself stays in PostgreSQL."""

    model_config = ConfigDict(frozen=True)

    number: str
    sha256: str
    issued_at: datetime
