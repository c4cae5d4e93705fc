"""The register's contract is a committed file: changing it is a reviewed diff, never a side effect."""

from register.contract import CONTRACT_FILE, contract, contract_text


def test_the_committed_contract_is_what_the_simulator_serves() -> None:
    assert CONTRACT_FILE.read_text(encoding="utf-8") == contract_text(), "run `python -m register.contract`"


def test_the_contract_has_the_three_lookups_the_formation_the_read_back_and_the_person() -> None:
    paths = contract()["paths"]

    assert set(paths) == {
        "/v1/documents/{number}/holders",
        "/v1/name-keys/holders",
        "/v1/similar-names/holders",
        "/v1/formations",
        "/v1/formations/{application_id}",
        "/v1/people/{iin}",  # the review desk reads a candidate whole (issue 19)
    }
