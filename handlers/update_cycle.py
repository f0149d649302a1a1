"""The scheduled update of every installed repository: one synthetic `schedule` event per cycle.

Three steps, so that arXiv is asked once per distinct query however many lists share it:
1. read each repository once (its config, list and rolling pull request) and learn its query;
2. harvest each distinct query once (`bot.jobs.harvest`), from the oldest window among its lists;
3. give each repository the papers of its own window; only those with something new write, and
   their writes are spread out by a random pause (GitHub's secondary rate limits count bursts).
A repository with nothing new costs its one read, and writes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from gidgethub import sansio
from gidgethub.routing import Router

from bot.github.client import Repository
from bot.jobs.context import Context
from bot.jobs.harvest import Harvester
from bot.jobs.scheduler import RepositoryRun
from handlers.update import Prepared, UpdateResult, prepare_update, update_repository

log = logging.getLogger(__name__)
router = Router()

SCHEDULE_EVENT = "schedule"
MAX_PARALLEL_REPOSITORIES = 4
WRITE_JITTER = 2.0  # seconds: the most a repository with something new waits before writing


@router.register(SCHEDULE_EVENT)
async def scheduled_updates(event: sansio.Event, ctx: Context) -> None:
    """`targets`: the (installation, repository) pairs to update; one RepositoryRun per target goes
    to `results` (failures too: one repository failing does not stop the others)."""
    data = event.data
    force, results = bool(data.get("force")), data["results"]
    jitter = float(data.get("jitter", WRITE_JITTER))
    now = datetime.now(UTC)
    slots = asyncio.Semaphore(MAX_PARALLEL_REPOSITORIES)
    repos = [await ctx.repository(target) for target in data["targets"]]

    async def read(repo: Repository) -> Prepared | UpdateResult | BaseException:
        async with slots:
            try:
                return await prepare_update(ctx, repo, force=force, now=now)
            except Exception as exc:
                log.exception("scheduled update of %s failed", repo.full_name)
                return exc

    firsts = await asyncio.gather(*(read(repo) for repo in repos))
    harvester = Harvester(ctx.arxiv, ctx.cache, cycle=event.delivery_id, now=now)
    due = [first for first in firsts if isinstance(first, Prepared)]
    try:
        await harvester.prefetch(first.need for first in due)
    except Exception as exc:  # arXiv is down: every due repository fails this cycle
        log.exception("harvest failed")
        firsts = [exc if isinstance(first, Prepared) else first for first in firsts]
    log.info("scheduled cycle: %d repositories, %d due, %d arXiv request(s)", len(repos), len(due),
             harvester.requests)
    before_write = _pause(jitter) if len(due) > 1 else None  # alone: no one to spread out from

    async def finish(repo: Repository, first: Prepared | UpdateResult | BaseException) -> RepositoryRun:
        if isinstance(first, BaseException):
            return RepositoryRun(repo.full_name, False, str(first) or type(first).__name__)
        if isinstance(first, UpdateResult):
            return _run_of(first)
        async with slots:
            try:
                result = await update_repository(ctx, repo, force=force, harvester=harvester,
                                                  prepared=first, before_write=before_write)
            except Exception as exc:
                log.exception("scheduled update of %s failed", repo.full_name)
                return RepositoryRun(repo.full_name, False, str(exc) or type(exc).__name__)
        log.info("update of %s: %s %s", repo.full_name, result.status, result.pull_url or "")
        return _run_of(result)

    results.extend(await asyncio.gather(*(finish(repo, first) for repo, first in zip(repos, firsts,
                                                                                    strict=True))))


def _run_of(result: UpdateResult) -> RepositoryRun:
    return RepositoryRun(result.repository, True, f"{result.status} {result.pull_url or ''}".strip())


def _pause(most: float) -> Callable[[], Awaitable[Any]]:
    async def pause() -> None:
        await asyncio.sleep(random.uniform(0, most))  # noqa: S311 - jitter, not crypto

    return pause
