"""Commits to paperbot's branches, each one a compare-and-swap on the head paperbot read.

Two writers (two paperbot processes, or a maintainer pushing while a command runs) can never
silently overwrite each other: every write names the commit it expects the branch to be at, and
GitHub refuses it when the branch has moved. A refused write becomes `Conflict`, and the caller
reads again and retries. All changed files go into one commit.

- On top of the branch (`commit_on_branch`): GraphQL `createCommitOnBranch` with
  `expectedHeadOid`, one call. A branch that does not exist yet is created at the base in the
  same request (`updateRefs` with a `beforeOid` of zeros: "must not exist").
- Regenerated on the base (`commit_on_base`): the commit is built with the Git Data API (a tree
  on the base's tree with the files inline, then a commit whose parent is the base), and the branch
  is moved to it by `updateRefs` with `beforeOid` = the head read. The branch goes straight from
  its old commit to the new one, never through the base itself (a pull request whose head equals
  its base would be closed by GitHub).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
import gidgethub

from bot.github.client import Repository
from bot.github.snapshot import graphql_endpoint

NO_OID = "0" * 40  # as `beforeOid`: the ref must not exist yet
COMMIT_ON_BRANCH = """
mutation paperbotCommit($commit: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $commit) { commit { oid } }
}
"""
CREATE_BRANCH_AND_COMMIT = """
mutation paperbotNewBranch($refs: UpdateRefsInput!, $commit: CreateCommitOnBranchInput!) {
  updateRefs(input: $refs) { clientMutationId }
  createCommitOnBranch(input: $commit) { commit { oid } }
}
"""
MOVE_BRANCH = """
mutation paperbotMoveBranch($refs: UpdateRefsInput!) {
  updateRefs(input: $refs) { clientMutationId }
}
"""
BRANCH_HEAD = """
query paperbotBranchHead($owner: String!, $name: String!, $ref: String!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) { target { oid ... on Commit { message parents(first: 2) { nodes { oid } } } } }
  }
}
"""
_HARD_ERRORS = {"FORBIDDEN", "INSUFFICIENT_SCOPES"}  # retrying cannot help with these
# A write that failed this way may still have landed (the client never resends one): look.
UNSURE = (gidgethub.GitHubBroken, TimeoutError, aiohttp.ClientError)


class Conflict(Exception):
    """Someone changed the branch or the pull request under us; the caller re-reads and retries."""


@dataclass(frozen=True)
class FileChange:
    path: str
    text: str


async def commit_on_branch(repo: Repository, *, repository_id: str, branch: str, expected: str | None,
                           base_sha: str, changes: Sequence[FileChange], message: str) -> str:
    """Commit `changes` on top of `branch`, which must be at `expected` (None: must not exist yet,
    and is created at `base_sha`). Returns the new commit's sha."""
    commit = {
        "branch": {"repositoryNameWithOwner": repo.full_name, "branchName": branch},
        "expectedHeadOid": expected or base_sha,
        "message": {"headline": message},
        "fileChanges": {"additions": [
            {"path": c.path, "contents": base64.b64encode(c.text.encode("utf-8")).decode("ascii")}
            for c in changes]},
    }
    try:
        if expected is None:
            refs = _ref_update(repository_id, branch, before=NO_OID, after=base_sha, force=False)
            data = await _mutate(repo, CREATE_BRANCH_AND_COMMIT, refs=refs, commit=commit)
        else:
            data = await _mutate(repo, COMMIT_ON_BRANCH, commit=commit)
    except UNSURE as exc:
        parent = expected or base_sha
        return await _if_landed(repo, branch, exc, lambda head: head["oid"] if head.get("message") == message
                                and parent in [p["oid"] for p in head["parents"]["nodes"]] else None)
    return data["createCommitOnBranch"]["commit"]["oid"]


async def commit_on_base(repo: Repository, *, repository_id: str, branch: str, expected: str | None,
                         base_sha: str, base_tree: str, changes: Sequence[FileChange],
                         message: str) -> str:
    """A commit of `changes` whose parent is `base_sha`; `branch` is moved to it only if it is
    still at `expected` (None: must not exist yet). Returns the new commit's sha."""
    url_vars = {"owner": repo.owner, "repo": repo.name}
    try:
        tree = await repo.gh.post("/repos/{owner}/{repo}/git/trees", url_vars, data={
            "base_tree": base_tree,
            "tree": [{"path": c.path, "mode": "100644", "type": "blob", "content": c.text}
                     for c in changes]})
        made = await repo.gh.post("/repos/{owner}/{repo}/git/commits", url_vars, data={
            "message": message, "tree": tree["sha"], "parents": [base_sha]})
    except gidgethub.BadRequest as exc:
        if int(exc.status_code) in (404, 409, 422):  # the base vanished (a force-push on it)
            raise Conflict(str(exc)) from exc
        raise
    # `force`: the branch drops paperbot's earlier commits; `beforeOid` keeps it a CAS.
    refs = _ref_update(repository_id, branch, before=expected or NO_OID, after=made["sha"], force=True)
    try:
        await _mutate(repo, MOVE_BRANCH, refs=refs)
    except UNSURE as exc:
        return await _if_landed(repo, branch, exc,
                                lambda head: made["sha"] if head["oid"] == made["sha"] else None)
    return made["sha"]


async def _if_landed(repo: Repository, branch: str, error: BaseException,
                     ours: Callable[[dict[str, Any]], str | None]) -> str:
    """After a write that failed without an answer: the commit it made when the branch shows it
    landed (so a retry does not take paperbot's own commit for a maintainer's), else `Conflict`, and
    the caller reads again and redoes the write from scratch."""
    data = await repo.gh.graphql(BRANCH_HEAD, endpoint=graphql_endpoint(repo.gh.base_url), owner=repo.owner,
                                 name=repo.name, ref=f"refs/heads/{branch}")
    head = (((data.get("repository") or {}).get("ref") or {}).get("target")) or None
    landed = ours(head) if head and "parents" in head else None
    if landed is None:
        raise Conflict(f"the write to {branch} failed ({type(error).__name__}) and did not land") from error
    return landed


def _ref_update(repository_id: str, branch: str, *, before: str, after: str, force: bool) -> dict[str, Any]:
    return {"repositoryId": repository_id, "refUpdates": [
        {"name": f"refs/heads/{branch}", "beforeOid": before, "afterOid": after, "force": force}]}


async def _mutate(repo: Repository, document: str, **variables: Any) -> Any:
    """GitHub answers a refused mutation with HTTP 200 and typed `errors` (STALE_DATA for a branch
    that moved); any but a missing permission means the branch is not what we read."""
    try:
        # The client sends an installation's writes, mutations included, one at a time.
        return await repo.gh.graphql(document, endpoint=graphql_endpoint(repo.gh.base_url), **variables)
    except gidgethub.QueryError as exc:
        # A document GitHub could not run (no `type`) is our bug, not a conflict: let it surface.
        kinds = [e.get("type") for e in exc.response.get("errors") or [] if isinstance(e, dict)]
        if kinds and all(kind and kind not in _HARD_ERRORS for kind in kinds):
            raise Conflict(str(exc)) from exc
        raise
