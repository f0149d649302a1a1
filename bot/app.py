"""The web app: a strict, fast webhook endpoint, `/health`, and the background work it owns.

`create_app(settings)` is the one factory: the server and the tests build the app the same way.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web
from cachetools import TTLCache
from gidgethub import sansio
from gidgethub.routing import Router

from bot.arxiv_client import ArxivClient
from bot.context import Context
from bot.github import GitHubApp
from bot.logs import delivery_id
from bot.scheduler import periodic_updates
from bot.settings import Settings
from handlers.commands import might_hold_command

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/api/github/webhooks"
MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB
SHUTDOWN_GRACE = 20.0  # seconds in-flight jobs get to finish (Heroku kills after 30)
CONTEXT = web.AppKey("context", Context)
SETTINGS = web.AppKey("settings", Settings)


class Jobs:
    """Tracked background tasks with bounded concurrency; drained on shutdown."""

    def __init__(self, limit: int) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(limit)
        self.completed = 0
        self.failed = 0

    def start(self, name: str, work: Callable[[], Awaitable[None]]) -> asyncio.Task[None]:
        task = asyncio.create_task(self._run(work), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, work: Callable[[], Awaitable[None]]) -> None:
        async with self._slots:
            try:
                await work()
                self.completed += 1
            except Exception:
                self.failed += 1
                log.exception("background job failed")

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def drain(self, grace: float) -> None:
        if not self._tasks:
            return
        log.info("waiting up to %.0fs for %d job(s) to finish", grace, len(self._tasks))
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            log.warning("cancelled %d unfinished job(s); a redelivery or the next run redoes them",
                        len(pending))


JOBS = web.AppKey("jobs", Jobs)


def create_app(settings: Settings, router: Router | None = None) -> web.Application:
    if router is None:
        from handlers import router as default_router

        router = default_router
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    app[JOBS] = Jobs(settings.max_concurrent_jobs)
    app.cleanup_ctx.append(_clients(settings, router))
    seen: TTLCache[str, float] = TTLCache(maxsize=20_000, ttl=24 * 3600)
    started = time.monotonic()

    async def webhook(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY_BYTES,
                                                actual_size=request.content_length)
        body = await request.read()
        if not signature_valid(settings.webhook_secret, body,
                               request.headers.get("X-Hub-Signature-256", "")):
            return web.json_response({"error": "bad signature"}, status=401)
        event_name = request.headers.get("X-GitHub-Event", "")
        delivery = request.headers.get("X-GitHub-Delivery", "")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"error": "body is not JSON"}, status=400)
        if not isinstance(data, dict) or not event_name:
            return web.json_response({"error": "not a GitHub event"}, status=400)
        if event_name == "ping":
            return web.json_response({"msg": "pong"})
        if delivery and delivery in seen:
            return web.json_response({"msg": "duplicate delivery ignored"}, status=200)
        if delivery:
            seen[delivery] = time.time()
        if event_name == "issue_comment" and not mentions_command(data):
            return web.json_response({"msg": "no command"}, status=200)  # nothing to do: no job
        event = sansio.Event(data, event=event_name, delivery_id=delivery or "-")
        context = app[CONTEXT]

        async def work() -> None:
            delivery_id.set(event.delivery_id)
            log.debug("handling %s.%s", event.event, data.get("action", "-"))
            await router.dispatch(event, context)

        app[JOBS].start(f"delivery-{delivery}", work)
        return web.json_response({"msg": "accepted"}, status=202)

    async def health(request: web.Request) -> web.Response:
        jobs = app[JOBS]
        return web.json_response({"status": "ok", "uptime": round(time.monotonic() - started, 1),
                                  "jobs_running": jobs.running, "jobs_completed": jobs.completed,
                                  "jobs_failed": jobs.failed})

    app.router.add_post(WEBHOOK_PATH, webhook)
    app.router.add_get("/health", health)
    return app


def mentions_command(data: dict) -> bool:
    """Only a new comment that may hold a command starts a job; the rest is acknowledged and dropped."""
    body = (data.get("comment") or {}).get("body")
    return data.get("action") == "created" and isinstance(body, str) and might_hold_command(body)


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """`X-Hub-Signature-256` only: SHA-1 signatures are not accepted."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


@asynccontextmanager
async def open_context(settings: Settings) -> AsyncIterator[Context]:
    """The shared clients: one HTTP session, the app's tokens, the arXiv gate."""
    timeout = aiohttp.ClientTimeout(total=30, connect=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        github = GitHubApp(session, app_id=settings.app_id, private_key=settings.private_key,
                           base_url=settings.github_api_url)
        yield Context(settings, github, ArxivClient.from_settings(settings))


def _clients(settings: Settings, router: Router) -> Callable[[web.Application], AsyncIterator[None]]:
    async def clients(app: web.Application) -> AsyncIterator[None]:
        async with open_context(settings) as context:
            app[CONTEXT] = context
            loop_task = None
            if settings.update_interval:
                loop_task = asyncio.create_task(
                    periodic_updates(context, router, settings.update_interval), name="updates")
            yield
            if loop_task is not None:
                loop_task.cancel()
                await asyncio.gather(loop_task, return_exceptions=True)
            await app[JOBS].drain(SHUTDOWN_GRACE)

    return clients


def context_of(app: web.Application) -> Context:
    return app[CONTEXT]


def jobs_of(app: web.Application) -> Jobs:
    return app[JOBS]

