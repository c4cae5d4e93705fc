"""A sample application, for trying the stack: a Chinese applicant at the embassy in Beijing."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from schemas.application import Applicant, Application, IdentityDocument, Translation
from schemas.enums import Certification, DocumentKind, Sex


def sample_application(establishment_id: str = "emb-cn-beijing") -> Application:
    """A valid application submitted now, with a notarized and apostilled translation.

    The passport number and birth date are drawn at random so each run forms a new IIN instead
    of finding the previous run's applicant already registered.
    """
    today = date.today()
    suffix = uuid4()
    birth = date(1980, 1, 1) + timedelta(days=suffix.int % 7000)
    return Application(
        application_id=suffix,
        establishment_id=establishment_id,
        submitted_at=datetime.now(UTC),
        officer_id="consul-demo",
        original_compared=True,
        applicant=Applicant(
            surname="Wang",
            given_names="Xiaoming",
            native_name="王小明",
            sex=Sex.MALE,
            birth_date=birth,
            citizenship="CN",
        ),
        document=IdentityDocument(
            kind=DocumentKind.PASSPORT,
            number=f"E{suffix.int % 10**8:08d}",
            issuing_state="CN",
            issued_on=today - timedelta(days=700),
            expires_on=today + timedelta(days=3000),
            particulars_in_latin_or_cyrillic=False,
        ),
        translation=Translation(
            notarized=True,
            notary="Beijing Notary Office",
            notarized_in="CN",
            notarized_on=today - timedelta(days=20),
            certification=Certification.APOSTILLE,
            certified_on=today - timedelta(days=10),
        ),
    )
