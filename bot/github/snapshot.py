"""One GraphQL query reads all a command needs: the default branch's tip, the config, the list (and
archive) files, paperbot's branch and its pull requests, and who paperbot is.

Four REST reads become one call, which keeps `/add` within a handful of API calls and its chain of
sequential calls short. A blob GraphQL reports as truncated is read again over REST.

Only pull requests paperbot itself opened count: the open one is found through the branch of this
repository (`Ref.associatedPullRequests`), where a fork's pull request cannot appear whatever its
branch is called, and every pull request is checked for its author (the app's bot user). Closed
ones are read to the end, page by page, so that no number of strangers' pull requests can push
paperbot's own out of sight.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import gidgethub

from bot.errors import PaperbotError
from bot.github.client import FileContent, Repository

log = logging.getLogger(__name__)

_PULL_FIELDS = """
fragment paperbotPull on PullRequest {
  number url body headRefOid isCrossRepository author { __typename login }
}
"""
SNAPSHOT_QUERY = """
query paperbotSnapshot($owner: String!, $name: String!, $config: String!, $list: String!,
                       $archive: String!, $tip: String!, $branch: String!, $qualified: String!,
                       $base: String!, $closed: Boolean!) {
  viewer { login }
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef { name target { oid ... on Commit { tree { oid } } } }
    config: object(expression: $config) { ... on Blob { oid text isTruncated } }
    list: object(expression: $list) { ... on Blob { oid text isTruncated } }
    archive: object(expression: $archive) { ... on Blob { oid text isTruncated } }
    tip: object(expression: $tip) { ... on Blob { oid text isTruncated } }
    branch: ref(qualifiedName: $qualified) {
      target { oid ... on Commit { tree { oid } } }
      open: associatedPullRequests(states: [OPEN], baseRefName: $base, first: 20) {
        nodes { ...paperbotPull }
      }
    }
    closed: pullRequests(headRefName: $branch, states: [CLOSED], first: 100,
                         orderBy: {field: CREATED_AT, direction: DESC}) @include(if: $closed) {
      nodes { ...paperbotPull }
      pageInfo { hasNextPage endCursor }
    }
    configIssue: issues(labels: ["paperbot-config"], states: [OPEN], first: 1) {
      nodes { number body }
    }
  }
}
""" + _PULL_FIELDS
CLOSED_QUERY = """
query paperbotClosed($owner: String!, $name: String!, $branch: String!, $after: String!) {
  repository(owner: $owner, name: $name) {
    closed: pullRequests(headRefName: $branch, states: [CLOSED], first: 100, after: $after,
                         orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { ...paperbotPull }
      pageInfo { hasNextPage endCursor }
    }
  }
}
""" + _PULL_FIELDS
NO_FILE = ":.paperbot-no-such-file"  # an expression that names nothing, for files not wanted
MAX_CLOSED_PAGES = 50  # 5,000 closed pull requests from one branch name: beyond that, stop loudly
TOO_MANY_CLOSED = ("More than {count} closed pull requests come from branches named `{branch}`; "
                   "paperbot stopped rather than miss which papers maintainers turned down.")


@dataclass(frozen=True)
class BranchHead:
    oid: str  # the commit paperbot's branch points at
    tree: str  # that commit's tree


@dataclass(frozen=True)
class Snapshot:
    base_sha: str | None
    config: FileContent | None
    list_file: FileContent | None
    archive: FileContent | None
    tip: FileContent | None  # the list file on paperbot's branch
    pull: dict[str, Any] | None  # paperbot's open pull request, REST-shaped: number, html_url, body, head.sha
    closed_bodies: list[str] = field(default_factory=list)  # bodies of paperbot's closed, unmerged ones
    config_issue: dict[str, Any] | None = None  # the open "paperbot configuration" issue: number, body
    repository_id: str = ""  # the repository's node id, for GraphQL mutations
    base_tree: str | None = None  # the default branch's tree
    branch: BranchHead | None = None  # paperbot's branch, None when it does not exist


def graphql_endpoint(base_url: str) -> str:
    """api.github.com/graphql; on GitHub Enterprise, /api/v3 becomes /api/graphql."""
    base = base_url.rstrip("/")
    return base[: -len("/v3")] + "/graphql" if base.endswith("/api/v3") else base + "/graphql"


def is_ours(node: dict[str, Any] | None, viewer: str) -> bool:
    """A pull request paperbot opened: from this repository, written by the app's bot user.

    GraphQL spells a bot's login without the `[bot]` REST and `viewer` show; a person cannot
    take a bot's login, and `__typename` tells the two apart.
    """
    if not node or node.get("isCrossRepository") is not False:
        return False
    author = node.get("author") or {}
    return (author.get("__typename") == "Bot" and bool(viewer)
            and author.get("login") == viewer.removesuffix("[bot]"))


async def read_snapshot(repo: Repository, *, config_path: str, list_path: str, branch: str,
                        archive_path: str | None = None, tip_path: str | None = None,
                        closed: bool = False) -> Snapshot:
    """`closed`: also read paperbot's closed, unmerged pull requests from `branch`."""
    ref = repo.default_branch
    variables = dict(owner=repo.owner, name=repo.name, config=f"{ref}:{config_path}",
                     list=f"{ref}:{list_path}", archive=f"{ref}:{archive_path}" if archive_path else NO_FILE,
                     tip=f"{branch}:{tip_path}" if tip_path else NO_FILE, branch=branch,
                     qualified=f"refs/heads/{branch}", base=ref, closed=closed)
    endpoint = graphql_endpoint(repo.gh.base_url)
    data = await repo.gh.graphql(SNAPSHOT_QUERY, endpoint=endpoint, **variables)
    viewer = (data.get("viewer") or {}).get("login") or ""
    found = data["repository"] or {}
    base_target = (found.get("defaultBranchRef") or {}).get("target") or {}
    base_sha = base_target.get("oid")
    blobs = await asyncio.gather(*(
        _blob(repo, found.get(alias), path, at)
        for alias, path, at in (("config", config_path, base_sha), ("list", list_path, base_sha),
                                ("archive", archive_path, base_sha), ("tip", tip_path, branch))
    ))
    branch_ref = found.get("branch")
    head = _branch_head(branch_ref)
    ours = [n for n in ((branch_ref or {}).get("open") or {}).get("nodes") or [] if is_ours(n, viewer)]
    pull = None
    if ours:
        node = ours[0]
        pull = {"number": node["number"], "html_url": node["url"], "body": node.get("body") or "",
                "head": {"sha": node["headRefOid"]}}
    bodies = await _closed_bodies(repo, endpoint, branch, found.get("closed"), viewer) if closed else []
    issues = (found.get("configIssue") or {}).get("nodes") or []
    return Snapshot(base_sha, *blobs, pull, bodies, issues[0] if issues else None,
                    repository_id=found.get("id") or "",
                    base_tree=((base_target.get("tree") or {}).get("oid")), branch=head)


def _branch_head(ref: dict[str, Any] | None) -> BranchHead | None:
    target = (ref or {}).get("target") or {}
    tree = (target.get("tree") or {}).get("oid")
    return BranchHead(target["oid"], tree) if target.get("oid") and tree else None


async def _closed_bodies(repo: Repository, endpoint: str, branch: str, page: dict[str, Any] | None,
                         viewer: str) -> list[str]:
    """Bodies of paperbot's closed pull requests from `branch`, following every page."""
    bodies: list[str] = []
    for _ in range(MAX_CLOSED_PAGES):
        page = page or {}
        bodies += [n.get("body") or "" for n in page.get("nodes") or [] if is_ours(n, viewer)]
        info = page.get("pageInfo") or {}
        if not info.get("hasNextPage") or not info.get("endCursor"):
            return bodies
        data = await repo.gh.graphql(CLOSED_QUERY, endpoint=endpoint, owner=repo.owner, name=repo.name,
                                     branch=branch, after=info["endCursor"])
        page = (data.get("repository") or {}).get("closed")
    log.warning("%s: over %d pages of closed pull requests from %s", repo.full_name,
                MAX_CLOSED_PAGES, branch)
    raise PaperbotError(TOO_MANY_CLOSED.format(count=MAX_CLOSED_PAGES * 100, branch=branch))


async def _blob(repo: Repository, node: dict[str, Any] | None, path: str | None,
                ref: str | None) -> FileContent | None:
    if not node or path is None or "oid" not in node:
        return None
    if node.get("isTruncated") or node.get("text") is None:
        if ref is None:
            return None
        try:
            return await repo.read_file(path, ref)  # large or non-UTF-8: REST has it whole
        except gidgethub.BadRequest:
            return None
    return FileContent(node["text"], node["oid"])
