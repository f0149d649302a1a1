"""The rolling additions pull request: regenerate it on the default branch, or extend a branch a
maintainer has pushed to, and record its state (pending papers, our head, answered commands)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from bot.config import Config
from bot.github.client import FileContent, Repository
from bot.github.rolling import Conflict, FileChange, RollingPull, publish
from bot.github.snapshot import Snapshot
from bot.jobs.additions import Pending
from bot.jobs.additions_files import files_of, remove_papers, render_files
from bot.jobs.cpu import run_cpu
from bot.jobs.replies import ADDITIONS_BRANCH, ADDITIONS_TITLE, pending_to_state, render_pull_body
from bot.lists.listset import ListSet
from bot.lists.to_fill import fields_to_fill
from bot.papers.references import Paper

MAX_REMEMBERED_SOURCES = 200  # answered commands kept in the state, to spot redeliveries


@dataclass(frozen=True)
class AdditionsChange:
    base: ListSet  # the list's files on the default branch
    base_sha: str
    tip: FileContent | None  # the list file on the additions branch (None when it has none)
    pending: Sequence[Pending]  # everything the pull request holds after this change
    added: Sequence[Pending]
    removed: set[str]
    source: str  # the command's key (`c<comment id>`), remembered as answered
    before: Sequence[Pending] = ()  # what the pull request held before this change


async def write_additions(repo: Repository, config: Config, snap: Snapshot, current: RollingPull,
                          change: AdditionsChange, papers: dict[str, Paper]) -> str | None:
    """Write the branch and open/update the pull request; returns its URL (None: closed, empty)."""
    if not change.pending and current.pull is not None:
        await repo.update_pull(current.pull["number"], state="closed")
        return None
    base = change.base
    reset = current.only_ours
    if current.only_ours:
        texts = (await run_cpu(render_files, base, change.pending, papers, config)).texts
        if current.pull and current.state.get("base") == change.base_sha and change.tip:
            reset = False  # already on this base: one commit on top says the same, for fewer calls
            # ...as long as files that held papers and hold none now go back to the base's text
            for path in files_of(base, change.before):
                texts.setdefault(path, base.texts[path])
    else:
        texts = await _on_their_commits(repo, current, change, papers, config)
    texts = texts or {base.index.file.path: base.index.text}
    number = current.number
    sources = [*current.state.get("sources", []), change.source][-MAX_REMEMBERED_SOURCES:]

    pending_ids = [p.arxiv_id for p in change.pending]
    to_fill: dict[str, list[str]] = {}
    for text in texts.values():
        to_fill.update(fields_to_fill(text, pending_ids))

    def body_for(head: str) -> str:
        state = {"v": 1, "head": head, "base": change.base_sha, "pull": number,
                 "papers": pending_to_state(change.pending), "sources": sources}
        return render_pull_body(change.pending, base=repo.default_branch, state=state, to_fill=to_fill)

    pull = await publish(repo, branch=ADDITIONS_BRANCH, snap=snap, current=current, reset=reset,
                         changes=[FileChange(path, text) for path, text in texts.items()],
                         message=commit_message(change.added, change.removed), title=ADDITIONS_TITLE,
                         body_for=body_for, labels=config.labels if current.pull is None else ())
    return pull["html_url"]


async def _on_their_commits(repo: Repository, current: RollingPull, change: AdditionsChange,
                            papers: dict[str, Paper], config: Config) -> dict[str, str]:
    """The branch someone else pushed to, with the added papers written in and the removed ones
    taken out: each file the change touches is read at the head paperbot saw."""
    if change.tip is None or current.branch is None:
        raise Conflict("the list file vanished from the branch")
    base = change.base
    index = base.index.file.path
    gone = [p for p in change.before if p.arxiv_id in change.removed]
    touched = (files_of(base, change.added) | files_of(base, gone)) - {index}
    parents = {part.file.parent for part in base.parts if part.file.path in touched and part.file.parent}
    wanted = sorted((touched | parents) - {index})
    read = await asyncio.gather(*(repo.read_file(path, current.branch.oid) for path in wanted))
    if any(content is None for content in read):
        raise Conflict("a list file vanished from the branch")
    tips = {index: change.tip.text} | {p: c.text for p, c in zip(wanted, read, strict=True) if c}
    tip = base.with_texts(tips)
    rendered = await run_cpu(render_files, tip, change.added, papers, config)
    tip = tip.with_texts(rendered.texts)
    if change.removed:
        tip = tip.with_texts(remove_papers(tip, sorted(change.removed), files_of(base, gone) | {index}))
    before = base.with_texts(tips).texts
    changed = {path: text for path, text in tip.texts.items() if text != before[path]}
    return changed or {index: change.tip.text}


def commit_message(added: Sequence[Pending], removed: set[str]) -> str:
    parts = [f"Add {p.arxiv_id}" for p in added] + [f"Remove {i}" for i in sorted(removed)]
    head = "; ".join(parts[:3]) + (f" and {len(parts) - 3} more" if len(parts) > 3 else "")
    return f"paperbot: {head}"
