"""Structural validation of what an officer submits: each error names the field it concerns.

Cross-field rules (expiry after issue, the notarial particulars) are checked by model validators, so
their error is located at the model that holds the fields and names the fields in its message.
"""

from datetime import date, datetime
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from iin_models.application import Applicant, Application, IdentityDocument, Translation
from iin_models.enums import Certification
from tests.factories import make_applicant, make_application, make_document, make_translation

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


def payload(**overrides: Any) -> dict[str, Any]:
    """A valid application as plain data, with top-level fields replaced."""
    data = make_application(translation=make_translation()).model_dump()
    data.update(overrides)
    return data


def with_nested(part: str, **overrides: Any) -> dict[str, Any]:
    """A valid application as plain data, with fields of `part` (applicant, document, translation) replaced."""
    data = payload()
    data[part] = {**data[part], **overrides}
    return data


def error_of(data: dict[str, Any]) -> dict[str, Any]:
    """The single validation error for `data`."""
    with pytest.raises(ValidationError) as caught:
        Application.model_validate(data)
    errors = caught.value.errors()
    assert len(errors) == 1, errors
    return dict(errors[0])


def locations(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[int | str, ...]]:
    return [tuple(error["loc"]) for error in exc.value.errors()]


# The whole application.


def test_factory_application_is_valid() -> None:
    data = payload()
    assert Application.model_validate(data).application_id == data["application_id"]


def test_application_round_trips_through_json() -> None:
    application = make_application(translation=make_translation())
    assert Application.model_validate_json(application.model_dump_json()) == application


def test_naive_submitted_at_is_rejected() -> None:
    assert error_of(payload(submitted_at=datetime(2024, 6, 3, 10, 0)))["loc"] == ("submitted_at",)


def test_application_id_must_be_a_uuid() -> None:
    assert error_of(payload(application_id="not-a-uuid"))["loc"] == ("application_id",)


def test_establishment_id_with_a_space_is_rejected() -> None:
    assert error_of(payload(establishment_id="emb tr ankara"))["loc"] == ("establishment_id",)


def test_officer_id_must_not_be_empty() -> None:
    assert error_of(payload(officer_id="  "))["loc"] == ("officer_id",)


def test_unknown_field_is_forbidden() -> None:
    error = error_of(payload(nickname="Ann"))
    assert error["loc"] == ("nickname",)
    assert error["type"] == "extra_forbidden"


def test_unknown_nested_field_is_forbidden() -> None:
    error = error_of(with_nested("applicant", nickname="Ann"))
    assert error["loc"] == ("applicant", "nickname")
    assert error["type"] == "extra_forbidden"


def test_application_is_immutable() -> None:
    application = make_application()
    with pytest.raises(ValidationError):
        application.original_compared = False  # type: ignore[misc]


def test_translation_is_optional() -> None:
    assert Application.model_validate(payload(translation=None)).translation is None


def test_idempotency_key_is_kept_as_given() -> None:
    key = uuid4()
    assert Application.model_validate(payload(application_id=str(key))).application_id == key


# The applicant.


def test_unknown_citizenship_is_rejected() -> None:
    assert error_of(with_nested("applicant", citizenship="XX"))["loc"] == ("applicant", "citizenship")


def test_citizenship_must_be_alpha2_not_alpha3() -> None:
    assert error_of(with_nested("applicant", citizenship="TUR"))["loc"] == ("applicant", "citizenship")


def test_surname_with_a_digit_is_rejected() -> None:
    assert error_of(with_nested("applicant", surname="Ivan0v"))["loc"] == ("applicant", "surname")


def test_given_names_with_a_symbol_are_rejected() -> None:
    assert error_of(with_nested("applicant", given_names="Anna@Maria"))["loc"] == ("applicant", "given_names")


def test_patronymic_with_a_digit_is_rejected() -> None:
    assert error_of(with_nested("applicant", patronymic="Petrovich2"))["loc"] == ("applicant", "patronymic")


def test_blank_surname_is_rejected() -> None:
    assert error_of(with_nested("applicant", surname="   "))["loc"] == ("applicant", "surname")


def test_surname_longer_than_100_characters_is_rejected() -> None:
    assert error_of(with_nested("applicant", surname="A" * 101))["loc"] == ("applicant", "surname")


@pytest.mark.parametrize("name", ["O'Neil", "O’Neil", "Jean-Luc", "Иванов", "Қайрат", "Nguyễn Văn", "Jr."])
def test_names_of_any_script_with_their_separators_are_accepted(name: str) -> None:
    assert make_applicant(surname=name).surname == name


def test_surname_is_stripped_of_surrounding_spaces() -> None:
    assert make_applicant(surname="  Eriksson ").surname == "Eriksson"


@pytest.mark.parametrize("name", ["Anna  Maria", "-Anna", "Anna-", "Anna--Maria"])
def test_names_with_doubled_or_dangling_separators_are_rejected(name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_applicant(given_names=name)
    assert locations(caught) == [("given_names",)]


def test_native_name_may_be_in_any_script() -> None:
    assert make_applicant(native_name="王小明").native_name == "王小明"


def test_native_name_with_a_control_character_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        make_applicant(native_name="王\x00小明")
    assert locations(caught) == [("native_name",)]


def test_unknown_sex_is_rejected() -> None:
    assert error_of(with_nested("applicant", sex="x"))["loc"] == ("applicant", "sex")


def test_birth_date_must_be_a_date() -> None:
    assert error_of(with_nested("applicant", birth_date="14.03.1985"))["loc"] == ("applicant", "birth_date")


def test_applicant_rejects_unknown_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        Applicant.model_validate({**make_applicant().model_dump(), "iin": "850314300015"})
    assert locations(caught) == [("iin",)]


# The identity document.


def test_document_number_in_lower_case_is_upper_cased() -> None:
    assert make_document(number="u1234567").number == "U1234567"


def test_document_number_is_stripped_of_surrounding_spaces() -> None:
    assert make_document(number=" U1234567 ").number == "U1234567"


@pytest.mark.parametrize("number", ["U-1234567", "U 1234567", "№1234567", ""])
def test_document_number_of_other_characters_is_rejected(number: str) -> None:
    assert error_of(with_nested("document", number=number))["loc"] == ("document", "number")


def test_document_number_longer_than_20_characters_is_rejected() -> None:
    assert error_of(with_nested("document", number="U" * 21))["loc"] == ("document", "number")


def test_unknown_issuing_state_is_rejected() -> None:
    assert error_of(with_nested("document", issuing_state="XX"))["loc"] == ("document", "issuing_state")


def test_unknown_document_kind_is_rejected() -> None:
    assert error_of(with_nested("document", kind="driving_licence"))["loc"] == ("document", "kind")


def test_expiry_before_issue_is_rejected() -> None:
    error = error_of(with_nested("document", issued_on=date(2020, 1, 15), expires_on=date(2020, 1, 14)))
    assert error["loc"] == ("document", "expires_on")


def test_expiry_on_the_issue_day_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        make_document(issued_on=date(2020, 1, 15), expires_on=date(2020, 1, 15))
    assert locations(caught) == [("expires_on",)]


def test_expiry_the_day_after_issue_is_accepted() -> None:
    assert make_document(issued_on=date(2020, 1, 15), expires_on=date(2020, 1, 16)).expires_on == date(2020, 1, 16)


def test_document_without_expiry_is_accepted() -> None:
    assert make_document(expires_on=None).expires_on is None


def test_passport_mrz_of_two_lines_is_accepted() -> None:
    assert make_document(mrz=TD3).mrz == TD3


def test_id_card_mrz_of_three_lines_is_accepted() -> None:
    assert make_document(mrz=TD1).mrz == TD1


def test_mrz_of_one_line_is_rejected() -> None:
    error = error_of(with_nested("document", mrz=(TD3[1],)))
    assert error["loc"] == ("document", "mrz")
    assert error["type"] == "too_short"


def test_mrz_of_four_lines_is_rejected() -> None:
    assert error_of(with_nested("document", mrz=(*TD1, TD1[0])))["loc"] == ("document", "mrz")


def test_mrz_line_shorter_than_30_characters_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        make_document(mrz=(TD3[0], TD3[1][:29]))
    assert locations(caught)[0] == ("mrz", 1)


def test_mrz_line_with_a_space_is_rejected() -> None:
    with pytest.raises(ValidationError) as caught:
        make_document(mrz=(TD3[0].replace("<<", "  ", 1), TD3[1]))
    assert locations(caught)[0] == ("mrz", 0)


def test_mrz_in_lower_case_is_upper_cased() -> None:
    assert make_document(mrz=tuple(line.lower() for line in TD3)).mrz == TD3


def test_identity_document_rejects_unknown_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        IdentityDocument.model_validate({**make_document().model_dump(), "photo": "..."})
    assert locations(caught) == [("photo",)]


# The translation.


@pytest.mark.parametrize(
    "control", ["\x00", "\x07", "\n", "\t", "\x1b", "\x7f", "\x85", "\x9f"], ids=lambda c: f"U+{ord(c):04X}"
)
def test_notary_with_a_control_character_is_rejected(control: str) -> None:
    error = error_of(with_nested("translation", notary=f"Notary{control}Office No. 1"))
    assert error["loc"] == ("translation", "notary")


def test_notary_longer_than_200_characters_is_rejected() -> None:
    assert error_of(with_nested("translation", notary="N" * 201))["loc"] == ("translation", "notary")


def test_notary_may_use_any_script() -> None:
    assert make_translation(notary="北京市公证处").notary == "北京市公证处"


@pytest.mark.parametrize("missing", ["notary", "notarized_in", "notarized_on"])
def test_notarized_translation_needs_its_notarial_particulars(missing: str) -> None:
    error = error_of(with_nested("translation", **{missing: None}))
    assert error["loc"] == ("translation", missing)


def test_translation_that_is_not_notarized_needs_no_notary() -> None:
    translation = make_translation(
        notarized=False,
        notary=None,
        notarized_in=None,
        notarized_on=None,
        certification=Certification.NONE,
        certified_on=None,
    )
    assert translation.notary is None


def test_unknown_notarization_state_is_rejected() -> None:
    assert error_of(with_nested("translation", notarized_in="XX"))["loc"] == ("translation", "notarized_in")


@pytest.mark.parametrize("certification", [Certification.APOSTILLE, Certification.CONSULAR_LEGALIZATION])
def test_certification_needs_its_date(certification: Certification) -> None:
    error = error_of(with_nested("translation", certification=certification, certified_on=None))
    assert error["loc"] == ("translation", "certified_on")


def test_certification_date_without_certification_is_rejected() -> None:
    error = error_of(with_nested("translation", certification=Certification.NONE, certified_on=date(2024, 5, 27)))
    assert error["loc"] == ("translation", "certified_on")


def test_unknown_certification_is_rejected() -> None:
    assert error_of(with_nested("translation", certification="stamp"))["loc"] == ("translation", "certification")


def test_translation_rejects_unknown_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        Translation.model_validate({**make_translation().model_dump(), "translator": "A. Smith"})
    assert locations(caught) == [("translator",)]
