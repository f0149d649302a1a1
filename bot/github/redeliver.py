"""Redeliver the app's failed webhook deliveries, as GitHub's docs recommend ("Automatically
redelivering failed deliveries for a GitHub App webhook"): list the app's deliveries since a
time (`GET /app/hook/deliveries`, newest first), keep the events none of whose deliveries
succeeded, and ask GitHub to redeliver each once (`POST /app/hook/deliveries/{id}/attempts`).

The web process does this when Redis comes back after it answered 503s: those deliveries were
never taken, and GitHub does not retry on its own.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import gidgethub
from gidgethub.abc import GitHubAPI

log = logging.getLogger(__name__)

DELIVERIES = "/app/hook/deliveries?per_page=100"
REDELIVER = "/app/hook/deliveries/{delivery_id}/attempts"


def succeeded(delivery: dict[str, Any]) -> bool:
    """GitHub's own split: a status code from 200 to 399 is a success."""
    return 200 <= int(delivery.get("status_code") or 0) < 400


def to_redeliver(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest failed delivery of each event (guid) that has no successful delivery, oldest
    first. `deliveries` are newest first, as GitHub lists them."""
    done = {d["guid"] for d in deliveries if succeeded(d)}
    latest: dict[str, dict[str, Any]] = {}
    for delivery in deliveries:
        if delivery["guid"] not in done:
            latest.setdefault(delivery["guid"], delivery)
    return list(reversed(latest.values()))


async def redeliver_failed(gh: GitHubAPI, since: datetime) -> int:
    """Ask GitHub to redeliver what failed since `since` (aware); returns how many were asked."""
    recent: list[dict[str, Any]] = []
    async for delivery in gh.getiter(DELIVERIES):
        if datetime.fromisoformat(delivery["delivered_at"].replace("Z", "+00:00")) < since:
            break  # newest first: the rest are older
        recent.append(delivery)
    asked = 0
    for delivery in to_redeliver(recent):
        try:
            await gh.post(REDELIVER, {"delivery_id": delivery["id"]}, data=b"")
        except gidgethub.GitHubException as exc:  # e.g. too old to redeliver: GitHub says 422
            log.warning("GitHub refused to redeliver delivery %s (%s)", delivery["guid"], exc)
            continue
        asked += 1
    if asked:
        log.info("asked GitHub to redeliver %d failed deliveries", asked)
    return asked
