"""Local mode: `/add` and the latest-papers update on a checkout, through the bot's own code.

Only arXiv (and, for DOIs and venue links, the scholarly sources) is contacted, in a short event
loop of its own; no GitHub App is needed. A CI job (see examples/workflows/) runs this and
opens the pull request with its own token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import aiohttp

from bot.cli.local_files import LocalTree, checkout_root, read_local_files, write_local_files
from bot.config import LatestConfig, parse_config
from bot.jobs.additions import AddRequest, plan_additions
from bot.jobs.additions_files import render_files
from bot.jobs.replies import LOOKED_UP_ON, OUTCOME_TEXT
from bot.jobs.updates import dated_query, default_query, plan_update
from bot.lists.document import parse_list
from bot.lists.identity import listed_lines, request_keys
from bot.lists.latest.block import find_block, listed_ids
from bot.papers.arxiv_client import ArxivClient, SearchQuery
from bot.papers.lookup import Lookup, look_up
from bot.papers.references import InvalidRef
from bot.papers.refs import PaperRef, parse_any_ref, ref_key
from bot.papers.scholarly import ScholarlyClient
from bot.settings import Settings

LOCAL_USER = "local"
# The reply's wording, with a plain line number instead of a Markdown link.
OUTCOME_WORDS = {**OUTCOME_TEXT, "listed": "already listed at line {line}",
                 "listed_in": "already listed in {file}:{line}"}
# What counts as done for a reference: any other outcome (invalid, not found, no section, refused
# by a check, or a kind added later) means the reference is not in the list.
DONE = frozenset({"added", "listed"})
NO_BLOCK = "{readme}: no LATEST_PAPERS markers; nothing to update"


@dataclass(frozen=True)
class LocalResult:
    changed: bool
    lines: list[str]  # what to print, one line per paper or step
    problems: list[str]
    not_done: list[str] = field(default_factory=list)  # what was asked and not done, one line each


def _read(path: Path | None) -> str | None:
    """Bytes as they are (no newline translation), so untouched lines stay byte for byte."""
    if path is None or not path.exists():
        return None
    return path.read_bytes().decode("utf-8")


def add_locally(refs: Sequence[str], readme: Path, *, settings: Settings,
                      config_path: Path | None = None, section: str | None = None) -> LocalResult:
    config, problems = parse_config(_read(config_path))
    requests = []
    for raw in refs:
        try:
            requests.append(AddRequest(raw, parse_any_ref(raw), section))
        except InvalidRef as exc:
            requests.append(AddRequest(raw, None, section, str(exc)))
    tree = LocalTree(checkout_root(readme))
    files = read_local_files(readme, config, tree=tree)
    doc = files.doc
    wanted = [r.ref for r in requests if r.ref and not listed_lines(doc, request_keys(r.ref, None))]
    fetched = asyncio.run(_look_up(settings, wanted)) if wanted else Lookup()
    added, outcomes = plan_additions(files, requests, fetched.papers, [], config=config,
                                     requested_by=LOCAL_USER, issue=0, unavailable=fetched.unavailable)
    papers = {ref_key(ref): p for ref, p in fetched.papers.items() if p is not None}
    changed = render_files(files, added, papers, config).texts if added else {}
    write_local_files(changed, tree)
    lines = []
    for outcome in outcomes:
        where = outcome.section.heading if outcome.section else (outcome.request.section or "")
        kind = "listed_in" if outcome.kind == "listed" and outcome.file else outcome.kind
        words = OUTCOME_WORDS.get(kind, kind.replace("_", " "))
        ref_kind = getattr(outcome.request.ref, "kind", "arxiv")
        text = words.format(section=where, line=outcome.line, source=outcome.source, file=outcome.file,
                            where=LOOKED_UP_ON[ref_kind], reason=outcome.reason)
        lines.append(f"{outcome.request.raw}: {text}")
    lines += [f"{path}: changed" for path in changed if path != files.index.file.path]
    not_done = [line for line, outcome in zip(lines, outcomes, strict=False) if outcome.kind not in DONE]
    return LocalResult(bool(changed), lines + fetched.notes, problems, not_done)


async def _look_up(settings: Settings, refs: Sequence[PaperRef]) -> Lookup:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60, connect=10)) as session:
        return await look_up(ArxivClient.from_settings(settings), ScholarlyClient(session, settings), refs)


def update_locally(readme: Path, *, settings: Settings, archive: Path | None = None,
                         config_path: Path | None = None, now: datetime | None = None) -> LocalResult:
    config, problems = parse_config(_read(config_path))
    latest = config.latest or LatestConfig()
    archive = archive or readme.parent / latest.archive
    text = _read(readme) or ""
    block = find_block(text)
    if block is None:
        return LocalResult(False, [], problems, [NO_BLOCK.format(readme=readme)])
    archive_text = _read(archive)
    doc = parse_list(text)
    now = now or datetime.now(UTC)
    query = latest.query or default_query(latest, doc.sections[0].heading if doc.sections else "")
    newest = block.meta.get("newest")
    since = date.fromisoformat(newest) if newest else None
    search = SearchQuery(dated_query(query, since, now), max_results=min(100, latest.max_papers * 3))
    candidates = asyncio.run(ArxivClient.from_settings(settings).search(search))
    plan = plan_update(text, archive_text, candidates, latest=latest, doc=doc,
                       known_ids=listed_ids(text, archive_text or ""), now=now)
    lines = [f"kept {k.paper.arxiv_id} ({k.relevance.score:.2f}): {k.paper.title}" for k in plan.kept]
    lines.append(f"{len(plan.kept)} new, {plan.dropped} off-topic skipped")
    if not plan.kept:
        return LocalResult(False, lines, problems)
    readme.write_bytes(plan.readme.encode("utf-8"))
    if plan.archive is not None:
        archive.parent.mkdir(parents=True, exist_ok=True)
        archive.write_bytes(plan.archive.encode("utf-8"))
    return LocalResult(True, lines, problems)
