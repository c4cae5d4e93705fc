"""The shipped reference data in data/: well-formed, consistent, and matching DOMAIN.md's facts."""

import csv
import re
from datetime import date
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pytest
from pydantic import BaseModel, ValidationError
from pydantic_extra_types.country import CountryAlpha2

from db.reference import parse_age_rule, parse_period_categories
from iin_models.enums import Convention, EstablishmentKind

DATA = Path(__file__).resolve().parents[2] / "data"

# Kosovo's user-assigned code, documented in data/conventions.md; not in ISO 3166-1.
USER_ASSIGNED_STATES = {"XK"}


class _Country(BaseModel):
    code: CountryAlpha2


def is_alpha2(code: str) -> bool:
    try:
        return _Country(code=code).code == code
    except ValidationError:
        return False


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def header(name: str) -> list[str]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def optional_date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def overlap(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    """Whether two inclusive periods (None: open-ended) share a day."""
    a_end = a[1] or date.max
    b_end = b[1] or date.max
    return a[0] <= b_end and b[0] <= a_end


def parse_rest_days(text: str) -> list[int]:
    return [int(part) for part in text.split("+")]


def zone_countries() -> dict[str, set[str]]:
    """Time zone -> the countries the tz database's zone.tab lists it for."""
    for directory in ("/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"):
        table = Path(directory) / "zone.tab"
        if table.exists():
            countries: dict[str, set[str]] = {}
            for line in table.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    code, _, zone = line.split("\t")[:3]
                    countries.setdefault(zone, set()).add(code)
            return countries
    pytest.skip("no zone.tab in this system's tz database")


ESTABLISHMENTS = rows("establishments.csv")
CONVENTIONS = rows("conventions.csv")
SERVICE_PERIODS = rows("service_periods.csv")
CLOSURES = rows("establishment_closures.csv")
CATEGORIES = rows("applicant_categories.csv")
CATEGORY_CODES = {row["code"] for row in CATEGORIES}
ESTABLISHMENT_IDS = {row["id"] for row in ESTABLISHMENTS}


# establishments.csv


def test_establishments_file_has_the_documented_columns() -> None:
    assert header("establishments.csv") == ["id", "kind", "city", "country", "timezone", "rest_days", "source"]


def test_establishments_file_is_not_empty() -> None:
    assert ESTABLISHMENTS


def test_establishment_ids_are_unique() -> None:
    ids = [row["id"] for row in ESTABLISHMENTS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_establishment_kind_is_embassy_or_consulate_general() -> None:
    kinds = {EstablishmentKind.EMBASSY.value, EstablishmentKind.CONSULATE_GENERAL.value}
    assert [(row["id"], row["kind"]) for row in ESTABLISHMENTS if row["kind"] not in kinds] == []


def test_establishment_country_is_iso_alpha2() -> None:
    assert [(row["id"], row["country"]) for row in ESTABLISHMENTS if not is_alpha2(row["country"])] == []


def test_establishment_time_zone_is_an_iana_zone() -> None:
    zones = available_timezones()
    assert [(row["id"], row["timezone"]) for row in ESTABLISHMENTS if row["timezone"] not in zones] == []
    for row in ESTABLISHMENTS:
        assert ZoneInfo(row["timezone"]).key == row["timezone"]


def test_establishment_time_zone_belongs_to_its_country() -> None:
    countries = zone_countries()
    misplaced = [
        (row["id"], row["timezone"], row["country"])
        for row in ESTABLISHMENTS
        if row["country"] not in countries.get(row["timezone"], set())
    ]
    assert misplaced == []


def valid_rest_days(text: str) -> bool:
    try:
        days = parse_rest_days(text)
    except ValueError:
        return False
    return 0 < len(days) == len(set(days)) < 7 and all(1 <= day <= 7 for day in days)


def test_establishment_rest_days_are_iso_weekdays() -> None:
    invalid = [(row["id"], row["rest_days"]) for row in ESTABLISHMENTS if not valid_rest_days(row["rest_days"])]
    assert invalid == []


def test_rest_days_parse_as_documented() -> None:
    assert parse_rest_days("6+7") == [6, 7]
    assert parse_rest_days("5+6") == [5, 6]
    assert not valid_rest_days("6,7")
    assert not valid_rest_days("0+6")
    assert not valid_rest_days("6+6")


def test_establishment_fields_are_filled_and_trimmed() -> None:
    ragged = [
        (row["id"], column)
        for row in ESTABLISHMENTS
        for column, value in row.items()
        if not value or value != value.strip()
    ]
    assert ragged == []


@pytest.mark.parametrize(
    "city",
    [
        "Washington",
        "New York",
        "Seoul",
        "Bishkek",
        "Moscow",
        "Saint Petersburg",
        "Prague",
        "Dubai",
        "Frankfurt am Main",
        "Istanbul",
        "Beijing",
    ],
)
def test_missions_named_in_public_reports_are_listed(city: str) -> None:
    assert city in {row["city"] for row in ESTABLISHMENTS}


@pytest.mark.parametrize("country", ["CN", "TR", "EE", "LV", "LT", "RU"])
def test_states_named_in_the_seed_have_an_establishment(country: str) -> None:
    assert country in {row["country"] for row in ESTABLISHMENTS}


# conventions.csv


def test_conventions_file_has_the_documented_columns() -> None:
    assert header("conventions.csv") == ["convention", "state", "in_force_from", "in_force_to", "source"]


def membership(row: dict[str, str]) -> str:
    return f"{row['convention']}:{row['state']}"


def test_convention_rows_name_known_conventions() -> None:
    known = {convention.value for convention in Convention}
    assert [membership(row) for row in CONVENTIONS if row["convention"] not in known] == []


def test_convention_states_are_iso_alpha2_or_documented_user_assigned() -> None:
    invalid = [
        membership(row) for row in CONVENTIONS if not (is_alpha2(row["state"]) or row["state"] in USER_ASSIGNED_STATES)
    ]
    assert invalid == []


def valid_period(row: dict[str, str]) -> bool:
    try:
        in_force_from = date.fromisoformat(row["in_force_from"])
        in_force_to = optional_date(row["in_force_to"])
    except ValueError:
        return False
    return in_force_to is None or in_force_to >= in_force_from


def test_convention_dates_are_iso_dates_and_in_order() -> None:
    assert [membership(row) for row in CONVENTIONS if not valid_period(row)] == []


def test_convention_rows_name_their_source() -> None:
    assert [membership(row) for row in CONVENTIONS if not row["source"].strip()] == []


def test_membership_periods_of_one_state_in_one_convention_do_not_overlap() -> None:
    periods: dict[tuple[str, str], list[tuple[date, date | None]]] = {}
    for row in CONVENTIONS:
        key = (row["convention"], row["state"])
        periods.setdefault(key, []).append(
            (date.fromisoformat(row["in_force_from"]), optional_date(row["in_force_to"]))
        )
    overlapping = [key for key, spans in periods.items() for a, b in combinations(spans, 2) if overlap(a, b)]
    assert overlapping == []


# service_periods.csv


def test_service_periods_file_has_the_documented_columns() -> None:
    assert header("service_periods.csv") == ["id", "starts_on", "ends_on", "establishment_ids", "categories", "source"]


def test_service_period_ids_are_unique() -> None:
    ids = [row["id"] for row in SERVICE_PERIODS]
    assert len(ids) == len(set(ids))


def test_service_periods_end_on_or_after_they_start() -> None:
    backwards = [
        row["id"]
        for row in SERVICE_PERIODS
        if date.fromisoformat(row["ends_on"]) < date.fromisoformat(row["starts_on"])
    ]
    assert backwards == []


def test_service_periods_cover_only_known_establishments() -> None:
    unknown = [
        (row["id"], establishment)
        for row in SERVICE_PERIODS
        for establishment in (row["establishment_ids"].split("+") if row["establishment_ids"] else [])
        if establishment not in ESTABLISHMENT_IDS
    ]
    assert unknown == []


def test_service_periods_do_not_overlap() -> None:
    spans = [
        (row["id"], date.fromisoformat(row["starts_on"]), date.fromisoformat(row["ends_on"])) for row in SERVICE_PERIODS
    ]
    overlapping = [(a[0], b[0]) for a, b in combinations(spans, 2) if overlap(a[1:], b[1:])]
    assert overlapping == []


def test_the_2024_pilot_is_a_service_period() -> None:
    spans = {(row["starts_on"], row["ends_on"]) for row in SERVICE_PERIODS}
    assert ("2024-04-13", "2024-12-31") in spans


def period_on(day: date) -> dict[str, str] | None:
    return next(
        (
            row
            for row in SERVICE_PERIODS
            if date.fromisoformat(row["starts_on"]) <= day <= date.fromisoformat(row["ends_on"])
        ),
        None,
    )


def test_every_foreigner_may_apply_in_2024() -> None:
    pilot = period_on(date(2024, 4, 13))
    assert pilot is not None and pilot["categories"] == "all"


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2025, 2, 14), date(2025, 4, 17)])
def test_the_service_is_closed_between_the_2024_and_2025_periods(day: date) -> None:
    assert period_on(day) is None


def test_the_2025_period_runs_from_18_april_to_the_end_of_the_year() -> None:
    spans = {(row["starts_on"], row["ends_on"]) for row in SERVICE_PERIODS}
    assert ("2025-04-18", "2025-12-31") in spans


def test_the_2025_period_admits_the_reported_categories_only() -> None:
    resumed = period_on(date(2025, 4, 18))
    assert resumed is not None
    assert sorted(resumed["categories"].split("+")) == sorted(
        [
            "investor",
            "labelled_goods_or_exporter",
            "spouse_of_citizen",
            "child_of_citizen",
            "heir",
            "digital_nomad",
            "disability",
            "aged_65_plus",
            "pesticide_producer",
            "entity_head",
            "mission_staff",
        ]
    )


def test_service_period_categories_are_all_or_known_codes() -> None:
    for row in SERVICE_PERIODS:
        parse_period_categories(row["categories"], CATEGORY_CODES)


def test_no_shipped_period_is_named_like_a_local_addition() -> None:
    assert [row["id"] for row in SERVICE_PERIODS if row["id"].startswith("local-")] == []


# applicant_categories.csv


def test_categories_file_has_the_documented_columns() -> None:
    assert header("applicant_categories.csv") == [
        "code",
        "title_en",
        "title_ru",
        "supporting_documents",
        "documents_note",
        "age_rule",
        "source",
    ]


def test_category_codes_are_unique_lower_snake_case() -> None:
    codes = [row["code"] for row in CATEGORIES]
    assert len(codes) == len(set(codes))
    assert [code for code in codes if not re.fullmatch(r"[a-z][a-z0-9_]*", code)] == []


def test_supporting_document_kinds_are_lower_snake_case() -> None:
    kinds = [kind for row in CATEGORIES for kind in row["supporting_documents"].split("+") if kind]
    assert [kind for kind in kinds if not re.fullmatch(r"[a-z][a-z0-9_]*", kind)] == []


def test_categories_have_both_titles_and_a_source() -> None:
    assert [row["code"] for row in CATEGORIES if not (row["title_en"] and row["title_ru"] and row["source"])] == []


def test_a_category_without_supporting_document_is_proved_by_age() -> None:
    assert [row["code"] for row in CATEGORIES if not row["supporting_documents"] and not row["age_rule"]] == []


@pytest.mark.parametrize(("code", "rule"), [("aged_65_plus", "aged 65 or over"), ("child_of_citizen", "under 16")])
def test_age_categories_carry_their_age_rule(code: str, rule: str) -> None:
    row = next(row for row in CATEGORIES if row["code"] == code)
    assert str(parse_age_rule(row["age_rule"])) == rule


# establishment_closures.csv


def test_closures_file_has_the_documented_columns() -> None:
    assert header("establishment_closures.csv") == ["establishment_id", "closed_on", "note"]


def test_closures_name_known_establishments() -> None:
    assert [row["establishment_id"] for row in CLOSURES if row["establishment_id"] not in ESTABLISHMENT_IDS] == []


def test_closure_dates_are_iso_dates() -> None:
    for row in CLOSURES:
        date.fromisoformat(row["closed_on"])


def test_closures_are_not_repeated() -> None:
    keys = [(row["establishment_id"], row["closed_on"]) for row in CLOSURES]
    assert len(keys) == len(set(keys))
