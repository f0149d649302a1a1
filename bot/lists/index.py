"""An index file's links to the other files of a list, and the counts it writes beside them.

A list kept in several files has an index (its README) that links topic files, often nested in
bullets with a paper count after each link (`- A. Safety (1121)` > `- [A1. Jailbreak](collection/
paper/safety/jailbreak.md) (497)`). `index_links` reads those links with markdown-it-py (so links in
code are not links) together with their place in the index: the labels of the bullets around the
link, then its own text. `resolve_target` turns a link target into a path in the repository, and
`bump_counts` raises the counts beside links to files the bot added papers to, touching nothing
else. Pure.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//")
_COUNT = re.compile(r"\s*\(\s*(\d[\d,]*)\s*\)\s*$")
OUTSIDE = "outside"  # a relative link whose `..` climbs out of the repository


@dataclass(frozen=True)
class IndexLink:
    target: str  # the link's destination as written
    place: tuple[str, ...]  # labels of the bullets around it, then its own text
    line: int  # 0-based line of the link in the file


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def index_links(text: str) -> list[IndexLink]:
    """Every link in `text` (outside code), with its place in the index's bullets."""
    tokens = _parser().parse(text)
    labels: list[str | None] = []  # one per open list item: its label once its first text is read
    found: list[IndexLink] = []
    lines = text.split("\n")
    for token in tokens:
        if token.type == "list_item_open":
            labels.append(None)
        elif token.type == "list_item_close":
            labels.pop()
        elif token.type == "inline" and token.children:
            own = bool(labels) and labels[-1] is None
            if own:
                labels[-1] = label_of(token.children)
            outer = tuple(label for label in (labels[:-1] if own else labels) if label)
            first = token.map[0] if token.map else 0
            for target, words in _links(token.children):
                line = _line_of(lines, first, target)
                found.append(IndexLink(target, (*outer, words) if words else outer, line))
    return found


# Every place a Markdown link can give a destination (inline `](dest`, a reference definition
# `[ref]: dest`; also in a quote or an item, or with `dest` on the next line after the quote's `>`),
# read with a regular expression: a superset of markdown-it's links, found in one pass, so a long
# list whose links all point off-site is not parsed as a whole to learn that.
_DESTINATION = re.compile(r"\]\((?:\s|>)*(<[^>\n]*>|[^\s)>][^\s)]*)"  # [text](dest
                          r"|\[[^\]\n]+\]:(?:\s|>)*(<[^>\n]*>|[^\s>]\S*)")  # [ref]: dest


def link_targets_written(text: str) -> list[str]:
    """Every link destination `text` may hold (more than `index_links` finds: code is not skipped)."""
    return [m[1] or m[2] for m in _DESTINATION.finditer(text)]


def _links(children: list[Token]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    href: str | None = None
    words: list[str] = []
    for child in children:
        if child.type == "link_open":
            href, words = str(child.attrs.get("href") or ""), []
        elif child.type == "link_close" and href is not None:
            out.append((href, _clean(" ".join(words))))
            href = None
        elif href is not None and child.type in ("text", "code_inline"):
            words.append(child.content)
    return out


def label_of(children: list[Token]) -> str:
    """An item's plain text without its count: `A. Safety (1121)` -> `A. Safety`."""
    return _clean(" ".join(c.content for c in children if c.type in ("text", "code_inline")))


def _clean(text: str) -> str:
    return _COUNT.sub("", " ".join(text.split())).strip()


def _line_of(lines: list[str], first: int, target: str) -> int:
    for index in range(first, len(lines)):
        if f"]({target}" in lines[index] or f"](<{target}>" in lines[index]:
            return index
    return first


def resolve_target(target: str, from_path: str) -> str | None:
    """The repository path a link from `from_path` names; None for links elsewhere (another site,
    an anchor on the same page, an e-mail address); `OUTSIDE` when `..` climbs out of the repo."""
    target = target.strip().removeprefix("<").removesuffix(">")
    if not target or _SCHEME.match(target) or target.startswith("#"):
        return None
    target = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not target or "\x00" in target or "\\" in target:
        return None
    if target.startswith("/"):  # GitHub reads `/x.md` from the repository's root
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(from_path), target)
    path = posixpath.normpath(joined)
    if path == ".." or path.startswith("../"):
        return OUTSIDE
    return None if path in (".", "") else path


def bump_counts(text: str, from_path: str, added: Mapping[str, int],
                resolve: Mapping[str, str] | None = None) -> str:
    """`text` with the count after each link to a file in `added` raised by its number of papers.
    `resolve` maps a link's resolved path to the file it stands for (a link without `.md`)."""
    if not any(added.values()):
        return text
    lines = text.split("\n")
    for link in index_links(text):
        path = resolve_target(link.target, from_path)
        path = (resolve or {}).get(path or "", path)
        if not path or not added.get(path):
            continue
        lines[link.line] = _bumped(lines[link.line], link.target, added[path])
    return "\n".join(lines)


def _bumped(line: str, target: str, by: int) -> str:
    """The line with `(n)` right after the link to `target` raised by `by`, if it has one."""
    for closing in (f"]({target})", f"](<{target}>)"):
        at = line.find(closing)
        if at < 0:
            continue
        rest = line[at + len(closing):]
        match = re.match(r"(\s*\(\s*)(\d[\d,]*)(\s*\))", rest)
        if not match:
            return line
        number = int(match[2].replace(",", "")) + by
        digits = f"{number:,}" if "," in match[2] else str(number)
        start = at + len(closing) + match.start(2)
        return line[:start] + digits + line[start + len(match[2]):]
    return line
