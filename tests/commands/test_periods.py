"""`iin periods`: the operator's view of the service periods, run against the session's database."""

import pytest

from tests.toolkit.commands import run_iin


@pytest.mark.usefixtures("on_test_database")
async def test_list_shows_every_shipped_period_in_order() -> None:
    result = await run_iin("periods", "list")

    assert result.exit_code == 0, result.output
    assert result.output.index("pilot-2024") < result.output.index("pilot-2025") < result.output.index("local-")


@pytest.mark.usefixtures("on_test_database")
async def test_show_names_the_2025_period_and_its_categories_at_an_establishment() -> None:
    result = await run_iin("periods", "show", "--on", "2025-12-31", "--establishment", "emb-us-washington")

    assert result.exit_code == 0, result.output
    assert "pilot-2025" in result.output
    assert "spouse_of_citizen" in result.output and "marriage_certificate" in result.output
    assert "aged 65 or over" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_show_says_every_foreigner_may_apply_in_2024() -> None:
    result = await run_iin("periods", "show", "--on", "2024-04-13")

    assert result.exit_code == 0, result.output
    assert "pilot-2024: every foreigner may apply" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_show_in_the_gap_says_the_service_is_closed() -> None:
    result = await run_iin("periods", "show", "--on", "2025-04-17", "--establishment", "emb-tr-ankara")

    assert result.exit_code == 1
    assert "the service is closed" in result.output


@pytest.mark.usefixtures("on_test_database")
async def test_show_refuses_an_unknown_establishment() -> None:
    result = await run_iin("periods", "show", "--on", "2025-06-10", "--establishment", "emb-xx-atlantis")

    assert result.exit_code == 2
    assert "emb-xx-atlantis" in result.output
