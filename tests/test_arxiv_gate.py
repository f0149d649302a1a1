"""The arXiv gate (aiolimiter) and retries (tenacity): spacing, one connection, backoff."""

from __future__ import annotations

import asyncio
import itertools
import re
import time

import pytest

from bot.errors import ArxivUnavailable
from bot.papers.arxiv_client import ARXIV_DOWN, ArxivClient, SearchQuery
from bot.papers.references import parse_ref


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def arxiv_refs(*ids: str):
    return [parse_ref(i) for i in ids]


async def test_arxiv_requests_are_spaced_one_at_a_time_and_the_loop_stays_free(fake_arxiv):
    interval, jitter = 0.4, 0.05  # jitter: starting a thread and a connection, between gate and fake
    client = ArxivClient(fake_arxiv.url, min_interval=interval, timeout=2.0)
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    running = asyncio.create_task(ticker())
    ids = sorted(fake_arxiv.papers)[:3]
    await asyncio.gather(*(client.fetch(arxiv_refs(i)) for i in ids),
                         client.search(SearchQuery("all:safety", max_results=5)))
    assert len(fake_arxiv.call_log) == 4 and min(fake_arxiv.intervals()) >= interval - jitter
    fake_arxiv.delay = 0.7  # a slow answer: the next request waits for it (one connection at a time)
    fake_arxiv.call_log.clear()
    await asyncio.gather(*(client.search(SearchQuery(f"all:topic{n}", max_results=1)) for n in range(2)))
    assert min(fake_arxiv.intervals()) >= 0.7 - jitter
    running.cancel()
    assert max(gaps(ticks)) < 0.2  # the requests ran in threads: the event loop never stalled


async def test_arxiv_failures_are_retried_with_backoff_then_reported(fake_arxiv):
    client = ArxivClient(fake_arxiv.url, min_interval=0.2, timeout=2.0, retries=2)
    fake_arxiv.fail_next(503, times=3)
    with pytest.raises(ArxivUnavailable, match=re.escape(ARXIV_DOWN)):
        await client.search(SearchQuery("all:safety", max_results=1))
    assert [c.status for c in fake_arxiv.call_log] == [503] * 3
    # backoff: the gate's interval, then twice that
    first, second = fake_arxiv.intervals()
    assert first >= 0.2 and second >= 0.4
