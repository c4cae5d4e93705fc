"""The MRZ check of verification: every check digit, and agreement with each typed field."""

from datetime import timedelta
from typing import Any

import pytest

from iin_models.application import Application
from iin_models.enums import Sex
from rules.mrz_consistency import mrz_findings
from tests.factories import make_applicant, make_application, make_document, mrz_for


def filed(application: Application, lines: tuple[str, ...]) -> Application:
    return application.model_copy(update={"document": application.document.model_copy(update={"mrz": lines})})


def typed(application: Application, *, applicant: dict[str, Any] | None = None, **document: Any) -> Application:
    """The same application with some typed fields changed, its MRZ left as it was."""
    return application.model_copy(
        update={
            "applicant": application.applicant.model_copy(update=applicant or {}),
            "document": application.document.model_copy(update=document),
        }
    )


def codes(application: Application) -> list[tuple[str, str]]:
    return [(f.code, f.field) for f in mrz_findings(application)]


def replace(line: str, position: int, character: str) -> str:
    return line[:position] + character + line[position + 1 :]


def test_application_without_mrz_has_no_mrz_findings() -> None:
    assert codes(make_application()) == []


@pytest.mark.parametrize("td1", [False, True], ids=["td3", "td1"])
def test_mrz_agreeing_with_the_typed_fields_has_no_findings(td1: bool) -> None:
    application = make_application()
    assert codes(filed(application, mrz_for(application, td1=td1))) == []


@pytest.mark.parametrize(
    ("position", "part"),
    [(9, "document_number"), (19, "birth_date"), (27, "expiry_date"), (42, "optional_data"), (43, "composite")],
)
def test_each_failing_td3_check_digit_is_named(position: int, part: str) -> None:
    application = make_application()
    line1, line2 = mrz_for(application)
    wrong = "0" if line2[position] != "0" else "1"
    if part == "optional_data":  # a filled optional data field, with a wrong check digit
        line2 = line2[:28] + "AB12345<<<<<<<" + wrong + line2[43]

    findings = codes(filed(application, (line1, replace(line2, position, wrong))))

    assert findings == [("mrz_check_digit", f"document.mrz.{part}")]


@pytest.mark.parametrize(("line", "position", "part"), [(0, 14, "document_number"), (1, 29, "composite")])
def test_each_failing_td1_check_digit_is_named(line: int, position: int, part: str) -> None:
    application = make_application()
    lines = list(mrz_for(application, td1=True))
    lines[line] = replace(lines[line], position, "0" if lines[line][position] != "0" else "1")

    assert codes(filed(application, tuple(lines))) == [("mrz_check_digit", f"document.mrz.{part}")]


def test_mrz_of_the_wrong_shape_is_unreadable() -> None:
    application = make_application()
    line1, line2 = mrz_for(application)

    assert codes(filed(application, (line1[:40], line2[:40]))) == [("mrz_unreadable", "document.mrz")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": "X1234567"}, "document.number"),
        ({"issuing_state": "DE"}, "document.issuing_state"),
        ({"expires_on": None}, "document.expires_on"),
        ({"applicant": {"citizenship": "DE"}}, "applicant.citizenship"),
        ({"applicant": {"birth_date": "shifted"}}, "applicant.birth_date"),
        ({"applicant": {"sex": "other"}}, "applicant.sex"),
        ({"applicant": {"surname": "Someoneelse"}}, "applicant.surname"),
        ({"applicant": {"given_names": "Someoneelse"}}, "applicant.given_names"),
    ],
)
def test_each_typed_field_the_mrz_contradicts_is_named(change: dict[str, Any], field: str) -> None:
    application = make_application()
    lines = mrz_for(application)
    applicant_change = dict(change.pop("applicant", {}))
    if applicant_change.get("birth_date") == "shifted":
        applicant_change["birth_date"] = application.applicant.birth_date - timedelta(days=1)
    if applicant_change.get("sex") == "other":
        applicant_change["sex"] = Sex.MALE if application.applicant.sex is Sex.FEMALE else Sex.FEMALE

    findings = codes(filed(typed(application, applicant=applicant_change, **change), lines))

    assert findings == [("mrz_mismatch", field)]


@pytest.mark.parametrize(
    ("surname", "given_names", "in_mrz"),
    [
        ("Иванов", "Иван", "IVANOV<<IVAN"),  # ICAO 9303, current Russian passports
        ("Щербакова", "Юлия", "SHCHERBAKOVA<<YULIYA"),  # MVD 782-2000, older passports
        ("Müller", "Jürgen", "MUELLER<<JUERGEN"),  # ICAO's two-letter Latin transliteration
        ("Müller", "Jürgen", "MULLER<<JURGEN"),  # or the plain letter
        ("O'Brien", "Mary-Ann", "OBRIEN<<MARY<ANN"),
    ],
)
def test_typed_names_agree_with_their_mrz_spelling(surname: str, given_names: str, in_mrz: str) -> None:
    application = make_application(applicant=make_applicant(surname=surname, given_names=given_names))
    line1, line2 = mrz_for(application)

    assert codes(filed(application, ((line1[:5] + in_mrz).ljust(44, "<"), line2))) == []


def test_swapped_typed_names_disagree_with_the_mrz() -> None:
    application = make_application()
    swapped = typed(
        application,
        applicant={"surname": application.applicant.given_names, "given_names": application.applicant.surname},
    )

    assert codes(filed(swapped, mrz_for(application))) == [
        ("mrz_mismatch", "applicant.surname"),
        ("mrz_mismatch", "applicant.given_names"),
    ]


def test_patronymic_among_the_mrz_given_names_agrees() -> None:
    application = make_application(
        applicant=make_applicant(surname="Петров", given_names="Пётр", patronymic="Ильич", citizenship="RU"),
        document=make_document(issuing_state="RU"),
    )
    line1, line2 = mrz_for(application)

    assert codes(filed(application, (line1[:5] + "PETROV<<PETR<ILICH".ljust(39, "<"), line2))) == []


def test_name_cut_at_the_end_of_the_mrz_agrees() -> None:
    long_given = "Alexandrina Maximiliana Konstantina"
    application = make_application(applicant=make_applicant(surname="Wolfeschlegelstein", given_names=long_given))
    line1, line2 = mrz_for(application)

    assert len(line1) == 44 and not line1.endswith("<")
    assert codes(filed(application, (line1, line2))) == []


def test_unspecified_sex_in_the_mrz_agrees_with_either() -> None:
    application = make_application()
    line1, line2 = mrz_for(application)
    # The sex is outside every check digit, the composite too.
    assert codes(filed(application, (line1, replace(line2, 20, "<")))) == []


def test_document_without_expiry_agrees_with_a_filler_expiry() -> None:
    application = make_application(document=make_document(expires_on=None))

    assert codes(filed(application, mrz_for(application))) == []
