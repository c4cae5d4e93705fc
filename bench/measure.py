"""Running a batch of workflows and measuring it: throughput, latency percentiles, CPU, memory."""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
from rich.progress import Progress, TaskID


@dataclass
class Phase:
    """The figures of one measured batch."""

    name: str
    count: int
    wall_seconds: float
    latencies_ms: list[float] = field(repr=False)
    # CPU seconds spent during the phase by each part of the stack: server, worker, postgres, client.
    cpu_seconds: dict[str, float]
    # Completions and seconds between the first and the last tenth of the batch's completions: the
    # steady state, without the ramp-up and the drain at the end when fewer items are in flight.
    steady_count: int = 0
    steady_seconds: float = 0.0
    worker_peak_rss_mb: float | None = None

    @property
    def per_second(self) -> float:
        return self.count / self.wall_seconds

    @property
    def steady_per_second(self) -> float:
        return self.steady_count / self.steady_seconds if self.steady_seconds else self.per_second

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def summary(self) -> dict[str, float | int | str | None]:
        return {
            "name": self.name,
            "count": self.count,
            "per_second": round(self.per_second, 2),
            "steady_per_second": round(self.steady_per_second, 2),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1),
            **{f"{part}_cpu_ms_per_item": round(1000 * s / self.count, 2) for part, s in self.cpu_seconds.items()},
            "worker_peak_rss_mb": self.worker_peak_rss_mb,
        }


def cpu_seconds(process: psutil.Process, *, descendants: bool = False) -> float:
    """CPU a process used so far, with its descendants' (live and reaped) if asked."""
    if not descendants:
        own = process.cpu_times()
        return float(own.user + own.system)
    total = 0.0
    for member in (process, *process.children(recursive=True)):
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:  # a backend that ended between listing and reading
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def peak_rss_mb(process: psutil.Process) -> float:
    """The process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{process.pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return process.memory_info().rss / 2**20


async def _measured(
    name: str,
    count: int,
    started_items: Callable[[Callable[[int], Awaitable[None]]], Awaitable[None]],
    one: Callable[[int], Awaitable[None]],
    parts: dict[str, Callable[[], float]],
    progress: Progress,
) -> Phase:
    """Time each `one(i)` from call to return while `started_items` drives them; CPU of each part around it all."""
    latencies: list[float] = []
    completions: list[float] = []
    task: TaskID = progress.add_task(name, total=count)

    async def timed(i: int) -> None:
        started = time.perf_counter()
        await one(i)
        completions.append(time.perf_counter())
        latencies.append((completions[-1] - started) * 1000)
        progress.advance(task)

    before = {part: meter() for part, meter in parts.items()}
    started = time.perf_counter()
    await started_items(timed)
    wall = time.perf_counter() - started
    used = {part: meter() - before[part] for part, meter in parts.items()}
    first, last = count // 10, count - count // 10 - 1
    return Phase(name, count, wall, latencies, used, last - first, completions[last] - completions[first])


async def closed_loop(
    name: str,
    count: int,
    in_flight: int,
    one: Callable[[int], Awaitable[None]],
    parts: dict[str, Callable[[], float]],
    progress: Progress,
) -> Phase:
    """Run `one(i)` for i < count with at most `in_flight` at once."""
    gate = asyncio.Semaphore(in_flight)

    async def drive(timed: Callable[[int], Awaitable[None]]) -> None:
        async def gated(i: int) -> None:
            async with gate:
                await timed(i)

        await asyncio.gather(*(gated(i) for i in range(count)))

    return await _measured(name, count, drive, one, parts, progress)


async def open_loop(
    name: str,
    rate: float,
    count: int,
    one: Callable[[int], Awaitable[None]],
    parts: dict[str, Callable[[], float]],
    progress: Progress,
) -> Phase:
    """Start `one(i)` at a fixed arrival `rate` per second, whatever the completions do."""

    async def drive(timed: Callable[[int], Awaitable[None]]) -> None:
        started = time.perf_counter()
        running = []
        for i in range(count):
            await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
            running.append(asyncio.ensure_future(timed(i)))
        await asyncio.gather(*running)

    return await _measured(f"{name} at {rate:.1f}/s", count, drive, one, parts, progress)


async def mirrored(
    kinds: list[tuple[str, Callable[[int], Awaitable[None]], dict[str, Callable[[], float]]]],
    count: int,
    in_flight: int,
    progress: Progress,
) -> list[Phase]:
    """`count` items of each kind (name, one item, CPU parts) in two halves, in the order A B ... B A.

    The server spends more per workflow as its store fills up: this way every kind runs as much early
    in the run as late. One phase per kind, its halves combined, in the order given.
    """
    halves: dict[str, list[Phase]] = {}
    for name, one, parts in (*kinds, *reversed(kinds)):
        half = await closed_loop(name, count // 2, in_flight, one, parts, progress)
        halves.setdefault(name, []).append(half)
    return [combined(halves[name]) for name, _, _ in kinds]


def combined(parts: list[Phase]) -> Phase:
    """Batches of one kind measured apart, as one: their items, wall time and CPU added up."""
    return Phase(
        parts[0].name,
        sum(p.count for p in parts),
        sum(p.wall_seconds for p in parts),
        [latency for p in parts for latency in p.latencies_ms],
        {part: sum(p.cpu_seconds[part] for p in parts) for part in parts[0].cpu_seconds},
        sum(p.steady_count for p in parts),
        sum(p.steady_seconds for p in parts),
    )


def as_dict(phase: Phase) -> dict[str, object]:
    """Everything, latencies included, for the results file."""
    return {**asdict(phase), **phase.summary()}
