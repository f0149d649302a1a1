"""Where an accepted delivery goes: this process's job queue, or arq's queue on Redis.

Both answer the webhook's two questions the same way: was this delivery seen before, and can
its job be taken? The web endpoint does not care which one it has (chosen once, in `create_app`).

On Redis a delivery is enqueued under its own id (arq's `_job_id`: a second enqueue of the same
id while the job waits or runs is refused), and only then remembered for a day (`SET NX EX`).
In that order, a Redis lost between the two never leaves a delivery marked as seen whose job
was not queued: GitHub's redelivery of it is taken again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Protocol

from arq.connections import ArqRedis
from gidgethub import sansio

from bot.jobs.queue import JobQueue
from bot.logs import delivery_id
from bot.redis_conn import REDIS_ERRORS

log = logging.getLogger(__name__)

Taken = Literal["accepted", "duplicate", "refused"]
JOB_FUNCTION = "handle_delivery"  # the worker's function (bot.cli.worker) that runs a delivery
SEEN_KEY = "paperbot:delivery:{delivery}"
SEEN_FOR = 24 * 3600  # seconds a delivery id is remembered (GitHub redelivers within 3 days, by hand)
FAILED_JOBS = "paperbot:failed-jobs"  # the jobs given up on, newest first (bot.cli.worker writes them)


class IntakeUnavailable(Exception):
    """The queue's store (Redis) cannot be reached: the delivery was not taken."""


class Intake(Protocol):
    async def first_time(self, delivery: str) -> bool: ...

    async def submit(self, event: sansio.Event, key: str | None) -> Taken: ...

    async def figures(self) -> dict[str, object]: ...


class LocalIntake:
    """One process: delivery ids in memory, jobs on this process's `JobQueue`."""

    def __init__(self, recent: Any, jobs: JobQueue,
                 dispatch: Callable[[sansio.Event], Awaitable[None]]) -> None:
        self._recent, self._jobs, self._dispatch = recent, jobs, dispatch

    async def first_time(self, delivery: str) -> bool:
        return self._recent.first_time(delivery)

    async def submit(self, event: sansio.Event, key: str | None) -> Taken:
        async def work() -> None:
            delivery_id.set(event.delivery_id)
            log.debug("handling %s.%s", event.event, event.data.get("action", "-"))
            await self._dispatch(event)

        if self._jobs.start(f"delivery-{event.delivery_id}", work, key=key):
            return "accepted"
        self._recent.forget(event.delivery_id)
        return "refused"

    async def figures(self) -> dict[str, object]:
        return self._jobs.figures()


class RedisIntake:
    """Several processes: delivery ids and jobs on Redis, jobs run by `python -m bot worker`."""

    def __init__(self, redis: ArqRedis, on_lost: Callable[[], None] = lambda: None) -> None:
        self._redis = redis
        self._on_lost = on_lost  # told each time Redis could not be reached (to redeliver later)

    async def first_time(self, delivery: str) -> bool:
        try:
            return not await self._redis.exists(SEEN_KEY.format(delivery=delivery))
        except REDIS_ERRORS as exc:
            raise self._lost(exc) from exc

    async def submit(self, event: sansio.Event, key: str | None) -> Taken:
        delivery = event.delivery_id
        try:
            job = await self._redis.enqueue_job(JOB_FUNCTION, event.event, delivery, event.data,
                                                _job_id=f"delivery:{delivery}")
            await self._redis.set(SEEN_KEY.format(delivery=delivery), int(time.time()), ex=SEEN_FOR,
                                  nx=True)
        except REDIS_ERRORS as exc:
            raise self._lost(exc) from exc
        return "accepted" if job is not None else "duplicate"

    async def figures(self) -> dict[str, object]:
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.zcard(self._redis.default_queue_name)
                pipe.llen(FAILED_JOBS)
                queued, failed = await pipe.execute()
        except REDIS_ERRORS:
            return {"redis": "unreachable"}
        return {"redis": "ok", "jobs_queued": queued, "jobs_failed_kept": failed}

    def _lost(self, exc: BaseException) -> IntakeUnavailable:
        log.error("Redis cannot be reached (%s): answering 503 so that GitHub marks the delivery "
                  "failed; it is redelivered once Redis is back", type(exc).__name__)
        self._on_lost()
        return IntakeUnavailable(str(exc))
