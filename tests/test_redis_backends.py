"""The Redis-backed locks, rate gate and cache, on a real Redis, used from several clients at once
(each client stands for a process)."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import date

from redis.asyncio import Redis

from bot.jobs.locks import RedisLocks
from bot.papers.arxiv_shared import RedisRateGate, paper_from_bytes, paper_to_bytes
from bot.papers.references import Paper
from bot.shared_cache import MemoryCache, RedisCache, get_json, set_json


async def test_a_redis_lock_has_one_holder_across_processes(redis_server):
    clients = [Redis.from_url(redis_server.url) for _ in range(3)]
    inside, most = 0, 0

    async def hold(locks: RedisLocks) -> None:
        nonlocal inside, most
        async with locks.hold("octo/list"):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.02)
            inside -= 1

    await asyncio.gather(*(hold(RedisLocks(client)) for client in clients for _ in range(4)))
    assert most == 1
    for client in clients:
        await client.aclose()


async def test_a_dead_holders_lock_runs_out_and_a_live_one_is_renewed(redis_server):
    async with Redis.from_url(redis_server.url) as dead, Redis.from_url(redis_server.url) as live:
        await dead.set("paperbot:lock:octo/list", "killed-worker", px=300)  # its holder is gone
        started = time.monotonic()
        async with RedisLocks(live, lease=0.3).hold("octo/list"):
            assert 0.2 < time.monotonic() - started < 2
            await asyncio.sleep(0.7)  # longer than the lease: renewed meanwhile
            assert await live.pttl("paperbot:lock:octo/list") > 0
        assert not await live.exists("paperbot:lock:octo/list")


async def test_the_shared_gate_spaces_requests_across_processes(redis_server):
    interval, started = 0.1, []
    clients = [Redis.from_url(redis_server.url) for _ in range(3)]
    gates = [RedisRateGate(client, interval, lease=5) for client in clients]

    def request() -> None:
        started.append(time.monotonic())
        time.sleep(0.01)

    await asyncio.gather(*(gate.run(request) for gate in gates for _ in range(3)))
    gaps = [b - a for a, b in itertools.pairwise(sorted(started))]
    assert len(started) == 9 and min(gaps) >= interval
    for client in clients:
        await client.aclose()


async def test_caches_keep_values_for_their_lifetime(redis_server):
    async with Redis.from_url(redis_server.url) as client:
        for cache in (MemoryCache(), RedisCache(client)):
            await set_json(cache, "harvest:cs.CL", {"ids": ["2502.05206"]}, ttl=0.2)
            assert await get_json(cache, "harvest:cs.CL") == {"ids": ["2502.05206"]}
            assert await get_json(cache, "missing") is None
            await asyncio.sleep(0.3)
            assert await get_json(cache, "harvest:cs.CL") is None


def test_a_paper_reads_back_the_same_and_an_unknown_shape_is_a_miss():
    paper = Paper("2502.05206", 2, "Title", ("A. Author",), "Abstract", date(2025, 2, 7), date(2025, 3, 1),
                  ("cs.CR",), "cs.CR", "", "", "10.1/x")
    assert paper_from_bytes(paper_to_bytes(paper)) == paper
    assert paper_from_bytes(b'{"arxiv_id": "1", "no_such_field": 1}') is None
    assert paper_from_bytes(b"not json") is None
