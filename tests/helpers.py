"""Small test helpers: polling instead of sleeping."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], *, within: float = 15.0, every: float = 0.05
) -> T:
    """Call `probe` until `accept` holds for its result; fail with the last result after `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        value = await probe()
        if accept(value):
            return value
        if loop.time() > deadline:
            raise AssertionError(f"not accepted within {within} s; last value: {value!r}")
        await asyncio.sleep(every)
