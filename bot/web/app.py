"""The web app: a strict, fast webhook endpoint, `/health`, and the background work it owns.

`create_app(settings)` is the one factory: the server and the tests build the app the same way.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import json
import logging
import sys
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import msgspec
import orjson
from aiohttp import web
from gidgethub import sansio
from gidgethub.routing import Router

from bot.github.client import GitHubApp
from bot.jobs.backends import RedisWatch, build_context
from bot.jobs.context import Context
from bot.jobs.queue import JobQueue, QueueLimits
from bot.jobs.scheduler import periodic_updates
from bot.papers.scholarly import ScholarlyClient
from bot.redis_conn import open_redis
from bot.settings import Settings
from bot.web.intake import Intake, IntakeUnavailable, LocalIntake, RedisIntake
from handlers.commands import might_hold_command

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/api/github/webhooks"
MAX_BODY_BYTES = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB
SHUTDOWN_GRACE = 20.0  # seconds in-flight jobs get to finish (Heroku kills after 30)
SWITCH_INTERVAL = 0.001  # seconds a thread may hold the GIL while another waits for it
DELIVERIES_REMEMBERED = 20_000  # delivery ids kept for spotting GitHub's redeliveries ...
DELIVERY_MEMORY = 24 * 3600.0  # ... for this many seconds
CONTEXT = web.AppKey("context", Context)
SETTINGS = web.AppKey("settings", Settings)

# Every answer the endpoint gives, encoded once (the bytes `web.json_response` would send).
ACCEPTED = json.dumps({"msg": "accepted"}).encode()
NO_COMMAND = json.dumps({"msg": "no command"}).encode()
DUPLICATE = json.dumps({"msg": "duplicate delivery ignored"}).encode()
PONG = json.dumps({"msg": "pong"}).encode()
BAD_SIGNATURE = json.dumps({"error": "bad signature"}).encode()
NOT_JSON = json.dumps({"error": "body is not JSON"}).encode()
NOT_AN_EVENT = json.dumps({"error": "not a GitHub event"}).encode()
# 503: GitHub marks the delivery failed, and it can be redelivered once the queue has room.
QUEUE_FULL = json.dumps({"error": "paperbot is busy: too many jobs are waiting; redeliver this event "
                                  "later"}).encode()
# 503 too: paperbot redelivers these itself once Redis answers again (bot.jobs.backends.RedisWatch).
REDIS_DOWN = json.dumps({"error": "paperbot cannot reach its queue (Redis); this event will be "
                                  "redelivered"}).encode()


JOBS = web.AppKey("jobs", JobQueue)
INTAKE = web.AppKey("intake", Intake)  # type: ignore[type-abstract]


class RecentDeliveries:
    """Delivery ids seen in the last `ttl` seconds, at most `limit` of them, the oldest forgotten first.
    Ids are kept in the order they arrived, so expiry and eviction only ever look at the front: O(1)."""

    def __init__(self, limit: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._limit, self._ttl, self._clock = limit, ttl, clock

    def first_time(self, delivery: str) -> bool:
        """True, and remember it, unless `delivery` was seen within the last `ttl` seconds."""
        now = self._clock()
        seen = self._seen
        at = seen.get(delivery)
        if at is not None:
            if now - at < self._ttl:
                return False
            seen.move_to_end(delivery)  # seen again after it expired: now the newest
        seen[delivery] = now
        while seen and (len(seen) > self._limit or now - next(iter(seen.values())) >= self._ttl):
            seen.popitem(last=False)
        return True

    def forget(self, delivery: str) -> None:
        """`delivery` was not taken after all: its redelivery must not count as a duplicate."""
        self._seen.pop(delivery, None)

    def __len__(self) -> int:
        return len(self._seen)


def create_app(settings: Settings, router: Router | None = None) -> web.Application:
    if router is None:
        from handlers import router as default_router

        router = default_router
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SETTINGS] = settings
    limits = QueueLimits(settings.max_concurrent_jobs, settings.max_queued_jobs,
                         settings.max_queued_per_repository)
    # A job waits for its repository's turn (the same one scheduled updates take) before a slot.
    app[JOBS] = JobQueue(limits, turn=lambda key: app[CONTEXT].serialised(key))
    app.cleanup_ctx.append(_clients(settings, router))
    if not settings.redis_url:  # with Redis, `_clients` sets the intake once Redis is connected
        app[INTAKE] = LocalIntake(RecentDeliveries(DELIVERIES_REMEMBERED, DELIVERY_MEMORY), app[JOBS],
                                  lambda event: router.dispatch(event, app[CONTEXT]))
    answered = dict.fromkeys(("accepted", "no_command", "duplicate", "refused"), 0)  # for /health
    if settings.redis_url:
        answered["unavailable"] = 0  # refused while Redis could not be reached
    started = time.monotonic()

    async def webhook(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY_BYTES,
                                                actual_size=request.content_length)
        body = await request.read()
        headers = request.headers
        if not signature_valid(settings.webhook_secret, body, headers.get("X-Hub-Signature-256", "")):
            return json_answer(BAD_SIGNATURE, 401)
        event_name = headers.get("X-GitHub-Event", "")
        delivery = headers.get("X-GitHub-Delivery", "")
        try:
            return await take(body, event_name, delivery)
        except IntakeUnavailable:
            answered["unavailable"] += 1
            return json_answer(REDIS_DOWN, 503)

    async def take(body: bytes, event_name: str, delivery: str) -> web.Response:
        """A signed delivery: answered at once, its job (if it needs one) handed to the intake."""
        if event_name == "issue_comment" and comment_without_command(body):
            return await answer_no_command(delivery)
        try:
            data = parse_body(body)
        except (ValueError, RecursionError):
            return json_answer(NOT_JSON, 400)
        if not isinstance(data, dict) or not event_name:
            return json_answer(NOT_AN_EVENT, 400)
        if event_name == "ping":
            return json_answer(PONG)
        if event_name == "issue_comment" and not mentions_command(data):
            return await answer_no_command(delivery)
        intake = app[INTAKE]
        if delivery and not await intake.first_time(delivery):
            answered["duplicate"] += 1
            return json_answer(DUPLICATE)
        event = sansio.Event(data, event=event_name, delivery_id=delivery or "-")
        taken = await intake.submit(event, repository_key(data))
        answered[taken] += 1
        if taken == "refused":
            log.warning("queue full: refused %s delivery %s", event_name, delivery or "-")
            return json_answer(QUEUE_FULL, 503)
        if taken == "duplicate":
            return json_answer(DUPLICATE)
        return json_answer(ACCEPTED, 202)

    async def answer_no_command(delivery: str) -> web.Response:
        """Nothing to do (no job), unless a redelivery: that is a duplicate, as for any event."""
        if delivery and not await app[INTAKE].first_time(delivery):
            answered["duplicate"] += 1
            return json_answer(DUPLICATE)
        answered["no_command"] += 1
        return json_answer(NO_COMMAND)

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "uptime": round(time.monotonic() - started, 1),
                                  **await app[INTAKE].figures(), "deliveries": answered})

    app.router.add_post(WEBHOOK_PATH, webhook)
    app.router.add_get("/health", health)
    return app


def mentions_command(data: dict) -> bool:
    """Only a new comment that may hold a command starts a job; the rest is acknowledged and dropped."""
    body = (data.get("comment") or {}).get("body")
    return data.get("action") == "created" and isinstance(body, str) and might_hold_command(body)


class _Comment(msgspec.Struct):
    body: str | None = None


class _CommentDelivery(msgspec.Struct):
    action: str | None = None
    comment: _Comment | None = None


_COMMENT_TRIAGE = msgspec.json.Decoder(_CommentDelivery)


def comment_without_command(body: bytes) -> bool:
    """True when `body` is a delivery `parse_body` reads as an object whose comment starts no job.

    Most comments hold no command, and for those the ack needs two fields of a 10-30 kB document:
    msgspec reads just those (checking the whole document's syntax, and here its UTF-8, as
    `parse_body` would) instead of building every object of it. False (parse it whole) for
    anything it cannot read so: what is accepted or refused stays `parse_body`'s decision.
    """
    try:
        if not body.isascii():
            body.decode("utf-8")  # msgspec does not check the text of the fields it skips
        triage = _COMMENT_TRIAGE.decode(body)
    except (msgspec.MsgspecError, UnicodeDecodeError, RecursionError):
        return False
    comment = {"body": triage.comment.body} if triage.comment else None
    return not mentions_command({"action": triage.action, "comment": comment})


def repository_key(data: dict) -> str | None:
    """The repository a delivery is about (`owner/name`), which orders its job; None for none."""
    repository = data.get("repository")
    name = repository.get("full_name") if isinstance(repository, dict) else None
    return name if isinstance(name, str) and name else None


def parse_body(body: bytes) -> Any:
    """The delivery's JSON. orjson reads GitHub's UTF-8 several times faster than `json` (the biggest
    single cost of an ack); the few documents only `json` accepts (an escaped lone surrogate, NaN, a
    BOM, UTF-16) go on to `json`, so what is accepted stays the same. Raises ValueError (or, for
    absurd nesting, RecursionError) when neither reads it."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body)


def json_answer(body: bytes, status: int = 200) -> web.Response:
    """One of the pre-encoded answers above, with the headers `web.json_response` would send."""
    return web.Response(body=body, status=status, content_type="application/json", charset="utf-8")


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """`X-Hub-Signature-256` only: SHA-1 signatures are not accepted."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


@asynccontextmanager
async def open_context(settings: Settings, redis: Any = None) -> AsyncIterator[Context]:
    """The shared clients: one HTTP session, the app's tokens, the arXiv gate, the scholarly sources
    (with `redis`, the gate, locks and caches every process shares)."""
    timeout = aiohttp.ClientTimeout(total=30, connect=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        github = GitHubApp(session, app_id=settings.app_id, private_key=settings.private_key,
                           base_url=settings.github_api_url)
        yield build_context(settings, github, redis, ScholarlyClient(session, settings))


def _clients(settings: Settings, router: Router) -> Callable[[web.Application], AsyncIterator[None]]:
    async def clients(app: web.Application) -> AsyncIterator[None]:
        if settings.redis_url:
            async for _ in _shared_clients(app, settings):
                yield
            return
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


async def _shared_clients(app: web.Application, settings: Settings) -> AsyncIterator[None]:
    """A web process beside workers: jobs go to Redis (workers run them and the scheduled
    updates); this process watches Redis to redeliver what it had to refuse."""
    assert settings.redis_url
    redis = await open_redis(settings.redis_url)
    try:
        async with open_context(settings, redis) as context:
            app[CONTEXT] = context
            watch = RedisWatch(redis, context.github)
            app[INTAKE] = RedisIntake(redis, on_lost=watch.lost)
            watching = asyncio.create_task(watch.run(), name="redis watch")
            yield
            watching.cancel()
            await asyncio.gather(watching, return_exceptions=True)
    finally:
        await redis.aclose()


def settle_for_serving() -> None:
    """Process settings for a server whose event loop shares the GIL with the CPU worker thread.

    What is loaded before serving lives as long as the process, so it is kept out of every later
    full garbage collection (each walked ~50,000 objects, ~10 ms with the event loop held). And the
    loop gets the GIL back from that thread within 1 ms instead of 5 (worst lag while a large list's
    model was built: 10.5 -> 7.7 ms; the build took no longer)."""
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL)


def context_of(app: web.Application) -> Context:
    return app[CONTEXT]


def jobs_of(app: web.Application) -> JobQueue:
    return app[JOBS]

