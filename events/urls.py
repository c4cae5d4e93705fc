"""Where a webhook may point: in production, only at public addresses (no loopback, link-local or private).

The URL is checked when the subscription is made and again before every batch of deliveries, on the
addresses the name resolves to then; the delivery connects to the very address that was checked (the
request goes to the IP, with the name as Host and TLS server name), so a name that resolves
differently a moment later (DNS rebinding) cannot steer it inside. Redirects are never followed: a
3xx answer is a failed delivery. `WEBHOOK_ALLOWED_NETWORKS` lets local stacks and tests reach their
own receivers.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks: the message says why."""


@dataclass(frozen=True)
class Target:
    """A checked destination: the URL, and the address to connect to."""

    url: str
    host: str
    address: Address
    port: int


def parse_networks(values: list[str]) -> tuple[Network, ...]:
    """The allow-list setting as networks (`127.0.0.0/8`, `::1/128`, ...)."""
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def allowed(address: Address, networks: tuple[Network, ...]) -> bool:
    """Whether a delivery may go to `address`: a public one, or one the allow-list names."""
    if any(address in network for network in networks):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_form(url: str) -> tuple[str, int]:
    """The host and port of an http(s) URL with neither credentials nor fragment; UnsafeUrl otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("the URL must be http or https")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("the URL may not carry credentials")
    if parts.fragment:
        raise UnsafeUrl("the URL may not have a fragment")
    try:
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl("the URL's port is not a number from 1 to 65535") from error
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def resolve_target(url: str, networks: tuple[Network, ...]) -> Target:
    """Resolve the URL's host and check every address it has; UnsafeUrl if any one is not allowed."""
    host, port = check_form(url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise UnsafeUrl(f"the host {host} does not resolve") from error
    addresses = [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in infos]
    refused = [str(address) for address in addresses if not allowed(address, networks)]
    if refused or not addresses:
        raise UnsafeUrl(f"the host {host} resolves to an address webhooks may not reach ({', '.join(refused)})")
    return Target(url=url, host=host, address=addresses[0], port=port)
