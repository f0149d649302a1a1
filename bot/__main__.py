"""The command line: `python -m bot [serve|classify|check-config|...]` (serve is the default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="run the webhook server (the default)")
    classify_cmd = commands.add_parser("classify", help="JSON lines of papers in, section choices out")
    classify_cmd.add_argument("--readme", type=Path, required=True)
    classify_cmd.add_argument("--config", type=Path)
    classify_cmd.add_argument("--text", action="store_true", help="readable lines instead of JSON")
    update_cmd = commands.add_parser("update", help="run the latest-papers update once, then exit")
    update_cmd.add_argument("--repo", metavar="OWNER/NAME", help="only this repository")
    update_cmd.add_argument("--force", action="store_true", help="run even when not due yet")
    update_cmd.add_argument("--readme", type=Path, help="local mode: update this list file in place")
    update_cmd.add_argument("--archive", type=Path, help="local mode: the archive file")
    update_cmd.add_argument("--config", type=Path, help="local mode: a paperbot.yml")
    add_cmd = commands.add_parser("add", help="local mode: add papers to a list file in place")
    add_cmd.add_argument("refs", nargs="+", help="arXiv ids or links")
    add_cmd.add_argument("--readme", type=Path, required=True)
    add_cmd.add_argument("--config", type=Path)
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
    return serve()


def run_locally(command: str, args: argparse.Namespace) -> int:
    """`add`/`update` on a checkout: exit 0 when the file changed or nothing had to, 1 on failure."""
    from bot.errors import PaperbotError
    from bot.local import add_locally, update_locally
    from bot.logs import configure_logging

    try:
        settings = Settings.from_env(require_app=False)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    if not args.readme.is_file():
        print(f"{args.readme}: no such file", file=sys.stderr)
        return 2
    config = args.config or _default_config(args.readme)
    try:
        if command == "add":
            result = add_locally(args.refs, args.readme, settings=settings, config_path=config,
                                 section=args.section)
        else:
            result = update_locally(args.readme, settings=settings, archive=args.archive,
                                    config_path=config)
    except PaperbotError as exc:
        print(exc, file=sys.stderr)
        return 1
    for problem in result.problems:
        print(f"config: {problem}", file=sys.stderr)
    print("\n".join(result.lines))
    print(f"{args.readme}: {'changed' if result.changed else 'unchanged'}")
    return 0


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
    """Exit status 1 when any repository failed, 2 when paperbot cannot start."""
    import asyncio

    from bot.app import open_context
    from bot.scheduler import run_scheduled
    from handlers import router

    settings = _settings_or_exit()
    if settings is None:
        return 2

    async def run() -> int:
        async with open_context(settings) as ctx:
            runs = await run_scheduled(ctx, router, only=repo, force=force)
        for item in runs:
            print(f"{item.repository}: {'ok' if item.ok else 'FAILED'}: {item.detail}")
        if not runs:
            print("the app is not installed on any repository")
        return 0 if all(item.ok for item in runs) else 1

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
    if settings is None:
        return 2
    app = create_app(settings)
    settle_for_serving()
    # No access log: a line per delivery costs more than the rest of the ack path (measured).
    web.run_app(app, port=settings.port, print=None, access_log=None,
                shutdown_timeout=25.0, handle_signals=True)
    return 0


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
