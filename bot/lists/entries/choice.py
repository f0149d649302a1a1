"""Choosing, among the templates of a section's nearest entries, the one new entries follow: entries
compared as if the parts some papers lack were absent (a short name, a name set apart, a code link),
then the way most of them show those parts. Pure."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.lists.entries.labels import CODE_LINE
from bot.lists.entries.template import HEAD_SLOTS, SHORT_SLOT, SIDE_LINK, Induced
from bot.lists.entries.title import short_name

if TYPE_CHECKING:
    from bot.lists.model import Entry

_LEADING_TAB = re.compile(r"(?m)^[ \t]+")
# `[ACL 2025]` beside the date: a venue some entries show and others leave out (never `[arXiv 2025]`)
_VENUE_PIECE = re.compile(r"[ \t]*\[⟦venue:text⟧ ⟦date:YYYY⟧\]")
OPTIONAL_VENUE = "⟦venue:optional⟧"
_NAME_PREFIX = re.compile(r"⟦short:(?!badge)([\w-]+)⟧")
_NAME_NOTE = re.compile(r"⟦(?:short|name):[^⟧]*⟧[*_]*[ \t]+\(⟦unknown⟧\)")  # `**⟦short⟧** (⟦unknown⟧)`
OPTIONAL_VENUE_PIECE = re.compile(r"[ \t]*\[⟦venue:optional⟧ ⟦date:YYYY⟧\]")


def without_short(signature: str) -> str:
    """Signatures compared as if the short-name prefix and the code or page link (or the line that only
    links code) were absent: titles without a name cannot show one, papers without code have no code link."""
    if "⟦codelink:" in signature or "⟦pagelink:" in signature:
        signature = SIDE_LINK.sub("", CODE_LINE.sub("", signature))
    if "[⟦venue:text⟧ ⟦date:YYYY⟧]" in signature:
        signature = _VENUE_PIECE.sub("", signature)
    if OPTIONAL_VENUE in signature:  # the piece `optional_venue` marked
        signature = OPTIONAL_VENUE_PIECE.sub("", signature)
    if "⟦head:" in signature:
        signature = HEAD_SLOTS.sub(r"⟦title:\g<context>⟧", signature)
    if "⟦name:" in signature:  # a name the section always fills (`name_as_field`) is still a name
        signature = signature.replace("⟦name:", "⟦short:")
    return SHORT_SLOT.sub("", signature) if "⟦short:" in signature else signature


def indents_like(lines: list[str], window: Sequence[Entry]) -> list[str]:
    """Continuation lines indented the way most of the section's entries write that depth: a tab or
    four spaces, which render alike (sections that mix them follow the majority, not one neighbour)."""
    seen: Counter[str] = Counter(m[0] for e in window for ln in e.text.split("\n")[1:]
                                 if ln.strip() and (m := _LEADING_TAB.match(ln)))
    out = [lines[0]]
    for line in lines[1:]:
        lead = _LEADING_TAB.match(line)
        if lead and line.strip():
            same = [(n, w) for w, n in seen.items() if w.expandtabs(4) == lead[0].expandtabs(4)]
            line = max(same)[1] + line[lead.end():] if same else line
        out.append(line)
    return out


def prefer_side_links(index: int, best: Induced, induced: list[tuple[int, Induced]]) -> tuple[int, Induced]:
    """An entry shaped like the best one that also links its code (and its own page, where entries do),
    so that a paper with code or a page shows them where its siblings do (a paper without drops them)."""
    def links(template: Induced) -> tuple[bool, bool]:
        return "⟦codelink:" in template.signature, "⟦pagelink:" in template.signature

    same = without_short(best.signature)
    alike = [(i, t) for i, t in induced
             if without_short(t.signature) == same and _names(t.signature) == _names(best.signature)]
    return max([(index, best), *alike], key=lambda it: links(it[1]))  # the first of the most linked


def prefer_short_name(index: int, best: Induced, induced: list[tuple[int, Induced]],
                       window: Sequence[Entry]) -> tuple[int, Induced]:
    """Among entries shaped like the best one whose titles have a short name, follow the majority."""
    group = [(i, t) for i, t in induced if without_short(t.signature) == without_short(best.signature)
             and short_name(window[i].title)]
    with_short = [(i, t) for i, t in group if _names(t.signature)]
    if with_short and len(with_short) * 2 >= len(group):
        way = Counter(_names(t.signature) for _, t in with_short).most_common(1)[0][0]
        return next(it for it in with_short if _names(it[1].signature) == way)
    without = [(i, t) for i, t in group if not _names(t.signature)]
    return without[0] if _names(best.signature) and without else (index, best)


def name_as_field(best: Induced, induced: list[tuple[int, Induced]], window: Sequence[Entry]) -> Induced:
    """Where the entries shaped like the best one show a name before the title even when their title
    gives none (`HalluQA: "**Evaluating Hallucinations...**"`), the name is a field the section always
    fills: written from the paper's name when it has one, else as the placeholder, not left out."""
    if not _NAME_PREFIX.search(best.signature):
        return best
    same = without_short(best.signature)
    nameless = [t for i, t in induced
                if without_short(t.signature) == same and not short_name(window[i].title)]
    shown = sum(1 for t in nameless if _NAME_PREFIX.search(t.signature))
    if len(nameless) >= 2 and shown * 3 >= len(nameless) * 2:
        best.lines = [_NAME_PREFIX.sub(r"⟦name:\1⟧", line) for line in best.lines]
    return best


def _names(signature: str) -> str:
    """How the template sets the paper's name apart: a `⟦short:` prefix, an emphasised `⟦head:`, or ""."""
    if "⟦short:" in signature or "⟦name:" in signature:  # with the note on the name or without
        return "⟦short:(" if _NAME_NOTE.search(signature) else "⟦short:"
    return "⟦head:" if "⟦head:" in signature else ""


def optional_venue(index: int, best: Induced, induced: list[tuple[int, Induced]],
                   further: Sequence[Induced] = ()) -> tuple[int, Induced]:
    """Where entries shaped alike show `[Venue Year]` when published (none writes arXiv there),
    the template that shows it, the piece marked optional: written for a paper with a venue, left out
    for one without. When none of the nearest entries shows one (few of their papers were published),
    the entries further along the section (`further`, nearest first) say where it goes."""
    same = without_short(best.signature)
    group = [(i, t) for i, t in induced if without_short(t.signature) == same]
    shown = [(i, t) for i, t in group if _VENUE_PIECE.search(t.signature)]
    if not shown and further:
        return index, _venue_from_further(best, same, further)
    # Even where every sibling shows one: none writes arXiv there, so a paper without a venue gets none
    # (`[arXiv 2025]` would be a venue no sibling ever writes).
    if not shown or any(v.lower() == "arxiv" for _, t in shown for v in t.venues):
        return index, best
    if not _VENUE_PIECE.search(best.signature):  # one that sets the name apart and links code as best does
        index, best = next(((i, t) for i, t in shown if _set_apart_like(t, best)),
                           next(((i, t) for i, t in shown if _names(t.signature) == _names(best.signature)),
                                shown[0]))
    best.lines = _venue_optional(best.lines)
    return index, best


def _set_apart_like(template: Induced, best: Induced) -> bool:
    """Whether `template` sets the paper's name apart and links its code as `best` does."""
    return (_names(template.signature) == _names(best.signature)
            and ("⟦codelink:" in template.signature) == ("⟦codelink:" in best.signature))


def _venue_optional(lines: Sequence[str]) -> list[str]:
    """The lines with their `[Venue Year]` piece marked optional (left out for a paper without a venue)."""
    piece = f"[{OPTIONAL_VENUE} ⟦date:YYYY⟧]"
    return [ln.replace("[⟦venue:text⟧ ⟦date:YYYY⟧]", piece) for ln in lines]


def _venue_from_further(best: Induced, same: str, further: Sequence[Induced]) -> Induced:
    """`best` with the optional venue piece where the entries further along the section that are shaped
    like it (the same name prefix and code link) write their venue, when none of them writes arXiv."""
    alike = [t for t in further if without_short(t.signature) == same]
    shown = [t for t in alike if _VENUE_PIECE.search(t.signature)]
    if any(v.lower() == "arxiv" for t in shown for v in t.venues):
        return best
    twin = next((t for t in shown if _set_apart_like(t, best)), None)
    if twin is not None:
        best.lines = _venue_optional(twin.lines)
    return best
