"""Rate limits: per API key on the /v1 API, per client address on the public certificate check and on
failed authentications. Past a limit the answer is 429 `rate-limited` with `Retry-After` in seconds.

The counting is the `limits` library's moving window (exact: at most N requests in any interval of the
window's length), kept where RATE_LIMIT_STORAGE says: the API process's memory by default, so with
several API replicas each counts on its own (docs/operations.md, "Rate limits").

The client address is the TCP peer, unless the peer is in RATE_LIMIT_TRUSTED_PROXIES: then
X-Forwarded-For is read from the right, past every trusted proxy, to the first address that is not one.
An IPv6 client counts by its /64, the block one host or one home gets, so rotating addresses inside it
buys nothing. `limits` reads the machine's clock (time.time) for its windows; `Retry-After` is reckoned
against the same clock, SYSTEM_CLOCK (tests travel the process with time-machine).
"""

import ipaddress
import math
from collections.abc import Iterable
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.requests import HTTPConnection

from api.problems import ProblemError
from clock import SYSTEM_CLOCK
from config.settings import Settings
from events.urls import Address, Network, parse_networks

IPV6_CLIENT_PREFIX = 64
UNKNOWN_CLIENT = "unknown"  # no peer address (a Unix socket): every such request shares one count


def parse_limits(text: str) -> tuple[RateLimitItem, ...]:
    """'600/minute', or several separated by ';' ('20/second;600/minute'): ValueError if not one."""
    items = tuple(parse_many(text))
    if not items:
        raise ValueError(f"no rate limit in {text!r}")
    return items


def async_storage_uri(uri: str) -> str:
    """The asynchronous variant of a `limits` storage URI: memory:// is async+memory://."""
    return uri if uri.startswith("async+") else f"async+{uri}"


@dataclass(frozen=True)
class RateLimits:
    """The limits of one API: what each key, each address and each address's failed authentications may do."""

    per_key: tuple[RateLimitItem, ...]
    per_address: tuple[RateLimitItem, ...]
    auth_failures: tuple[RateLimitItem, ...]
    trusted_proxies: tuple[Network, ...] = ()
    storage: str = "memory://"

    @classmethod
    def of(
        cls,
        per_key: str,
        per_address: str,
        auth_failures: str,
        trusted_proxies: Iterable[str] = (),
        storage: str = "memory://",
    ) -> "RateLimits":
        """Limits written as the settings write them ('600/minute'; networks as '10.0.0.0/8')."""
        return cls(
            per_key=parse_limits(per_key),
            per_address=parse_limits(per_address),
            auth_failures=parse_limits(auth_failures),
            trusted_proxies=parse_networks(list(trusted_proxies)),
            storage=storage,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> "RateLimits | None":
        """RATE_LIMIT_*; None (no limits) when RATE_LIMIT_ENABLED is false."""
        if not settings.rate_limit_enabled:
            return None
        return cls.of(
            settings.rate_limit_per_key,
            settings.rate_limit_per_address,
            settings.rate_limit_auth_failures,
            settings.rate_limit_trusted_proxies,
            settings.rate_limit_storage,
        )


class TooManyRequests(ProblemError):
    """429 `rate-limited`, with the whole seconds to wait in `Retry-After`."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(
            "rate-limited", f"{detail}; retry after {retry_after} s", headers={"Retry-After": str(retry_after)}
        )
        self.retry_after = retry_after


class Limiter:
    """The counts of one API process (or of the shared store RATE_LIMIT_STORAGE names)."""

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._window = MovingWindowRateLimiter(storage_from_string(async_storage_uri(limits.storage)))

    def client(self, connection: HTTPConnection) -> str:
        """The address a request counts against (see the module's docstring)."""
        peer = connection.scope.get("client")
        headers = connection.scope["headers"]
        forwarded = [value.decode("latin-1") for name, value in headers if name == b"x-forwarded-for"]
        return client_address(peer[0] if peer else None, forwarded, self.limits.trusted_proxies)

    async def key(self, key_id: str) -> None:
        """Count a request of the key `key_id`; TooManyRequests past its limit."""
        await self._hit(self.limits.per_key, ("key", key_id), "this API key is over its limit of {}")

    async def public(self, connection: HTTPConnection) -> None:
        """Count a certificate check (JSON or page) of the request's address; TooManyRequests past its limit."""
        await self._hit(
            self.limits.per_address,
            ("check", self.client(connection)),
            "this address is over its limit of {} certificate checks",
        )

    async def refuse_failing(self, address: str) -> None:
        """TooManyRequests if `address` has used up its failed authentications: its next key is not looked up."""
        for item in self.limits.auth_failures:
            if not await self._window.test(item, "auth-failure", address):
                raise await self._refusal(item, ("auth-failure", address), "too many failed authentications ({})")

    async def failed(self, address: str) -> None:
        """Count a failed authentication (an unknown or revoked key) from `address`."""
        for item in self.limits.auth_failures:
            await self._window.hit(item, "auth-failure", address)

    async def _hit(self, items: tuple[RateLimitItem, ...], identifiers: tuple[str, str], detail: str) -> None:
        for item in items:
            if not await self._window.hit(item, *identifiers):
                raise await self._refusal(item, identifiers, detail)

    async def _refusal(self, item: RateLimitItem, identifiers: tuple[str, str], detail: str) -> TooManyRequests:
        stats = await self._window.get_window_stats(item, *identifiers)
        # The window frees a place just after its oldest hit is `item`'s length old: the first whole second
        # after that instant is when a retry is let through.
        wait = math.floor(stats.reset_time - SYSTEM_CLOCK.now().timestamp()) + 1
        return TooManyRequests(detail.format(item), max(1, wait))


def client_address(peer: str | None, forwarded: list[str], trusted: tuple[Network, ...]) -> str:
    """The client behind `peer`: the peer itself, or, from a trusted proxy, the nearest untrusted hop of
    X-Forwarded-For (its values in order); IPv6 clients as their /64."""
    address = _address(peer) if peer is not None else None
    if address is None:
        return UNKNOWN_CLIENT
    if forwarded and _within(address, trusted):
        hops = [hop for value in forwarded for hop in value.split(",")]
        for hop in reversed(hops):
            # Each proxy appends the peer it saw: the right end is written by the proxies, the left by the
            # client. A hop that is no address ends the walk at the last proxy that was trusted.
            named = _address(hop)
            if named is None:
                break
            address = named
            if not _within(address, trusted):
                break
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(address)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.7:443
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _within(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def limiter_of(connection: HTTPConnection) -> Limiter | None:
    """The app's limiter, or None when its limits are off."""
    limiter: Limiter | None = getattr(connection.app.state, "limiter", None)
    return limiter
