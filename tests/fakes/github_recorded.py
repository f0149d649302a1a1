"""Real GitHub response bodies, used as templates so the fake answers with GitHub's shapes.

Two recording formats live in tests/fixtures/github/recorded (see SOURCES.md there):
PyGithub's ReplayData (blocks of 11 lines per exchange) and octokit/fixtures' nock JSON. Where
the recordings are too old to carry today's required fields (pull requests, issues and issue
comments were recorded in 2012), GitHub's own examples from the OpenAPI description are used.
"""

from __future__ import annotations

import ast
import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tests.fakes.openapi import load_spec

RECORDED_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "github" / "recorded"


@dataclass(frozen=True)
class Exchange:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: Any


def pygithub_exchanges(name: str) -> list[Exchange]:
    """Parse one PyGithub ReplayData file (protocol, verb, host, port, path, request headers,
    request body, status, response headers, response body, blank)."""
    lines = (RECORDED_DIR / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    exchanges = []
    index = 0
    while index + 10 <= len(lines):
        if not lines[index].strip():
            index += 1
            continue
        block = lines[index : index + 10]
        headers = {k.lower(): v for k, v in ast.literal_eval(block[8])}
        body = json.loads(block[9]) if block[9].strip() else None
        exchanges.append(Exchange(block[1], block[4], int(block[7]), headers, body))
        index += 10
    return exchanges


def octokit_exchanges(name: str) -> list[Exchange]:
    definitions = json.loads((RECORDED_DIR / f"{name}.normalized-fixture.json").read_text("utf-8"))
    return [
        Exchange(d["method"].upper(), d["path"], d["status"], d.get("headers", {}), d["response"])
        for d in definitions
    ]


@cache
def _templates() -> dict[str, Any]:
    examples = load_spec().components["examples"]
    repositories = pygithub_exchanges("Installation.testGetRepos")[1].body
    created_file = octokit_exchanges("create-file")[0].body
    return {
        "token": pygithub_exchanges("GithubIntegration.testGetAccessToken")[1].body,
        "token-permissions-error": pygithub_exchanges(
            "GithubIntegration.testGetAccessTokenWithInvalidPermissions"
        )[0].body,
        "installation": pygithub_exchanges("GithubIntegration.testGetInstallations")[0].body[0],
        "installation-repositories": repositories,
        "repository": repositories["repositories"][0],
        "user": repositories["repositories"][0]["owner"],
        "reaction": pygithub_exchanges("IssueComment.testCreateReaction")[0].body,
        "collaborator-permission": pygithub_exchanges("Repository.testCollaboratorPermission")[0].body,
        "content-item": created_file["content"],
        "file-commit": created_file["commit"],
        "git-ref": octokit_exchanges("git-refs")[1].body,
        "pull-request": examples["pull-request"]["value"],
        "issue": examples["issue"]["value"],
        "issue-comment": examples["issue-comment"]["value"],
        "app": examples["integration"]["value"],
        "git-tree": examples["git-tree"]["value"],
        "git-commit": examples["git-commit"]["value"],
    }


def template(name: str) -> Any:
    """A fresh deep copy of one template body, safe to fill in."""
    return copy.deepcopy(_templates()[name])


def rebase(node: Any, replacements: dict[str, str]) -> Any:
    """Replace substrings in every string of a JSON value (URLs carry owner, repo and host)."""
    if isinstance(node, str):
        for old, new in replacements.items():
            node = node.replace(old, new)
        return node
    if isinstance(node, dict):
        return {k: rebase(v, replacements) for k, v in node.items()}
    if isinstance(node, list):
        return [rebase(v, replacements) for v in node]
    return node
