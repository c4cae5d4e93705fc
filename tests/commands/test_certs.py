"""`iin certs pilot`: a pilot CA, the server's certificate and one per client, for mTLS with Temporal."""

import ipaddress
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from typer.testing import CliRunner, Result

from commands.certs import CA, CA_DAYS, CLIENTS, LEAF_DAYS, SERVER, SERVER_UID, SKEW, cert_file, key_file
from commands.main import app

NAMES = [SERVER, *CLIENTS]


def certificate(directory: Path, name: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate((directory / cert_file(name)).read_bytes())


def alternative_names(cert: x509.Certificate) -> set[str]:
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(name.value) for name in names}


def usages(cert: x509.Certificate) -> set[x509.ObjectIdentifier]:
    return set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)


def run_pilot(directory: Path, *args: str) -> Result:
    """`iin certs pilot --out DIRECTORY ARGS` (it reads no settings: nothing to point anywhere)."""
    return CliRunner().invoke(app, ["certs", "pilot", "--out", str(directory), *args])


def pilot(directory: Path, *args: str) -> str:
    result = run_pilot(directory, *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_private_keys_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    pilot(tmp_path)

    for name in [CA, *NAMES]:
        assert stat.S_IMODE((tmp_path / key_file(name)).stat().st_mode) == 0o600, name
        assert stat.S_IMODE((tmp_path / cert_file(name)).stat().st_mode) == 0o644, name
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        file for name in [CA, *NAMES] for file in (cert_file(name), key_file(name))
    )


def test_every_certificate_is_signed_by_the_pilot_ca(tmp_path: Path) -> None:
    pilot(tmp_path)
    ca = certificate(tmp_path, CA)

    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for name in NAMES:
        certificate(tmp_path, name).verify_directly_issued_by(ca)
        assert not certificate(tmp_path, name).extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_the_server_certificate_names_the_compose_service_and_this_host(tmp_path: Path) -> None:
    pilot(tmp_path)
    server = certificate(tmp_path, SERVER)

    assert {"temporal", "localhost", "127.0.0.1"} <= alternative_names(server)
    # Temporal's services present it to each other as clients too (internode mTLS).
    assert usages(server) == {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH}


def test_each_client_of_the_compose_stack_gets_a_client_certificate_of_its_own(tmp_path: Path) -> None:
    pilot(tmp_path)

    assert set(CLIENTS) == {"worker", "api", "temporal-namespace", "temporal-ui", "temporal-admin-tools"}
    serials = set()
    for client in CLIENTS:
        cert = certificate(tmp_path, client)
        assert alternative_names(cert) == {client}
        assert usages(cert) == {ExtendedKeyUsageOID.CLIENT_AUTH}, client
        serials.add(cert.serial_number)
    assert len(serials) == len(CLIENTS)


def test_certificates_live_90_days_and_the_ca_a_year_unless_told(tmp_path: Path) -> None:
    pilot(tmp_path / "default")
    pilot(tmp_path / "short", "--days", "7", "--ca-days", "30")

    def lifetime(directory: Path, name: str) -> timedelta:
        cert = certificate(directory, name)
        return cert.not_valid_after_utc - cert.not_valid_before_utc

    assert lifetime(tmp_path / "default", CA) == timedelta(days=CA_DAYS) + SKEW
    assert {lifetime(tmp_path / "default", name) for name in NAMES} == {timedelta(days=LEAF_DAYS) + SKEW}
    assert lifetime(tmp_path / "short", CA) == timedelta(days=30) + SKEW
    assert {lifetime(tmp_path / "short", name) for name in NAMES} == {timedelta(days=7) + SKEW}


def test_further_server_names_are_added_as_names_or_addresses(tmp_path: Path) -> None:
    pilot(tmp_path, "--server-name", "temporal.internal", "--server-name", "10.0.0.5")
    names = certificate(tmp_path, SERVER).extensions.get_extension_for_class(x509.SubjectAlternativeName).value

    assert "temporal.internal" in names.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("10.0.0.5") in names.get_values_for_type(x509.IPAddress)


def test_renewal_with_the_same_ca_keeps_the_ca_and_signs_new_certificates(tmp_path: Path) -> None:
    pilot(tmp_path)
    ca_before = (tmp_path / cert_file(CA)).read_bytes()
    worker_before = certificate(tmp_path, "worker")

    output = pilot(tmp_path, "--reuse-ca")

    assert (tmp_path / cert_file(CA)).read_bytes() == ca_before
    assert certificate(tmp_path, "worker").serial_number != worker_before.serial_number
    for name in NAMES:
        certificate(tmp_path, name).verify_directly_issued_by(certificate(tmp_path, CA))
    assert cert_file(CA) not in output


def test_renewal_is_refused_when_the_ca_would_expire_first(tmp_path: Path) -> None:
    pilot(tmp_path, "--ca-days", "30", "--days", "7")

    result = run_pilot(tmp_path, "--reuse-ca")

    assert result.exit_code == 2
    assert "make a new CA" in result.output


def test_renewal_without_a_ca_is_refused(tmp_path: Path) -> None:
    result = run_pilot(tmp_path, "--reuse-ca")

    assert result.exit_code == 2
    assert "no CA to reuse" in result.output


@pytest.mark.skipif(os.geteuid() != 0, reason="giving files to other users needs root")
def test_chown_gives_each_key_to_the_user_of_the_container_that_reads_it(tmp_path: Path) -> None:
    pilot(tmp_path, "--chown")

    owners = {name: (tmp_path / key_file(name)).stat().st_uid for name in NAMES}
    assert owners == {SERVER: SERVER_UID, **CLIENTS}
    assert (tmp_path / key_file(CA)).stat().st_uid == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="runs as root here")
def test_chown_is_refused_without_root(tmp_path: Path) -> None:
    result = run_pilot(tmp_path, "--chown")

    assert result.exit_code == 2
    assert not tmp_path.joinpath(key_file(CA)).exists()
