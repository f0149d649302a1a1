"""Small results with a lifetime (arXiv metadata, harvest results), shared by whoever needs them:
in this process's memory, or on Redis when several processes share the work.

Values are bytes, so what is cached is explicit (JSON, say) and reads the same in every process;
`get_json`/`set_json` are the usual way in. A cache is an optimisation: a value may vanish at any
time (evicted, expired, Redis restarted), and callers then compute it again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Protocol

from cachetools import TLRUCache
from redis.asyncio import Redis

MEMORY_ITEMS = 20_000  # entries kept in memory, the least recently used dropped first
PREFIX = "paperbot:cache:"


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl: float) -> None: ...

    async def delete(self, key: str) -> None: ...


class MemoryCache:
    """In-process, each entry with its own lifetime (cachetools' TLRU)."""

    def __init__(self, maxsize: int = MEMORY_ITEMS, timer: Callable[[], float] = time.monotonic) -> None:
        self._items: TLRUCache[str, tuple[bytes, float]] = TLRUCache(
            maxsize=maxsize, ttu=lambda _key, value, now: now + value[1], timer=timer)

    async def get(self, key: str) -> bytes | None:
        item = self._items.get(key)
        return item[0] if item is not None else None

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        self._items[key] = (value, ttl)

    async def delete(self, key: str) -> None:
        self._items.pop(key, None)


class RedisCache:
    """On Redis: `SET key value PX ttl`, so Redis expires entries itself."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def get(self, key: str) -> bytes | None:
        value = await self._redis.get(PREFIX + key)
        return bytes(value) if value is not None else None

    async def set(self, key: str, value: bytes, ttl: float) -> None:
        await self._redis.set(PREFIX + key, value, px=max(1, int(ttl * 1000)))

    async def delete(self, key: str) -> None:
        await self._redis.delete(PREFIX + key)


async def get_json(cache: Cache, key: str) -> Any | None:
    """The JSON value stored under `key`; None when absent, expired or unreadable."""
    raw = await cache.get(key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


async def set_json(cache: Cache, key: str, value: Any, ttl: float) -> None:
    await cache.set(key, json.dumps(value, separators=(",", ":")).encode(), ttl)
