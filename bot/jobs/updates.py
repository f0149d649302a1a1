"""Pure decisions behind the scheduled update: is it due, what to ask arXiv, what the files become.

Default query (when `latest.query` is not set): the `include` words, each as `all:"word"`, joined
with OR; without `include`, the significant words of the list's title (its first heading, minus
words such as "awesome", "list", "papers"). When `categories` are set, the query is limited to
them. Terms (in lower case: arXiv's search ignores case) and categories are written sorted and
without repeats, so that lists asking the same thing share one harvest (`harvest_key`). Only
submissions since the newest paper already shown (less two days of slack) are asked for
(`dated_query`); a harvest shared with lists that go back further is cut to that window (`in_window`).
One run proposes at most `max_papers` new papers, the most relevant first: a first run over weeks
of arXiv, or a list whose topic is learned from a few entries, should not flood the pull request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from bot.config import LatestConfig
from bot.curation.relevance import Relevance, score_relevance
from bot.lists.document import ListDocument
from bot.lists.identity import candidate_keys
from bot.lists.latest.block import (
    LatestRow,
    find_block,
    merge_rows,
    parse_rows,
    render_block,
    replace_block,
    row_from_paper,
    update_archive,
)
from bot.papers.references import Paper
from bot.papers.summary import summarize

_TITLE_NOISE = frozenset(
    "awesome list lists paper papers curated collection resources reading the a an of for and on in "
    "with to about research survey repo repository".split()
)
# Words of the title; a hyphen splits ("Awesome-LLM-Safety" asks for "LLM" and "Safety").
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}")
SLACK = timedelta(days=2)
LONG_SUMMARY = 400  # characters: longer summary cells are whole abstracts


@dataclass(frozen=True)
class Kept:
    paper: Paper
    relevance: Relevance


@dataclass(frozen=True)
class UpdatePlan:
    readme: str
    archive: str | None  # None: the archive does not change
    kept: tuple[Kept, ...]
    dropped: int  # judged off topic
    meta: dict[str, str] = field(default_factory=dict)
    left_over: int = 0  # relevant, but less so than the `max_papers` kept in this run

    def changes(self, readme_before: str, archive_before: str | None) -> bool:
        return self.readme != readme_before or (
            self.archive is not None and self.archive != archive_before)


def default_query(latest: LatestConfig, list_title: str) -> str:
    terms = list(latest.include) or [w for w in _WORD.findall(list_title)
                                     if w.lower() not in _TITLE_NOISE][:6]
    topic = " OR ".join(f'all:"{term}"' for term in _canonical(terms, str.lower)) or "all:*"
    if latest.categories:
        # Categories keep their case: arXiv spells them `cs.CL` but `cond-mat.mes-hall`.
        categories = " OR ".join(f"cat:{c}" for c in _canonical(latest.categories, str))
        return f"({topic}) AND ({categories})"
    return topic


def harvest_key(query: str) -> str:
    """What makes two queries one harvest: the same words, whatever the spacing between them."""
    return " ".join(query.split())


def dated_query(query: str, since: date | None, now: datetime) -> str:
    if since is None:
        return query
    start = (datetime.combine(since, datetime.min.time()) - SLACK).strftime("%Y%m%d%H%M")
    return f"({query}) AND submittedDate:[{start} TO {now.strftime('%Y%m%d%H%M')}]"


def in_window(papers: Iterable[Paper], since: date | None) -> list[Paper]:
    """The papers `dated_query(query, since, ...)` would have returned, from a wider harvest."""
    if since is None:
        return list(papers)
    start = since - SLACK
    return [paper for paper in papers if paper.published >= start]


def _canonical(values: Iterable[str], case: Callable[[str], str]) -> list[str]:
    """Cleaned, in `case`, without repeats, sorted: the same set of words always reads the same."""
    cleaned = (" ".join(case(_quote_safe(value)).split()) for value in values)
    return sorted({value for value in cleaned if value})


def _quote_safe(term: str) -> str:
    return re.sub(r'["()\\]', " ", term).strip()


def last_run(meta: dict[str, str], state: dict[str, object]) -> datetime | None:
    """The later of the block's `updated` stamp and the open pull request's `last_run`."""
    stamps = [meta.get("updated"), state.get("last_run")]
    times = []
    for stamp in stamps:
        if isinstance(stamp, str):
            try:
                times.append(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
            except ValueError:
                continue
    return max(times) if times else None


def is_due(previous: datetime | None, every: timedelta, now: datetime) -> bool:
    # A little slack, so that a run scheduled every 24 h is not skipped for being a minute early.
    return previous is None or now - previous >= every - min(every / 20, timedelta(minutes=30))


def plan_update(
    readme: str,
    archive: str | None,
    candidates: Sequence[Paper],
    *,
    latest: LatestConfig,
    doc: ListDocument,
    known_ids: Collection[str],
    proposed_rows: Sequence[LatestRow] = (),
    now: datetime | None = None,
    files: Mapping[str, str] | None = None,
    index_path: str = "README.md",
) -> UpdatePlan:
    """The README and archive after adding the relevant, unseen `candidates` to the block.

    `known_ids` holds every id that must not be proposed again: listed anywhere in the README or
    the archive, or proposed in a pull request a maintainer closed unmerged. `proposed_rows` are
    rows of the open pull request that the base does not have yet. `files` ({path: text}) are
    the repository files the README (at `index_path`) links to, read as part of the list when no
    topic is set.
    """
    now = now or datetime.now(UTC)
    block = find_block(readme)
    if block is None:
        raise ValueError("the list has no latest-papers markers")
    current = parse_rows(readme[block.start:block.end])
    current_ids = {row.arxiv_id for row in current}
    carried = [row for row in proposed_rows if row.arxiv_id not in current_ids]
    seen = set(known_ids) | current_ids | {row.arxiv_id for row in carried}
    kept: list[Kept] = []
    dropped = 0
    for paper in candidates:
        if paper.arxiv_id in seen or not seen.isdisjoint(candidate_keys(paper)):  # listed by DOI or title
            continue
        seen.add(paper.arxiv_id)
        relevance = score_relevance(paper.title, paper.abstract, paper.categories, latest=latest, doc=doc,
                                    files=files, index_path=index_path)
        if relevance.relevant and relevance.score >= latest.min_relevance:
            kept.append(Kept(paper, relevance))
        else:
            dropped += 1
    kept.sort(key=lambda k: (-k.relevance.score, -k.paper.updated.toordinal(), k.paper.arxiv_id))
    left_over = max(len(kept) - latest.max_papers, 0)
    kept = kept[:latest.max_papers]
    if not kept:
        return UpdatePlan(readme, None, (), dropped, dict(block.meta))
    new_rows = [row_from_paper(k.paper) for k in kept]
    shown, overflow = merge_rows([*current, *carried], new_rows, latest.max_papers)
    shown = [_shortened(row) for row in shown]
    meta = dict(block.meta)
    newest = max((row.date for row in shown), default=None)
    if newest:
        meta["newest"] = newest.isoformat()
    meta["updated"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    new_readme = replace_block(readme, block, render_block(shown, meta))
    new_archive = update_archive(archive, overflow) if overflow else None
    return UpdatePlan(new_readme, new_archive, tuple(kept), dropped, meta, left_over)


def _shortened(row: LatestRow) -> LatestRow:
    """Rows written by the old cron script carry whole abstracts: keep their first sentences."""
    if len(row.summary_md) <= LONG_SUMMARY:
        return row
    return replace(row, summary_md=summarize(row.summary_md))
