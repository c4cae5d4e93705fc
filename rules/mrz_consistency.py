"""Whether a document's machine readable zone can be read and agrees with what the officer typed.

Every ICAO 9303 check digit must hold (`rules.mrz.parse_mrz`), and the MRZ must say what the
application says: document number, birth date, expiry, sex, nationality (the applicant's
citizenship), issuing state and names. Names are compared after folding to the MRZ's alphabet in
every spelling the typed name may have had in documents (`rules.names.spelling_variants`), so a
surname typed 'Иванов' agrees with 'IVANOV' in the MRZ, and 'Müller' with 'MUELLER' or 'MULLER'.
Findings name the typed field the MRZ disagrees with and never quote either value: statuses carry
no personal data.
"""

from collections.abc import Sequence

from iin_models.application import Application
from iin_models.decisions import Finding
from iin_models.enums import RejectionReason, Sex
from rules.countries import alpha3_to_alpha2
from rules.mrz import FILLER, MrzData, MrzError, parse_mrz
from rules.names import spelling_variants

MRZ_FIELD = "document.mrz"
# ICAO Doc 9303 Part 3, transliteration of Latin letters with diacritics: these may be written with
# two letters in an MRZ (Ü -> UE), where anyascii folds them to one (Ü -> U). Both are accepted.
_ICAO_LATIN = str.maketrans(
    {
        "Ä": "AE",
        "Å": "AA",
        "Æ": "AE",
        "Ö": "OE",
        "Ø": "OE",
        "Ü": "UE",
        "ß": "SS",
        "Þ": "TH",
        "Ĳ": "IJ",
        "Œ": "OE",
    }
)
_SEX_CODES = {Sex.MALE: "M", Sex.FEMALE: "F"}
_NO_EXPIRY = FILLER * 6


def _unreliable(code: str, field: str, message: str) -> Finding:
    return Finding(reason=RejectionReason.DOCUMENTS_UNRELIABLE, code=code, field=field, message=message)


def _mismatch(field: str, what: str) -> Finding:
    return _unreliable("mrz_mismatch", field, f"the machine readable zone gives another {what}")


def _spellings(name: str) -> frozenset[str]:
    return spelling_variants(name) | spelling_variants(name.upper().translate(_ICAO_LATIN))


def _name_agrees(typed: str, in_mrz: str, *, truncated: bool) -> bool:
    # A name too long for the MRZ is cut at the end of the name field (ICAO 9303 Part 3, 4.6).
    return any(s == in_mrz or (truncated and in_mrz and s.startswith(in_mrz)) for s in _spellings(typed))


def _name_field(lines: Sequence[str]) -> str:
    return lines[0][5:] if len(lines) == 2 else lines[2]


def _name_findings(application: Application, mrz: MrzData, lines: Sequence[str]) -> list[Finding]:
    applicant = application.applicant
    truncated = not _name_field(lines).endswith(FILLER)
    findings = []
    if not _name_agrees(applicant.surname, mrz.surname, truncated=truncated and not mrz.given_names):
        findings.append(_mismatch("applicant.surname", "surname"))
    # Some states write the patronymic among the given names in the MRZ, most leave it out.
    given_forms = [applicant.given_names]
    if applicant.patronymic:
        given_forms.append(f"{applicant.given_names} {applicant.patronymic}")
    if not any(_name_agrees(form, mrz.given_names, truncated=truncated) for form in given_forms):
        findings.append(_mismatch("applicant.given_names", "given names"))
    return findings


def _date_agrees(typed: str, in_mrz: str) -> bool:
    # An unknown day or month is written as filler (ICAO 9303 Part 3, 4.7): compare the digits given.
    return all(m in (FILLER, t) for t, m in zip(typed, in_mrz, strict=True))


def _field_findings(application: Application, mrz: MrzData) -> list[Finding]:
    applicant, document = application.applicant, application.document
    findings = []
    if mrz.document_number != document.number:
        findings.append(_mismatch("document.number", "document number"))
    if alpha3_to_alpha2(mrz.issuing_state) != str(document.issuing_state):
        findings.append(_mismatch("document.issuing_state", "issuing state"))
    if alpha3_to_alpha2(mrz.nationality) != str(applicant.citizenship):
        findings.append(_mismatch("applicant.citizenship", "nationality"))
    if not _date_agrees(f"{applicant.birth_date:%y%m%d}", mrz.birth_date):
        findings.append(_mismatch("applicant.birth_date", "birth date"))
    typed_expiry = _NO_EXPIRY if document.expires_on is None else f"{document.expires_on:%y%m%d}"
    if mrz.expiry_date != typed_expiry:
        findings.append(_mismatch("document.expires_on", "expiry date"))
    # 'X' (unspecified) states nothing the typed sex could contradict.
    if mrz.sex != "X" and mrz.sex != _SEX_CODES[applicant.sex]:
        findings.append(_mismatch("applicant.sex", "sex"))
    return findings


def mrz_findings(application: Application) -> list[Finding]:
    """Every reason the document's MRZ makes it unreliable; none when no MRZ was filed.

    An unreadable MRZ (layout, characters, sex code) is 'mrz_unreadable' on `document.mrz`; a failed
    check digit is 'mrz_check_digit' on `document.mrz.<part>` (document_number, birth_date,
    expiry_date, optional_data, composite), the first in the order the MRZ is read; a readable MRZ
    that disagrees with a typed field is 'mrz_mismatch' on that field, one finding per field.
    """
    lines = application.document.mrz
    if lines is None:
        return []
    try:
        mrz = parse_mrz(lines)
    except MrzError as error:
        if error.field in ("format", "sex"):
            return [_unreliable("mrz_unreadable", MRZ_FIELD, f"the machine readable zone cannot be read: {error}")]
        return [
            _unreliable(
                "mrz_check_digit",
                f"{MRZ_FIELD}.{error.field}",
                f"a check digit of the machine readable zone fails ({error.field})",
            )
        ]
    return _field_findings(application, mrz) + _name_findings(application, mrz, lines)
