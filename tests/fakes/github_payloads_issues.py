"""Issue and pull-request bodies, from GitHub's own OpenAPI examples (the recorded ones from
2012 lack fields GitHub sends today)."""

from __future__ import annotations

from typing import Any

from tests.fakes.github_payloads import (
    HTML,
    author_association,
    node_id,
    reaction_rollup,
    repository,
    user,
    user_id,
)
from tests.fakes.github_recorded import rebase, template
from tests.fakes.github_state import Issue, Repo

_GITHUB_API = "https://api.github.com"
# Keys only the single-PR endpoints send; lists send the "simple" form without them.
_FULL_ONLY = (
    "merged",
    "mergeable",
    "rebaseable",
    "mergeable_state",
    "merged_by",
    "comments",
    "review_comments",
    "maintainer_can_modify",
    "commits",
    "additions",
    "deletions",
    "changed_files",
)


def _rebased(name: str, api: str, repo: Repo, number: int) -> dict[str, Any]:
    return rebase(
        template(name),
        {
            f"{_GITHUB_API}/repos/octocat/Hello-World": f"{api}/repos/{repo.full_name}",
            f"{HTML}/octocat/Hello-World": f"{HTML}/{repo.full_name}",
            "/1347": f"/{number}",
            _GITHUB_API: api,
        },
    )


def labels(api: str, repo: Repo, names: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "id": user_id(f"label:{n}"),
            "node_id": node_id("Label", user_id(f"label:{n}")),
            "url": f"{api}/repos/{repo.full_name}/labels/{n}",
            "name": n,
            "description": None,
            "color": "ededed",
            "default": False,
        }
        for n in names
    ]


def issue(api: str, repo: Repo, made: Issue) -> dict[str, Any]:
    body = _rebased("issue", api, repo, made.number)
    url = f"{api}/repos/{repo.full_name}/issues/{made.number}"
    body.update(
        id=made.id,
        node_id=node_id("Issue", made.id),
        number=made.number,
        state=made.state,
        state_reason="completed" if made.state == "closed" else None,
        title=made.title,
        body=made.body,
        user=user(api, made.user),
        labels=labels(api, repo, made.labels),
        assignee=None,
        assignees=[],
        milestone=None,
        locked=False,
        active_lock_reason=None,
        comments=len(made.comments),
        closed_at=made.closed_at,
        created_at=made.created_at,
        updated_at=made.updated_at,
        closed_by=None,
        pinned_comment=None,
        author_association=author_association(repo, made.user),
        reactions=reaction_rollup(f"{url}/reactions", made.reactions),
    )
    if made.pull:
        body["html_url"] = f"{HTML}/{repo.full_name}/pull/{made.number}"
        body["pull_request"]["merged_at"] = made.pull.merged_at
    else:
        body.pop("pull_request", None)
    return body


def pull(api: str, repo: Repo, made: Issue, full: bool = True) -> dict[str, Any]:
    info = made.pull
    assert info is not None
    body = _rebased("pull-request", api, repo, made.number)
    head_sha = repo.branches.get(info.head_ref, info.head_sha) if made.state == "open" else info.head_sha
    base_sha = repo.branches.get(info.base_ref, info.base_sha)
    statuses = f"{api}/repos/{repo.full_name}/statuses/{head_sha}"
    body.update(
        id=made.id,
        node_id=node_id("PullRequest", made.id),
        number=made.number,
        state=made.state,
        locked=False,
        title=made.title,
        user=user(api, made.user),
        body=made.body,
        labels=labels(api, repo, made.labels),
        milestone=None,
        active_lock_reason=None,
        created_at=made.created_at,
        updated_at=made.updated_at,
        closed_at=made.closed_at,
        merged_at=info.merged_at,
        merge_commit_sha=info.merge_commit_sha,
        assignee=None,
        assignees=[],
        requested_reviewers=[],
        requested_teams=[],
        head=_side(api, repo, info.head_owner, info.head_ref, head_sha),
        base=_side(api, repo, repo.owner, info.base_ref, base_sha),
        author_association=author_association(repo, made.user),
        auto_merge=None,
        draft=info.draft,
        statuses_url=statuses,
    )
    body["_links"]["statuses"]["href"] = statuses
    if not full:
        for key in _FULL_ONLY:
            body.pop(key, None)
        return body
    changed = _changed_files(repo, head_sha, base_sha)
    body.update(
        merged=info.merged,
        mergeable=None if info.merged else True,
        rebaseable=None if info.merged else True,
        mergeable_state="unknown" if info.merged else "clean",
        merged_by=user(api, repo.owner) if info.merged else None,
        comments=len(made.comments),
        review_comments=0,
        maintainer_can_modify=info.maintainer_can_modify,
        commits=max(1, len(repo.ancestors(head_sha) - repo.ancestors(base_sha))),
        additions=0,
        deletions=0,
        changed_files=changed,
    )
    return body


def _side(api: str, repo: Repo, owner: str, ref: str, sha: str) -> dict[str, Any]:
    return {
        "label": f"{owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(api, owner),
        "repo": repository(api, repo),
    }


def _changed_files(repo: Repo, head_sha: str, base_sha: str) -> int:
    head, base = repo.commits.get(head_sha), repo.commits.get(base_sha)
    if head is None or base is None:
        return 0
    return sum(1 for p in set(head.tree) | set(base.tree) if head.tree.get(p) != base.tree.get(p))
