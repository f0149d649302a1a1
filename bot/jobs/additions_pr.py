"""The rolling additions pull request: regenerate it on the default branch, or extend a branch a
maintainer has pushed to, and record its state (pending papers, our head, answered commands)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.config import Config
from bot.github.client import FileContent, Repository
from bot.github.rolling import Conflict, FileChange, RollingPull, publish
from bot.github.snapshot import Snapshot
from bot.jobs.additions import Pending, render_additions
from bot.jobs.cpu import run_cpu
from bot.jobs.replies import ADDITIONS_BRANCH, ADDITIONS_TITLE, pending_to_state, render_pull_body
from bot.lists.document import remove_entry
from bot.lists.to_fill import fields_to_fill
from bot.papers.references import Paper

MAX_REMEMBERED_SOURCES = 200  # answered commands kept in the state, to spot redeliveries


@dataclass(frozen=True)
class AdditionsChange:
    base: FileContent  # the list file on the default branch
    base_sha: str
    tip: FileContent | None  # the list file on the additions branch (None when it has none)
    pending: Sequence[Pending]  # everything the pull request holds after this change
    added: Sequence[Pending]
    removed: set[str]
    source: str  # the command's key (`c<comment id>`), remembered as answered


async def write_additions(repo: Repository, config: Config, snap: Snapshot, current: RollingPull,
                          change: AdditionsChange, papers: dict[str, Paper]) -> str | None:
    """Write the branch and open/update the pull request; returns its URL (None: closed, empty)."""
    if not change.pending and current.pull is not None:
        await repo.update_pull(current.pull["number"], state="closed")
        return None
    reset = current.only_ours
    if current.only_ours:
        text = await run_cpu(render_additions, change.base.text, change.pending, papers, config)
        if current.pull and current.state.get("base") == change.base_sha and change.tip:
            reset = False  # already on this base: one commit on top says the same, for fewer calls
    else:
        if change.tip is None:
            raise Conflict("the list file vanished from the branch")
        text = await run_cpu(render_additions, change.tip.text, change.added, papers, config)
        for arxiv_id in change.removed:
            text = remove_entry(text, arxiv_id)
    number = current.number
    sources = [*current.state.get("sources", []), change.source][-MAX_REMEMBERED_SOURCES:]

    to_fill = fields_to_fill(text, [p.arxiv_id for p in change.pending])

    def body_for(head: str) -> str:
        state = {"v": 1, "head": head, "base": change.base_sha, "pull": number,
                 "papers": pending_to_state(change.pending), "sources": sources}
        return render_pull_body(change.pending, base=repo.default_branch, state=state, to_fill=to_fill)

    pull = await publish(repo, branch=ADDITIONS_BRANCH, snap=snap, current=current, reset=reset,
                         changes=[FileChange(config.file, text)],
                         message=commit_message(change.added, change.removed), title=ADDITIONS_TITLE,
                         body_for=body_for, labels=config.labels if current.pull is None else ())
    return pull["html_url"]


def commit_message(added: Sequence[Pending], removed: set[str]) -> str:
    parts = [f"Add {p.arxiv_id}" for p in added] + [f"Remove {i}" for i in sorted(removed)]
    head = "; ".join(parts[:3]) + (f" and {len(parts) - 3} more" if len(parts) > 3 else "")
    return f"paperbot: {head}"
