"""Closed vocabularies shared by every layer; stored and shown by their string values."""

from enum import StrEnum


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class DocumentKind(StrEnum):
    PASSPORT = "passport"
    ID_CARD = "id_card"
    RESIDENCE_PERMIT = "residence_permit"
    TRAVEL_DOCUMENT = "travel_document"


class Certification(StrEnum):
    """How a translation's notarization was certified for use in Kazakhstan."""

    NONE = "none"
    APOSTILLE = "apostille"
    CONSULAR_LEGALIZATION = "consular_legalization"


class EstablishmentKind(StrEnum):
    EMBASSY = "embassy"
    CONSULATE_GENERAL = "consulate_general"


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    DOCUMENTS_VERIFIED = "documents_verified"
    AWAITING_REVIEW = "awaiting_review"
    IIN_FORMED = "iin_formed"
    REJECTED = "rejected"
    CERTIFICATE_ISSUED = "certificate_issued"
    WITHDRAWN = "withdrawn"

    @property
    def is_terminal(self) -> bool:
        return self in (ApplicationState.REJECTED, ApplicationState.CERTIFICATE_ISSUED, ApplicationState.WITHDRAWN)


class RejectionReason(StrEnum):
    """The three grounds for refusal in the order of 19 March 2024."""

    DOCUMENTS_UNRELIABLE = "documents_unreliable"
    REQUIREMENTS_NOT_MET = "requirements_not_met"
    ALREADY_REGISTERED = "already_registered"


class Convention(StrEnum):
    MINSK_1993 = "minsk_1993"
    CHISINAU_2002 = "chisinau_2002"
    APOSTILLE_1961 = "apostille_1961"


class ReviewVerdict(StrEnum):
    """An officer's answer to a probable duplicate."""

    SAME_PERSON = "same_person"
    DIFFERENT_PERSON = "different_person"


class CalendarCorrectionKind(StrEnum):
    """What a correction of Kazakhstan's calendar says a date is, whatever the `holidays` package says."""

    DAY_OFF_ADDED = "day_off_added"  # a day off: one the package lacks, or an estimate of it pinned
    DAY_OFF_REMOVED = "day_off_removed"  # an ordinary day of its weekday: the package lists it, the law does not
    WORKING_WEEKEND_DAY = "working_weekend_day"  # a Saturday or Sunday worked by a transfer of days off
