"""The server-side commands: serve (with setup mode when credentials are missing), worker, update
(every installed repository, or one) and receive (a saved delivery through the handlers)."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.cli.exits import Exit
from bot.settings import Settings, SettingsError


def receive(event_name: str, payload_path: Path) -> int:
    """Replay a saved delivery through the same router the server uses (real GitHub, real arXiv)."""
    import asyncio
    import json

    from gidgethub import sansio

    from bot.web.app import open_context
    from handlers import router

    settings = _settings_or_exit()
    if settings is None:
        return 2
    try:
        data = json.loads(payload_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{payload_path}: cannot read a JSON payload ({exc})", file=sys.stderr)
        return 2
    event = sansio.Event(data, event=event_name, delivery_id=f"replay-{payload_path.name}")

    async def run() -> None:
        async with open_context(settings) as ctx:
            await router.dispatch(event, ctx)

    asyncio.run(run())
    return 0


def _settings_or_exit() -> Settings | None:
    from bot.logs import configure_logging

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return None
    configure_logging(settings.log_level, settings.log_format,
                      secrets=(settings.webhook_secret, settings.private_key))
    return settings


def update(repo: str | None, force: bool) -> int:
    """Exit status 1 when any repository failed, 2 when paperbot cannot start (see `Exit`)."""
    import asyncio

    from bot.jobs.scheduler import run_scheduled
    from bot.web.app import open_context
    from handlers import router

    settings = _settings_or_exit()
    if settings is None:
        return Exit.USAGE

    async def run() -> int:
        async with open_context(settings) as ctx:
            runs = await run_scheduled(ctx, router, only=repo, force=force)
        for item in runs:
            print(f"{item.repository}: {'ok' if item.ok else 'FAILED'}: {item.detail}")
        if not runs:
            print("the app is not installed on any repository")
        return Exit.OK if all(item.ok for item in runs) else Exit.NOT_DONE

    return asyncio.run(run())


def serve() -> int:
    from aiohttp import web

    from bot.web.app import create_app, settle_for_serving

    try:
        Settings.from_env()
    except SettingsError as exc:
        # Only missing credentials lead to the setup page; other problems are reported below.
        if exc.missing and not setup_mode(exc.missing):
            return 2
    settings = _settings_or_exit()
    if settings is None or not redis_answers(settings):
        return 2
    app = create_app(settings)
    settle_for_serving()
    # No access log: a line per delivery costs more than the rest of the ack path (measured).
    web.run_app(app, port=settings.port, print=None, access_log=None,
                shutdown_timeout=25.0, handle_signals=True)
    return 0


WORKER_NEEDS_REDIS = "paperbot worker: REDIS_URL is not set; without it `python -m bot` runs the jobs itself"


def worker() -> int:
    """Run jobs from Redis until SIGINT/SIGTERM; exit 2 when settings or Redis are unusable."""
    import asyncio

    from bot.cli.worker import run_worker
    from bot.redis_conn import RedisUnavailable, open_redis

    settings = _settings_or_exit()
    if settings is None:
        return 2
    if not settings.redis_url:
        print(WORKER_NEEDS_REDIS, file=sys.stderr)
        return 2
    url = settings.redis_url

    async def run() -> int:
        try:
            redis = await open_redis(url)
        except RedisUnavailable as exc:
            print(exc, file=sys.stderr)
            return 2
        await run_worker(settings, redis)
        return 0

    return asyncio.run(run())


def redis_answers(settings: Settings) -> bool:
    """With REDIS_URL, the server starts only when Redis answers (the message names REDIS_URL)."""
    import asyncio

    from bot.redis_conn import RedisUnavailable, open_redis

    if not settings.redis_url:
        return True
    url = settings.redis_url

    async def check() -> None:
        redis = await open_redis(url)
        await redis.aclose()

    try:
        asyncio.run(check())
    except RedisUnavailable as exc:
        print(exc, file=sys.stderr)
        return False
    return True


def setup_mode(missing: list[str]) -> bool:
    """Serve the setup page until credentials are saved to `.env`; True when they were."""
    import asyncio
    import logging
    import os

    from bot.settings import DEFAULT_GITHUB_API_URL, read_env_file
    from bot.setup.access import new_access_token
    from bot.setup.app import create_setup_app, run_until_configured

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    values = {**read_env_file(Path(".env")), **os.environ}
    manifest = next((p for p in (Path("app.yml"), Path(__file__).resolve().parents[2] / "app.yml")
                     if p.is_file()), Path("app.yml"))
    app = create_setup_app(env_path=Path(".env"),
                           github_api_url=values.get("GITHUB_API_URL", DEFAULT_GITHUB_API_URL),
                           manifest_path=manifest, public_url=values.get("PUBLIC_URL") or None,
                           missing=missing, restarts_itself=True,
                           access_token=values.get("SETUP_TOKEN") or new_access_token())
    try:
        asyncio.run(run_until_configured(app, port=int(values.get("PORT") or 3000)))
    except KeyboardInterrupt:
        return False
    return True
