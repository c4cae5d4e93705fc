from datetime import date
from itertools import islice

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from iin_models.enums import Sex
from rules.iin import MAX_SERIAL, century_sex_digit, check_digit, compose_iin, is_valid_iin, usable_serials

births = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))
serials = st.integers(min_value=0, max_value=MAX_SERIAL)


def first_pass_remainder(iin: str) -> int:
    return sum(int(digit) * weight for weight, digit in enumerate(iin[:11], start=1)) % 11


@st.composite
def valid_iins(draw: st.DrawFn) -> str:
    iin = draw(st.builds(compose_iin, births, st.sampled_from(Sex), serials))
    assume(iin is not None)
    assert iin is not None  # for the type checker; assume() already discarded None
    return iin


def replace_digit(iin: str, position: int, digit: str) -> str:
    return f"{iin[:position]}{digit}{iin[position + 1 :]}"


def test_first_pass_check_digit() -> None:
    # 9 0 0 5 1 5 3 0 0 0 1 weighted 1..11:
    # 9*1 + 0*2 + 0*3 + 5*4 + 1*5 + 5*6 + 3*7 + 0*8 + 0*9 + 0*10 + 1*11 = 96 = 8*11 + 8
    assert check_digit("90051530001") == 8


def test_composes_a_man_born_in_1990() -> None:
    assert compose_iin(date(1990, 5, 15), Sex.MALE, 1) == "900515300018"


def test_second_pass_when_the_first_gives_ten() -> None:
    # 0 4 0 6 0 1 6 0 0 4 2 weighted 1..11:
    # 0 + 4*2 + 0 + 6*4 + 0 + 1*6 + 6*7 + 0 + 0 + 4*10 + 2*11 = 142 = 12*11 + 10 -> second pass;
    # weighted 3,4,5,6,7,8,9,10,11,1,2:
    # 0 + 4*4 + 0 + 6*6 + 0 + 1*8 + 6*9 + 0 + 0 + 4*1 + 2*2 = 122 = 11*11 + 1
    assert compose_iin(date(2004, 6, 1), Sex.FEMALE, 42) == "040601600421"


def test_serial_that_both_passes_reject_is_never_issued() -> None:
    # 9 0 0 5 1 5 3 0 0 9 1 weighted 1..11:
    # 9 + 0 + 0 + 5*4 + 1*5 + 5*6 + 3*7 + 0 + 0 + 9*10 + 1*11 = 186 = 16*11 + 10;
    # weighted 3,4,5,6,7,8,9,10,11,1,2:
    # 9*3 + 0 + 0 + 5*6 + 1*7 + 5*8 + 3*9 + 0 + 0 + 9*1 + 1*2 = 142 = 12*11 + 10
    assert check_digit("90051530091") is None
    assert compose_iin(date(1990, 5, 15), Sex.MALE, 91) is None


@pytest.mark.parametrize("text", ["9005153000", "900515300011", "9005153000a", "9005153000²", ""])
def test_check_digit_needs_eleven_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError):
        check_digit(text)


@pytest.mark.parametrize(
    ("birth_date", "sex", "digit"),
    [
        (date(1800, 1, 1), Sex.MALE, 1),
        (date(1899, 12, 31), Sex.FEMALE, 2),
        (date(1900, 1, 1), Sex.MALE, 3),
        (date(1999, 12, 31), Sex.FEMALE, 4),
        (date(2000, 1, 1), Sex.MALE, 5),
        (date(2099, 12, 31), Sex.FEMALE, 6),
    ],
)
def test_century_digit_is_odd_for_men_and_even_for_women(birth_date: date, sex: Sex, digit: int) -> None:
    assert century_sex_digit(birth_date, sex) == digit


@pytest.mark.parametrize("birth_date", [date(1799, 12, 31), date(2100, 1, 1)])
def test_no_century_digit_outside_1800_to_2099(birth_date: date) -> None:
    with pytest.raises(ValueError):
        century_sex_digit(birth_date, Sex.MALE)


@pytest.mark.parametrize("serial", [-1, MAX_SERIAL + 1])
def test_serial_must_have_four_digits(serial: int) -> None:
    with pytest.raises(ValueError):
        compose_iin(date(1990, 5, 15), Sex.MALE, serial)


@given(births, st.sampled_from(Sex), serials)
def test_every_composed_iin_is_valid(birth_date: date, sex: Sex, serial: int) -> None:
    iin = compose_iin(birth_date, sex, serial)
    assert iin is None or is_valid_iin(iin)


@given(births, st.sampled_from(Sex), serials)
def test_composed_iin_starts_with_birth_date_century_digit_and_serial(birth_date: date, sex: Sex, serial: int) -> None:
    iin = compose_iin(birth_date, sex, serial)
    if iin is not None:
        assert iin[:11] == f"{birth_date:%y%m%d}{century_sex_digit(birth_date, sex)}{serial:04d}"


def test_a_registered_iin_is_valid_whatever_its_date_part() -> None:
    # Decree 853: 31 Feb does not exist; the number still stands if its check digit is right.
    # 9 0 0 2 3 1 3 0 0 0 1 weighted 1..11: 9 + 0 + 0 + 2*4 + 3*5 + 1*6 + 3*7 + 0 + 0 + 0 + 1*11 = 70
    # = 6*11 + 4
    assert is_valid_iin("900231300014")


@pytest.mark.parametrize(
    "iin",
    [
        "900515300017",  # wrong check digit
        "90051530001",  # too short
        "9005153000180",  # too long
        "90051530001a",
        "９００５１５３０００１８",  # full-width digits are not ASCII
    ],
)
def test_malformed_iins_are_invalid(iin: str) -> None:
    assert not is_valid_iin(iin)


@pytest.mark.parametrize("century_digit", "0789")
def test_seventh_digit_must_be_one_to_six(century_digit: str) -> None:
    first_eleven = f"900515{century_digit}0001"
    digit = check_digit(first_eleven)
    assert digit is not None  # the check digit is right, so only the 7th digit can make it invalid
    assert not is_valid_iin(f"{first_eleven}{digit}")


@given(valid_iins(), st.sampled_from("0123456789"))
def test_changing_the_check_digit_is_always_detected(iin: str, digit: str) -> None:
    changed = replace_digit(iin, 11, digit)
    assert is_valid_iin(changed) == (changed == iin)


@given(valid_iins(), st.integers(min_value=0, max_value=9), st.sampled_from("0123456789"))
def test_changing_one_of_the_first_ten_digits_is_detected_unless_the_pass_switches(
    iin: str, position: int, digit: str
) -> None:
    # Weights 1..10 are non-zero mod 11 (a prime), so such a change always moves the first-pass
    # remainder; the error hides only if exactly one of the two numbers goes to the second pass.
    changed = replace_digit(iin, position, digit)
    switches = (first_pass_remainder(iin) == 10) != (first_pass_remainder(changed) == 10)
    if changed != iin and not switches:
        assert not is_valid_iin(changed)


def test_a_single_digit_change_can_hide_by_switching_pass() -> None:
    # 900515300018 with its 3rd digit 0 -> 8: the first pass gains 8*3 = 24, 96 + 24 = 120 = 10*11 + 10;
    # the second pass 9*3 + 0 + 8*5 + 5*6 + 1*7 + 5*8 + 3*9 + 0 + 0 + 0 + 1*2 = 173 = 15*11 + 8 gives the
    # same check digit 8.
    assert is_valid_iin("908515300018")


@given(valid_iins(), st.sampled_from("0123456789"))
def test_the_last_serial_digit_is_unprotected_in_the_first_pass(iin: str, digit: str) -> None:
    # Its first-pass weight is 11, which is 0 mod 11; in the second pass its weight is 2.
    changed = replace_digit(iin, 10, digit)
    first_pass = first_pass_remainder(iin) != 10
    assert is_valid_iin(changed) == (first_pass or changed == iin)


def test_about_0_8_percent_of_serials_are_never_issued() -> None:
    unusable = [serial for serial in range(MAX_SERIAL + 1) if compose_iin(date(1990, 5, 15), Sex.MALE, serial) is None]
    assert 30 <= len(unusable) <= 150


def test_usable_serials_skip_the_unusable_ones() -> None:
    first_three = islice(usable_serials(date(1990, 5, 15), Sex.MALE, start=89), 3)
    assert [serial for serial, _ in first_three] == [89, 90, 92]  # 91 can never be issued


def test_usable_serials_run_to_the_last_serial() -> None:
    # Both can be issued: 9 + 20 + 5 + 30 + 21 + 9*8 + 9*9 + 9*10 + 8*11 = 416 = 37*11 + 9, and with a
    # last digit 9 instead of 8, 427 = 38*11 + 9.
    last = list(usable_serials(date(1990, 5, 15), Sex.MALE, start=MAX_SERIAL - 1))
    assert last == [(MAX_SERIAL - 1, "900515399989"), (MAX_SERIAL, "900515399999")]


def test_usable_serials_past_the_last_serial_are_none() -> None:
    assert list(usable_serials(date(1990, 5, 15), Sex.MALE, start=MAX_SERIAL + 1)) == []


def test_usable_serials_reject_a_negative_start_at_once() -> None:
    with pytest.raises(ValueError):
        usable_serials(date(1990, 5, 15), Sex.MALE, start=-1)


@given(births, st.sampled_from(Sex), serials)
def test_usable_serials_are_the_composable_serials_in_order(birth_date: date, sex: Sex, start: int) -> None:
    window = range(start, min(start + 30, MAX_SERIAL + 1))
    composable = [(serial, compose_iin(birth_date, sex, serial)) for serial in window]
    expected = [(serial, iin) for serial, iin in composable if iin is not None]
    assert list(islice(usable_serials(birth_date, sex, start), len(expected))) == expected
