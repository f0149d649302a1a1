"""`python -m bot classify --readme PATH [--config PATH] [--text]`: papers in, choices out.

Each input line is `{"title": ..., "abstract": ..., "categories": [...]}` (abstract and
categories may be missing; `published` as YYYY-MM-DD or an `arxiv_id` gives the date that
year-grouped lists need; `venue`, or arXiv's `journal_ref` and `comment` ("Accepted at CVPR
2024"), the venue that lists grouped by venue and year file a paper under). Each output line is
`{"section", "path", "placed_by", "candidates", "confident", "relevance", "relevant", "reasons"}`
(`placed_by`: why that year or venue group, when the paper's venue decided it) from the
same code the bot runs, using only that README (with the Markdown files it links, as the bot
reads a list kept in several files) and config: `section` and each candidate are
paths as a maintainer reads them (`Attacks › Jailbreak › 2025`, without the headings every
section shares, such as the list's title), `path` is the full path as a list of headings.
With `--text`, one readable line per paper instead. A line that cannot be read gets an
`{"error": ...}` line in its place, so outputs stay aligned with inputs.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from bot.cli.local_files import read_local_files
from bot.config import Config, LatestConfig, parse_config
from bot.curation.match import path_label, shared_prefix
from bot.curation.relevance import score_relevance
from bot.curation.sections import arxiv_id_date, choose_section
from bot.lists.document import ListDocument
from bot.papers.venues import venue_named

ERROR_NOT_JSON = "not a JSON object: {detail}"
ERROR_NO_TITLE = "no `title` given"
ERROR_BAD_DATE = "`published` should be YYYY-MM-DD"
ERROR_UNREADABLE = "{path}: cannot read ({reason})"
TEXT_ANSWER = ("{title}\n  -> {section} ({placed_by}{share:.2f}{confident}); relevance {relevance:.2f}"
               "{runners_up}")
TEXT_RUNNERS_UP = "\n  also: {candidates}"
TEXT_NO_SECTION = "{title}\n  -> no section holds papers; relevance {relevance:.2f}"
TEXT_ERROR = "line {number}: {error}"


def run_classify(readme: Path, config: Path | None, stdin: TextIO, stdout: TextIO,
                 *, text: bool = False) -> int:
    """Classify every paper on stdin; 0 when all lines were answered, 1 when some were not,
    2 when the README or config cannot be read. `text`: readable lines instead of JSON."""
    try:
        settings = _read_config(config)
        doc = read_local_files(readme, settings).doc  # with the files it links (bot.cli.local_files)
    except OSError as exc:
        print(ERROR_UNREADABLE.format(path=exc.filename, reason=exc.strerror), file=sys.stderr)
        return 2
    failures = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        answer = classify_line(line, doc, settings)
        failures += "error" in answer
        stdout.write((render_text(answer, number) if text else json.dumps(answer, ensure_ascii=False))
                     + "\n")
    stdout.flush()
    return 1 if failures else 0


def classify_line(line: str, doc: ListDocument, config: Config) -> dict[str, Any]:
    """The answer for one input line (a dict ready for `json.dumps`)."""
    try:
        paper = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": ERROR_NOT_JSON.format(detail=exc.msg)}
    if not isinstance(paper, dict):
        return {"error": ERROR_NOT_JSON.format(detail=type(paper).__name__)}
    title = paper.get("title")
    if not isinstance(title, str) or not title.strip():
        return {"error": ERROR_NO_TITLE}
    abstract = paper.get("abstract") or paper.get("summary") or ""
    categories = [str(c) for c in paper.get("categories") or []]
    authors = paper.get("authors") or []
    authors = [str(a) for a in authors] if isinstance(authors, list) else [str(authors)]
    try:
        published = _published(paper)
    except ValueError:
        return {"error": ERROR_BAD_DATE}
    venue = venue_named(str(paper.get("journal_ref") or ""), str(paper.get("comment") or ""),
                        known=str(paper.get("venue") or ""), with_year=True)
    choice = choose_section(doc, title, str(abstract), categories=categories,
                            published=published, venue=venue, authors=authors, hints=config.sections,
                            default_section=config.default_section)
    relevance = score_relevance(title, str(abstract), categories,
                                latest=config.latest or LatestConfig(), doc=doc)
    answer: dict[str, Any] = {"section": None, "path": [], "candidates": [], "confident": False}
    if choice is not None:
        shared = shared_prefix([s.path for s in doc.paper_sections()] or [choice.section.path])
        answer = {
            "section": path_label(choice.section.path, shared),
            "path": list(choice.section.path),
            "placed_by": choice.reason,
            "candidates": [[path_label(s.path, shared), score] for s, score in choice.candidates],
            "confident": choice.confident,
        }
    answer["title"] = title
    answer.update(relevance=relevance.score, relevant=relevance.relevant,
                  reasons=list(relevance.reasons))
    return answer


def render_text(answer: dict[str, Any], number: int) -> str:
    """One answer as a maintainer reads it: the chosen path, its share, the runners-up."""
    if "error" in answer:
        return TEXT_ERROR.format(number=number, error=answer["error"])
    if answer["section"] is None:
        return TEXT_NO_SECTION.format(title=answer["title"], relevance=answer["relevance"])
    others = answer["candidates"][1:3]
    return TEXT_ANSWER.format(
        title=answer["title"], section=answer["section"], share=answer["candidates"][0][1],
        placed_by=f"{answer['placed_by']}; " if answer.get("placed_by") else "",
        confident=", confident" if answer["confident"] else ", please check",
        relevance=answer["relevance"],
        runners_up=TEXT_RUNNERS_UP.format(candidates="; ".join(f"{label} {share:.2f}"
                                                               for label, share in others))
        if others else "")


def _read_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    config, problems = parse_config(path.read_text(encoding="utf-8"))
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    return config


def _published(paper: dict[str, Any]) -> date | None:
    value = paper.get("published")
    if isinstance(value, str) and value.strip():
        return date.fromisoformat(value.strip()[:10])
    return arxiv_id_date(str(paper.get("arxiv_id") or ""))
