"""Chosen once at start-up: everything in this process (no REDIS_URL), or shared on Redis.

With Redis, the per-repository locks, the arXiv rate gate and the caches are Redis-backed, so
every web and worker process sees the same ones. `RedisWatch` is the web process's side of a
Redis outage: it remembers when deliveries were refused, and once Redis answers again asks
GitHub to redeliver them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot.github.client import GitHubApp
from bot.github.redeliver import redeliver_failed
from bot.jobs.context import Context
from bot.jobs.locks import RedisLocks
from bot.papers.arxiv_client import ArxivClient
from bot.papers.arxiv_shared import RedisRateGate
from bot.papers.scholarly import ScholarlyClient
from bot.redis_conn import REDIS_ERRORS
from bot.settings import Settings
from bot.shared_cache import RedisCache

log = logging.getLogger(__name__)

CHECK_EVERY = 2.0  # seconds between checks whether a lost Redis is back
CLOCK_SLACK = timedelta(seconds=30)  # GitHub's clock and ours may differ a little


def build_context(settings: Settings, github: GitHubApp, redis: Redis | None,
                  scholarly: ScholarlyClient | None = None) -> Context:
    if redis is None:
        return Context(settings, github, ArxivClient.from_settings(settings), scholarly)
    cache = RedisCache(redis)
    arxiv = ArxivClient.from_settings(settings, cache=cache)
    arxiv.gate = RedisRateGate(redis, settings.arxiv_min_interval, lease=arxiv.request_lease)
    return Context(settings, github, arxiv, scholarly, locks=RedisLocks(redis), cache=cache)


class RedisWatch:
    """Deliveries refused while Redis was lost are redelivered once it is back."""

    def __init__(self, redis: Redis, github: GitHubApp) -> None:
        self._redis, self._github = redis, github
        self.lost_since: datetime | None = None
        self.redelivered = 0

    def lost(self) -> None:
        if self.lost_since is None:
            self.lost_since = datetime.now(UTC)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(CHECK_EVERY)
            if self.lost_since is not None:
                await self.recover()

    async def recover(self) -> None:
        """If Redis answers again, redeliver what failed since it was lost (and forget the loss)."""
        since = self.lost_since
        if since is None:
            return
        try:
            await self._redis.ping()
        except REDIS_ERRORS:
            return
        try:
            self.redelivered += await redeliver_failed(self._github.app_api(), since - CLOCK_SLACK)
        except Exception:  # GitHub unreachable too: try again at the next check
            log.exception("could not list or redeliver failed deliveries")
            return
        if self.lost_since == since:
            self.lost_since = None
