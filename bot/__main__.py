"""The command line: `python -m bot [serve|worker|classify|check-config|...]` (serve is the default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path

from bot.settings import Settings, SettingsError


class Exit(IntEnum):
    """Exit statuses, so a CI job can tell what happened (documented in --help and the README)."""

    OK = 0  # everything asked was done: each reference added or already listed
    NOT_DONE = 1  # something was not done: a reference invalid, not found, without a section, refused
    USAGE = 2  # bad arguments, settings or files: nothing was tried
    ARXIV_UNAVAILABLE = 3  # arXiv did not answer: nothing was changed, try again later


EXIT_CODES = """exit status:
  0  done: every reference was added or is already listed (update: the list is up to date)
  1  not everything was done: a reference was invalid, not found on arXiv, matched no section or
     was refused by a check (the others were still added); update: the list has no latest-papers
     block, or (with the GitHub App) a repository failed
  2  usage, settings or file problem (bad arguments, unusable settings, no such list): nothing tried
  3  arXiv did not answer (outage, rate limit, timeout): nothing was changed; try again later"""
NOT_DONE_SUMMARY = "{count} of {total} not done"
ADD_DESCRIPTION = ("Add papers to a list file in place. Only arXiv is contacted, at ARXIV_API_URL "
                   "(default https://export.arxiv.org/api/query): point it at a local stand-in to run "
                   "offline. No GitHub App settings are needed.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__, epilog=EXIT_CODES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the webhook server (the default)")
    commands.add_parser("worker", help="with REDIS_URL: run the jobs web processes put on Redis")
    classify_cmd = commands.add_parser("classify", help="JSON lines of papers in, section choices out")
    classify_cmd.add_argument("--readme", type=Path, required=True)
    classify_cmd.add_argument("--config", type=Path)
    classify_cmd.add_argument("--text", action="store_true", help="readable lines instead of JSON")
    local = {"epilog": EXIT_CODES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    update_cmd = commands.add_parser("update", help="run the latest-papers update once, then exit", **local)
    update_cmd.add_argument("--repo", metavar="OWNER/NAME", help="only this repository")
    update_cmd.add_argument("--force", action="store_true", help="run even when not due yet")
    update_cmd.add_argument("--readme", type=Path, help="local mode: update this list file in place")
    update_cmd.add_argument("--archive", type=Path, help="local mode: the archive file")
    update_cmd.add_argument("--config", type=Path, help="local mode: a paperbot.yml")
    add_cmd = commands.add_parser("add", help="local mode: add papers to a list file in place",
                                  description=ADD_DESCRIPTION, **local)
    add_cmd.add_argument("refs", nargs="+", help="arXiv ids or links")
    add_cmd.add_argument("--readme", type=Path, required=True, help="the list file to edit in place")
    add_cmd.add_argument("--config", type=Path,
                         help="a paperbot.yml (default: .github/paperbot.yml of the checkout)")
    add_cmd.add_argument("--to", dest="section", help="the section to add to")
    receive_cmd = commands.add_parser("receive", help="run a saved webhook payload through the handlers")
    receive_cmd.add_argument("--event", required=True, help="e.g. issue_comment")
    receive_cmd.add_argument("--payload", type=Path, required=True)
    check_cmd = commands.add_parser("check-config", help="validate a .github/paperbot.yml")
    check_cmd.add_argument("path", type=Path)
    args = parser.parse_args(argv)

    if args.command == "classify":
        from bot.classify_cli import run_classify

        return run_classify(args.readme, args.config, sys.stdin, sys.stdout, text=args.text)
    if args.command == "check-config":
        return check_config(args.path)
    if args.command == "update" and args.readme:
        return run_locally("update", args)
    if args.command == "update":
        return update(args.repo, args.force)
    if args.command == "add":
        return run_locally("add", args)
    if args.command == "receive":
        return receive(args.event, args.payload)
    if args.command == "worker":
        return worker()
    return serve()


def run_locally(command: str, args: argparse.Namespace) -> int:
    """`add`/`update` on a checkout; the exit status says what happened (see `Exit`)."""
    from bot.errors import ArxivUnavailable, PaperbotError
    from bot.local import add_locally, update_locally
    from bot.logs import configure_logging

    try:
        settings = Settings.from_env(require_app=False)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return Exit.USAGE
    configure_logging(settings.log_level, settings.log_format)
    for path in (args.readme, args.config):
        if path is not None and not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            return Exit.USAGE
    config = args.config or _default_config(args.readme)
    try:
        if command == "add":
            result = add_locally(args.refs, args.readme, settings=settings, config_path=config,
                                 section=args.section)
        else:
            result = update_locally(args.readme, settings=settings, archive=args.archive,
                                    config_path=config)
    except ArxivUnavailable as exc:
        print(exc, file=sys.stderr)
        return Exit.ARXIV_UNAVAILABLE
    except PaperbotError as exc:
        print(exc, file=sys.stderr)
        return Exit.NOT_DONE
    except (OSError, UnicodeError) as exc:  # the list or archive cannot be read or written
        print(f"{getattr(exc, 'filename', None) or args.readme}: {exc}", file=sys.stderr)
        return Exit.USAGE
    for problem in result.problems:
        print(f"config: {problem}", file=sys.stderr)
    print("\n".join([*result.lines, f"{args.readme}: {'changed' if result.changed else 'unchanged'}"]))
    if not result.not_done:
        return Exit.OK
    print("\n".join(result.not_done), file=sys.stderr)
    total = len(args.refs) if command == "add" else 1
    print(NOT_DONE_SUMMARY.format(count=len(result.not_done), total=total), file=sys.stderr)
    return Exit.NOT_DONE


def _default_config(readme: Path) -> Path | None:
    """`.github/paperbot.yml` of the checkout the list file is in, when there is one."""
    for folder in [readme.resolve().parent, *readme.resolve().parents]:
        candidate = folder / ".github" / "paperbot.yml"
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            break
    return None


def receive(event_name: str, payload_path: Path) -> int:
    """Replay a saved delivery through the same router the server uses (real GitHub, real arXiv)."""
    import asyncio
    import json

    from gidgethub import sansio

    from bot.app import open_context
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

    from bot.app import open_context
    from bot.scheduler import run_scheduled
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

    from bot.app import create_app, settle_for_serving

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

    from bot.redis_conn import RedisUnavailable, open_redis
    from bot.worker import run_worker

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
    from bot.setup import create_setup_app, run_until_configured
    from bot.setup_access import new_access_token

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    values = {**read_env_file(Path(".env")), **os.environ}
    manifest = next((p for p in (Path("app.yml"), Path(__file__).resolve().parent.parent / "app.yml")
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


def check_config(path: Path) -> int:
    from bot.config import parse_config

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"{path}: cannot read ({exc.strerror})", file=sys.stderr)
        return 2
    config, problems = parse_config(text)
    for problem in problems:
        print(f"{path}: {problem}")
    if not problems:
        print(f"{path}: OK (list file {config.file})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
