"""The webhook endpoint: strict signature check, fast acknowledgement, dedupe by delivery id."""

import hashlib
import hmac
import json

import pytest
from gidgethub.routing import Router

from bot.settings import Settings
from bot.web.app import create_app, jobs_of, signature_valid

SECRET = "It's a Secret to Everybody"


def sign(body: bytes, secret: str = SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_githubs_published_test_vector():
    # From GitHub's "Validating webhook deliveries" documentation.
    assert signature_valid(
        SECRET, b"Hello, World!",
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
    assert not signature_valid(SECRET, b"Hello, World!", "sha256=" + "0" * 64)
    assert not signature_valid(SECRET, b"Hello, World!", "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59")
    assert not signature_valid("", b"Hello, World!", "")


@pytest.fixture
def recorder():
    router = Router()
    seen = []

    @router.register("issue_comment", action="created")
    async def record(event, ctx):
        seen.append(event.delivery_id)

    return router, seen


@pytest.fixture
async def client(aiohttp_client, recorder, github_app_key):
    settings = Settings(app_id="1", private_key=github_app_key, webhook_secret=SECRET,
                        github_api_url="http://127.0.0.1:9", arxiv_api_url="http://127.0.0.1:9/api/query")
    return await aiohttp_client(create_app(settings, recorder[0]))


def headers(body: bytes, event="issue_comment", delivery="d-1", signature=None):
    return {"X-GitHub-Event": event, "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": signature if signature is not None else sign(body),
            "Content-Type": "application/json"}


async def test_signed_delivery_is_accepted_once(client, recorder):
    body = json.dumps({"action": "created", "comment": {"body": "/add 2502.05206"}}).encode()
    first = await client.post("/api/github/webhooks", data=body, headers=headers(body))
    second = await client.post("/api/github/webhooks", data=body, headers=headers(body))
    assert first.status == 202 and second.status == 200
    await jobs_of(client.app).drain(5)
    assert recorder[1] == ["d-1"]


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "sha1=abc", "garbage"])
async def test_bad_signatures_do_no_work(client, recorder, signature):
    body = json.dumps({"action": "created"}).encode()
    response = await client.post("/api/github/webhooks", data=body, headers=headers(body, signature=signature))
    assert response.status == 401
    await jobs_of(client.app).drain(5)
    assert recorder[1] == []


async def test_malformed_json_with_valid_signature_is_400(client):
    body = b"{not json"
    response = await client.post("/api/github/webhooks", data=body, headers=headers(body))
    assert response.status == 400
    assert (await client.get("/health")).status == 200


async def test_ping_and_unknown_events(client, recorder):
    body = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()
    assert (await client.post("/api/github/webhooks", data=body, headers=headers(body, "ping"))).status == 200
    body = json.dumps({"action": "whatever"}).encode()
    response = await client.post("/api/github/webhooks", data=body, headers=headers(body, "fork", "d-2"))
    assert response.status == 202
    await jobs_of(client.app).drain(5)
    assert recorder[1] == []


async def test_oversized_body_is_refused(client):
    response = await client.post(
        "/api/github/webhooks", data=b"x" * 100,
        headers={**headers(b"x"), "Content-Length": str(26 * 1024 * 1024)})
    assert response.status == 413


async def test_health(client):
    response = await client.get("/health")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


async def test_comments_without_a_command_start_no_job(client, recorder):
    for n, text in enumerate(["thanks!", "see /usr/bin/x", "> /add 1", "```\n/add 1\n```", None]):
        body = json.dumps({"action": "created", "comment": {"body": text}}).encode()
        response = await client.post("/api/github/webhooks", data=body, headers=headers(body, delivery=f"n{n}"))
        assert response.status == 200
    await jobs_of(client.app).drain(5)
    assert recorder[1] == [] and jobs_of(client.app).completed == 0
