"""Typed errors of intake: each names the field at fault, so a caller can correct and resubmit."""


class IntakeError(Exception):
    """An application that cannot be accepted; nothing was started or written."""

    code = "intake_error"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class UnknownEstablishment(IntakeError):
    code = "unknown_establishment"


class OutsideServicePeriod(IntakeError):
    code = "outside_service_period"


class SubmittedInFuture(IntakeError):
    code = "submitted_in_future"


class CategoryRequired(IntakeError):
    code = "category_required"


class CategoryNotEligible(IntakeError):
    code = "category_not_eligible"


class SupportingDocumentMissing(IntakeError):
    code = "supporting_document_missing"


class SupportingDocumentInvalid(IntakeError):
    code = "supporting_document_invalid"


class AgeRequirementNotMet(IntakeError):
    code = "age_requirement_not_met"
