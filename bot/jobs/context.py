"""What a handler gets: the shared clients and per-repository serialisation, owned by the app."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache

from bot.github.client import GitHubApp, Repository
from bot.jobs.locks import LocalLocks, Locks
from bot.papers.arxiv_client import ArxivClient
from bot.papers.scholarly import ScholarlyClient
from bot.settings import Settings
from bot.shared_cache import Cache, MemoryCache

# The keys the running task (and the tasks it starts) already holds through `serialised`.
_HELD: ContextVar[frozenset[str]] = ContextVar("serialised_keys", default=frozenset())


@dataclass
class Context:
    settings: Settings
    github: GitHubApp
    arxiv: ArxivClient
    scholarly: ScholarlyClient | None = None  # DOIs, ACL Anthology, OpenReview (None: not offered)
    # One lock per repository: commands for one repository run one after another, so twenty
    # `/add`s arriving together all land in the same rolling pull request. In process, or on
    # Redis when several processes share the work (chosen once at start-up: bot.jobs.backends).
    locks: Locks = field(default_factory=LocalLocks)
    # Small shared results with a lifetime (harvests, metadata): in memory, or on Redis.
    cache: Cache = field(default_factory=MemoryCache)

    # Recent commands per (repository, user), for the commands-per-hour limit.
    _recent: LRUCache[tuple[str, str], dict[str, float]] = field(
        default_factory=lambda: LRUCache(maxsize=20_000))

    def allow_command(self, repository: str, user: str, key: str, per_hour: int) -> bool:
        """Count command `key` once; False when `user` already sent `per_hour` others this hour."""
        now = time.monotonic()
        recent = {k: t for k, t in self._recent.get((repository, user), {}).items() if now - t < 3600}
        allowed = key in recent or len(recent) < per_hour
        if allowed:
            recent.setdefault(key, now)
        self._recent[(repository, user)] = recent
        return allowed

    async def repository(self, payload: dict[str, Any]) -> Repository:
        """The payload's repository; its client takes a fresh token at each request, so holding it
        while waiting in `serialised` is safe."""
        gh = self.github.installation_api(int(payload["installation"]["id"]))
        return Repository.from_payload(gh, payload["repository"])

    @asynccontextmanager
    async def serialised(self, key: str) -> AsyncIterator[None]:
        """One holder per key at a time, in the order they asked (asyncio.Lock wakes waiters FIFO).

        Re-entrant within a task: the server's job queue takes the repository's turn before giving
        the job a worker slot (so waiting holds no slot), and the handler's own `serialised` inside
        that job then passes straight through instead of waiting for itself."""
        held = _HELD.get()
        if key in held:
            yield
            return
        async with self.locks.hold(key):
            token = _HELD.set(held | {key})
            try:
                yield
            finally:
                _HELD.reset(token)
