"""Repository, contents and git-ref endpoints of the fake GitHub."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from tests.fakes import github_payloads as payloads
from tests.fakes.github_http import Ctx, GitHubError, Handler, Reply, not_found
from tests.fakes.github_state import Symlink, blob_sha, iso, tree_sha

RAW_MEDIA_TYPES = ("application/vnd.github.raw", "application/vnd.github.v3.raw")


def get_repo(fake: Any, ctx: Ctx) -> Reply:
    return Reply(200, payloads.repository(ctx.api, ctx.the_repo, full=True))


def get_content(fake: Any, ctx: Ctx) -> Reply:
    repo = ctx.the_repo
    ref = ctx.query.get("ref") or None
    head = repo.resolve(ref)
    if head is None:
        raise GitHubError(404, f"No commit found for the ref {ref}" if ref else "This repository is empty.")
    path = ctx.params["path"].strip("/")
    shown_ref = ref or repo.default_branch
    if path in head.tree:
        if isinstance(head.tree[path], Symlink):  # GitHub follows some; paperbot never asks
            fake.record_unexpected(ctx.method, ctx.path, "symbolic links are not modelled in the contents API")
            raise not_found()
        return _file_reply(ctx, path, head.tree[path], shown_ref)
    prefix = f"{path}/" if path else ""
    children = sorted({p[len(prefix) :].split("/")[0] for p in head.tree if p.startswith(prefix)})
    if not children:
        raise not_found()
    return Reply(
        200, [payloads.directory_entry(ctx.api, repo, prefix + c, shown_ref, head.tree) for c in children]
    )


def get_readme(fake: Any, ctx: Ctx) -> Reply:
    repo = ctx.the_repo
    ref = ctx.query.get("ref") or None
    head = repo.resolve(ref)
    if head is None:
        raise GitHubError(404, f"No commit found for the ref {ref}" if ref else "This repository is empty.")
    readmes = sorted(p for p in head.tree if "/" not in p and p.lower().startswith("readme"))
    if not readmes:
        raise not_found()
    return _file_reply(ctx, readmes[0], head.tree[readmes[0]], ref or repo.default_branch)


def _file_reply(ctx: Ctx, path: str, data: bytes, ref: str) -> Reply:
    if any(t in ctx.headers.get("accept", "") for t in RAW_MEDIA_TYPES):
        return Reply(200, raw=data, headers={"Content-Type": "application/vnd.github.raw; charset=utf-8"})
    return Reply(200, payloads.file_body(ctx.api, ctx.the_repo, path, data, ref))


def put_content(fake: Any, ctx: Ctx) -> Reply:
    repo, body = ctx.the_repo, ctx.body
    path = ctx.params["path"].strip("/")
    branch = body.get("branch") or repo.default_branch
    if branch not in repo.branches:
        raise GitHubError(404, f"Branch {branch} not found")
    try:
        data = base64.b64decode(re.sub(r"\s", "", body["content"]), validate=True)
    except (binascii.Error, ValueError) as error:
        raise GitHubError(422, "content is not valid Base64") from error
    head = repo.resolve(branch)
    existing = head.tree.get(path) if head else None
    if not path or (head and any(p.startswith(f"{path}/") for p in head.tree)):
        raise GitHubError(422, 'Invalid request.\n\n"path" is a directory.')
    if existing is not None:
        if "sha" not in body:
            raise GitHubError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        if body["sha"] != blob_sha(existing):
            raise GitHubError(409, f"{path} does not match {body['sha']}")
    author = dict(body.get("author") or body.get("committer") or fake.bot_author())
    author.setdefault("date", iso())
    made = repo.write(branch, {path: data}, body["message"], author)
    item = payloads.content_item(ctx.api, repo, path, data, branch)
    return Reply(
        200 if existing is not None else 201,
        {"content": item, "commit": payloads.commit(ctx.api, repo, made)},
    )


def get_ref(fake: Any, ctx: Ctx) -> Reply:
    repo = ctx.the_repo
    ref = ctx.params["ref"]
    branch = ref.removeprefix("heads/")
    if not ref.startswith("heads/") or branch not in repo.branches:
        raise not_found()
    return Reply(200, payloads.git_ref(ctx.api, repo, branch, repo.branches[branch]))


def create_ref(fake: Any, ctx: Ctx) -> Reply:
    repo, ref, sha = ctx.the_repo, ctx.body["ref"], ctx.body["sha"]
    if not ref.startswith("refs/") or ref.count("/") < 2:
        raise GitHubError(422, "Reference name must start with 'refs/' and have at least two slashes.")
    if not ref.startswith("refs/heads/"):
        fake.record_unexpected(ctx.method, ctx.path, f"only branches are modelled, not {ref}")
        raise GitHubError(422, "Reference update failed")
    branch = ref.removeprefix("refs/heads/")
    if branch in repo.branches:
        raise GitHubError(422, "Reference already exists")
    if sha not in repo.commits:
        raise GitHubError(422, "Object does not exist")
    repo.branches[branch] = sha
    body = payloads.git_ref(ctx.api, repo, branch, sha)
    return Reply(201, body, {"Location": body["url"]})


def update_ref(fake: Any, ctx: Ctx) -> Reply:
    repo, sha = ctx.the_repo, ctx.body["sha"]
    branch = ctx.params["ref"].removeprefix("refs/").removeprefix("heads/")
    if branch not in repo.branches:
        raise GitHubError(422, "Reference does not exist")
    if sha not in repo.commits:
        raise GitHubError(422, "Object does not exist")
    current = repo.branches[branch]
    if not ctx.body.get("force") and sha != current and not repo.is_ancestor(current, sha):
        raise GitHubError(422, "Update is not a fast forward")
    repo.branches[branch] = sha
    return Reply(200, payloads.git_ref(ctx.api, repo, branch, sha))


def create_tree(fake: Any, ctx: Ctx) -> Reply:
    """A tree from `base_tree` (a tree sha) and entries with inline `content` or a blob `sha`
    (null deletes). Only regular files are modelled."""
    repo, body = ctx.the_repo, ctx.body
    base_sha = body.get("base_tree")
    if base_sha is not None and base_sha not in repo.trees:
        raise GitHubError(422, "base_tree is not a valid tree oid")
    tree = dict(repo.trees[base_sha]) if base_sha else {}
    blobs = {blob_sha(data): data for files in repo.trees.values() for data in files.values()}
    for entry in body["tree"]:
        path = entry.get("path") or ""
        if not path or path.startswith("/") or "//" in path:
            raise GitHubError(422, "tree.path contains a malformed path component")
        if "content" in entry and entry.get("sha") is not None:
            raise GitHubError(422, "Must supply either tree.sha or tree.content, not both")
        if entry.get("mode") not in ("100644", "100755") or entry.get("type") != "blob":
            fake.record_unexpected(ctx.method, ctx.path, f"only files are modelled, not {entry}")
            raise GitHubError(422, "Invalid tree info")
        if "content" in entry:
            tree[path] = str(entry["content"]).encode("utf-8")
        elif entry.get("sha") is None:
            tree.pop(path, None)
        elif entry["sha"] in blobs:
            tree[path] = blobs[entry["sha"]]
        else:
            raise GitHubError(422, "tree.sha {} is not a valid blob".format(entry["sha"]))
    sha = tree_sha(tree)
    repo.trees[sha] = tree
    return Reply(201, payloads.git_tree(ctx.api, repo, sha, tree))


def get_tree(fake: Any, ctx: Ctx) -> Reply:
    """A tree by its sha, or the tree of a commit or branch (GitHub takes either); with
    `recursive` set to any value, every entry below it. Not modelled: `truncated` listings."""
    repo = ctx.the_repo
    name = ctx.params["tree_sha"]
    if name in repo.trees:
        sha, tree = name, repo.trees[name]
    else:
        commit = repo.resolve(name)
        if commit is None:
            raise not_found()
        sha, tree = tree_sha(commit.tree), commit.tree
    return Reply(200, payloads.git_tree(ctx.api, repo, sha, tree, recursive="recursive" in ctx.query))


def create_commit(fake: Any, ctx: Ctx) -> Reply:
    repo, body = ctx.the_repo, ctx.body
    if body["tree"] not in repo.trees:
        raise GitHubError(422, "Tree SHA does not exist")
    parents = tuple(body.get("parents") or ())
    if any(p not in repo.commits for p in parents):
        raise GitHubError(422, "Parent SHA does not exist or is not a commit object")
    author = dict(body.get("author") or fake.bot_author())
    author.setdefault("date", iso())
    made = repo.add_commit(repo.trees[body["tree"]], parents, body["message"], author)
    return Reply(201, payloads.git_commit(ctx.api, repo, made))


def delete_ref(fake: Any, ctx: Ctx) -> Reply:
    repo = ctx.the_repo
    branch = ctx.params["ref"].removeprefix("refs/").removeprefix("heads/")
    if branch not in repo.branches:
        raise GitHubError(422, "Reference does not exist")
    fake.delete_branch(repo.full_name, branch)
    return Reply(204)


HANDLERS: dict[str, Handler] = {
    "repos/get": get_repo,
    "repos/get-content": get_content,
    "repos/get-readme": get_readme,
    "repos/create-or-update-file-contents": put_content,
    "git/get-ref": get_ref,
    "git/create-ref": create_ref,
    "git/update-ref": update_ref,
    "git/delete-ref": delete_ref,
    "git/create-tree": create_tree,
    "git/get-tree": get_tree,
    "git/create-commit": create_commit,
}

# What an installation token must be granted for each operation (permission, level).
PERMISSIONS: dict[str, tuple[str, str]] = {
    "repos/get": ("metadata", "read"),
    "repos/get-content": ("contents", "read"),
    "repos/get-readme": ("contents", "read"),
    "repos/create-or-update-file-contents": ("contents", "write"),
    "git/get-ref": ("contents", "read"),
    "git/create-ref": ("contents", "write"),
    "git/update-ref": ("contents", "write"),
    "git/delete-ref": ("contents", "write"),
    "git/create-tree": ("contents", "write"),
    "git/get-tree": ("contents", "read"),
    "git/create-commit": ("contents", "write"),
}
