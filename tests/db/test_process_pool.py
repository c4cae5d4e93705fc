"""The chunk pool of bulk loads: results in order, and a failure raised where the consumer reads."""

import pytest

from db.process_pool import ChunkPool


def double(chunk: list[int]) -> list[int]:
    return [2 * n for n in chunk]


def fail_on_three(chunk: list[int]) -> list[int]:
    if 3 in chunk:
        raise ValueError("line 3: bad row")
    return chunk


async def test_results_computed_ahead_come_in_the_order_of_their_chunks() -> None:
    with ChunkPool(0) as pool:
        async with pool.ahead(double, [[1], [2], [3], [4]], results=2) as results:
            assert [r async for r in results] == [[2], [4], [6], [8]]


async def test_a_failing_chunk_raises_its_error_to_the_consumer_after_the_chunks_before_it() -> None:
    seen = []
    with ChunkPool(0) as pool:
        async with pool.ahead(fail_on_three, [[1], [2], [3], [4]], results=2) as results:
            with pytest.raises(ValueError, match="line 3"):
                async for r in results:
                    seen.append(r)
    assert seen == [[1], [2]]
