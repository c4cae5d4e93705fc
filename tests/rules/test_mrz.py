import dataclasses
import string
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rules.mrz import MrzData, MrzError, expand_yymmdd, mrz_check_digit, parse_mrz

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
# Positions in line 2 (from 0) of each check digit and the field it guards.
TD3_CHECK_DIGITS = [
    (9, "document_number"),
    (19, "birth_date"),
    (27, "expiry_date"),
    (42, "optional_data"),
    (43, "composite"),
]
SPECIMEN = MrzData(
    document_type="P",
    issuing_state="UTO",
    surname="ERIKSSON",
    given_names="ANNA MARIA",
    document_number="L898902C3",
    nationality="UTO",
    birth_date="740812",
    sex="F",
    expiry_date="120415",
    optional_data="ZE184226B",
)


def replace(line: str, position: int, character: str) -> str:
    return f"{line[:position]}{character}{line[position + 1 :]}"


def other_digit(digit: str) -> str:
    return str((int(digit) + 1) % 10)


def test_check_digit_weighs_7_3_1() -> None:
    # 7*7 + 4*3 + 0*1 + 8*7 + 1*3 + 2*1 = 122 -> 2
    assert mrz_check_digit("740812") == 2


def test_check_digit_counts_letters_from_10_and_filler_as_0() -> None:
    # Z=35, E=14: 35*7 + 14*3 + 1*1 + 8*7 + 4*3 + 2*1 + 2*7 + 6*3 + B=11*1 + 0 ... = 401 -> 1
    assert mrz_check_digit("ZE184226B<<<<<") == 1


def test_check_digit_rejects_other_characters() -> None:
    with pytest.raises(ValueError):
        mrz_check_digit("l898902c3")


def test_icao_td3_specimen_parses() -> None:
    assert parse_mrz(TD3) == SPECIMEN


def test_icao_td1_specimen_parses() -> None:
    assert parse_mrz(TD1) == MrzData(
        document_type="I",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        document_number="D23145890",
        nationality="UTO",
        birth_date="740812",
        sex="F",
        expiry_date="120415",
        optional_data="",
    )


@pytest.mark.parametrize(("position", "field"), TD3_CHECK_DIGITS)
def test_td3_check_digit_corruption_names_the_field(position: int, field: str) -> None:
    corrupted = replace(TD3[1], position, other_digit(TD3[1][position]))
    with pytest.raises(MrzError) as error:
        parse_mrz([TD3[0], corrupted])
    assert error.value.field == field


@pytest.mark.parametrize(
    ("line", "position", "field"),
    [(0, 14, "document_number"), (1, 6, "birth_date"), (1, 14, "expiry_date"), (1, 29, "composite")],
)
def test_td1_check_digit_corruption_names_the_field(line: int, position: int, field: str) -> None:
    corrupted = list(TD1)
    corrupted[line] = replace(TD1[line], position, other_digit(TD1[line][position]))
    with pytest.raises(MrzError) as error:
        parse_mrz(corrupted)
    assert error.value.field == field


def test_first_failing_field_is_named() -> None:
    corrupted = replace(replace(TD3[1], 19, "0"), 27, "0")
    with pytest.raises(MrzError) as error:
        parse_mrz([TD3[0], corrupted])
    assert error.value.field == "birth_date"


def test_corrupted_data_fails_its_check_digit() -> None:
    with pytest.raises(MrzError) as error:
        parse_mrz([TD3[0], replace(TD3[1], 13, "8")])  # born in '84 instead of '74
    assert error.value.field == "birth_date"


def test_letter_as_check_digit_fails_that_field() -> None:
    with pytest.raises(MrzError) as error:
        parse_mrz([TD3[0], replace(TD3[1], 9, "A")])
    assert error.value.field == "document_number"


def test_mrz_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_mrz([TD3[0], replace(TD3[1], 43, "1")])


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [TD3[1]],
        [TD3[0], TD3[1][:-1]],
        [TD3[0], TD3[1], TD3[1]],
        TD1[:2],
        [TD1[0], TD1[1], TD1[2] + "<"],
        [TD3[0].lower(), TD3[1]],
        [TD3[0].replace("ERIKSSON", "ERIKSSØN"), TD3[1]],
        [TD3[0].replace("<<ANNA", "  ANNA"), TD3[1]],
    ],
)
def test_wrong_layout_or_characters_are_format_errors(lines: list[str]) -> None:
    with pytest.raises(MrzError) as error:
        parse_mrz(lines)
    assert error.value.field == "format"


def test_44_character_mrz_that_is_not_a_passport_is_a_format_error() -> None:
    # An MRV-A visa has the TD3 size but no optional data check digit or composite.
    with pytest.raises(MrzError) as error:
        parse_mrz([replace(TD3[0], 0, "V"), TD3[1]])
    assert error.value.field == "format"


def test_empty_optional_data_may_have_a_filler_check_digit() -> None:
    # Optional data and its check digit all filler, and the composite check digit recomputed.
    line2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<"
    composite = mrz_check_digit(line2[0:10] + line2[13:20] + line2[21:43])
    assert parse_mrz([TD3[0], line2[:43] + str(composite)]).optional_data == ""


def test_unspecified_sex_is_x() -> None:
    line2 = replace(TD3[1], 20, "<")  # sex is outside every check digit, the composite included
    assert parse_mrz([TD3[0], line2]).sex == "X"


def test_unknown_sex_code_names_sex() -> None:
    with pytest.raises(MrzError) as error:
        parse_mrz([TD3[0], replace(TD3[1], 20, "Q")])
    assert error.value.field == "sex"


def test_name_without_given_names() -> None:
    data = parse_mrz(["P<UTOERIKSSON<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", TD3[1]])
    assert (data.surname, data.given_names) == ("ERIKSSON", "")


def test_compound_surname_keeps_its_words() -> None:
    data = parse_mrz(["P<UTOVAN<DER<BERG<<ANNA<<<<<<<<<<<<<<<<<<<<<", TD3[1]])
    assert (data.surname, data.given_names) == ("VAN DER BERG", "ANNA")


def test_germany_is_d_without_its_fillers() -> None:
    line2 = f"{TD3[1][:10]}D<<{TD3[1][13:]}"  # the nationality is outside the composite check
    data = parse_mrz(["P<D<<ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", line2])
    assert (data.issuing_state, data.nationality) == ("D", "D")


def test_td1_document_number_longer_than_nine_characters() -> None:
    # D23145890123: D=13; 13*7 + 2*3 + 3*1 + 1*7 + 4*3 + 5*1 + 8*7 + 9*3 + 0*1 + 1*7 + 2*3 + 3*1 = 223 -> 3,
    # written after the overflow 123, with a filler in position 15 where the check digit would be.
    line1 = "I<UTOD23145890<1233<<<<<<<<<<<"
    line2 = TD1[1][:29] + str(mrz_check_digit(line1[5:30] + TD1[1][0:7] + TD1[1][8:15] + TD1[1][18:29]))
    assert parse_mrz([line1, line2, TD1[2]]).document_number == "D23145890123"


@pytest.mark.parametrize(
    ("value", "reference", "expected"),
    [
        ("740812", date(2024, 6, 1), date(1974, 8, 12)),
        ("150101", date(2024, 6, 1), date(2015, 1, 1)),
        ("240601", date(2024, 6, 1), date(2024, 6, 1)),  # born today
        ("240602", date(2024, 6, 1), date(1924, 6, 2)),  # tomorrow is a century ago
        ("000229", date(2150, 1, 1), date(2000, 2, 29)),  # 2100 is not a leap year
    ],
)
def test_birth_date_is_the_latest_not_after_the_reference(value: str, reference: date, expected: date) -> None:
    assert expand_yymmdd(value, past_only=True, reference=reference) == expected


@pytest.mark.parametrize(
    ("value", "reference", "expected"),
    [
        ("340101", date(2024, 6, 1), date(2034, 1, 1)),
        ("120415", date(2024, 6, 1), date(2012, 4, 15)),
        ("740101", date(2024, 6, 1), date(2074, 1, 1)),  # 49.4 years ahead rather than 50.4 back
        ("740701", date(2024, 6, 1), date(1974, 7, 1)),  # 49.9 years back rather than 50.1 ahead
    ],
)
def test_expiry_date_is_the_nearest_to_the_reference(value: str, reference: date, expected: date) -> None:
    assert expand_yymmdd(value, past_only=False, reference=reference) == expected


@pytest.mark.parametrize("value", ["741312", "740230", "74081", "7408122", "74<<<<", "７４０８１２"])
def test_expand_rejects_what_is_not_a_date(value: str) -> None:
    with pytest.raises(ValueError):
        expand_yymmdd(value, past_only=True, reference=date(2024, 6, 1))


references = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@given(references, st.integers(min_value=0, max_value=99 * 365))
def test_any_date_of_the_last_99_years_is_a_birth_date(reference: date, days_before: int) -> None:
    day = reference - timedelta(days=days_before)
    assert expand_yymmdd(f"{day:%y%m%d}", past_only=True, reference=reference) == day


@given(references, st.integers(min_value=-49 * 365, max_value=49 * 365))
def test_any_date_within_49_years_is_an_expiry_date(reference: date, days_after: int) -> None:
    day = reference + timedelta(days=days_after)
    assert expand_yymmdd(f"{day:%y%m%d}", past_only=False, reference=reference) == day


words = st.text(st.sampled_from(string.ascii_uppercase), min_size=1, max_size=8)
alphanumerics = st.sampled_from(string.ascii_uppercase + string.digits)
states = st.sampled_from(["UTO", "KAZ", "D"]) | st.text(st.sampled_from(string.ascii_uppercase), min_size=3, max_size=3)
yymmdd = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)).map(lambda day: f"{day:%y%m%d}")
mrz_data = st.builds(
    MrzData,
    document_type=st.just("P"),
    issuing_state=states,
    surname=st.lists(words, min_size=1, max_size=3).map(" ".join),
    given_names=st.lists(words, max_size=3).map(" ".join),
    document_number=st.text(alphanumerics, min_size=1, max_size=9),
    nationality=states,
    birth_date=yymmdd,
    sex=st.sampled_from("MFX"),
    expiry_date=yymmdd,
    optional_data=st.text(alphanumerics, max_size=14),
)


def with_check_digit(field: str) -> str:
    return f"{field}{mrz_check_digit(field)}"


def td3(data: MrzData) -> list[str]:
    names = f"{data.surname}<<{data.given_names}".replace(" ", "<")
    line1 = f"{data.document_type:<<2}{data.issuing_state:<<3}{names:<<39}"
    sex = "<" if data.sex == "X" else data.sex
    line2 = (
        f"{with_check_digit(f'{data.document_number:<<9}')}{data.nationality:<<3}"
        f"{with_check_digit(data.birth_date)}{sex}{with_check_digit(data.expiry_date)}"
        f"{with_check_digit(f'{data.optional_data:<<14}')}"
    )
    return [line1, f"{line2}{mrz_check_digit(line2[0:10] + line2[13:20] + line2[21:43])}"]


@given(mrz_data)
def test_td3_round_trips(data: MrzData) -> None:
    assume(len(f"{data.surname}<<{data.given_names}") <= 39)
    assert parse_mrz(td3(data)) == data


@given(mrz_data, st.sampled_from(TD3_CHECK_DIGITS))
def test_any_wrong_check_digit_is_named(data: MrzData, check_digit: tuple[int, str]) -> None:
    assume(len(f"{data.surname}<<{data.given_names}") <= 39)
    line1, line2 = td3(data)
    position, field = check_digit
    with pytest.raises(MrzError) as error:
        parse_mrz([line1, replace(line2, position, other_digit(line2[position]))])
    assert error.value.field == field


def td1(data: MrzData, optional_1: str, optional_2: str) -> list[str]:
    number = data.document_number
    if len(number) <= 9:
        number_field = with_check_digit(f"{number:<<9}")
    else:  # the overflow and the check digit of the whole number open the optional data
        number_field = f"{number[:9]}<{number[9:]}{mrz_check_digit(number)}<"
    line1 = f"{data.document_type:<<2}{data.issuing_state:<<3}{number_field}{optional_1}"
    sex = "<" if data.sex == "X" else data.sex
    line2 = (
        f"{with_check_digit(data.birth_date)}{sex}{with_check_digit(data.expiry_date)}"
        f"{data.nationality:<<3}{optional_2:<<11}"
    )
    line1 = f"{line1:<<30}"
    composite = mrz_check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    names = f"{data.surname}<<{data.given_names}".replace(" ", "<")
    return [line1, f"{line2}{composite}", f"{names:<<30}"]


@given(
    mrz_data,
    st.text(alphanumerics, min_size=1, max_size=12),
    st.text(alphanumerics, max_size=4),
    st.text(alphanumerics, max_size=11),
)
def test_td1_round_trips_with_numbers_of_any_length(
    data: MrzData, document_number: str, optional_1: str, optional_2: str
) -> None:
    assume(len(f"{data.surname}<<{data.given_names}") <= 30)
    expected = dataclasses.replace(
        data,
        document_type="I",
        document_number=document_number,
        # Both optional data elements, joined by one filler when both are present.
        optional_data="<".join(part for part in (optional_1, optional_2) if part),
    )
    assert parse_mrz(td1(expected, optional_1, optional_2)) == expected
