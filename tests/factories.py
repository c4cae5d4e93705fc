"""Factories of valid applications; each call makes a new person, so tests never collide in the registry."""

import random
import string
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

from schemas.application import Applicant, Application, IdentityDocument, Translation
from schemas.enums import Certification, DocumentKind, Sex


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
        "issued_on": date.today() - timedelta(days=400),
        "expires_on": date.today() + timedelta(days=3000),
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
        "notarized_on": date.today() - timedelta(days=30),
        "certification": Certification.APOSTILLE,
        "certified_on": date.today() - timedelta(days=7),
    }
    fields.update(overrides)
    return Translation(**fields)


def make_application(**overrides: Any) -> Application:
    """An application at the embassy in Ankara, submitted now, that should get an IIN."""
    fields: dict[str, Any] = {
        "application_id": uuid4(),
        "establishment_id": "emb-tr-ankara",
        "submitted_at": datetime.now(UTC),
        "officer_id": "officer-17",
        "original_compared": True,
        "applicant": make_applicant(),
        "document": make_document(),
    }
    fields.update(overrides)
    return Application(**fields)
