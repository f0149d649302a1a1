"""One rolling pull request per purpose, found by its deterministic branch and kept in its body.

The branch is regenerated on top of the default branch (Renovate's way: reset, then write), unless
someone else pushed to it: the body records the head we last wrote, and a different head means a
maintainer's commit, which we build on and never rewrite.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gidgethub

from bot.github import Repository

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


class Conflict(Exception):
    """Someone changed the branch or the pull request under us; the caller re-reads and retries."""


@dataclass(frozen=True)
class RollingPull:
    pull: dict[str, Any] | None
    state: dict[str, Any]

    @property
    def only_ours(self) -> bool:
        """True when nobody but paperbot has pushed to the open pull request's branch."""
        return self.pull is None or self.state.get("head") == self.pull["head"]["sha"]

    @property
    def number(self) -> int | None:
        return self.pull["number"] if self.pull else None


@dataclass(frozen=True)
class FileChange:
    path: str
    text: str
    sha: str | None  # the blob we replace on the branch's tip (None: a new file)


async def publish(
    repo: Repository,
    *,
    branch: str,
    base_sha: str,
    current: RollingPull,
    reset: bool,
    changes: Sequence[FileChange],
    message: str,
    title: str,
    body_for: Callable[[str], str],
    labels: Sequence[str] = (),
) -> dict[str, Any]:
    """Write `changes` to `branch` and open or update its pull request; returns the pull request.

    With `reset`, the branch is first pointed at `base_sha` (regenerated), and each change's
    `sha` is that file's blob on the base; otherwise changes go on top of the branch's tip.
    """
    try:
        if reset:
            await repo.reset_branch(branch, base_sha, exists=current.pull is not None)
        head = base_sha
        for change in changes:
            head = await repo.write_file(path=change.path, text=change.text, sha=change.sha,
                                         branch=branch, message=message)
        body = body_for(head)
        if current.pull is not None:
            return await repo.update_pull(current.pull["number"], body=body, title=title)
        pull = await repo.create_pull(branch=branch, title=title, body=body)
    except gidgethub.BadRequest as exc:
        # 409: the file changed since we read it; 422 on create: a PR was opened meanwhile.
        if int(exc.status_code) in (409, 422):
            raise Conflict(str(exc)) from exc
        raise
    if labels:
        await repo.gh.post("/repos/{owner}/{repo}/issues/{number}/labels",
                           {"owner": repo.owner, "repo": repo.name, "number": pull["number"]},
                           data={"labels": list(labels)})
    return pull
