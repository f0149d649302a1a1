"""Installation changes: the scheduled update lists the installation's repositories afresh."""

from __future__ import annotations

from gidgethub import sansio
from gidgethub.routing import Router

from bot.jobs.context import Context
from bot.jobs.scheduler import forget_repositories

router = Router()


@router.register("installation")
@router.register("installation_repositories")
async def forget_installation_repositories(event: sansio.Event, ctx: Context) -> None:
    """Repositories added or removed, the app installed, suspended or removed: the kept list is stale."""
    installation = event.data.get("installation") or {}
    if isinstance(installation.get("id"), int):
        await forget_repositories(ctx, installation["id"])
