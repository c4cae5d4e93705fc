"""Factories of valid applications; each call makes a new person, so tests never collide in the registry."""

import random
import string
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from clock import SYSTEM_CLOCK
from iin_models.application import Applicant, Application, IdentityDocument, SupportingDocument, Translation
from iin_models.enums import Certification, DocumentKind, Sex


def _name(rng: random.Random) -> str:
    return rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=9))


def make_applicant(**overrides: Any) -> Applicant:
    """A foreign applicant with a fresh random name and birth date."""
    rng = random.Random()
    fields: dict[str, Any] = {
        "surname": _name(rng),
        "given_names": _name(rng),
        "sex": rng.choice(list(Sex)),
        "birth_date": date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50)),
        "citizenship": "TR",
    }
    fields.update(overrides)
    return Applicant(**fields)


def make_document(**overrides: Any) -> IdentityDocument:
    """A passport valid for years around today, with Latin particulars."""
    fields: dict[str, Any] = {
        "kind": DocumentKind.PASSPORT,
        "number": "U" + uuid4().hex[:8].upper(),
        "issuing_state": "TR",
        "issued_on": SYSTEM_CLOCK.now().date() - timedelta(days=400),
        "expires_on": SYSTEM_CLOCK.now().date() + timedelta(days=3000),
        "particulars_in_latin_or_cyrillic": True,
    }
    fields.update(overrides)
    return IdentityDocument(**fields)


def make_translation(**overrides: Any) -> Translation:
    """A translation notarized in China a month ago and apostilled a week ago."""
    fields: dict[str, Any] = {
        "notarized": True,
        "notary": "Notary Office No. 1",
        "notarized_in": "CN",
        "notarized_on": SYSTEM_CLOCK.now().date() - timedelta(days=30),
        "certification": Certification.APOSTILLE,
        "certified_on": SYSTEM_CLOCK.now().date() - timedelta(days=7),
    }
    fields.update(overrides)
    return Translation(**fields)


def make_supporting_document(**overrides: Any) -> SupportingDocument:
    """A marriage certificate issued in 2020: proves the category spouse_of_citizen."""
    fields: dict[str, Any] = {
        "kind": "marriage_certificate",
        "reference": "MC-" + uuid4().hex[:8].upper(),
        "issued_on": date(2020, 6, 1),
    }
    fields.update(overrides)
    return SupportingDocument(**fields)


def make_application(**overrides: Any) -> Application:
    """An application at the embassy in Ankara, submitted now, that should get an IIN."""
    fields: dict[str, Any] = {
        "application_id": uuid4(),
        "establishment_id": "emb-tr-ankara",
        "submitted_at": SYSTEM_CLOCK.now(),
        "officer_id": "officer-17",
        "original_compared": True,
        "applicant": make_applicant(),
        "document": make_document(),
    }
    fields.update(overrides)
    return Application(**fields)


def mrz_for(application: Application, *, td1: bool = False) -> tuple[str, ...]:
    """The MRZ lines (TD3 passport, or TD1 card) that agree with the application, check digits computed."""
    from pycountry import countries

    from rules.mrz import mrz_check_digit
    from rules.names import fold

    def cd(field: str) -> str:
        return str(mrz_check_digit(field))

    def alpha3(alpha2: str) -> str:
        country = countries.get(alpha_2=alpha2)
        assert country is not None
        return str(country.alpha_3)

    applicant, document = application.applicant, application.document
    state, nationality = alpha3(str(document.issuing_state)), alpha3(str(applicant.citizenship))
    names = f"{fold(applicant.surname)}<<{fold(applicant.given_names)}".replace(" ", "<")
    number = document.number.ljust(9, "<")[:9]
    birth = f"{applicant.birth_date:%y%m%d}"
    expiry = "<<<<<<" if document.expires_on is None else f"{document.expires_on:%y%m%d}"
    sex = "M" if applicant.sex is Sex.MALE else "F"
    if td1:
        line1 = f"I<{state}{number}{cd(number)}".ljust(30, "<")
        line2 = f"{birth}{cd(birth)}{sex}{expiry}{cd(expiry)}{nationality}".ljust(29, "<")
        line2 += cd(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
        return line1, line2, names.ljust(30, "<")[:30]
    line2 = f"{number}{cd(number)}{nationality}{birth}{cd(birth)}{sex}{expiry}{cd(expiry)}" + "<" * 15
    line2 += cd(line2[0:10] + line2[13:20] + line2[21:43])
    return f"P<{state}{names}".ljust(44, "<")[:44], line2
