"""Scheduled work: one synthetic `schedule` event per installed repository, through the same router.

Used by `python -m bot update` (Heroku Scheduler, cron, CI) and by the server's optional loop.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from gidgethub import sansio
from gidgethub.routing import Router

from bot.context import Context
from bot.logs import delivery_id

log = logging.getLogger(__name__)
MAX_PARALLEL_REPOSITORIES = 4


@dataclass(frozen=True)
class RepositoryRun:
    repository: str
    ok: bool
    detail: str


async def installed_repositories(ctx: Context) -> AsyncIterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(installation, repository) pairs for every repository the app is installed on."""
    async for installation in ctx.github.app_api().getiter("/app/installations"):
        gh = ctx.github.installation_api(int(installation["id"]))
        async for repository in gh.getiter("/installation/repositories", iterable_key="repositories"):
            yield installation, repository


async def run_scheduled(ctx: Context, router: Router, *, only: str | None = None,
                        force: bool = False) -> list[RepositoryRun]:
    """Dispatch one `schedule` event per repository (or just `only`); failures are collected."""
    slots = asyncio.Semaphore(MAX_PARALLEL_REPOSITORIES)
    runs: list[RepositoryRun] = []

    async def one(installation: dict[str, Any], repository: dict[str, Any]) -> None:
        results: list[Any] = []
        event = sansio.Event(
            {"action": "scheduled", "installation": {"id": installation["id"]},
             "repository": repository, "force": force, "results": results},
            event="schedule", delivery_id=f"schedule-{uuid.uuid4().hex[:12]}")
        async with slots:
            delivery_id.set(event.delivery_id)
            try:
                await router.dispatch(event, ctx)
            except Exception as exc:
                log.exception("scheduled update of %s failed", repository["full_name"])
                runs.append(RepositoryRun(repository["full_name"], False, str(exc) or type(exc).__name__))
                return
        detail = ", ".join(f"{r.status} {r.pull_url or ''}".strip() for r in results) or "done"
        runs.append(RepositoryRun(repository["full_name"], True, detail))

    tasks = []
    async for installation, repository in installed_repositories(ctx):
        if only is None or repository["full_name"].lower() == only.lower():
            tasks.append(asyncio.create_task(one(installation, repository)))
    await asyncio.gather(*tasks)
    if only is not None and not tasks:
        runs.append(RepositoryRun(only, False, "the app is not installed on this repository"))
    return runs


async def periodic_updates(ctx: Context, router: Router, interval: float) -> None:
    """The server's loop: every `interval` seconds, give or take 10 %, so instances spread out."""
    while True:
        await asyncio.sleep(interval * random.uniform(0.9, 1.1))  # noqa: S311 - jitter, not crypto
        try:
            runs = await run_scheduled(ctx, router)
        except Exception:
            log.exception("scheduled run failed; trying again at the next interval")
            continue
        failed = [run for run in runs if not run.ok]
        log.info("scheduled run: %d repositories, %d failed", len(runs), len(failed))
