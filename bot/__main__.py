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
    classify = commands.add_parser("classify", help="JSON lines of papers in, section choices out")
    classify.add_argument("--readme", type=Path, required=True)
    classify.add_argument("--config", type=Path)
    check = commands.add_parser("check-config", help="validate a .github/paperbot.yml")
    check.add_argument("path", type=Path)
    args = parser.parse_args(argv)

    if args.command == "classify":
        from bot.classify_cli import run_classify

        return run_classify(args.readme, args.config, sys.stdin, sys.stdout)
    if args.command == "check-config":
        return check_config(args.path)
    return serve()


def serve() -> int:
    from aiohttp import web

    from bot.app import create_app
    from bot.logs import configure_logging

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format,
                      secrets=(settings.webhook_secret, settings.private_key))
    web.run_app(create_app(settings), port=settings.port, print=None,
                shutdown_timeout=25.0, handle_signals=True)
    return 0


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
