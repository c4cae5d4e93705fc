import pytest

from rules.countries import alpha3_to_alpha2


@pytest.mark.parametrize(
    ("alpha3", "alpha2"),
    [
        ("KAZ", "KZ"),
        ("RUS", "RU"),
        ("CHN", "CN"),
        ("TUR", "TR"),
        ("DEU", "DE"),
        ("ROU", "RO"),
        ("COD", "CD"),
        ("PRK", "KP"),
        ("SSD", "SS"),
        ("SXM", "SX"),
        ("ATA", "AQ"),
        ("ALA", "AX"),
    ],
)
def test_iso_alpha3_codes_map_to_alpha2(alpha3: str, alpha2: str) -> None:
    assert alpha3_to_alpha2(alpha3) == alpha2


@pytest.mark.parametrize("code", ["D", "D<<"])
def test_icao_code_for_germany_with_or_without_fillers(code: str) -> None:
    assert alpha3_to_alpha2(code) == "DE"


@pytest.mark.parametrize("code", ["GBD", "GBN", "GBO", "GBP", "GBS"])
def test_british_nationals_codes_map_to_the_united_kingdom(code: str) -> None:
    assert alpha3_to_alpha2(code) == "GB"


def test_kosovo_maps_to_its_user_assigned_code() -> None:
    assert alpha3_to_alpha2("RKS") == "XK"


@pytest.mark.parametrize("code", ["UTO", "XXA", "XXB", "XXC", "XXX", "UNO", "EUE", "XOM", "QQQ", "", "kaz"])
def test_codes_of_no_state_have_no_alpha2(code: str) -> None:
    assert alpha3_to_alpha2(code) is None
