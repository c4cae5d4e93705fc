"""The applicant category claimed and its supporting document: structure only, eligibility is intake's."""

from typing import Any

import pytest
from pydantic import ValidationError

from iin_models.application import Application
from tests.factories import make_application, make_supporting_document


def payload(**overrides: Any) -> dict[str, Any]:
    data = make_application().model_dump()
    data.update(overrides)
    return data


def error_locations(data: dict[str, Any]) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as invalid:
        Application.model_validate(data)
    return [error["loc"] for error in invalid.value.errors()]


def test_an_application_without_category_is_valid() -> None:
    assert Application.model_validate(payload()).category is None


def test_a_category_with_its_document_is_valid() -> None:
    document = make_supporting_document().model_dump()

    application = Application.model_validate(payload(category="spouse_of_citizen", supporting_document=document))

    assert application.supporting_document is not None
    assert application.supporting_document.kind == "marriage_certificate"


@pytest.mark.parametrize("code", ["Spouse", "spouse of citizen", "", "1st", "x" * 65])
def test_a_category_code_is_lower_snake_case(code: str) -> None:
    assert error_locations(payload(category=code)) == [("category",)]


def test_a_supporting_document_without_a_category_is_invalid() -> None:
    document = make_supporting_document().model_dump()

    assert error_locations(payload(supporting_document=document)) == [("supporting_document",)]


def test_a_supporting_document_needs_a_reference() -> None:
    document = {**make_supporting_document().model_dump(), "reference": " "}

    locations = error_locations(payload(category="heir", supporting_document=document))

    assert locations == [("supporting_document", "reference")]
