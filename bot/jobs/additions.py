"""Pure decisions behind `/add` and `/remove`: what each ref becomes, and the list with all pending papers.

The rolling pull request's state is the list of `Pending` papers recorded in its body, so a
regeneration is `render_additions(base text, pending, metadata)`: no database, no memory of ours.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.config import Config
from bot.curation.sections import choose_section, match_section
from bot.lists.document import ListDocument, Section, parse_list
from bot.lists.identity import listed_lines, paper_keys, request_keys, styled_for
from bot.lists.listset import ListSet
from bot.lists.write_guard import insert_checked
from bot.papers.references import Paper
from bot.papers.refs import PaperRef, ref_from_key, ref_key
from bot.papers.venues import venue_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pending:
    """A paper waiting in the rolling pull request."""

    arxiv_id: str  # its key: the arXiv id, or `doi:…`, `acl:…`, `openreview:…` (bot.papers.refs)
    section_path: tuple[str, ...]
    requested_by: str
    issue: int
    title: str = ""


@dataclass(frozen=True)
class AddRequest:
    raw: str  # what the user typed
    ref: PaperRef | None  # None when `raw` is not a paper reference
    section: str | None = None  # `to <section>`
    error: str = ""


@dataclass(frozen=True)
class Outcome:
    """One row of the reply. `kind` is one of the OUTCOME_* names in bot.jobs.replies."""

    request: AddRequest
    kind: str
    paper: Paper | None = None
    section: Section | None = None
    line: int | None = None
    candidates: tuple[tuple[Section, float], ...] = ()
    confident: bool = True
    reason: str = ""  # "not_understood": why the write guard refused the edit
    source: str = ""  # "unavailable": the reply line naming the source that did not answer
    file: str = ""  # "listed": the file the line is in, when the list has several and it is not the index
    placed_by: str = ""  # "added": why that year or venue group, when the paper's venue decided it


@dataclass(frozen=True)
class Rendered:
    """The list with the pending papers written in, and the papers the write guard kept out."""

    text: str
    refused: dict[str, str] = field(default_factory=dict)  # paper key -> the guard's reason


def plan_additions(
    doc: ListDocument | ListSet,
    requests: Sequence[AddRequest],
    papers: Mapping[PaperRef, Paper | None],
    pending: Sequence[Pending],
    *,
    config: Config,
    requested_by: str,
    issue: int,
    unavailable: Mapping[PaperRef, str] | None = None,
) -> tuple[list[Pending], list[Outcome]]:
    """Decide each request; returns the papers to add to the pending list and one outcome per request.
    `unavailable` holds the refs whose metadata source did not answer, with the reply line.
    A list of several files is given as its `ListSet`: sections and "already listed" span them all."""
    files = doc if isinstance(doc, ListSet) else None
    doc = files.doc if files else doc
    pending_ids = {item.arxiv_id for item in pending}
    pending_ids |= {key for item in pending if (paper := papers.get(ref_from_key(item.arxiv_id)))
                    for key in paper_keys(paper)}
    added: list[Pending] = []
    outcomes: list[Outcome] = []
    for request in requests:
        outcome = _decide(doc, files, request, papers, pending_ids, config, unavailable or {})
        outcomes.append(outcome)
        if outcome.kind == "added" and outcome.paper and outcome.section and request.ref:
            pending_ids |= request_keys(request.ref, outcome.paper)
            added.append(Pending(ref_key(request.ref), outcome.section.path, requested_by, issue,
                                 outcome.paper.title))
    return added, outcomes


def _decide(doc: ListDocument, files: ListSet | None, request: AddRequest,
            papers: Mapping[PaperRef, Paper | None], pending_ids: set[str], config: Config,
            unavailable: Mapping[PaperRef, str]) -> Outcome:
    if request.ref is None:
        return Outcome(request, "invalid")
    paper = papers.get(request.ref)
    keys = request_keys(request.ref, paper)
    if lines := listed_lines(doc, keys, paper.title if paper else ""):
        if files is None:
            return Outcome(request, "listed", paper, line=lines[0])
        path, line = files.locate(lines[0])
        return Outcome(request, "listed", paper, line=line,
                       file="" if path == files.index.file.path else path)
    if keys & pending_ids:
        return Outcome(request, "pending", paper)
    if request.ref in unavailable:
        return Outcome(request, "unavailable", source=unavailable[request.ref])
    if paper is None:
        return Outcome(request, "not_found")
    if request.section:
        section = match_section(doc, request.section, hints=config.sections, published=paper.published,
                                venue=venue_of(paper, with_year=True))
        if section is None:
            return Outcome(request, "unknown_section", paper)
        return _guarded(doc, files, Outcome(request, "added", paper, section))
    choice = choose_section(doc, paper.title, paper.abstract, categories=paper.categories,
                            published=paper.published, venue=venue_of(paper, with_year=True),
                            authors=paper.authors, hints=config.sections,
                            default_section=config.default_section)
    if choice is None:
        return Outcome(request, "no_sections", paper)
    return _guarded(doc, files, Outcome(request, "added", paper, choice.section,
                                        candidates=choice.candidates, confident=choice.confident,
                                        placed_by=choice.reason))


def _guarded(doc: ListDocument, files: ListSet | None, outcome: Outcome) -> Outcome:
    """The outcome, or "not_understood" when the write guard refuses the entry the bot would write."""
    assert outcome.paper is not None and outcome.section is not None
    styled = styled_for(outcome.paper, outcome.section)
    if files is not None:
        _, _, verdict = files.edit(outcome.section, styled)
    else:
        _, verdict = insert_checked(doc, outcome.section, styled)
    if verdict.ok:
        return outcome
    log.warning("write guard refused %s in %s: %s", outcome.paper.arxiv_id,
                " > ".join(outcome.section.path), verdict.reason)
    return Outcome(outcome.request, "not_understood", outcome.paper, outcome.section,
                   candidates=outcome.candidates, confident=outcome.confident, reason=verdict.reason)


def render_additions(base_text: str, pending: Sequence[Pending],
                     papers: Mapping[str, Paper], config: Config) -> str:
    """The list file with every pending paper that the base does not list yet, each in its section
    (a paper the write guard refuses is left out; the others are written all the same)."""
    return render_checked(base_text, pending, papers, config).text


def section_to_write(doc: ListDocument, item: Pending, paper: Paper, config: Config) -> Section | None:
    """Where a pending paper goes in `doc`: None when the list holds it already. Its section as
    proposed, or chosen again when that section was renamed or removed on the default branch since."""
    if listed_lines(doc, request_keys(ref_from_key(item.arxiv_id), paper), paper.title):
        return None
    section = find_section(doc, item.section_path)
    if section is None:
        choice = choose_section(doc, paper.title, paper.abstract, categories=paper.categories,
                                published=paper.published, venue=venue_of(paper, with_year=True),
                                authors=paper.authors, hints=config.sections,
                                default_section=config.default_section)
        section = choice.section if choice else None
    return section


def render_checked(base_text: str, pending: Sequence[Pending],
                   papers: Mapping[str, Paper], config: Config) -> Rendered:
    """`render_additions`, telling which papers the write guard kept out and why. Papers are written
    one at a time, oldest first, each edit checked on its own, so one refusal costs only that paper."""
    items = [(paper, item) for item in pending if (paper := papers.get(item.arxiv_id)) is not None]
    items.sort(key=lambda pair: (pair[0].published, pair[1].arxiv_id))
    text = base_text
    refused: dict[str, str] = {}
    for paper, item in items:
        doc = parse_list(text)
        section = section_to_write(doc, item, paper, config)
        if section is None:
            continue
        after, verdict = insert_checked(doc, section, styled_for(paper, section))
        if verdict.ok:
            text = after
        else:
            log.warning("write guard refused %s in %s: %s", item.arxiv_id, " > ".join(section.path),
                        verdict.reason)
            refused[item.arxiv_id] = verdict.reason
    return Rendered(text, refused)


def find_section(doc: ListDocument, path: Sequence[str]) -> Section | None:
    """The section at exactly `path`, else the only paper section with the same leaf heading."""
    sections = doc.paper_sections()
    for section in sections:
        if section.path == tuple(path):
            return section
    same_leaf = [s for s in sections if path and s.heading == path[-1]]
    return same_leaf[0] if len(same_leaf) == 1 else None
