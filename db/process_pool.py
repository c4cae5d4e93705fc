"""CPU-bound work over chunks of a bulk load, in a pool of processes, its results in order.

A bulk load (db/register_import.py) hands each chunk of rows to a process while its connection is
busy with PostgreSQL, so that Python's work and the server's overlap on a machine of few cores.
"""

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import aclosing, asynccontextmanager, suppress
from multiprocessing import get_context
from types import TracebackType
from typing import NoReturn, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def _returning(value: Result) -> Callable[[], Result]:
    return lambda: value


def _raising(error: Exception) -> Callable[[], NoReturn]:
    def reraise() -> NoReturn:
        raise error

    return reraise


class ChunkPool:
    """Runs a function over chunks: in this process if `workers` is 0, else in that many processes.

    The function and each chunk cross to the processes as pickles: a module-level function (or a
    functools.partial of one) and plain data.
    """

    def __init__(self, workers: int) -> None:
        self._workers = workers
        # spawn, not fork: the parent holds an event loop and connections a forked child would share.
        self._pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn")) if workers else None

    def __enter__(self) -> "ChunkPool":
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._pool is not None:
            # After a failure half way, the chunks not yet begun are dropped rather than waited for.
            self._pool.shutdown(cancel_futures=True)

    async def map(self, function: Callable[[Item], Result], chunks: Iterable[Item]) -> AsyncGenerator[Result, None]:
        """`function` of each chunk, in order; a few chunks ahead, so that every process stays busy."""
        if self._pool is None:
            for chunk in chunks:
                yield function(chunk)
            return
        loop = asyncio.get_running_loop()
        in_flight: deque[asyncio.Future[Result]] = deque()
        for chunk in chunks:
            in_flight.append(loop.run_in_executor(self._pool, function, chunk))
            if len(in_flight) > 2 * self._workers:  # bounds the memory the results take
                yield await in_flight.popleft()
        while in_flight:
            yield await in_flight.popleft()

    @asynccontextmanager
    async def ahead(
        self, function: Callable[[Item], Result], chunks: Iterable[Item], results: int
    ) -> AsyncIterator[AsyncIterator[Result]]:
        """`map`'s results, computed in the background up to `results` ahead of their consumer.

        The work goes on while the caller awaits something else (a long statement); leaving the
        context stops it.
        """
        queue: asyncio.Queue[Callable[[], Result] | None] = asyncio.Queue(results)

        async def produce() -> None:
            try:
                async with aclosing(self.map(function, chunks)) as mapped:
                    async for value in mapped:
                        await queue.put(_returning(value))
            except Exception as error:  # handed to the consumer, which raises it where it reads
                await queue.put(_raising(error))
                return
            await queue.put(None)

        async def consume() -> AsyncIterator[Result]:
            while (outcome := await queue.get()) is not None:
                yield outcome()

        producer = asyncio.create_task(produce())
        try:
            yield consume()
        finally:
            producer.cancel()
            with suppress(asyncio.CancelledError):
                await producer
