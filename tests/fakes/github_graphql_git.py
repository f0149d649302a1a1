"""The fake GitHub's GraphQL mutations on git data (`createCommitOnBranch`, `updateRefs`) and the
small pieces its queries share (commit nodes, actors, cursors, typed errors).

Refusals are GitHub's: `createCommitOnBranch` with a stale `expectedHeadOid` answers STALE_DATA with
GitHub's own message; `updateRefs` is all or nothing and checks every `beforeOid` (40 zeros: the ref
must not exist) and, without `force`, that the move is a fast-forward. No recording of GitHub's
wording for `updateRefs` refusals (nor for a missing branch in `createCommitOnBranch`) was at
hand: those messages are the fake's own, their `type`s follow GitHub's error types.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from graphql import GraphQLError

from tests.fakes import github_auth
from tests.fakes.github_http import GitHubError
from tests.fakes.github_payloads import node_id
from tests.fakes.github_state import Commit, Repo, iso, tree_sha

NO_OID = "0" * 40
SDL = """
input CommittableBranch { branchName: String id: ID repositoryNameWithOwner: String }
input CommitMessage { body: String headline: String! }
input FileAddition { contents: Base64String! path: String! }
input FileDeletion { path: String! }
input FileChanges { additions: [FileAddition!] = [] deletions: [FileDeletion!] = [] }
input CreateCommitOnBranchInput {
  branch: CommittableBranch! clientMutationId: String expectedHeadOid: GitObjectID!
  fileChanges: FileChanges message: CommitMessage!
}
type CreateCommitOnBranchPayload { clientMutationId: String commit: Commit ref: Ref }
input RefUpdate { afterOid: GitObjectID! beforeOid: GitObjectID force: Boolean = false name: GitRefname! }
input UpdateRefsInput { clientMutationId: String refUpdates: [RefUpdate!]! repositoryId: ID! }
type UpdateRefsPayload { clientMutationId: String }

type Mutation {
  createCommitOnBranch(input: CreateCommitOnBranchInput!): CreateCommitOnBranchPayload
  updateRefs(input: UpdateRefsInput!): UpdateRefsPayload
}
"""


# Error types that are GitHub refusing a well-formed request because of the repository's state.
REFUSALS = frozenset({"STALE_DATA", "NOT_FOUND", "UNPROCESSABLE", "FORBIDDEN"})


class TypedError(GraphQLError):
    """An error GitHub returns on purpose, with its `type` (STALE_DATA, NOT_FOUND, FORBIDDEN...)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message, extensions={"type": kind})


def error_type(error: GraphQLError) -> str | None:
    for candidate in (error, error.original_error):
        kind = (getattr(candidate, "extensions", None) or {}).get("type")
        if kind:
            return kind
    return None


def cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def cursor_index(value: str) -> int:
    try:
        return int(base64.b64decode(value).decode().rpartition(":")[2])
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise TypedError(f"`{value}` does not appear to be a valid cursor.", "INVALID_CURSOR_ARGUMENTS") from error


def commit_node(commit: Commit) -> dict[str, Any]:
    parents = [{"__typename": "Commit", "oid": sha} for sha in commit.parents]
    return {"__typename": "Commit", "oid": commit.sha, "message": commit.message,
            "tree": {"__typename": "Tree", "oid": tree_sha(commit.tree)},
            "parents": {"nodes": parents, "totalCount": len(parents)}}


def actor(login: str) -> dict[str, Any]:
    """GraphQL spells a GitHub App's bot without the `[bot]` suffix REST shows."""
    if login.endswith("[bot]"):
        return {"__typename": "Bot", "login": login.removesuffix("[bot]")}
    return {"__typename": "User", "login": login}


def repository_id(repo: Repo) -> str:
    return node_id("Repository", repo.id)


def mutations(fake: Any, token: Any) -> dict[str, Any]:
    return {
        "createCommitOnBranch": lambda info, input: _create_commit_on_branch(fake, token, input),
        "updateRefs": lambda info, input: _update_refs(fake, token, input),
    }


def _writable(fake: Any, token: Any, full_name: str) -> Repo:
    try:
        github_auth.check_repo_access(fake, token, full_name, ("contents", "write"))
    except GitHubError as error:
        if error.status == 404:
            raise TypedError(f"Could not resolve to a Repository with the name '{full_name}'.",
                             "NOT_FOUND") from error
        raise TypedError("Resource not accessible by integration", "FORBIDDEN") from error
    return fake.repos[full_name]


def _create_commit_on_branch(fake: Any, token: Any, data: dict[str, Any]) -> dict[str, Any]:
    branch = data["branch"]
    if branch.get("id") or not branch.get("repositoryNameWithOwner") or not branch.get("branchName"):
        fake.record_unexpected("POST", "/graphql", "only branches named by repositoryNameWithOwner "
                                                   "and branchName are modelled")
        raise TypedError("A branch must be given", "UNPROCESSABLE")
    repo = _writable(fake, token, branch["repositoryNameWithOwner"])
    name = branch["branchName"]
    if name not in repo.branches:
        raise TypedError(f'A ref named "refs/heads/{name}" does not exist.', "NOT_FOUND")
    head = repo.branches[name]
    if data["expectedHeadOid"] != head:
        raise TypedError(f'Expected branch to point to "{data["expectedHeadOid"]}" but it did not. '
                         "Pull and try again.", "STALE_DATA")
    tree = dict(repo.commits[head].tree)
    changes = data.get("fileChanges") or {}
    for deletion in changes.get("deletions") or []:
        if deletion["path"] not in tree:
            raise TypedError("A path was requested for deletion which does not exist as of commit "
                             f"oid `{head}`", "UNPROCESSABLE")
        del tree[deletion["path"]]
    for addition in changes.get("additions") or []:
        try:
            tree[addition["path"]] = base64.b64decode(addition["contents"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise TypedError("contents is not valid Base64", "UNPROCESSABLE") from error
    message = data["message"]["headline"] + (f"\n\n{data['message']['body']}" if data["message"].get("body") else "")
    author = {**fake.bot_author(), "date": iso()}
    made = repo.add_commit(tree, (head,), message, author)
    repo.branches[name] = made.sha
    return {"clientMutationId": data.get("clientMutationId"), "commit": commit_node(made),
            "ref": {"name": name, "prefix": "refs/heads/", "target": commit_node(made)}}


def _update_refs(fake: Any, token: Any, data: dict[str, Any]) -> dict[str, Any]:
    repo = next((r for r in fake.repos.values() if repository_id(r) == data["repositoryId"]), None)
    if repo is None:
        raise TypedError(f"Could not resolve to a node with the global id of '{data['repositoryId']}'",
                         "NOT_FOUND")
    repo = _writable(fake, token, repo.full_name)
    moves: dict[str, str | None] = {}
    for update in data["refUpdates"]:
        name = update["name"]
        if not name.startswith("refs/heads/"):
            fake.record_unexpected("POST", "/graphql", f"only branches are modelled, not {name}")
            raise TypedError(f"Reference {name} is not a branch", "UNPROCESSABLE")
        branch = name.removeprefix("refs/heads/")
        current = repo.branches.get(branch)
        before, after = update.get("beforeOid"), update["afterOid"]
        if before is not None and before != (current or NO_OID):
            raise TypedError(f"Reference {name} is at {current or NO_OID} but expected {before}",
                             "STALE_DATA")
        if after != NO_OID and after not in repo.commits:
            raise TypedError(f"Object {after} does not exist", "UNPROCESSABLE")
        fast_forward = current is None or after == NO_OID or repo.is_ancestor(current, after)
        if not fast_forward and not update.get("force"):
            raise TypedError(f"Update to {name} is not a fast forward", "UNPROCESSABLE")
        moves[branch] = None if after == NO_OID else after
    for branch, target in moves.items():  # all or nothing: checked above, applied here
        if target is None:
            fake.delete_branch(repo.full_name, branch)
        else:
            repo.branches[branch] = target
    return {"clientMutationId": data.get("clientMutationId")}
