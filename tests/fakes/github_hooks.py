"""The app's webhook as GitHub runs it: deliveries the fake sends, logged as GitHub logs them
(`GET /app/hook/deliveries`, newest first, cursor pagination), and redelivered on request
(`POST /app/hook/deliveries/{delivery_id}/attempts`: 202 at once, the new attempt sent after,
with the same `X-GitHub-Delivery` guid and `redelivery: true`). Both authenticate with the app's JWT.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from tests.fakes.github_http import Ctx, GitHubError, Reply
from tests.fakes.webhooks import signed_webhook

_IDS = itertools.count(90_000_001)
DEFAULT_PER_PAGE, MAX_PER_PAGE = 30, 100


@dataclass
class HookDelivery:
    id: int
    guid: str
    delivered_at: datetime
    redelivery: bool
    duration: float
    status: str  # "OK", "Service Unavailable", "failed to connect", ...
    status_code: int  # 0 when nothing answered
    event: str
    action: str | None
    installation_id: int | None
    repository_id: int | None
    body: bytes  # what was sent, for a redelivery

    def item(self) -> dict[str, Any]:
        """GitHub's `hook-delivery-item`."""
        return {"id": self.id, "guid": self.guid,
                "delivered_at": self.delivered_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "redelivery": self.redelivery, "duration": round(self.duration, 2), "status": self.status,
                "status_code": self.status_code, "event": self.event, "action": self.action,
                "installation_id": self.installation_id, "repository_id": self.repository_id,
                "throttled_at": None}


class HookMixin:
    """Mixed into FakeGitHub: `hook_url` is where the app's webhook points."""

    hook_url: str = ""
    hook_secret: str = ""
    hook_deliveries: list[HookDelivery]
    redelivery_tasks: set[asyncio.Task[Any]]

    async def deliver_webhook(self, event: str, payload: dict[str, Any], guid: str | None = None,
                              url: str | None = None) -> int:
        """Send a delivery as GitHub does and log it; returns the status the app answered (0: none)."""
        body = json.dumps(payload).encode()
        return await self._send(event, body, guid or str(uuid.uuid4()), payload.get("action"),
                                (payload.get("installation") or {}).get("id"),
                                (payload.get("repository") or {}).get("id"), url, redelivery=False)

    async def _send(self, event: str, body: bytes, guid: str, action: str | None, installation: int | None,
                    repository: int | None, url: str | None, *, redelivery: bool) -> int:
        headers, _ = signed_webhook(self.hook_secret, event, body, guid)
        started, status, text = time.monotonic(), 0, "failed to connect"
        try:
            async with aiohttp.ClientSession() as session, session.post(
                    url or self.hook_url, data=body, headers=headers,
                    timeout=aiohttp.ClientTimeout(total=10)) as response:
                status, text = response.status, response.reason or ""
        except (aiohttp.ClientError, TimeoutError):
            pass
        self.hook_deliveries.append(HookDelivery(
            next(_IDS), guid, datetime.now(UTC), redelivery, time.monotonic() - started, text, status, event,
            action, installation, repository, body))
        return status


def list_deliveries(fake: Any, ctx: Ctx) -> Reply:
    per_page = max(1, min(int(ctx.query.get("per_page") or DEFAULT_PER_PAGE), MAX_PER_PAGE))
    items = sorted(fake.hook_deliveries, key=lambda d: d.id, reverse=True)
    wanted = ctx.query.get("status")
    if wanted:
        items = [d for d in items if (200 <= d.status_code < 400) == (wanted == "success")]
    cursor = ctx.query.get("cursor")
    if cursor:
        items = [d for d in items if d.id <= int(cursor)]
    page, rest = items[:per_page], items[per_page:]
    headers = {}
    if rest:
        url = ctx.url.with_query({**ctx.query, "per_page": str(per_page), "cursor": str(rest[0].id)})
        headers["Link"] = f'<{url}>; rel="next"'
    return Reply(200, [d.item() for d in page], headers)


def redeliver(fake: Any, ctx: Ctx) -> Reply:
    found = next((d for d in fake.hook_deliveries if d.id == ctx.int_param("delivery_id")), None)
    if found is None:
        raise GitHubError(404, "Not Found")
    task = asyncio.get_running_loop().create_task(fake._send(
        found.event, found.body, found.guid, found.action, found.installation_id, found.repository_id,
        None, redelivery=True))
    fake.redelivery_tasks.add(task)
    task.add_done_callback(fake.redelivery_tasks.discard)
    return Reply(202, {})


HANDLERS = {
    "apps/list-webhook-deliveries": list_deliveries,
    "apps/redeliver-webhook-delivery": redeliver,
}
AUTH = {"apps/list-webhook-deliveries": "jwt", "apps/redeliver-webhook-delivery": "jwt"}
