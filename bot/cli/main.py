"""The command line: `python -m bot [serve|worker|classify|check-config|...]` (serve is the default).

This module parses the arguments and runs the local commands (`add`, `update --readme`,
`check-config`); the server-side ones (serve, worker, update, receive) are in `bot.cli.server`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli import server
from bot.cli.exits import EXIT_CODES, Exit
from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.config import Config

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
        from bot.cli.classify import run_classify

        return run_classify(args.readme, args.config, sys.stdin, sys.stdout, text=args.text)
    if args.command == "check-config":
        return check_config(args.path)
    if args.command == "update" and args.readme:
        return run_locally("update", args)
    if args.command == "update":
        return server.update(args.repo, args.force)
    if args.command == "add":
        return run_locally("add", args)
    if args.command == "receive":
        return server.receive(args.event, args.payload)
    if args.command == "worker":
        return server.worker()
    return server.serve()


def run_locally(command: str, args: argparse.Namespace) -> int:
    """`add`/`update` on a checkout; the exit status says what happened (see `Exit`)."""
    from bot.cli.local import add_locally, update_locally
    from bot.errors import ArxivUnavailable, PaperbotError
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
    _show_layout(path, config)
    return 1 if problems else 0


def _show_layout(path: Path, config: Config) -> None:
    """The files the list is made of, when the config sits in a checkout's `.github/`."""
    from bot.cli.local_files import LocalTree, describe_layout, read_local_files

    root = path.resolve().parent.parent if path.resolve().parent.name == ".github" else None
    readme = root / config.file if root else None
    if readme is None or not readme.is_file():
        return
    try:
        files = read_local_files(readme, config, tree=LocalTree(root))
    except (OSError, UnicodeError) as exc:
        print(f"{readme}: cannot read ({exc})")
        return
    print("\n".join(describe_layout(files)))
