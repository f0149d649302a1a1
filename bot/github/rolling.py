"""One rolling pull request per purpose, found by its deterministic branch and kept in its body.

The branch is regenerated on top of the default branch (Renovate's way), unless someone else
pushed to it: the body records the head we last wrote, and a different head means a maintainer's
commit, which we build on and never rewrite. Every write is a compare-and-swap on the head read
(see `bot.github.commits`), so a push that lands between our read and our write is never lost either:
the write is refused, and the caller reads again (`Conflict`, up to `MAX_ATTEMPTS`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gidgethub

from bot.github.client import Repository
from bot.github.commits import Conflict, FileChange, commit_on_base, commit_on_branch
from bot.github.pull_state import decode_state
from bot.github.snapshot import BranchHead, Snapshot

__all__ = ["MAX_ATTEMPTS", "Conflict", "FileChange", "RollingPull", "publish"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class RollingPull:
    pull: dict[str, Any] | None  # paperbot's open pull request (REST-shaped), if any
    state: dict[str, Any]  # what its body records
    branch: BranchHead | None = None  # where its branch is now (None: no such branch)

    @classmethod
    def from_snapshot(cls, snap: Snapshot) -> RollingPull:
        return cls(snap.pull, decode_state(snap.pull["body"]) if snap.pull else {}, snap.branch)

    @property
    def only_ours(self) -> bool:
        """True when nobody but paperbot has pushed to the open pull request's branch."""
        return self.pull is None or self.state.get("head") == self.pull["head"]["sha"]

    @property
    def number(self) -> int | None:
        return self.pull["number"] if self.pull else None


async def publish(
    repo: Repository,
    *,
    branch: str,
    snap: Snapshot,
    current: RollingPull,
    reset: bool,
    changes: Sequence[FileChange],
    message: str,
    title: str,
    body_for: Callable[[str], str],
    labels: Sequence[str] = (),
) -> dict[str, Any]:
    """Write `changes` (whole files, one commit) to `branch` and open or update its pull request.

    With `reset`, the commit's parent is the default branch's tip (regenerated); otherwise it goes
    on top of the branch. Either way the branch only moves if it is still where `current` saw it.
    """
    assert snap.base_sha is not None and snap.base_tree is not None
    expected = current.branch.oid if current.branch else None
    where = dict(repository_id=snap.repository_id, branch=branch, expected=expected,
                 base_sha=snap.base_sha, changes=changes, message=message)
    if reset and expected is not None:
        head = await commit_on_base(repo, base_tree=snap.base_tree, **where)
    else:  # on top of the branch, or a new branch (created at the base: the same thing)
        head = await commit_on_branch(repo, **where)
    body = body_for(head)
    try:
        if current.pull is not None:
            return await repo.update_pull(current.pull["number"], body=body, title=title)
        pull = await repo.create_pull(branch=branch, title=title, body=body)
    except gidgethub.BadRequest as exc:
        if int(exc.status_code) == 422:  # a pull request was opened meanwhile
            raise Conflict(str(exc)) from exc
        raise
    if labels:
        await repo.gh.post("/repos/{owner}/{repo}/issues/{number}/labels",
                           {"owner": repo.owner, "repo": repo.name, "number": pull["number"]},
                           data={"labels": list(labels)})
    return pull
