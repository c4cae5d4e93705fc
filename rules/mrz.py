"""Machine readable zones of ICAO Doc 9303: TD3 passports (2 x 44) and TD1 identity cards (3 x 30)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

_MRZ_LINE = re.compile(r"[A-Z0-9<]*")
_WEIGHTS = (7, 3, 1)
FILLER = "<"


class MrzError(ValueError):
    """An MRZ that cannot be read; `field` names the part that failed ('format' for the layout)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class MrzData:
    """What an MRZ says, with the filler '<' taken out.

    Names have their words separated by single spaces. State codes are as written, without filler
    (Germany is 'D'). Dates are YYMMDD as written; `expand_yymmdd` gives them a century.
    """

    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: str
    sex: str  # 'M', 'F' or 'X' (unspecified, '<' in the MRZ)
    expiry_date: str
    optional_data: str


def _character_value(character: str) -> int:
    if character.isdigit():
        return int(character)
    if character == FILLER:
        return 0
    return ord(character) - ord("A") + 10


def mrz_check_digit(field: str) -> int:
    """Return the ICAO 9303 check digit of an MRZ field.

    Digits count as themselves, A-Z as 10-35 and the filler '<' as 0, weighted 7, 3, 1 repeating; the
    check digit is the sum mod 10. Raises ValueError for any other character.
    """
    if not _MRZ_LINE.fullmatch(field):
        raise ValueError(f"not MRZ characters: {field!r}")
    return sum(_character_value(character) * _WEIGHTS[i % 3] for i, character in enumerate(field)) % 10


def _check(field: str, value: str, digit: str) -> None:
    if not digit.isdigit():
        raise MrzError(field, f"check digit {digit!r} is not a digit")
    if mrz_check_digit(value) != int(digit):
        raise MrzError(field, f"check digit {digit} does not match {value!r}")


def _unfilled(value: str) -> str:
    return value.strip(FILLER)


def _words(value: str) -> str:
    return " ".join(value.replace(FILLER, " ").split())


def _names(name_field: str) -> tuple[str, str]:
    # The primary identifier (surname) ends at the first '<<'; the secondary one (given names) may be
    # absent.
    surname, _, given_names = name_field.partition(FILLER * 2)
    return _words(surname), _words(given_names)


def _sex(code: str) -> str:
    if code in "MF":
        return code
    if code in (FILLER, "X"):
        return "X"
    raise MrzError("sex", f"sex must be M, F, X or '<', got {code!r}")


def _check_format(lines: Sequence[str]) -> None:
    shape = tuple(len(line) for line in lines)
    if shape not in ((44, 44), (30, 30, 30)):
        raise MrzError("format", f"expected 2 lines of 44 (TD3) or 3 lines of 30 (TD1), got lengths {shape}")
    for number, line in enumerate(lines, start=1):
        if not _MRZ_LINE.fullmatch(line):
            raise MrzError("format", f"line {number} has characters other than A-Z, 0-9 and '<'")


def _parse_td3(line1: str, line2: str) -> MrzData:
    if line1[0] != "P":
        # An MRV-A visa has the same size but another second line.
        raise MrzError("format", f"a 44-character MRZ must be a passport's (P), got {line1[:2]!r}")
    _check("document_number", line2[0:9], line2[9])
    _check("birth_date", line2[13:19], line2[19])
    sex = _sex(line2[20])
    _check("expiry_date", line2[21:27], line2[27])
    optional_data = line2[28:42]
    # Where there is no optional data its check digit may be the filler as well.
    if not (line2[42] == FILLER and _unfilled(optional_data) == ""):
        _check("optional_data", optional_data, line2[42])
    _check("composite", line2[0:10] + line2[13:20] + line2[21:43], line2[43])
    surname, given_names = _names(line1[5:44])
    return MrzData(
        document_type=_unfilled(line1[0:2]),
        issuing_state=_unfilled(line1[2:5]),
        surname=surname,
        given_names=given_names,
        document_number=_unfilled(line2[0:9]),
        nationality=_unfilled(line2[10:13]),
        birth_date=line2[13:19],
        sex=sex,
        expiry_date=line2[21:27],
        optional_data=_unfilled(optional_data),
    )


def _td1_document_number(line1: str) -> tuple[str, str]:
    """Return the TD1 document number and the first optional data element."""
    if line1[14] != FILLER:
        _check("document_number", line1[5:14], line1[14])
        return _unfilled(line1[5:14]), _unfilled(line1[15:30])
    # A number longer than 9 characters: its first 9 in positions 6-14, a filler in 15, the rest in the
    # optional data followed by the check digit of the whole number, then fillers.
    overflow, _, rest = line1[15:30].partition(FILLER)
    if not overflow:
        raise MrzError("document_number", "check digit is missing")
    number = line1[5:14] + overflow[:-1]
    _check("document_number", number, overflow[-1])
    return number, _unfilled(rest)


def _parse_td1(line1: str, line2: str, line3: str) -> MrzData:
    document_number, optional_data_1 = _td1_document_number(line1)
    _check("birth_date", line2[0:6], line2[6])
    sex = _sex(line2[7])
    _check("expiry_date", line2[8:14], line2[14])
    _check("composite", line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29], line2[29])
    surname, given_names = _names(line3)
    return MrzData(
        document_type=_unfilled(line1[0:2]),
        issuing_state=_unfilled(line1[2:5]),
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        nationality=_unfilled(line2[15:18]),
        birth_date=line2[0:6],
        sex=sex,
        expiry_date=line2[8:14],
        # TD1 has two optional data elements (lines 1 and 2), joined here by one filler when both exist.
        optional_data=FILLER.join(part for part in (optional_data_1, _unfilled(line2[18:29])) if part),
    )


def parse_mrz(lines: Sequence[str]) -> MrzData:
    """Read a TD3 (2 lines of 44) or TD1 (3 lines of 30) machine readable zone.

    Every check digit is verified, in the order the fields appear. Raises MrzError naming the first
    part that failed: 'format' (line count, length or characters; or a 44-character MRZ that is not a
    passport's), 'document_number', 'birth_date', 'sex', 'expiry_date', 'optional_data' (TD3) or
    'composite'. Dates are not checked for being real dates.
    """
    _check_format(lines)
    if len(lines) == 2:
        return _parse_td3(lines[0], lines[1])
    return _parse_td1(lines[0], lines[1], lines[2])


def expand_yymmdd(value: str, *, past_only: bool, reference: date) -> date:
    """Give an MRZ date YYMMDD its century.

    With `past_only` (birth dates) the result is the latest such date not after `reference`;
    otherwise (expiry dates) the one nearest to `reference`, within 50 years of it. Only the centuries
    next to the reference's are tried, and a 29 February skips those where it does not exist. Raises
    ValueError unless `value` is six digits and such a date exists.
    """
    if not (len(value) == 6 and value.isascii() and value.isdigit()):
        raise ValueError(f"expected YYMMDD, got {value!r}")
    year, month, day = int(value[0:2]), int(value[2:4]), int(value[4:6])
    century = reference.year // 100 * 100
    candidates = []
    for offset in (-100, 0, 100):
        try:
            candidates.append(date(century + offset + year, month, day))
        except ValueError:
            continue  # 29 February of a non-leap century year, or no such day at all
    if past_only:
        candidates = [candidate for candidate in candidates if candidate <= reference]
    if not candidates:
        raise ValueError(f"{value!r} is not a date")
    if past_only:
        return max(candidates)
    return min(candidates, key=lambda candidate: abs(candidate - reference))
