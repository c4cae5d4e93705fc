"""`iin certs pilot`: a CA of its own and the certificates for mTLS between Temporal and its clients.

For a pilot without the operator's own PKI (docs/operations.md, "Temporal authentication"). One CA
signs one server certificate, which Temporal's frontend presents to clients and its services present
to each other, and one client certificate for each client of docker-compose.yml. Keys are ECDSA
P-256 in PKCS#8, readable by their owner only; lifetimes are short (90 days, the CA a year), so a
lost key stops working soon even if nobody notices.
"""

import ipaddress
import os
import secrets
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from clock import SYSTEM_CLOCK

app = typer.Typer(help="Certificates for mTLS between Temporal and every client (docs/operations.md).")

CA = "ca"
SERVER = "temporal"
# The compose service names the frontend is reached at, and this host's loopback (a port bound to it).
SERVER_NAMES = ("temporal", "localhost")
SERVER_ADDRESSES = ("127.0.0.1", "::1")
# Every client of Temporal's frontend in docker-compose.yml, with the user its container runs as: the
# owner `--chown` gives its private key (Compose mounts secrets as they are on the host).
CLIENTS = {
    "worker": 10001,
    "api": 10001,
    "temporal-namespace": 10001,
    "temporal-ui": 5000,
    "temporal-admin-tools": 1000,
}
SERVER_UID = 1000  # temporalio/server runs as temporal (1000)
LEAF_DAYS = 90
CA_DAYS = 365
# Certificates are valid from a little before they are made: clocks of other hosts may lag.
SKEW = timedelta(minutes=5)
ORGANISATION = "IIN service (pilot)"


class CertificatesRefused(ValueError):
    """The certificates cannot be made as asked (a CA to reuse that is missing or expires too soon)."""


@dataclass(frozen=True)
class Authority:
    """The CA that signs the certificates: its certificate and its private key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def cert_file(name: str) -> str:
    """The file of a certificate: `ca.pem`, `temporal.pem`, `worker.pem`, ..."""
    return f"{name}.pem"


def key_file(name: str) -> str:
    """The file of a private key: `ca-key.pem`, `temporal-key.pem`, `worker-key.pem`, ..."""
    return f"{name}-key.pem"


def new_authority(now: datetime, days: int = CA_DAYS) -> Authority:
    """A self-signed CA valid `days` from `now`, that may sign end-entity certificates only."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, f"IIN pilot CA {secrets.token_hex(4)}"),
        ]
    )
    certificate = (
        _builder(name, name, key.public_key(), now, days)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Authority(certificate, key)


def issue(
    authority: Authority,
    common_name: str,
    *,
    now: datetime,
    days: int = LEAF_DAYS,
    dns_names: Iterable[str] = (),
    addresses: Iterable[str] = (),
    server: bool = False,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """An end-entity certificate signed by `authority`: for clients, or for a server (which also dials its peers).

    Refused when the CA would expire before it: a certificate may not outlive its issuer.
    """
    not_after = now + timedelta(days=days)
    if not_after > authority.certificate.not_valid_after_utc:
        raise CertificatesRefused(
            f"the CA expires on {authority.certificate.not_valid_after_utc:%Y-%m-%d}, before a certificate valid"
            f" {days} days would: make a new CA (without --reuse-ca)"
        )
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    names: list[x509.GeneralName] = [x509.DNSName(name) for name in dns_names]
    names += [x509.IPAddress(ipaddress.ip_address(address)) for address in addresses]
    # Temporal's services present the server certificate to each other as clients too (internode mTLS).
    usages = (
        [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
        if server
        else [ExtendedKeyUsageOID.CLIENT_AUTH]
    )
    ski = authority.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        _builder(subject, authority.certificate.subject, key.public_key(), now, days)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    return certificate, key


def write_pilot(
    out: Path,
    *,
    now: datetime,
    days: int = LEAF_DAYS,
    ca_days: int = CA_DAYS,
    server_names: Sequence[str] = (),
    reuse_ca: bool = False,
    chown: bool = False,
) -> list[Path]:
    """Write the CA (or reuse the one in `out`), the server's certificate and one per client; the files written.

    `server_names` are further DNS names or IP addresses the frontend is reached at. With `chown`
    (root only), each private key goes to the user of the container that reads it in docker-compose.yml.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if reuse_ca:
        authority = read_authority(out)
    else:
        authority = new_authority(now, ca_days)
        written += _write_pair(out, CA, authority.certificate, authority.key, owner=None)
    extra_addresses = [name for name in server_names if _is_address(name)]
    extra_names = [name for name in server_names if not _is_address(name)]
    server_cert, server_key = issue(
        authority,
        SERVER,
        now=now,
        days=days,
        dns_names=[*SERVER_NAMES, *extra_names],
        addresses=[*SERVER_ADDRESSES, *extra_addresses],
        server=True,
    )
    written += _write_pair(out, SERVER, server_cert, server_key, owner=SERVER_UID if chown else None)
    for client, uid in CLIENTS.items():
        cert, key = issue(authority, client, now=now, days=days, dns_names=[client])
        written += _write_pair(out, client, cert, key, owner=uid if chown else None)
    return written


def read_authority(directory: Path) -> Authority:
    """The CA written earlier into `directory` (`ca.pem`, `ca-key.pem`)."""
    try:
        certificate = x509.load_pem_x509_certificate((directory / cert_file(CA)).read_bytes())
        key = serialization.load_pem_private_key((directory / key_file(CA)).read_bytes(), password=None)
    except FileNotFoundError as error:
        raise CertificatesRefused(f"no CA to reuse in {directory}: {error.filename} is missing") from error
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CertificatesRefused(f"{directory / key_file(CA)} is not an EC private key")
    return Authority(certificate, key)


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, now: datetime, days: int
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - SKEW)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _write_pair(
    out: Path, name: str, certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey, owner: int | None
) -> list[Path]:
    cert_path, key_path = out / cert_file(name), out / key_file(name)
    _write(cert_path, certificate.public_bytes(serialization.Encoding.PEM), 0o644, owner=None)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write(key_path, pem, 0o600, owner=owner)
    return [cert_path, key_path]


def _write(path: Path, content: bytes, mode: int, owner: int | None) -> None:
    """Replace `path` at once with `content`, created with `mode` (a key is never readable by others, even briefly)."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(descriptor, mode)
        if owner is not None:
            os.fchown(descriptor, owner, owner)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@app.command("pilot")
def pilot(
    out: Annotated[
        Path, typer.Option(help="Directory to write into (docker-compose.yml reads TEMPORAL_TLS_DIR, ./certs).")
    ],
    days: Annotated[
        int, typer.Option(min=1, max=397, help="Lifetime of the server and client certificates.")
    ] = LEAF_DAYS,
    ca_days: Annotated[int, typer.Option(min=1, max=3650, help="Lifetime of a new CA.")] = CA_DAYS,
    server_name: Annotated[
        list[str] | None,
        typer.Option(
            help="A further DNS name or IP address of the frontend (e.g. for workers on other hosts); repeatable."
        ),
    ] = None,
    reuse_ca: Annotated[
        bool, typer.Option(help="Sign with the CA already in --out (renewal: clients keep trusting it).")
    ] = False,
    chown: Annotated[
        bool, typer.Option(help="Give each private key to the user of the container that reads it (root only).")
    ] = False,
) -> None:
    """Make a pilot CA (or reuse one) and the certificates for mTLS between Temporal and every client."""
    if chown and os.geteuid() != 0:
        typer.echo("--chown needs root (sudo, or the compose job temporal-pilot-certs)", err=True)
        raise typer.Exit(2)
    now = SYSTEM_CLOCK.now()
    try:
        written = write_pilot(
            out, now=now, days=days, ca_days=ca_days, server_names=server_name or [], reuse_ca=reuse_ca, chown=chown
        )
    except CertificatesRefused as error:
        typer.echo(f"refused: {error}", err=True)
        raise typer.Exit(2) from error
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"the certificates expire on {now + timedelta(days=days):%Y-%m-%d}; renew them before (--reuse-ca)")
    if not reuse_ca:
        typer.echo(f"keep {out / key_file(CA)} off the servers: only renewals need it")
