"""The Kazakh IIN: 12 digits `YYMMDD C SSSS K` (birth date, century and sex, serial, check digit)."""

from collections.abc import Iterator
from datetime import date

from iin_models.enums import Sex

MAX_SERIAL = 9999

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# A remainder of 10 cannot be written as one digit: it sends the first pass to the second, and a
# second 10 means the number is never issued.
_NO_DIGIT = 10
# The first digit of each century's male/female pair; the female digit is the next one.
_CENTURY_MALE_DIGIT = {18: 1, 19: 3, 20: 5}


def _is_ascii_digits(text: str, length: int) -> bool:
    # str.isdigit alone accepts non-ASCII digits such as '²' or '٣'.
    return len(text) == length and text.isascii() and text.isdigit()


def _weighted_remainder(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True)) % 11


def check_digit(first_eleven: str) -> int | None:
    """Return the check digit for the first 11 digits of an IIN, or None if no digit can be given.

    The first pass weighs the digits 1..11; if its remainder mod 11 is 10, a second pass weighs them
    3..11, 1, 2. If that is 10 too, the number is never issued.
    Raises ValueError unless `first_eleven` is exactly 11 ASCII digits.
    """
    if not _is_ascii_digits(first_eleven, 11):
        raise ValueError(f"expected 11 digits, got {first_eleven!r}")
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = _weighted_remainder(first_eleven, weights)
        if remainder != _NO_DIGIT:
            return remainder
    return None


def century_sex_digit(birth_date: date, sex: Sex) -> int:
    """Return the 7th IIN digit: 1/2 for births in 1800-1899, 3/4 in 1900-1999, 5/6 in 2000-2099.

    The odd digit is for men, the even one for women. Raises ValueError outside 1800-2099.
    """
    male_digit = _CENTURY_MALE_DIGIT.get(birth_date.year // 100)
    if male_digit is None:
        raise ValueError(f"no IIN century digit for a birth in {birth_date.year}")
    return male_digit if sex == Sex.MALE else male_digit + 1


def _date_and_century(birth_date: date, sex: Sex) -> str:
    return f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}{century_sex_digit(birth_date, sex)}"


def _with_check_digit(first_eleven: str) -> str | None:
    digit = check_digit(first_eleven)
    return None if digit is None else f"{first_eleven}{digit}"


def compose_iin(birth_date: date, sex: Sex, serial: int) -> str | None:
    """Form the IIN `YYMMDD C SSSS K` for a birth date, sex and serial.

    Returns None when the serial can never be issued for this date and sex (both check-digit passes
    give 10). Raises ValueError if the serial is outside 0..MAX_SERIAL or the birth year outside
    1800-2099.
    """
    if not 0 <= serial <= MAX_SERIAL:
        raise ValueError(f"serial must be in 0..{MAX_SERIAL}, got {serial}")
    return _with_check_digit(f"{_date_and_century(birth_date, sex)}{serial:04d}")


def is_valid_iin(iin: str) -> bool:
    """Tell whether `iin` is structurally a valid IIN: 12 ASCII digits, 7th digit 1-6, check digit right.

    The date part is deliberately not checked, not even for being a real calendar date: since
    Government Decree No. 853 of 26 Aug 2013 the digits need not match the holder's birth date or sex.
    """
    if not _is_ascii_digits(iin, 12) or iin[6] not in "123456":
        return False
    return check_digit(iin[:11]) == int(iin[11])


def usable_serials(birth_date: date, sex: Sex, start: int = 0) -> Iterator[tuple[int, str]]:
    """Yield `(serial, iin)` for every serial from `start` to MAX_SERIAL that can be issued, in order.

    Serials that can never be issued (about 0.8%) are skipped. A `start` past MAX_SERIAL yields
    nothing, so allocation can resume after the last serial used. Raises ValueError at once (not on
    first iteration) for a negative `start` or a birth year outside 1800-2099.
    """
    if start < 0:
        raise ValueError(f"start must not be negative, got {start}")
    prefix = _date_and_century(birth_date, sex)
    candidates = ((serial, _with_check_digit(f"{prefix}{serial:04d}")) for serial in range(start, MAX_SERIAL + 1))
    return ((serial, iin) for serial, iin in candidates if iin is not None)
