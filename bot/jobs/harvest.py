"""One arXiv harvest per distinct query and cycle, shared by every repository that asks it.

A scheduled cycle first learns what each due repository would ask arXiv (`HarvestNeed`), then asks
arXiv once per distinct query (`harvest_key`), from the oldest `since` among the repositories that
share it and for the most results any of them wants; each repository then keeps the papers of its
own window (`in_window`) and judges their relevance itself. So arXiv sees as many requests per
cycle as there are distinct queries, however many installations share them.

Results are kept in the context's cache (bot.shared_cache) under the cycle's name: in memory by
default; on Redis, the processes that run one cycle share its harvests too.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, get_origin, get_type_hints

import orjson

from bot.jobs.updates import dated_query, harvest_key, in_window
from bot.papers.arxiv_client import ArxivClient, SearchQuery
from bot.papers.references import Paper
from bot.shared_cache import Cache

HARVEST_TTL = 3600.0  # seconds a cycle's harvests stay in the store: longer than a cycle takes
MAX_RESULTS = 100  # arXiv answers at most this many per request without paging


@dataclass(frozen=True)
class HarvestNeed:
    """What one repository asks arXiv: its query (without dates), from when, and how many papers."""

    query: str
    since: date | None  # None: no window (the list shows no dated paper yet)
    max_results: int


@dataclass(frozen=True)
class Harvest:
    since: date | None
    max_results: int
    papers: tuple[Paper, ...]

    def covers(self, need: HarvestNeed) -> bool:
        return self.max_results >= need.max_results and (
            self.since is None or (need.since is not None and self.since <= need.since))


def widest(needs: Iterable[HarvestNeed]) -> HarvestNeed:
    """One need that covers all of `needs` (which share a query): the oldest window, the most results."""
    needs = list(needs)
    sinces = [need.since for need in needs]
    since = None if None in sinces else min(s for s in sinces if s is not None)
    return HarvestNeed(needs[0].query, since, min(MAX_RESULTS, max(need.max_results for need in needs)))


class Harvester:
    """The harvests of one cycle (`cycle` names it in the store). `prefetch` the needs of every
    repository first; `papers` then answers each one from those harvests, asking arXiv only for a
    need none of them covers (a repository read again after a conflict, a `/update` command)."""

    def __init__(self, arxiv: ArxivClient, store: Cache, *, cycle: str, now: datetime) -> None:
        self.arxiv, self.store, self.cycle, self.now = arxiv, store, cycle, now
        self.requests = 0  # arXiv requests this harvester made
        self._found: dict[str, Harvest] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def prefetch(self, needs: Iterable[HarvestNeed]) -> None:
        groups: dict[str, list[HarvestNeed]] = {}
        for need in needs:
            groups.setdefault(harvest_key(need.query), []).append(need)
        for key, group in groups.items():
            await self._harvest(key, widest(group))

    async def papers(self, need: HarvestNeed) -> list[Paper]:
        """The papers arXiv has for `need`'s query within its window, newest submission first."""
        found = await self._harvest(harvest_key(need.query), need)
        return in_window(found.papers, need.since)

    async def _harvest(self, key: str, need: HarvestNeed) -> Harvest:
        async with self._locks.setdefault(key, asyncio.Lock()):  # one request per query at a time
            found = self._found.get(key) or await self._stored(key)
            if found is None or not found.covers(need):
                if found is not None:  # cover what was asked before as well
                    need = widest([need, HarvestNeed(key, found.since, found.max_results)])
                papers = await self.arxiv.search(SearchQuery(dated_query(key, need.since, self.now),
                                                             max_results=need.max_results))
                self.requests += 1
                found = Harvest(need.since, need.max_results, tuple(papers))
                await self.store.set(self._store_key(key), encode_harvest(found).encode(), HARVEST_TTL)
            self._found[key] = found
            return found

    async def _stored(self, key: str) -> Harvest | None:
        text = await self.store.get(self._store_key(key))
        return decode_harvest(text.decode()) if text is not None else None

    def _store_key(self, key: str) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return f"paperbot:harvest:{self.cycle}:{digest}"


def encode_harvest(harvest: Harvest) -> str:
    return orjson.dumps({"since": harvest.since, "max_results": harvest.max_results,
                         "papers": list(harvest.papers)}).decode()


def decode_harvest(text: str) -> Harvest:
    data = orjson.loads(text)
    since = date.fromisoformat(data["since"]) if data["since"] else None
    return Harvest(since, int(data["max_results"]), tuple(map(paper_from_json, data["papers"])))


_PAPER_TYPES = get_type_hints(Paper)


def paper_from_json(data: dict[str, Any]) -> Paper:
    """A `Paper` from what orjson made of it (dates as ISO text, tuples as lists)."""
    values: dict[str, Any] = {}
    for item in fields(Paper):
        if item.name not in data:
            continue
        value, kind = data[item.name], _PAPER_TYPES[item.name]
        if kind is date and isinstance(value, str):
            value = date.fromisoformat(value)
        elif get_origin(kind) is tuple and isinstance(value, list):
            value = tuple(value)
        values[item.name] = value
    return Paper(**values)
