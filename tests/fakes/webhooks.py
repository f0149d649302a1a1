"""Webhook deliveries for tests: recorded payloads, GitHub's signature headers, schema checks,
and payloads that describe the fake GitHub's own state (so ids in a delivery match the API)."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource

from tests.fakes import github_payloads as payloads
from tests.fakes import github_payloads_issues as issue_payloads

WEBHOOKS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks"


def load_webhook(name: str) -> dict[str, Any]:
    """A recorded payload by file stem, e.g. `issue_comment.created.with-installation`."""
    return json.loads((WEBHOOKS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def signed_webhook(
    secret: str, event: str, payload: dict[str, Any] | bytes, delivery_id: str | None = None
) -> tuple[dict[str, str], bytes]:
    """Headers and body exactly as GitHub delivers them (HMAC-SHA256 over the raw body)."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    signature = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/0123abc",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "123456789",
        "X-Hub-Signature-256": f"sha256={signature}",
    }
    return headers, body


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((WEBHOOKS_DIR / "schemas" / "common").glob("*.schema.json")):
        resource = Resource.from_contents(json.loads(path.read_text(encoding="utf-8")))
        resources += [(f"common/{path.name}", resource), (path.name, resource)]
    return Registry().with_resources(resources)


def webhook_schema_errors(event: str, action: str, payload: dict[str, Any]) -> list[str]:
    """Where `payload` departs from octokit's schema for `event`/`action` (ping: action "event")."""
    path = WEBHOOKS_DIR / "schemas" / event / f"{action}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema.pop("$id", None)  # let the registry resolve "common/x" refs from the root
    validator = Draft7Validator(schema, registry=_registry())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(payload)]


def issue_comment_event(
    fake: Any, full_name: str, number: int, comment_id: int, action: str = "created"
) -> dict[str, Any]:
    """An `issue_comment` delivery for a comment that exists in the fake GitHub."""
    repo = fake.repos[full_name]
    issue = repo.issues[number]
    comment = next(c for c in issue.comments if c.id == comment_id)
    event = copy.deepcopy(load_webhook("issue_comment.created.with-installation"))
    api = fake.url or "https://api.github.com"
    event["action"] = action
    event["issue"] = issue_payloads.issue(api, repo, issue)
    # Webhook objects differ slightly from their REST twins (octokit's schemas say how).
    for rest_only in ("pinned_comment", "closed_by"):
        event["issue"].pop(rest_only, None)
    event["comment"] = payloads.issue_comment(api, repo, issue, comment)
    for rest_only in ("pin", "minimized"):
        event["comment"].pop(rest_only, None)
    event["comment"]["performed_via_github_app"] = None
    event["repository"] = payloads.repository(api, repo)
    event["repository"]["custom_properties"] = {}
    event["sender"] = payloads.user(api, comment.user)
    event["installation"] = {
        "id": repo.installation_id,
        "node_id": payloads.node_id("Installation", repo.installation_id),
    }
    if action == "edited":
        event["changes"] = {"body": {"from": ""}}
    return event
