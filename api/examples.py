"""Examples the OpenAPI document gives for request bodies: what a backend sends, valid as it stands."""

from typing import Any

from fastapi.openapi.models import Example

_PASSPORT: dict[str, Any] = {
    "application_id": "5cc2b6a0-3f4e-4d7c-9b1a-2e8f6d4c1a90",
    "establishment_id": "emb-tr-ankara",
    "submitted_at": "2026-11-24T09:30:00Z",
    "officer_id": "officer-17",
    "original_compared": True,
    "applicant": {
        "surname": "YILMAZ",
        "given_names": "AYSE",
        "sex": "female",
        "birth_date": "1991-04-12",
        "citizenship": "TR",
    },
    "document": {
        "kind": "passport",
        "number": "U12345678",
        "issuing_state": "TR",
        "issued_on": "2022-03-01",
        "expires_on": "2032-03-01",
        "particulars_in_latin_or_cyrillic": True,
    },
}

APPLICATION: dict[str, Example] = {
    "passport": Example(
        summary="A Turkish citizen's passport at the embassy in Ankara",
        description="The fields every application has; the officer compared the copy with the original.",
        value=_PASSPORT,
    ),
    "native_name": Example(
        summary="With the name in the document's own script",
        value=_PASSPORT
        | {
            "application_id": "0b9f7c52-8d0e-4a8e-a1f3-6c2d9e4b7a15",
            "applicant": _PASSPORT["applicant"] | {"native_name": "Ayşe Yılmaz"},
        },
    ),
}
