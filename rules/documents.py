"""Whether the filed documents can be relied on: validity, the original, the translation chain.

The translation rule follows the state where the translation was notarized (DOMAIN.md):
- a party to the Minsk (1993) or Chisinau (2002) convention on the day of the notarial act:
  the notarized translation suffices;
- a party to the Apostille Convention on the day the apostille was issued: an apostille;
- otherwise: consular legalization.
Consular legalization is accepted from any state: it is the general route an apostille replaces.
"""

from collections.abc import Iterable
from datetime import date

from iin_models.application import Application, Translation
from iin_models.decisions import Finding
from iin_models.enums import Certification, Convention, RejectionReason
from rules.conventions import EXEMPTING_CONVENTIONS, Membership, conventions_on


def _unreliable(code: str, field: str, message: str) -> Finding:
    return Finding(reason=RejectionReason.DOCUMENTS_UNRELIABLE, code=code, field=field, message=message)


def document_findings(
    application: Application, submission_day: date, memberships: Iterable[Membership]
) -> list[Finding]:
    """Every reason the documents of `application` are unreliable on `submission_day`."""
    findings: list[Finding] = []
    document = application.document
    if not application.original_compared:
        findings.append(
            _unreliable("original_not_compared", "original_compared", "the original was not compared with the copy")
        )
    if document.issued_on > submission_day:
        findings.append(
            _unreliable("document_not_yet_issued", "document.issued_on", "the document is dated after the submission")
        )
    if document.issued_on < application.applicant.birth_date:
        findings.append(
            _unreliable(
                "document_issued_before_birth",
                "document.issued_on",
                "the document predates the holder's birth",
            )
        )
    if document.expires_on is not None and document.expires_on < submission_day:
        findings.append(
            _unreliable("document_expired", "document.expires_on", "the document had expired on the day of submission")
        )
    if not document.particulars_in_latin_or_cyrillic:
        findings.extend(_translation_findings(application.translation, submission_day, list(memberships)))
    return findings


def _translation_findings(
    translation: Translation | None, submission_day: date, memberships: list[Membership]
) -> list[Finding]:
    if translation is None:
        return [
            _unreliable(
                "translation_missing",
                "translation",
                "the particulars are not in Latin or Cyrillic letters and no translation was filed",
            )
        ]
    if not translation.notarized:
        return [_unreliable("translation_not_notarized", "translation.notarized", "the translation is not notarized")]
    # The schema guarantees these once a translation is notarized.
    assert translation.notarized_in is not None and translation.notarized_on is not None
    if translation.notarized_on > submission_day:
        return [
            _unreliable(
                "notarization_after_submission",
                "translation.notarized_on",
                "the notarization is dated after submission",
            )
        ]
    state = str(translation.notarized_in)
    if conventions_on(memberships, state, translation.notarized_on) & EXEMPTING_CONVENTIONS:
        return []
    return _certification_findings(translation, state, submission_day, memberships)


def _certification_findings(
    translation: Translation, state: str, submission_day: date, memberships: list[Membership]
) -> list[Finding]:
    assert translation.notarized_on is not None
    certified_on = translation.certified_on
    if translation.certification is Certification.NONE or certified_on is None:
        needed = (
            "an apostille"
            if Convention.APOSTILLE_1961 in conventions_on(memberships, state, submission_day)
            else "consular legalization"
        )
        return [
            _unreliable(
                "certification_missing",
                "translation.certification",
                f"a translation notarized in {state} needs {needed}",
            )
        ]
    if certified_on < translation.notarized_on or certified_on > submission_day:
        return [
            _unreliable(
                "certification_date_inconsistent",
                "translation.certified_on",
                "the certification must fall between the notarization and the submission",
            )
        ]
    if translation.certification is Certification.APOSTILLE and Convention.APOSTILLE_1961 not in conventions_on(
        memberships, state, certified_on
    ):
        return [
            _unreliable(
                "apostille_not_recognised",
                "translation.certification",
                f"{state} was not a party to the Apostille Convention on {certified_on.isoformat()};"
                " consular legalization is needed",
            )
        ]
    return []
