"""JSON bodies the fake GitHub answers with: recorded GitHub payloads with our state filled in.

`api` is the fake's own base URL: API links point back at the fake (as on GitHub Enterprise),
so a client that follows `url`/`Link` never leaves the machine; `html_url`s stay on github.com.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from tests.fakes.github_recorded import rebase, template
from tests.fakes.github_state import (
    Comment,
    Commit,
    Installation,
    Issue,
    Reaction,
    Repo,
    Token,
    blob_sha,
    file_mode,
    iso,
    tree_sha,
)

HTML = "https://github.com"
_GITHUB_API = "https://api.github.com"
_ROLE_TO_PERMISSION = {
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
}


def user_id(login: str) -> int:
    """A stable id per login, so the same user looks the same in every payload."""
    return int(hashlib.sha1(login.encode(), usedforsecurity=False).hexdigest()[:7], 16)


def node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"0{len(kind)}:{kind}{number}".encode()).decode()


def user(api: str, login: str, kind: str | None = None) -> dict[str, Any]:
    kind = kind or ("Bot" if login.endswith("[bot]") else "User")
    body = rebase(template("user"), {"EnricoMi": login, _GITHUB_API: api})
    uid = user_id(login)
    body.update(id=uid, node_id=node_id(kind, uid), type=kind, site_admin=False)
    body["avatar_url"] = f"https://avatars.githubusercontent.com/u/{uid}?v=4"
    return body


def repository(api: str, repo: Repo, full: bool = False) -> dict[str, Any]:
    body = rebase(template("repository"), {"EnricoMi/sandbox": repo.full_name, _GITHUB_API: api})
    open_count = sum(1 for i in repo.issues.values() if i.state == "open")
    body.update(
        id=repo.id,
        node_id=node_id("Repository", repo.id),
        name=repo.name,
        private=repo.private,
        visibility="private" if repo.private else "public",
        owner=user(api, repo.owner, repo.owner_type),
        default_branch=repo.default_branch,
        created_at=repo.created_at,
        open_issues=open_count,
        open_issues_count=open_count,
    )
    if full:
        body.update(network_count=0, subscribers_count=0)
        if repo.owner_type == "Organization":
            body["organization"] = user(api, repo.owner, "Organization")
    return body


def content_item(api: str, repo: Repo, path: str, data: bytes | None, ref: str) -> dict[str, Any]:
    """A file (with base64 `content` when `data` is given) or a directory entry (`data` None
    and `kind` dir) in the order GitHub lists the keys."""
    sha = blob_sha(data) if data is not None else ""
    body = rebase(
        template("content-item"),
        {
            "octokit-fixture-org/create-file": repo.full_name,
            _GITHUB_API: api,
            "ref=main": f"ref={ref}",
            "/main/": f"/{ref}/",
            "test.txt": path,
        },
    )
    git_url = f"{api}/repos/{repo.full_name}/git/blobs/{sha}"
    body.update(name=path.rsplit("/", 1)[-1], path=path, sha=sha, git_url=git_url)
    body["_links"]["git"] = git_url
    body["size"] = len(data) if data is not None else 0
    return body


def file_body(api: str, repo: Repo, path: str, data: bytes, ref: str) -> dict[str, Any]:
    body = content_item(api, repo, path, data, ref)
    links = body.pop("_links")
    if len(data) > 1_000_000:  # GitHub stops inlining content above 1 MB
        body.update(content="", encoding="none")
    else:
        encoded = base64.b64encode(data).decode()
        # GitHub wraps base64 at 60 columns, with a trailing newline.
        body["content"] = "".join(encoded[i : i + 60] + "\n" for i in range(0, len(encoded), 60))
        body["encoding"] = "base64"
    body["_links"] = links
    return body


def directory_entry(api: str, repo: Repo, path: str, ref: str, tree: dict[str, bytes]) -> dict[str, Any]:
    if path in tree:
        return content_item(api, repo, path, tree[path], ref)
    body = content_item(api, repo, path, b"", ref)
    body.update(type="dir", size=0, download_url=None, sha=_dir_sha(path, tree))
    git_url = f"{api}/repos/{repo.full_name}/git/trees/{body['sha']}"
    body["git_url"] = body["_links"]["git"] = git_url
    body["html_url"] = body["_links"]["html"] = f"{HTML}/{repo.full_name}/tree/{ref}/{path}"
    return body


def _dir_sha(path: str, tree: dict[str, bytes]) -> str:
    inside = sorted((p, d) for p, d in tree.items() if p.startswith(path + "/"))
    return hashlib.sha1(repr(inside).encode(), usedforsecurity=False).hexdigest()


def commit(api: str, repo: Repo, made: Commit) -> dict[str, Any]:
    """GitHub's `file-commit` example (the `commit` of a contents write), filled in."""
    body = rebase(
        template("file-commit"), {"octokit-fixture-org/create-file": repo.full_name, _GITHUB_API: api}
    )
    body.update(_commit_fields(api, repo, made))
    return body


def _commit_fields(api: str, repo: Repo, made: Commit) -> dict[str, Any]:
    """What a commit object says of itself, in both of GitHub's commit payloads."""
    tsha = tree_sha(made.tree)
    return {
        "sha": made.sha,
        "node_id": node_id("Commit", int(made.sha[:8], 16)),
        "url": f"{api}/repos/{repo.full_name}/git/commits/{made.sha}",
        "html_url": f"{HTML}/{repo.full_name}/commit/{made.sha}",
        "author": dict(made.author),
        "committer": dict(made.author),
        "message": made.message,
        "tree": {"sha": tsha, "url": f"{api}/repos/{repo.full_name}/git/trees/{tsha}"},
        "parents": [{"url": f"{api}/repos/{repo.full_name}/git/commits/{p}", "sha": p,
                     "html_url": f"{HTML}/{repo.full_name}/commit/{p}"} for p in made.parents],
    }


def git_tree(api: str, repo: Repo, sha: str, tree: dict[str, bytes], recursive: bool = False) -> dict[str, Any]:
    """GitHub's `git-tree` example, with the tree's top-level entries (every entry, folders
    included, with `recursive`)."""
    body = rebase(template("git-tree"), {"octocat/Hello-World": repo.full_name, _GITHUB_API: api})
    folders = {"/".join(p.split("/")[:n]) for p in tree for n in range(1, p.count("/") + 1)}
    names = sorted(set(tree) | folders) if recursive else sorted({p.split("/")[0] for p in tree})
    entries = []
    for name in names:
        if name in tree:
            entries.append({"path": name, "mode": file_mode(tree[name]), "type": "blob", "size": len(tree[name]),
                            "sha": blob_sha(tree[name]),
                            "url": f"{api}/repos/{repo.full_name}/git/blobs/{blob_sha(tree[name])}"})
        else:
            sub = _dir_sha(name, tree)
            entries.append({"path": name, "mode": "040000", "type": "tree", "sha": sub,
                            "url": f"{api}/repos/{repo.full_name}/git/trees/{sub}"})
    body.update(sha=sha, url=f"{api}/repos/{repo.full_name}/git/trees/{sha}", tree=entries, truncated=False)
    return body


def git_commit(api: str, repo: Repo, made: Commit) -> dict[str, Any]:
    """GitHub's `git-commit` example (what POST git/commits answers), filled in."""
    body = rebase(template("git-commit"), {"octocat/Hello-World": repo.full_name, _GITHUB_API: api})
    body.update(_commit_fields(api, repo, made))
    return body


def git_ref(api: str, repo: Repo, branch: str, sha: str) -> dict[str, Any]:
    return {
        "ref": f"refs/heads/{branch}",
        "node_id": node_id("Ref", user_id(f"{repo.full_name}:{branch}")),
        "url": f"{api}/repos/{repo.full_name}/git/refs/heads/{branch}",
        "object": {"sha": sha, "type": "commit", "url": f"{api}/repos/{repo.full_name}/git/commits/{sha}"},
    }


def author_association(repo: Repo, login: str) -> str:
    if login == repo.owner:
        return "OWNER"
    return "COLLABORATOR" if login in repo.collaborators else "NONE"


def reaction(api: str, made: Reaction) -> dict[str, Any]:
    body = template("reaction")
    body.update(
        id=made.id,
        node_id=node_id("Reaction", made.id),
        user=user(api, made.user),
        content=made.content,
        created_at=made.created_at,
    )
    return body


def reaction_rollup(url: str, reactions: list[Reaction]) -> dict[str, Any]:
    names = {
        "+1": "+1",
        "-1": "-1",
        "laugh": "laugh",
        "confused": "confused",
        "heart": "heart",
        "hooray": "hooray",
        "rocket": "rocket",
        "eyes": "eyes",
    }
    counts = {key: sum(1 for r in reactions if r.content == name) for key, name in names.items()}
    return {"url": url, "total_count": len(reactions), **counts}


def issue_comment(api: str, repo: Repo, issue: Issue, made: Comment) -> dict[str, Any]:
    body = template("issue-comment")
    kind = "pull" if issue.pull else "issues"
    url = f"{api}/repos/{repo.full_name}/issues/comments/{made.id}"
    body.update(
        id=made.id,
        node_id=node_id("IssueComment", made.id),
        url=url,
        html_url=f"{HTML}/{repo.full_name}/{kind}/{issue.number}#issuecomment-{made.id}",
        body=made.body,
        user=user(api, made.user),
        created_at=made.created_at,
        updated_at=made.updated_at,
        issue_url=f"{api}/repos/{repo.full_name}/issues/{issue.number}",
        author_association=author_association(repo, made.user),
        reactions=reaction_rollup(f"{url}/reactions", made.reactions),
    )
    return body


def installation(api: str, made: Installation, app_id: int, app_slug: str) -> dict[str, Any]:
    body = rebase(
        template("installation"),
        {_GITHUB_API: api, "30614487": str(made.id), "GithubApp-Test-Org": made.account},
    )
    body.update(
        id=made.id,
        account=user(api, made.account, made.account_type),
        repository_selection=made.repository_selection,
        app_id=app_id,
        app_slug=app_slug,
        target_id=user_id(made.account),
        target_type=made.account_type,
        permissions=dict(made.permissions),
        events=["issue_comment", "issues", "pull_request"],
        created_at=made.created_at,
        updated_at=made.created_at,
    )
    return body


def token(made: Token, repos: list[dict[str, Any]] | None) -> dict[str, Any]:
    body = template("token")
    body.update(
        token=made.value,
        expires_at=iso(made.expires_at),
        permissions=dict(made.permissions),
        repository_selection="selected" if made.repositories is not None else "all",
    )
    if repos is not None:
        body["repositories"] = repos
    return body


def app(
    api: str, app_id: int, slug: str, owner: str, client_id: str, permissions: dict[str, str]
) -> dict[str, Any]:
    body = rebase(template("app"), {_GITHUB_API: api, "octoapp": slug})
    body.update(
        id=app_id,
        slug=slug,
        client_id=client_id,
        node_id=node_id("Integration", app_id),
        owner=user(api, owner),
        name=slug,
        permissions=dict(permissions),
        events=["issue_comment", "issues", "pull_request"],
    )
    return body


def collaborator_permission(api: str, login: str, role: str) -> dict[str, Any]:
    body = template("collaborator-permission")
    permission = _ROLE_TO_PERMISSION[role]
    collaborator = user(api, login)
    collaborator["permissions"] = {
        "admin": role == "admin",
        "maintain": role in ("admin", "maintain"),
        "push": permission in ("admin", "write"),
        "triage": role != "read",
        "pull": True,
    }
    collaborator["role_name"] = role
    body.update(user=collaborator, permission=permission, role_name=role)
    return body
