"""The one Redis connection of a process (with REDIS_URL): opened at start-up, checked at once.

It is arq's `ArqRedis` (a `redis.asyncio.Redis`), so the same pool enqueues jobs and serves the
delivery log, locks, rate gate and caches. Short socket timeouts: when Redis is lost the webhook
must answer 503 within GitHub's 10 s, not hang.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.exceptions import RedisError

REDIS_UNREACHABLE = ("paperbot cannot start: Redis at REDIS_URL ({where}) does not answer ({reason}). "
                     "Start Redis or correct REDIS_URL; unset REDIS_URL to run everything in one process.")
SOCKET_TIMEOUT = 2.0  # seconds a command may take before Redis counts as lost
START_RETRIES = 2  # connection attempts after the first, one second apart, before giving up
REDIS_ERRORS = (RedisError, OSError, asyncio.TimeoutError)  # what a lost Redis raises


class RedisUnavailable(Exception):
    """Redis cannot be reached; the message names REDIS_URL (without its password)."""


def redis_where(url: str) -> str:
    """`host:port` (or the socket path) of a Redis URL, never its user or password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}"


def redis_settings(url: str) -> RedisSettings:
    settings = RedisSettings.from_dsn(url)
    settings.conn_timeout = int(SOCKET_TIMEOUT)
    settings.conn_retries = START_RETRIES
    settings.conn_retry_delay = 1
    return settings


async def open_redis(url: str) -> ArqRedis:
    """A connected pool, or RedisUnavailable with a message fit for the operator."""
    try:
        pool = await create_pool(redis_settings(url))
    except REDIS_ERRORS as exc:
        reason = str(exc).split(". ")[0] or type(exc).__name__
        raise RedisUnavailable(REDIS_UNREACHABLE.format(where=redis_where(url), reason=reason)) from None
    # Commands (not only connecting) give up after SOCKET_TIMEOUT: a stalled Redis reads as lost.
    pool.connection_pool.connection_kwargs["socket_timeout"] = SOCKET_TIMEOUT
    return pool
