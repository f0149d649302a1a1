"""Where the paper's fields sit in a run of an entry's text between links: the title (or its name and
the rest, emphasised apart), a short name before it, author lists (in emphasis or plain), dates and
the venue written before a year or after the authors. Spans are (start, end, slot). Pure."""

from __future__ import annotations

import re

from bot.lists.entries.pieces import (
    GENERIC_LINK_TEXT,
    PIECE_PATTERN,
    VENUE_WORD,
    find_dates,
    looks_like_authors,
    venue_badge,
)
from bot.lists.entries.title import name_and_rest, short_name

Span = tuple[int, int, str]
_ITALIC = re.compile(r"(?<![*\w])([*_])(?![*\s])([^*_]+?)(?<!\s)\1(?![*\w])")
# `PIQA: "..."`, `**BLOOM**: "..."`: a short name before the title; `**CuBERT** (MLM + NSP): "..."`: with a
# note in parentheses after it, in the maintainer's words (group `note`)
_SHORT_BEFORE = re.compile(r"^\s*(\*{1,3}|_{1,3})?([^\s:*_\"“]+(?:\s[^\s:*_\"“]+){0,3})\1?"
                           r"(?:[ \t]+\((?P<note>[^()\n]*[^\W\d_][^()\n]*)\))?:\s")
# `arXiv 2023`, `(ICLR 2024)`, `[ICCV 2021]`, `in *IJCAI* 2023`: a venue just before a year, with its
# emphasis and the "in" before it (kept: the words a section writes around every venue).
_VENUE_BEFORE_DATE = re.compile(
    r"(?:^|[\s(\[*_])(?:(?P<lead>in|at) (?P<em>\*{1,2}|_{1,2})?)?(?P<name>"
    + VENUE_WORD.pattern.replace("?P<", "?P<v_") + r")(?P<close>(?P=em))?[\s,]*$", re.IGNORECASE)
# `[**Nature Medicine, 2024**]`, `[I3CE 2023]`: any name with the date in one bracket is the venue.
_NAME_IN_DATE_BRACKET = re.compile(
    r"\[(?P<em>\*{0,3}|_{0,3})(?P<name>[^\W\d_][^\[\]*_,]{0,40}?)[ \t]*,?[ \t]*$")
_VENUE_AFTER_AUTHORS = re.compile(
    r"(?<=[.,])\s+(?P<name>" + VENUE_WORD.pattern.replace("?P<", "?P<a_") + r")\.?$", re.IGNORECASE)
# `*Ann Lee (MIT) et al.* arXiv. [[paper](...)]`: the venue alone right after the emphasised authors.
_VENUE_AFTER_EMPHASIS = re.compile(
    r"[ \t]+(?P<name>" + VENUE_WORD.pattern.replace("?P<", "?P<e_") + r")(?=[.,;]?(?:\s|$))", re.IGNORECASE)
# `VLDB'22`, `ICDE’22`: a venue in capitals with its year cut to two digits after an apostrophe.
_VENUE_SHORT_YEAR = re.compile(
    r"(?<![\w'’])(?P<name>[A-Z][A-Za-z&/\-]*[A-Z][A-Za-z&/\-]*)['’](?P<yy>\d{2})(?![\w'’])")
_AFFILIATION = re.compile(r"\s*\([^()]*\)")
_ET_AL_END = re.compile(r"\bet\.?\s+al\.$")
_AUTHOR_RUN = re.compile(r"[\s,;:–—-]*(?P<names>[^\W\d_][^()\[\]*_|<>\d]*?)[\s(\[,;]*$")


def run_spans(text: str, title: str, context: str, authors: list[str], venues: list[str],
              *, authors_seen: bool) -> tuple[list[Span], str]:
    """The spans of `text`, and the title still to find ("" once found). Authors and venues seen are
    appended to `authors` and `venues` (for learning the section's styles)."""
    spans: list[Span] = []
    if title and (at := text.find(title)) >= 0:
        spans.append((at, at + len(title), f"⟦title:{context}⟧"))
        short = short_name(title)
        before = _SHORT_BEFORE.match(text[:at])
        if before and (before[2].lower() == short.lower() or _written_name(before[2])):
            spans.append((before.start(2), before.end(2), f"⟦short:{context}⟧"))
            if before["note"]:  # a free-text note only the maintainer can write: the placeholder
                spans.append((before.start("note"), before.end("note"), "⟦unknown⟧"))
        title = ""
    elif title and (split := _split_title(text, title)):
        spans += [(split.start("head"), split.end("head"), f"⟦head:{context}⟧"),
                  (split.start("tail"), split.end("tail"), f"⟦tail:{context}⟧")]
        title = ""
    for italic in _ITALIC.finditer(text):
        if not _overlaps(spans, italic.start(2), italic.end(2)):
            _italic_authors(italic, context, spans, authors, venues)
    for date in find_dates(text):
        if not _overlaps(spans, date.start, date.end):
            spans.append((date.start, date.end, f"⟦date:{date.fmt}⟧"))
            _venue_before(text, date.start, context, spans, venues)
            _venue_in_bracket(text, date.start, date.end, context, spans, venues)
    if "'" in text or "’" in text:
        for venue in _VENUE_SHORT_YEAR.finditer(text):
            if not _overlaps(spans, venue.start(), venue.end()):
                venues.append(venue[0])
                spans += [(venue.start("name"), venue.end("name"), f"⟦venue:{context}⟧"),
                          (venue.start("yy"), venue.end("yy"), "⟦date:YY⟧")]
    if not title and not authors_seen and not any("⟦authors:" in slot for *_, slot in spans):
        _plain_authors(text, spans, context, authors)
    return spans, title


# What may stand between a venue and its year: `ACL 2023`, `Nature Medicine, 2024`, `**ICLR** 2024`
_VENUE_YEAR_GAP = re.compile(r"[\s,*_'’]*")
_BADGE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def shown_venue(text: str, title: str) -> str:
    """The venue (other than arXiv) an entry shows, with the year written beside it, as the template
    reader finds it: `[ACL 2023]` -> "ACL 2023", `[**npj Digital Medicine, 2024**]` -> "npj Digital
    Medicine 2024", `ICML 2017.` -> "ICML 2017", `VLDB'22` -> "VLDB 2022", a badge `ACL2025` ->
    "ACL 2025"; "" when it shows none."""
    position = 0
    for piece in [*PIECE_PATTERN.finditer(text), None]:
        run = text[position : piece.start() if piece else len(text)]
        found, title = _run_venue(run, title)
        if found:
            return found
        if piece is None:
            break
        if piece["image"] and (badge := venue_badge(piece["img_url"] or "")):
            name = badge.replace("--", "-").replace("_", " ")
            year = _BADGE_YEAR.search(name)
            return f"{name[: year.start()].strip()} {year[0]}" if year else name
        position = piece.end()
    return ""


def _run_venue(run: str, title: str) -> tuple[str, str]:
    """The venue one run of text between links shows ("" for none or arXiv), and the title still to find."""
    venues: list[str] = []
    spans, title = run_spans(run, title, "text", [], venues, authors_seen=True)
    named = iter(venues)  # each venue span was recorded with its name, in the same order
    venue_spans = [(span, next(named)) for span in spans if "⟦venue:" in span[2]]
    for (_, end, _), name in venue_spans:
        if name.lower().startswith("arxiv"):
            continue
        if "'" in name or "’" in name:  # `VLDB'22`: the name and the year cut to two digits
            head, _, yy = name.replace("’", "'").partition("'")
            return f"{head} 20{yy}", title
        year = next((run[s:e] for s, e, slot in spans if slot.startswith("⟦date:") and s >= end
                     and _VENUE_YEAR_GAP.fullmatch(run[end:s])), "")
        year = _BADGE_YEAR.search(year)
        return (f"{name} {year[0]}" if year else name), title
    return "", title


def _written_name(text: str) -> bool:
    """`HalluQA` in `HalluQA: "**Evaluating Hallucinations...**"`: a name the list writes before a title
    that does not give it (the maintainer's, or the abstract's); not a date, a venue or a link label."""
    return not find_dates(text) and not VENUE_WORD.fullmatch(text) and not GENERIC_LINK_TEXT.match(text)


def _venue_before(text: str, at: int, context: str, spans: list[Span], venues: list[str]) -> None:
    venue = _VENUE_BEFORE_DATE.search(text[:at])
    if venue and not _overlaps(spans, venue.start("name"), venue.end("name")):
        venues.append(venue["name"])
        start = venue.start("lead") if venue["lead"] else venue.start("name")
        lead = f"{venue['lead']} {venue['em'] or ''}" if venue["lead"] else ""
        close = venue["close"] or ""
        spans.append((start, venue.end("name") + len(close), f"{lead}⟦venue:{context}⟧{close}"))


def _venue_in_bracket(text: str, at: int, end: int, context: str, spans: list[Span],
                      venues: list[str]) -> None:
    """`[**Nature Medicine, 2024**]`: the name before the date in the bracket that holds both."""
    bracket = _NAME_IN_DATE_BRACKET.search(text, 0, at)
    if bracket and text[end:].startswith(bracket["em"] + "]") \
            and not _overlaps(spans, bracket.start("name"), bracket.end("name")):
        venues.append(bracket["name"])
        spans.append((bracket.start("name"), bracket.end("name"), f"⟦venue:{context}⟧"))


def _split_title(text: str, title: str) -> re.Match[str] | None:
    """`***MikuDance:*** Animating Character Art`: a title whose name (the head before its colon) is
    emphasised apart from the rest; the match has groups `head` and `tail`."""
    head, tail = name_and_rest(title)
    if not head:
        return None
    return re.search(r"(?P<em>\*{1,3}|_{1,3})(?P<head>" + re.escape(head) + r")(?::(?P=em)|(?P=em):)"
                     r"[ \t]+(?P<tail>" + re.escape(tail) + ")", text)


def _italic_authors(italic: re.Match[str], context: str, spans: list[Span], authors: list[str],
                    venues: list[str]) -> None:
    """`*Ann Lee, Bo Wu*`, `*Ann Lee, Bo Wu.*` (the period kept as written), `*Ann Lee et al. arXiv.*`
    (authors, then the venue inside the same emphasis)."""
    inner, start = italic[2], italic.start(2)
    venue = _VENUE_AFTER_AUTHORS.search(inner)
    names = inner[: venue.start()] if venue else inner
    if not looks_like_authors(_AFFILIATION.sub("", names)):  # `*Ann Lee (MIT) et al.*`: names all the same
        return
    end = start + len(names)
    if names.endswith(".") and not _ET_AL_END.search(names):
        end -= 1  # `*Ann Lee, Bo Wu.*`: the period is the section's, not part of the names
    authors.append(names[: end - start])
    spans.append((start, end, f"⟦authors:{context}⟧"))
    if venue:
        venues.append(venue["name"])
        spans.append((start + venue.start("name"), start + venue.end("name"), f"⟦venue:{context}⟧"))
    elif (after := _VENUE_AFTER_EMPHASIS.match(italic.string, italic.end())) and not after["e_rest"]:
        venues.append(after["name"])
        spans.append((after.start("name"), after.end("name"), f"⟦venue:{context}⟧"))


def _plain_authors(text: str, spans: list[Span], context: str, authors: list[str]) -> None:
    """Names written as plain text after the title (`[Title](url) Ann Lee, Bo Wu (2025)`): the first run
    between the pieces already found that reads as an author list (with a comma or "et al.")."""
    bounds = [0, *sorted(p for s, e, _ in spans for p in (s, e)), len(text)]
    for start, end in zip(bounds[::2], bounds[1::2], strict=False):
        run = _AUTHOR_RUN.match(text, start, end)
        names = run["names"] if run else ""
        if run and names and ("," in names or "et al" in names) and looks_like_authors(names):
            authors.append(names.rstrip("."))
            stop = run.end("names") - (names.endswith(".") and not _ET_AL_END.search(names))
            spans.append((run.start("names"), stop, f"⟦authors:{context}⟧"))
            return


def _overlaps(spans: list[Span], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e, _ in spans)
