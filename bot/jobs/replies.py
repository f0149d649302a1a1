"""What people read: the reply to a command and the rolling pull request's body (with its state).

Everything that came from arXiv or from a comment is escaped before it lands in Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.curation.groups import group_headings, topic_key
from bot.curation.match import path_label, paths_named, shared_prefix
from bot.github.pull_state import encode_state
from bot.jobs.additions import Outcome, Pending
from bot.lists.render import escape_inline, escape_table_cell
from bot.papers.refs import ScholarRef, key_url

ADDITIONS_BRANCH = "paperbot/additions"
ADDITIONS_TITLE = "paperbot: add papers to the list"
REPLY_MARKER = "<!-- paperbot:reply {key} -->"
_REPLY_MARKER = re.compile(r"<!-- paperbot:reply ([a-z]\d+) -->")

# The write guard refused the entry the bot would have written: nothing is proposed for the paper.
NOT_UNDERSTOOD = ("not added: it would have gone to «{section}», but the list's shape there was not "
                  "understood ({reason}); please add it by hand")
OUTCOME_TEXT = {
    "added": "added to «{section}»",
    "pending": "already proposed in the pull request",
    "listed": "already listed at [line {line}]({url})",
    "listed_in": "already listed in [{file}:{line}]({url})",
    "not_found": "not found on {where}",
    "unavailable": "{source}",
    "invalid": "invalid reference",
    "unknown_section": "no section matches «{section}»",
    "ambiguous_section": "«{section}» names several sections: {candidates}; write more of the path",
    "no_sections": ("the list has no section with paper entries to add it to: papers go under a heading "
                    "(`## Papers`) or a label that lists some already (or in a list of papers with no "
                    "heading at all); add one above them and ask again"),
    "pending_limit": "not added: the pull request is full",
    "not_understood": NOT_UNDERSTOOD,
}
LOW_CONFIDENCE = " (low confidence: please check the section)"
PLACED_BY = " ({reason})"  # the venue that chose the year group: "(accepted at CVPR 2024)"
PR_LINK = "Pull request: {url}"
NOTHING_CHANGED = "Nothing to change in the list."
SECTIONS_AVAILABLE = ("Sections you can name with `to <section>` (a path or its last headings, "
                      "such as `to Attacks › Jailbreak`): {sections}.")
TOO_MANY_PAPERS = "Only the first {limit} papers of this comment were considered (the limit per command)."
PENDING_LIMIT = "The pull request already holds {limit} papers, the most it may; merge it first."
# Fields the bot could not know, left as `bot.lists.render.PLACEHOLDER` in the list for a maintainer.
TO_FILL_INTRO = "**To fill in** (shown as *(to fill in)* in the list; metadata does not say):"
TO_FILL_LINE = "- {paper}: {fields}"
PR_INTRO = (
    "This pull request adds papers requested with `/add`. paperbot regenerates it on top of "
    "`{base}` whenever a paper is added, so it never conflicts; commits you push are kept.\n"
)
REMOVED = "Removed {ref} from the pull request."
NOT_PENDING = "{ref} is not in the pending pull request."
NO_PULL = "There is no open paperbot pull request."
# Where a reference of each kind was looked up, for "not found on …".
LOOKED_UP_ON = {"arxiv": "arXiv", "doi": "Crossref or OpenAlex", "acl": "the ACL Anthology",
                "openreview": "OpenReview", "s2": "Semantic Scholar", "openalex": "OpenAlex"}


def reply_marker(key: str) -> str:
    """`key` names the command's source: `c<comment id>` or `i<issue id>`."""
    return REPLY_MARKER.format(key=key)


def has_reply_marker(body: str, key: str) -> bool:
    return key in _REPLY_MARKER.findall(body or "")


def render_reply(outcomes: Sequence[Outcome], *, pull_url: str | None, blob_url: str,
                 sections: Sequence[Sequence[str] | str], notes: Sequence[str] = (),
                 file_url: Callable[[str], str] | None = None) -> str:
    """`sections`: the paths of the list's paper sections (a plain heading counts as a path of
    one); sections are shown as paths without the headings they all share. `file_url`: the URL of
    another file of the list, for papers already listed there."""
    paths = [(s,) if isinstance(s, str) else tuple(s) for s in sections]
    shared = shared_prefix(paths)
    rows = ["| Paper | Outcome |", "| --- | --- |"]
    for outcome in outcomes:
        url = file_url(outcome.file) if outcome.file and file_url else blob_url
        rows.append(f"| {_paper_cell(outcome)} | {_outcome_text(outcome, url, paths, shared)} |")
    parts = ["\n".join(rows)]
    parts.extend(notes)
    if any(o.kind == "unknown_section" for o in outcomes) and paths:
        groups = group_headings(paths)
        topics = dict.fromkeys(topic_key(p, groups) for p in paths)
        parts.append(SECTIONS_AVAILABLE.format(
            sections=", ".join(f"«{escape_inline(path_label(t, shared))}»" for t in topics)))
    if any(o.kind == "added" and o.candidates for o in outcomes):
        parts.append(_candidates_details(outcomes, shared))
    parts.append(PR_LINK.format(url=pull_url) if pull_url else NOTHING_CHANGED)
    return "\n\n".join(parts)


def _paper_cell(outcome: Outcome) -> str:
    ref = outcome.request.ref
    if ref is None:
        raw = " ".join(outcome.request.raw[:60].replace("`", "").split()).replace("|", "\\|")
        return f"`{raw}`"
    if isinstance(ref, ScholarRef):
        link = f"[{escape_table_cell(ref.key)}]({ref.url.replace(')', '%29')})"
    else:
        link = f"[{ref.versioned}](https://arxiv.org/abs/{ref.versioned})"
    if outcome.paper:
        return f"{link} {escape_table_cell(_short(outcome.paper.title, 90))}"
    return link


def _outcome_text(outcome: Outcome, blob_url: str, paths: Sequence[tuple[str, ...]],
                  shared: int) -> str:
    kind = "listed_in" if outcome.kind == "listed" and outcome.file else outcome.kind
    candidates = ""
    if outcome.section:
        section = path_label(outcome.section.path, _shared_for(outcome.section.path, paths, shared))
    else:
        section = outcome.request.section or ""
    if kind == "unknown_section" and len(named := paths_named(paths, section)) > 1:
        kind = "ambiguous_section"
        candidates = ", ".join(f"«{escape_table_cell(escape_inline(path_label(p, shared)))}»"
                               for p in named)
    ref = outcome.request.ref
    text = OUTCOME_TEXT[kind].format(section=escape_table_cell(section), candidates=candidates,
                                     line=outcome.line, url=f"{blob_url}#L{outcome.line}",
                                     file=escape_table_cell(escape_inline(outcome.file)),
                                     reason=escape_table_cell(outcome.reason), source=outcome.source,
                                     where=LOOKED_UP_ON[ref.kind if isinstance(ref, ScholarRef) else "arxiv"])
    if kind == "added" and outcome.placed_by:
        text += PLACED_BY.format(reason=escape_table_cell(escape_inline(outcome.placed_by)))
    if kind == "added" and not outcome.confident:
        text += LOW_CONFIDENCE
    return text


def _shared_for(path: Sequence[str], paths: Sequence[tuple[str, ...]], shared: int) -> int:
    """`shared` when `path` starts with the headings all sections share, else 0 (a section the
    list did not hold papers in yet)."""
    return shared if paths and tuple(path[:shared]) == paths[0][:shared] else 0


def _candidates_details(outcomes: Sequence[Outcome], shared: int) -> str:
    lines = ["<details><summary>Why these sections</summary>", ""]
    for outcome in outcomes:
        if outcome.kind != "added" or not outcome.candidates or not outcome.paper:
            continue
        scores = ", ".join(f"«{escape_inline(path_label(s.path, shared))}» {score:.2f}"
                           for s, score in outcome.candidates[:3])
        ref = outcome.request.ref
        name = ref.key if isinstance(ref, ScholarRef) else outcome.paper.arxiv_id
        lines.append(f"- {escape_inline(name)}: {scores}")
    lines += ["", "</details>"]
    return "\n".join(lines)


def render_pull_body(pending: Sequence[Pending], *, base: str, state: dict[str, Any],
                     to_fill: Mapping[str, Sequence[str]] | None = None) -> str:
    lines = [PR_INTRO.format(base=base), "| Paper | Section | Requested by |", "| --- | --- | --- |"]
    for item in pending:
        title = escape_table_cell(_short(item.title, 100)) if item.title else ""
        section = escape_table_cell(path_label(item.section_path))
        link = f"[{escape_table_cell(item.arxiv_id)}]({key_url(item.arxiv_id).replace(')', '%29')})"
        lines.append(f"| {link} {title} "
                     f"| {section} | @{item.requested_by} in #{item.issue} |")
    filling = [(item.arxiv_id, fields) for item in pending if (fields := (to_fill or {}).get(item.arxiv_id))]
    if filling:
        lines += ["", TO_FILL_INTRO]
        lines += [TO_FILL_LINE.format(paper=arxiv_id, fields=", ".join(escape_inline(f) for f in fields))
                  for arxiv_id, fields in filling]
    closes = sorted({item.issue for item in pending if item.issue != state.get("pull")})
    if closes:
        lines += ["", " ".join(f"Closes #{number}" for number in closes)]
    lines += ["", encode_state(state)]
    return "\n".join(lines)




def pending_from_state(state: dict[str, Any]) -> list[Pending]:
    items = []
    for raw in state.get("papers", []):
        try:
            items.append(Pending(str(raw["id"]), tuple(map(str, raw["section"])), str(raw["by"]),
                                 int(raw["issue"]), str(raw.get("title", ""))))
        except (KeyError, TypeError, ValueError):
            continue
    return items


def pending_to_state(pending: Sequence[Pending]) -> list[dict[str, Any]]:
    return [{"id": p.arxiv_id, "section": list(p.section_path), "by": p.requested_by,
             "issue": p.issue, "title": p.title} for p in pending]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
