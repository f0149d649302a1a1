"""`python -m bot worker`: runs the deliveries web processes put on Redis, with arq.

A delivery is one arq job (`handle_delivery`), dispatched through the same router and handlers
as in one process. What makes a job safe to run twice: the handlers write idempotently (the
rolling pull request records the commands it answered; a reply carries a hidden marker), so a
job that runs again after its worker was killed finds its own earlier work and adds nothing.

How arq runs a job again: while a job runs, its `arq:in-progress:` key lives `job_timeout + 10`
seconds; the job stays in the queue until it finishes. A worker killed mid-job never finishes
it, so once that key expires another worker takes the job (its `job_try` one higher).

Failures: a job that raises is retried (arq's `Retry`, with growing delays) up to `MAX_TRIES`
times; then it is given up on, logged, and kept in the Redis list `paperbot:failed-jobs` with
its payload and error (counted in /health as `jobs_failed_kept`), never silently dropped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from contextlib import AsyncExitStack
from typing import Any

from arq import Retry
from arq.connections import ArqRedis
from arq.worker import Worker, func
from gidgethub import sansio
from redis.asyncio import Redis

from bot.jobs.context import Context
from bot.jobs.scheduler import run_scheduled
from bot.logs import delivery_id
from bot.redis_conn import REDIS_ERRORS
from bot.settings import Settings
from bot.web.app import SHUTDOWN_GRACE, open_context
from bot.web.intake import FAILED_JOBS, JOB_FUNCTION

log = logging.getLogger(__name__)

MAX_TRIES = 5  # a job that failed this many times is kept in FAILED_JOBS instead of retried
UPDATE_TURN = "paperbot:scheduled-update"  # held by the worker running this cycle's update
JOB_STARTED = "running %s delivery %s (try %d)"
JOB_FINISHED = "finished delivery %s"
GAVE_UP = "gave up on %s delivery %s after %d tries: %s; kept in Redis list %s"


def retry_delay(job_try: int) -> float:
    """Seconds before try `job_try + 1`: 2, 4, 8, 16 (GitHub's or arXiv's hiccups pass meanwhile)."""
    return float(2**job_try)


async def handle_delivery(ctx: dict[str, Any], event_name: str, delivery: str, data: dict[str, Any]) -> None:
    """Run one delivery through the handlers; raise `Retry` on failure until MAX_TRIES."""
    job_try: int = ctx["job_try"]
    delivery_id.set(delivery)
    if job_try > MAX_TRIES:  # the worker running it died every time: keep it, do not loop forever
        await keep_failed(ctx["redis"], event_name, delivery, data, MAX_TRIES,
                          "its worker stopped while running it")
        return
    log.info(JOB_STARTED, event_name, delivery, job_try)
    event = sansio.Event(data, event=event_name, delivery_id=delivery)
    context: Context = ctx["paperbot"]
    try:
        # Inside arq's own timeout, so that a job too slow counts as a failure here (arq would
        # otherwise record the timeout as final and drop the job).
        async with asyncio.timeout(max(context.settings.job_timeout - 1, 1)):
            await ctx["router"].dispatch(event, context)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        if job_try >= MAX_TRIES:
            log.exception("delivery %s failed (try %d)", delivery, job_try)
            await keep_failed(ctx["redis"], event_name, delivery, data, job_try, error)
            return
        log.warning("delivery %s failed (try %d of %d), retrying: %s", delivery, job_try, MAX_TRIES, error)
        raise Retry(defer=retry_delay(job_try)) from exc
    log.info(JOB_FINISHED, delivery)


async def keep_failed(redis: Redis, event_name: str, delivery: str, data: dict[str, Any], tries: int,
                      error: str) -> None:
    """Given up: logged and kept (newest first) with what is needed to look into it or run it again."""
    log.error(GAVE_UP, event_name, delivery, tries, error, FAILED_JOBS)
    record = {"delivery": delivery, "event": event_name, "tries": tries, "error": error,
              "failed_at": int(time.time()), "payload": data}
    await redis.lpush(FAILED_JOBS, json.dumps(record))


async def scheduled_updates(redis: Redis, context: Context, router: Any, interval: float) -> None:
    """Every `interval` seconds one worker (whichever claims the turn first) runs the update."""
    while True:
        try:
            if await redis.set(UPDATE_TURN, int(time.time()), nx=True, px=int(interval * 1000)):
                runs = await run_scheduled(context, router)
                log.info("scheduled run: %d repositories, %d failed", len(runs),
                         sum(not run.ok for run in runs))
        except REDIS_ERRORS:
            log.warning("Redis cannot be reached: the scheduled update waits for the next check")
        except Exception:
            log.exception("scheduled run failed; trying again at the next interval")
        await asyncio.sleep(min(interval, 60.0))


def worker_options(settings: Settings) -> dict[str, Any]:
    """arq's `WorkerSettings`, as keyword arguments of `arq.worker.Worker`."""
    from handlers import router

    async def startup(ctx: dict[str, Any]) -> None:
        stack = AsyncExitStack()
        context = await stack.enter_async_context(open_context(settings, ctx["redis"]))
        ctx.update(paperbot=context, router=router, stack=stack, updates=None)
        if settings.update_interval:
            ctx["updates"] = asyncio.create_task(
                scheduled_updates(ctx["redis"], context, router, settings.update_interval))

    async def shutdown(ctx: dict[str, Any]) -> None:
        if ctx.get("updates") is not None:
            ctx["updates"].cancel()
            await asyncio.gather(ctx["updates"], return_exceptions=True)
        if "stack" in ctx:
            await ctx["stack"].aclose()

    return dict(
        functions=[func(handle_delivery, name=JOB_FUNCTION, max_tries=MAX_TRIES + 1)],
        on_startup=startup, on_shutdown=shutdown,
        max_jobs=settings.max_concurrent_jobs, job_timeout=settings.job_timeout,
        keep_result=0,  # de-duplication is the delivery log's job (bot.web.intake), not results'
        poll_delay=0.1, job_completion_wait=int(SHUTDOWN_GRACE), handle_signals=True,
    )


async def run_worker(settings: Settings, redis: ArqRedis) -> None:
    """Work until SIGINT or SIGTERM; jobs in flight get SHUTDOWN_GRACE seconds to finish."""
    worker = Worker(**worker_options(settings), redis_pool=redis)
    try:
        await worker.async_run()
    except asyncio.CancelledError:
        pass
    finally:
        await worker.close()
