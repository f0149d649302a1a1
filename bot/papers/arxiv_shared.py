"""What the arXiv client shares between processes through Redis: its rate gate, and papers as
cache entries (bytes any process can read back).

The gate keeps arXiv's terms across every process of the app: one request at a time, the next
starting at least `interval` seconds after the previous one *finished*. A process takes the key
`paperbot:arxiv-gate` (SET NX) on a lease long enough for one request, and when its request is
done shortens the lease to `interval`: whoever takes the key next starts after that.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import secrets
import typing
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from redis.asyncio import Redis

from bot.papers.references import Paper

GATE_KEY = "paperbot:arxiv-gate"
MIN_WAIT = 0.01  # seconds between attempts at least
# Shortens the lease only when it is still ours (a lease that ran out may have been taken since).
_FINISH = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
T = TypeVar("T")


class RedisRateGate:
    """The `RateGate` interface (`interval`, `run`) on one Redis key shared by all processes."""

    def __init__(self, redis: Redis, interval: float, lease: float) -> None:
        self.interval = interval
        self._redis = redis
        self._lease_ms = max(1, int((lease + interval) * 1000))
        self._finish = redis.register_script(_FINISH)

    async def run(self, func: Callable[..., T], *args: object) -> T:
        token = secrets.token_hex(8)
        while not await self._redis.set(GATE_KEY, token, nx=True, px=self._lease_ms):
            left = await self._redis.pttl(GATE_KEY) / 1000
            # After a request the key lives `interval` more: wait exactly that. During one it
            # holds the whole lease, though the request usually ends long before: look again soon.
            await asyncio.sleep(left if MIN_WAIT < left <= self.interval else MIN_WAIT * 5)
        try:
            return await asyncio.to_thread(func, *args)
        finally:
            wait_ms = int(self.interval * 1000)
            if wait_ms > 0:
                await self._finish(keys=[GATE_KEY], args=[token, wait_ms])
            else:
                await self._redis.delete(GATE_KEY)


def paper_to_bytes(paper: Paper) -> bytes:
    return json.dumps(dataclasses.asdict(paper), default=str, separators=(",", ":")).encode()


def paper_from_bytes(raw: bytes) -> Paper | None:
    """The paper `paper_to_bytes` wrote; None when it does not fit today's `Paper` (written by an
    older release, say): the caller asks arXiv again."""
    try:
        values = json.loads(raw)
        hints = typing.get_type_hints(Paper)
        known = {f.name for f in dataclasses.fields(Paper)}
        kwargs = {}
        for name, value in values.items():
            if name not in known:
                return None
            kind = hints[name]
            if kind is date:
                value = date.fromisoformat(value)
            elif typing.get_origin(kind) is tuple:
                value = tuple(value)
            kwargs[name] = value
        return Paper(**kwargs)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
