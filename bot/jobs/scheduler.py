"""Scheduled work: one synthetic `schedule` event per cycle, naming every installed repository,
through the same router (handlers/update_cycle.py groups them by arXiv query).

Used by `python -m bot update` (Heroku Scheduler, cron, CI) and by the server's optional loop.

Each installation's repository list is kept in the context's store for a day (`REPOSITORIES_TTL`),
so that a repository with nothing new costs one installation token and one read per cycle. The
`installation` and `installation_repositories` webhooks drop it at once (handlers/installations.py),
and so does a failed update of one of its repositories (renamed, removed, default branch changed).
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from gidgethub import sansio
from gidgethub.routing import Router

from bot.jobs.context import Context
from bot.logs import delivery_id

log = logging.getLogger(__name__)
REPOSITORIES_TTL = 24 * 3600.0
# What the update needs of a repository (`Repository.from_payload`, the report): the rest is dropped.
_REPOSITORY_FIELDS = ("id", "name", "full_name", "owner", "default_branch", "html_url")


@dataclass(frozen=True)
class RepositoryRun:
    repository: str
    ok: bool
    detail: str


def _repositories_key(installation_id: int) -> str:
    return f"paperbot:installation-repositories:{installation_id}"


async def installation_repositories(ctx: Context, installation_id: int) -> list[dict[str, Any]]:
    """The repositories of one installation, from the store when they were listed within a day."""
    key = _repositories_key(installation_id)
    kept = await ctx.cache.get(key)
    if kept is not None:
        return orjson.loads(kept)
    gh = ctx.github.installation_api(installation_id)
    repositories = [
        {name: repository[name] for name in _REPOSITORY_FIELDS if name in repository}
        async for repository in gh.getiter("/installation/repositories?per_page=100",
                                           iterable_key="repositories")]
    for repository in repositories:  # of the owner, only the login is used
        repository["owner"] = {"login": repository["owner"]["login"]}
    await ctx.cache.set(key, orjson.dumps(repositories), REPOSITORIES_TTL)
    return repositories


async def forget_repositories(ctx: Context, installation_id: int) -> None:
    """List the installation's repositories afresh at the next cycle."""
    await ctx.cache.delete(_repositories_key(installation_id))


async def scheduled_targets(ctx: Context, only: str | None = None, *, fresh: bool = False,
                            failed: list[RepositoryRun] | None = None) -> list[dict[str, Any]]:
    """{installation, repository} for every installed repository (or just `only`); `fresh`: list
    every installation's repositories again. An installation that cannot be read goes to `failed`."""
    targets = []
    async for installation in ctx.github.app_api().getiter("/app/installations?per_page=100"):
        installation_id = int(installation["id"])
        try:
            if fresh:
                await forget_repositories(ctx, installation_id)
            repositories = await installation_repositories(ctx, installation_id)
        except Exception as exc:  # suspended, or GitHub failing for this one: the others go on
            log.exception("cannot list the repositories of installation %d", installation_id)
            if failed is not None:
                account = (installation.get("account") or {}).get("login", "?")
                failed.append(RepositoryRun(f"installation {installation_id} ({account})", False,
                                            str(exc) or type(exc).__name__))
            continue
        if only is not None:
            repositories = [r for r in repositories if r["full_name"].lower() == only.lower()]
        targets += [{"installation": {"id": installation_id}, "repository": repository}
                    for repository in repositories]
    return targets


async def run_scheduled(ctx: Context, router: Router, *, only: str | None = None,
                        force: bool = False, jitter: float | None = None) -> list[RepositoryRun]:
    """Update every repository (or just `only`); failures are collected, one run per repository.
    `jitter`: the most seconds a repository with something new waits before writing."""
    runs: list[RepositoryRun] = []
    targets = await scheduled_targets(ctx, only, failed=runs)
    if only is not None and not targets:  # installed since the lists were kept?
        runs.clear()
        targets = await scheduled_targets(ctx, only, fresh=True, failed=runs)
    if targets:
        data: dict[str, Any] = {"action": "scheduled", "targets": targets, "force": force, "results": runs}
        if jitter is not None:
            data["jitter"] = jitter
        event_id = f"schedule-{uuid.uuid4().hex[:12]}"
        token = delivery_id.set(event_id)
        try:
            await router.dispatch(sansio.Event(data, event="schedule", delivery_id=event_id), ctx)
        finally:
            delivery_id.reset(token)
    failed = {run.repository for run in runs if not run.ok}
    for installation_id in {t["installation"]["id"] for t in targets
                            if t["repository"]["full_name"] in failed}:
        await forget_repositories(ctx, installation_id)
    if only is not None and not targets:
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
