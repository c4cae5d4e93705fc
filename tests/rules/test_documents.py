"""Whether the filed documents can be relied on: the original, the document's dates, the translation chain.

The translation rule (DOMAIN.md, "Translation, notarization, legalization") follows the state where
the translation was notarized: a Minsk or Chisinau party on the day of the notarial act needs nothing
more; an Apostille party on the day of the apostille needs an apostille; any other state needs
consular legalization. Memberships come from the shipped data/conventions.csv.
"""

from datetime import date
from typing import Any

from iin_models.application import Application
from iin_models.decisions import Finding
from iin_models.enums import Certification, RejectionReason
from rules.documents import document_findings
from tests.factories import make_applicant, make_application, make_document, make_translation
from tests.rules.shipped import MEMBERSHIPS

SUBMISSION = date(2024, 6, 3)  # a Monday inside the 2024 pilot
NOTARIZED = date(2024, 5, 20)
CERTIFIED = date(2024, 5, 27)


def application(**overrides: Any) -> Application:
    """A Turkish applicant with a Latin-script passport valid around the submission day."""
    fields: dict[str, Any] = {
        "applicant": make_applicant(birth_date=date(1985, 3, 14)),
        "document": make_document(issued_on=date(2020, 1, 15), expires_on=date(2030, 1, 14)),
    }
    fields.update(overrides)
    return make_application(**fields)


def translated(*, submission: date = SUBMISSION, holder: str = "CN", **translation: Any) -> list[Finding]:
    """The findings for a `holder` passport (particulars not in Latin or Cyrillic) with the given translation."""
    filed = application(
        applicant=make_applicant(birth_date=date(1985, 3, 14), citizenship=holder),
        document=make_document(
            issuing_state=holder,
            issued_on=date(2020, 1, 15),
            expires_on=date(2030, 1, 14),
            particulars_in_latin_or_cyrillic=False,
        ),
        translation=make_translation(**translation),
    )
    return document_findings(filed, submission, MEMBERSHIPS)


def notarized_only(state: str, on: date = NOTARIZED) -> dict[str, Any]:
    return {
        "notarized_in": state,
        "notarized_on": on,
        "certification": Certification.NONE,
        "certified_on": None,
    }


def apostilled(state: str, notarized_on: date = NOTARIZED, certified_on: date = CERTIFIED) -> dict[str, Any]:
    return {
        "notarized_in": state,
        "notarized_on": notarized_on,
        "certification": Certification.APOSTILLE,
        "certified_on": certified_on,
    }


def legalized(state: str, notarized_on: date = NOTARIZED, certified_on: date = CERTIFIED) -> dict[str, Any]:
    return {
        "notarized_in": state,
        "notarized_on": notarized_on,
        "certification": Certification.CONSULAR_LEGALIZATION,
        "certified_on": certified_on,
    }


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, codes(findings)
    return findings[0]


# The original and the document's own dates.


def test_valid_documents_have_no_findings() -> None:
    assert document_findings(application(), SUBMISSION, MEMBERSHIPS) == []


def test_copy_not_compared_with_the_original_is_unreliable() -> None:
    finding = only(document_findings(application(original_compared=False), SUBMISSION, MEMBERSHIPS))
    assert finding.code == "original_not_compared"
    assert finding.field == "original_compared"
    assert finding.reason is RejectionReason.DOCUMENTS_UNRELIABLE


def test_document_issued_after_the_submission_day_is_not_yet_issued() -> None:
    filed = application(document=make_document(issued_on=date(2024, 6, 4), expires_on=date(2034, 6, 3)))
    finding = only(document_findings(filed, SUBMISSION, MEMBERSHIPS))
    assert finding.code == "document_not_yet_issued"
    assert finding.field == "document.issued_on"


def test_document_issued_on_the_submission_day_is_accepted() -> None:
    filed = application(document=make_document(issued_on=SUBMISSION, expires_on=date(2034, 6, 2)))
    assert document_findings(filed, SUBMISSION, MEMBERSHIPS) == []


def test_document_issued_before_the_holders_birth_is_unreliable() -> None:
    filed = application(
        applicant=make_applicant(birth_date=date(2020, 1, 16)),
        document=make_document(issued_on=date(2020, 1, 15), expires_on=date(2025, 1, 14)),
    )
    finding = only(document_findings(filed, SUBMISSION, MEMBERSHIPS))
    assert finding.code == "document_issued_before_birth"
    assert finding.field == "document.issued_on"


def test_document_issued_on_the_day_of_birth_is_accepted() -> None:
    filed = application(
        applicant=make_applicant(birth_date=date(2020, 1, 15)),
        document=make_document(issued_on=date(2020, 1, 15), expires_on=date(2025, 1, 14)),
    )
    assert document_findings(filed, SUBMISSION, MEMBERSHIPS) == []


def test_document_expired_the_day_before_submission_is_unreliable() -> None:
    filed = application(document=make_document(issued_on=date(2014, 6, 3), expires_on=date(2024, 6, 2)))
    finding = only(document_findings(filed, SUBMISSION, MEMBERSHIPS))
    assert finding.code == "document_expired"
    assert finding.field == "document.expires_on"


def test_document_valid_through_its_expiry_day() -> None:
    filed = application(document=make_document(issued_on=date(2014, 6, 3), expires_on=SUBMISSION))
    assert document_findings(filed, SUBMISSION, MEMBERSHIPS) == []


def test_document_without_expiry_never_expires() -> None:
    filed = application(document=make_document(issued_on=date(1990, 1, 1), expires_on=None))
    assert document_findings(filed, SUBMISSION, MEMBERSHIPS) == []


def test_every_finding_is_reported_not_just_the_first() -> None:
    filed = application(
        original_compared=False,
        document=make_document(issued_on=date(2014, 6, 3), expires_on=date(2024, 6, 2)),
    )
    assert codes(document_findings(filed, SUBMISSION, MEMBERSHIPS)) == ["original_not_compared", "document_expired"]


# Whether a translation is needed at all.


def test_document_in_latin_or_cyrillic_needs_no_translation() -> None:
    filed = application(translation=None)
    assert document_findings(filed, SUBMISSION, MEMBERSHIPS) == []


def test_translation_filed_with_a_latin_document_is_not_checked() -> None:
    filed = application(translation=make_translation(notarized=False, notary=None, **notarized_only("CN")))
    assert document_findings(filed, SUBMISSION, MEMBERSHIPS) == []


def test_document_in_another_script_without_translation_is_unreliable() -> None:
    filed = application(
        document=make_document(
            issued_on=date(2020, 1, 15), expires_on=date(2030, 1, 14), particulars_in_latin_or_cyrillic=False
        ),
        translation=None,
    )
    finding = only(document_findings(filed, SUBMISSION, MEMBERSHIPS))
    assert finding.code == "translation_missing"
    assert finding.field == "translation"
    assert finding.reason is RejectionReason.DOCUMENTS_UNRELIABLE


def test_translation_that_is_not_notarized_is_unreliable() -> None:
    finding = only(
        translated(
            notarized=False,
            notary=None,
            notarized_in=None,
            notarized_on=None,
            certification=Certification.NONE,
            certified_on=None,
        )
    )
    assert finding.code == "translation_not_notarized"
    assert finding.field == "translation.notarized"


def test_notarization_dated_after_submission_is_unreliable() -> None:
    finding = only(translated(**notarized_only("RU", on=date(2024, 6, 4))))
    assert finding.code == "notarization_after_submission"
    assert finding.field == "translation.notarized_on"


def test_notarization_on_the_submission_day_is_accepted() -> None:
    assert translated(**notarized_only("RU", on=SUBMISSION)) == []


# Minsk and Chisinau: the notarized translation suffices.


def test_translation_notarized_in_russia_needs_no_apostille() -> None:
    assert translated(holder="TH", **notarized_only("RU")) == []


def test_translation_notarized_in_georgia_needs_no_apostille() -> None:
    assert translated(**notarized_only("GE")) == []


def test_translation_notarized_in_kazakhstan_needs_no_apostille() -> None:
    assert translated(**notarized_only("KZ")) == []


def test_translation_notarized_in_belarus_needs_no_apostille() -> None:
    assert translated(**notarized_only("BY")) == []


def test_chinese_passport_translated_in_russia_needs_nothing_more() -> None:
    assert translated(**notarized_only("RU")) == []


def test_chinese_passport_translated_in_china_needs_an_apostille() -> None:
    finding = only(translated(**notarized_only("CN")))
    assert finding.code == "certification_missing"
    assert finding.field == "translation.certification"
    assert "apostille" in finding.message


def test_russian_notarization_with_a_superfluous_apostille_is_accepted() -> None:
    assert translated(**apostilled("RU")) == []


def test_ukrainian_notarization_on_28_december_2023_needs_no_apostille() -> None:
    assert translated(**notarized_only("UA", on=date(2023, 12, 28))) == []


def test_ukrainian_notarization_on_29_december_2023_needs_an_apostille() -> None:
    finding = only(translated(**notarized_only("UA", on=date(2023, 12, 29))))
    assert finding.code == "certification_missing"
    assert "apostille" in finding.message


def test_ukrainian_notarization_in_2024_needs_an_apostille() -> None:
    finding = only(translated(**notarized_only("UA")))
    assert finding.code == "certification_missing"
    assert "apostille" in finding.message


def test_ukrainian_notarization_in_2024_with_an_apostille_is_accepted() -> None:
    assert translated(**apostilled("UA")) == []


# The Apostille Convention: membership on the day of the apostille.


def test_chinese_apostille_from_7_november_2023_is_recognised() -> None:
    assert translated(**apostilled("CN", notarized_on=date(2023, 11, 1), certified_on=date(2023, 11, 7))) == []


def test_chinese_apostille_before_7_november_2023_is_not_recognised() -> None:
    finding = only(translated(**apostilled("CN", notarized_on=date(2023, 11, 1), certified_on=date(2023, 11, 6))))
    assert finding.code == "apostille_not_recognised"
    assert finding.field == "translation.certification"


def test_chinese_notarization_before_accession_apostilled_after_it_is_accepted() -> None:
    assert translated(**apostilled("CN", notarized_on=date(2023, 10, 2), certified_on=date(2023, 11, 20))) == []


def test_turkish_apostille_is_recognised() -> None:
    assert translated(**apostilled("TR")) == []


def test_canadian_apostille_from_11_january_2024_is_recognised() -> None:
    assert translated(**apostilled("CA", notarized_on=date(2024, 1, 5), certified_on=date(2024, 1, 11))) == []


def test_canadian_apostille_of_10_january_2024_is_not_recognised() -> None:
    finding = only(translated(**apostilled("CA", notarized_on=date(2024, 1, 5), certified_on=date(2024, 1, 10))))
    assert finding.code == "apostille_not_recognised"


def test_vietnamese_apostille_before_11_september_2026_is_not_recognised() -> None:
    finding = only(
        translated(
            submission=date(2025, 6, 2),
            **apostilled("VN", notarized_on=date(2025, 5, 20), certified_on=date(2025, 5, 27)),
        )
    )
    assert finding.code == "apostille_not_recognised"


def test_german_notarization_without_apostille_needs_one() -> None:
    finding = only(translated(**notarized_only("DE")))
    assert finding.code == "certification_missing"
    assert "apostille" in finding.message


# Neither: consular legalization.


def test_uae_notarization_needs_consular_legalization() -> None:
    finding = only(translated(**notarized_only("AE")))
    assert finding.code == "certification_missing"
    assert finding.field == "translation.certification"
    assert "consular legalization" in finding.message


def test_uae_notarization_with_consular_legalization_is_accepted() -> None:
    assert translated(**legalized("AE")) == []


def test_uae_apostille_is_not_recognised() -> None:
    finding = only(translated(**apostilled("AE")))
    assert finding.code == "apostille_not_recognised"
    assert "consular legalization" in finding.message


def test_qatari_apostille_is_not_recognised() -> None:
    assert codes(translated(**apostilled("QA"))) == ["apostille_not_recognised"]


def test_kuwaiti_notarization_needs_consular_legalization() -> None:
    finding = only(translated(**notarized_only("KW")))
    assert finding.code == "certification_missing"
    assert "consular legalization" in finding.message


def test_consular_legalization_is_accepted_from_an_apostille_state_too() -> None:
    assert translated(**legalized("CN")) == []


# The certification's date.


def test_certification_before_the_notarization_is_inconsistent() -> None:
    finding = only(translated(**apostilled("TR", notarized_on=date(2024, 5, 20), certified_on=date(2024, 5, 19))))
    assert finding.code == "certification_date_inconsistent"
    assert finding.field == "translation.certified_on"


def test_certification_after_the_submission_is_inconsistent() -> None:
    finding = only(translated(**legalized("AE", certified_on=date(2024, 6, 4))))
    assert finding.code == "certification_date_inconsistent"


def test_certification_on_the_day_of_notarization_is_accepted() -> None:
    assert translated(**apostilled("TR", notarized_on=NOTARIZED, certified_on=NOTARIZED)) == []


def test_certification_on_the_submission_day_is_accepted() -> None:
    assert translated(**apostilled("TR", certified_on=SUBMISSION)) == []


def test_memberships_may_be_any_iterable() -> None:
    filed = application(
        document=make_document(
            issued_on=date(2020, 1, 15), expires_on=date(2030, 1, 14), particulars_in_latin_or_cyrillic=False
        ),
        translation=make_translation(**apostilled("CN")),
    )
    assert document_findings(filed, SUBMISSION, iter(MEMBERSHIPS)) == []
