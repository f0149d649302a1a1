"""The webhook ack path after issue #7's speed-ups: orjson reads the body but accepts exactly what
`json` accepted, the delivery dedupe is bounded and forgets after its TTL, the pre-encoded answers
are what `web.json_response` sent, and a comment's commands are parsed once per delivery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aiohttp import web
from gidgethub.routing import Router
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import Settings
from bot.web.app import (
    ACCEPTED,
    DUPLICATE,
    NO_COMMAND,
    NOT_JSON,
    RecentDeliveries,
    comment_without_command,
    create_app,
    jobs_of,
    json_answer,
    mentions_command,
    parse_body,
)
from handlers import commands
from handlers.commands import comment_commands, parse_commands
from tests.fakes.webhooks import load_webhook, signed_webhook

SECRET = "ack-path-secret"
WEBHOOKS = Path(__file__).parent / "fixtures" / "webhooks"
# Text GitHub users write: accents, CJK, emoji (astral, so a surrogate pair when escaped), ZWJ
# sequences, right-to-left override, zero-width space, U+2028/2029 (line breaks in JS, not JSON), NUL.
UNICODE_COMMENT = ("/add arXiv:2502.05206 to Jailbreak Attacks\n"
                   "merci, café, 中文, 日本語, 한국어, مرحبا, \u202eevil\u202c, a\u200bb, 👩‍🔬🧪😀, "
                   "line\u2028sep\u2029para, nul\x00, tab\t, \"quoted\", back\\slash")


def comment_delivery(body: str) -> dict:
    event = load_webhook("issue_comment.created.with-installation")
    event["comment"]["body"] = body
    return event


@pytest.mark.parametrize("path", sorted(WEBHOOKS.glob("*.json")), ids=lambda p: p.stem)
def test_recorded_deliveries_parse_as_json_does(path):
    raw = path.read_bytes()
    assert parse_body(raw) == json.loads(raw)


@pytest.mark.parametrize("ascii_only", [True, False], ids=["escaped", "raw-utf8"])
def test_unicode_comments_parse_as_json_does(ascii_only):
    raw = json.dumps(comment_delivery(UNICODE_COMMENT), ensure_ascii=ascii_only).encode()
    assert parse_body(raw)["comment"]["body"] == UNICODE_COMMENT
    assert parse_body(raw) == json.loads(raw)


@given(st.lists(st.text() | st.integers(0xD800, 0xDFFF).map(chr)).map("".join))
def test_any_text_parses_as_json_does(text):
    # ensure_ascii: every character escaped, lone surrogates included (orjson alone rejects those)
    raw = json.dumps({"comment": {"body": text}}).encode()
    assert parse_body(raw) == json.loads(raw)


@pytest.mark.parametrize("raw", [
    b'{"comment": {"body": "half an emoji \\ud83d"}}',  # an escaped lone surrogate
    b'{"score": NaN}',
    b'\xef\xbb\xbf{"action": "created"}',  # a UTF-8 byte order mark
    '{"action": "créé"}'.encode("utf-16"),
], ids=["lone-surrogate", "nan", "bom", "utf-16"])
def test_what_only_json_accepts_is_still_accepted(raw):
    parsed = parse_body(raw)
    assert parsed.keys() == json.loads(raw).keys()


@pytest.mark.parametrize("raw", [b"{not json", b"", b'{"a": "\xff"}', b"[" * 100_000 + b"]" * 100_000],
                         ids=["garbage", "empty", "invalid-utf8", "deep-nesting"])
def test_what_neither_reads_is_refused(raw):
    with pytest.raises((ValueError, RecursionError)):
        parse_body(raw)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_recent_deliveries_forget_after_the_ttl():
    clock = Clock()
    recent = RecentDeliveries(limit=100, ttl=24 * 3600, clock=clock)
    assert recent.first_time("a")
    clock.now += 24 * 3600 - 1
    assert not recent.first_time("a")  # still within 24 h
    assert recent.first_time("b")
    clock.now += 1
    assert recent.first_time("a")  # 24 h on: a redelivery is new again
    assert not recent.first_time("a") and not recent.first_time("b")
    clock.now += 24 * 3600
    assert recent.first_time("c") and len(recent) == 1  # the expired ids are gone


def test_recent_deliveries_are_bounded_and_forget_the_oldest_first():
    clock = Clock()
    recent = RecentDeliveries(limit=3, ttl=60, clock=clock)
    for delivery in "abcd":
        assert recent.first_time(delivery)
        clock.now += 1
    assert len(recent) == 3
    assert recent.first_time("a")  # "a" was forgotten to make room for "d"
    assert not recent.first_time("c") and not recent.first_time("d")


def test_a_redelivery_after_expiry_counts_as_newest():
    clock = Clock()
    recent = RecentDeliveries(limit=2, ttl=10, clock=clock)
    assert recent.first_time("a")
    clock.now += 5
    assert recent.first_time("b")
    clock.now += 6  # "a" expired, "b" has not
    assert recent.first_time("a")
    assert not recent.first_time("b") and not recent.first_time("a")


async def test_constant_answers_match_json_response():
    for body, status in ((ACCEPTED, 202), (NO_COMMAND, 200), (DUPLICATE, 200), (NOT_JSON, 400)):
        ours = json_answer(body, status)
        theirs = web.json_response(json.loads(body), status=status)
        assert (ours.status, ours.body, ours.content_type, ours.charset) == \
               (theirs.status, theirs.body, theirs.content_type, theirs.charset)


def test_commands_are_parsed_once_per_body_and_the_memo_is_bounded():
    commands._parse_once.cache_clear()
    body = "thanks\n/add 2502.05206 to Survey\n/update"
    payload = {"comment": {"body": body}, "sender": {"login": "octocat", "type": "User"}}
    first = parse_commands(body)
    first.append("not a command")  # each caller gets its own list
    assert parse_commands(body) == comment_commands(payload, "add", "update") == [
        commands.Command("add", ("2502.05206",), "Survey", 2), commands.Command("update", (), None, 3)]
    assert commands._parse_once.cache_info().misses == 1
    for n in range(commands.PARSED_BODIES_KEPT * 3):
        assert parse_commands(f"/add 2502.{n:05d}") == [commands.Command("add", (f"2502.{n:05d}",), None, 1)]
    assert commands._parse_once.cache_info().currsize == commands.PARSED_BODIES_KEPT


@pytest.fixture
async def client(aiohttp_client, github_app_key):
    router = Router()
    seen: list[tuple[str, list]] = []

    @router.register("issue_comment", action="created")
    async def record(event, ctx):
        seen.append((event.data["comment"]["body"], comment_commands(event.data, "add", "remove")))

    @router.register("issue_comment", action="created")
    async def record_again(event, ctx):  # a second handler reading the same comment, as /update does
        comment_commands(event.data, "update")

    settings = Settings(app_id="1", private_key=github_app_key, webhook_secret=SECRET,
                        github_api_url="http://127.0.0.1:9", arxiv_api_url="http://127.0.0.1:9/api/query")
    test_client = await aiohttp_client(create_app(settings, router))
    test_client.seen = seen
    return test_client


async def post(client, payload: dict | bytes, delivery: str):
    headers, body = signed_webhook(SECRET, "issue_comment", payload, delivery)
    return await client.post("/api/github/webhooks", data=body, headers=headers)


@pytest.mark.parametrize("ascii_only", [True, False], ids=["escaped", "raw-utf8"])
async def test_unicode_comment_with_a_command_is_accepted_and_parsed_once(client, ascii_only):
    commands._parse_once.cache_clear()
    raw = json.dumps(comment_delivery(UNICODE_COMMENT), ensure_ascii=ascii_only).encode()
    response = await post(client, raw, "u-1")
    assert response.status == 202 and await response.json() == {"msg": "accepted"}
    await jobs_of(client.app).drain(5)
    [(body, found)] = client.seen
    assert body == UNICODE_COMMENT
    assert found == [commands.Command("add", ("arXiv:2502.05206",), "Jailbreak Attacks", 1)]
    assert commands._parse_once.cache_info().misses == 1  # the ack and both handlers share one parse


async def test_escaped_lone_surrogate_is_accepted_as_before(client):
    raw = json.dumps(comment_delivery("/add 2502.05206 \ud83d")).encode()
    assert (await post(client, raw, "s-1")).status == 202
    await jobs_of(client.app).drain(5)
    assert client.seen[0][0] == "/add 2502.05206 \ud83d"


async def test_absurd_nesting_is_a_400_not_a_crash(client):
    response = await post(client, b"[" * 100_000 + b"]" * 100_000, "n-1")
    assert response.status == 400 and await response.json() == {"error": "body is not JSON"}


async def test_health_counts_what_the_ack_decided(client):
    await post(client, comment_delivery("/add 2502.05206"), "h-1")
    await post(client, comment_delivery("/add 2502.05206"), "h-1")
    duplicate = await post(client, comment_delivery("/add 2502.05206"), "h-1")
    assert duplicate.status == 200 and await duplicate.json() == {"msg": "duplicate delivery ignored"}
    await post(client, comment_delivery("> /add 2502.05206"), "h-2")
    await jobs_of(client.app).drain(5)
    health = await (await client.get("/health")).json()
    assert health["deliveries"] == {"accepted": 1, "no_command": 1, "duplicate": 2, "refused": 0}
    assert health["jobs_completed"] == 1


# -- the comment triage (msgspec reads two fields; parse_body decides what is accepted) ----------

def decided_in_full(raw: bytes) -> bool:
    """What the ack decided before the triage: a JSON object that `parse_body` reads, without a command."""
    try:
        data = parse_body(raw)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and not mentions_command(data)


TRIAGE_CASES = {
    "recorded": json.dumps(comment_delivery("thanks, looks good")).encode(),
    "raw-utf8": json.dumps(comment_delivery("merci, café 👩‍🔬"), ensure_ascii=False).encode(),
    "command": json.dumps(comment_delivery("/add 2502.05206")).encode(),
    "quoted-command": json.dumps(comment_delivery("> /add 2502.05206")).encode(),
    "edited": json.dumps({**comment_delivery("/add 2502.05206"), "action": "edited"}).encode(),
    "invalid-utf8-elsewhere": b'{"action": "created", "comment": {"body": "hi"}, "x": "\xff"}',
    "lone-surrogate-elsewhere": b'{"action": "created", "comment": {"body": "hi"}, "x": "\\ud83d"}',
    "nan-elsewhere": b'{"action": "created", "comment": {"body": "hi"}, "x": NaN}',
    "bom": b'\xef\xbb\xbf{"action": "created", "comment": {"body": "hi"}}',
    "not-an-object": b'[{"action": "created"}]',
    "comment-not-an-object": b'{"action": "created", "comment": "/add 2502.05206"}',
    "body-not-text": b'{"action": "created", "comment": {"body": 7}}',
    "garbage-after": b'{"action": "created", "comment": {"body": "hi"}} x',
    "deep-elsewhere": b'{"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
}


@pytest.mark.parametrize("raw", TRIAGE_CASES.values(), ids=TRIAGE_CASES.keys())
def test_the_triage_only_answers_what_the_full_parse_would_have(raw):
    # True: answered "no command" without the full parse, so the full parse must say the same.
    if comment_without_command(raw):
        assert decided_in_full(raw)
    assert comment_without_command(TRIAGE_CASES["recorded"]) and comment_without_command(TRIAGE_CASES["raw-utf8"])
    assert not comment_without_command(TRIAGE_CASES["command"])


@given(st.text(), st.booleans(), st.sampled_from(["created", "edited", "deleted"]))
def test_the_triage_agrees_with_the_full_parse_on_any_comment(text, ascii_only, action):
    raw = json.dumps({**comment_delivery(text), "action": action}, ensure_ascii=ascii_only).encode()
    assert comment_without_command(raw) == decided_in_full(raw)


async def test_a_signed_body_that_is_not_utf8_is_still_refused(client):
    response = await post(client, TRIAGE_CASES["invalid-utf8-elsewhere"], "t-1")
    assert response.status == 400 and await response.json() == {"error": "body is not JSON"}
