"""CPU-bound work over chunks of a bulk load, in a pool of processes, its results in order.

A bulk load (db/register_import.py) hands each chunk of rows to a process while its connection is
busy with PostgreSQL, so that Python's work and the server's overlap on a machine of few cores.
"""

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import aclosing, asynccontextmanager
from multiprocessing import get_context
from types import TracebackType
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


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
        # `None` marks the end; a failure of the producer reaches the consumer as the task's own error.
        queue: asyncio.Queue[tuple[Result] | None] = asyncio.Queue(results)

        async def produce() -> None:
            async with aclosing(self.map(function, chunks)) as mapped:
                async for value in mapped:
                    await queue.put((value,))
            await queue.put(None)

        async def consume() -> AsyncIterator[Result]:
            while True:
                getter = asyncio.ensure_future(queue.get())
                await asyncio.wait({getter, producer}, return_when=asyncio.FIRST_COMPLETED)
                if not getter.done():
                    if producer.exception() is not None:
                        getter.cancel()
                        producer.result()  # raises the producer's error where the consumer reads
                    await getter  # the producer ended well: the rest is queued, its end last
                item = getter.result()
                if item is None:
                    return
                yield item[0]

        producer = asyncio.create_task(produce())
        try:
            yield consume()
        finally:
            # The consumer stopped reading (done, raising, or breaking off): its own outcome stands, and
            # a failure of the producer it never reached is looked at here, not left unretrieved.
            producer.cancel()
            await asyncio.wait({producer})
            if not producer.cancelled():
                producer.exception()
