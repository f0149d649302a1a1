"""`parse_commands(body)`: the slash commands in a comment, Markdown-aware and pure.

A command is a line that starts with a known `/word` (up to three spaces of indentation, as
Markdown allows). Lines inside fenced code blocks and block quotes are someone else's words, and
unknown `/words` are paths or tracebacks, so both are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

KNOWN_COMMANDS = frozenset({"add", "remove", "update", "config"})
MAX_COMMAND_LINE = 10_000  # characters of one command line we look at
# Bodies whose commands are remembered: the ack's triage and each handler reading `issue_comment`
# ask about the same body within moments. Bounded: a comment is at most 65,536 characters.
PARSED_BODIES_KEPT = 32
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMAND = re.compile(r"^ {0,3}/(?P<name>[A-Za-z][\w-]*)(?=\s|$)(?P<rest>.*)$")
_SECTION = re.compile(r"\s+to\s*:?\s+(?P<section>.+)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...] = ()
    section: str | None = None  # `/add <refs> to <section>`
    line: int = 0  # 1-based line in the comment
    # Commands are shared by everyone who parses the same body (see parse_commands): read, never write.
    extra: dict[str, str] = field(default_factory=dict, compare=False)


_COMMAND_HINT = re.compile(
    r"^ {0,3}/(?:" + "|".join(sorted(KNOWN_COMMANDS)) + r")(?=\s|$)", re.IGNORECASE | re.MULTILINE)


def might_hold_command(body: str | None) -> bool:
    """For the webhook endpoint: does this comment hold a command? A regex rules most comments out
    at once; the few that mention one are parsed, so quoted and fenced commands start no job."""
    return bool(body) and _COMMAND_HINT.search(body) is not None and bool(parse_commands(body))


def sent_by_bot(payload: dict[str, Any]) -> bool:
    """Comments by bots (paperbot included) never run commands: no loops, no bot-to-bot chatter."""
    sender = payload.get("sender") or {}
    return sender.get("type") == "Bot" or str(sender.get("login", "")).endswith("[bot]")


def comment_commands(payload: dict[str, Any], *names: str) -> list[Command]:
    """The commands named `names` in an `issue_comment` delivery from a person."""
    if sent_by_bot(payload):
        return []
    return [c for c in parse_commands((payload.get("comment") or {}).get("body")) if c.name in names]


def parse_commands(body: str | None) -> list[Command]:
    """All known commands in `body`, in order. A delivery's body is parsed once: the ack's triage and
    every handler get the same (frozen) commands from a small memo keyed by the body."""
    if not body:
        return []
    return list(_parse_once(body))


@lru_cache(maxsize=PARSED_BODIES_KEPT)
def _parse_once(body: str) -> tuple[Command, ...]:
    return tuple(_parse(body))


def _parse(body: str) -> list[Command]:
    commands: list[Command] = []
    fence: str | None = None
    for number, line in enumerate(body.splitlines(), start=1):
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match[1][0] == fence[0] and len(fence_match[1]) >= len(fence):
                fence = None
            continue
        if fence_match:
            fence = fence_match[1]
            continue
        if line.lstrip().startswith(">"):
            continue
        match = _COMMAND.match(line[:MAX_COMMAND_LINE])
        if not match or match["name"].lower() not in KNOWN_COMMANDS:
            continue
        commands.append(_command(match["name"].lower(), match["rest"], number))
    return commands


def _command(name: str, rest: str, line: int) -> Command:
    section = None
    if name == "add":
        found = _SECTION.search(rest)
        if found:
            section = _unquote(found["section"].strip())
            rest = rest[: found.start()]
    args = tuple(arg for arg in _SEPARATORS.split(rest.strip()) if arg)
    return Command(name, args, section or None, line)


def _unquote(text: str) -> str:
    for left, right in ('""', "''", "“”", "«»", "``"):
        if len(text) >= 2 and text[0] == left and text[-1] == right:
            return text[1:-1].strip()
    return text
