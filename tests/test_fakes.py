"""The fakes must behave like GitHub and arXiv, or every test built on them proves nothing.
Each test talks to a fake over real HTTP with the clients the bot uses (gidgethub, arxiv)."""

from __future__ import annotations

import asyncio
import base64
import time

import aiohttp
import arxiv
import jwt
import pytest
from gidgethub import BadRequest, GitHubBroken, InvalidField, ValidationError
from gidgethub.aiohttp import GitHubAPI
from gidgethub.apps import get_installation_access_token, get_jwt
from gidgethub.sansio import Event

from tests.fakes.arxiv_feed import ARXIV_DIR, NS, parse_feed_papers, render_feed
from tests.fakes.github_state import blob_sha
from tests.fakes.openapi import load_spec
from tests.fakes.plugin import check_fake_github
from tests.fakes.webhooks import issue_comment_event, webhook_schema_errors

REPO = "octo-org/awesome-papers"
README = "# Awesome papers\n\n## Surveys\n\n- [Old paper](https://arxiv.org/abs/1605.08386)\n"


@pytest.fixture
async def session():
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
async def gh(fake_github, github_app_key, github_app_id, session):
    """A gidgethub client holding a real installation token from the fake."""
    installation = fake_github.add_installation(account="octo-org")
    fake_github.add_repo(
        REPO,
        {"README.md": README, "docs/a.md": "a", "docs/b.md": "b"},
        installation_id=installation.id,
        collaborators={"alice": "write"},
    )
    app = GitHubAPI(session, "paperbot-tests", base_url=fake_github.url)
    token = await get_installation_access_token(
        app, installation_id=str(installation.id), app_id=str(github_app_id), private_key=github_app_key
    )
    return GitHubAPI(session, "paperbot-tests", oauth_token=token["token"], base_url=fake_github.url)


def response_problems(fake):
    spec = load_spec()
    problems = []
    for call in fake.call_log:
        matched = spec.match(call.method, call.path)
        if matched and call.status not in (304,) and call.response is not None:
            problems += [
                f"{call.method} {call.path} {call.status}: {p}"
                for p in spec.check_response(matched[0], call.status, call.response)
            ]
    return problems


async def test_installation_token_flow_matches_github(fake_github, gh, github_app_key, session):
    assert gh.oauth_token.startswith("ghs_") and len(gh.oauth_token) == 40
    repos = [r async for r in gh.getiter("/installation/repositories", iterable_key="repositories")]
    assert [r["full_name"] for r in repos] == [REPO]
    app = GitHubAPI(session, "t", base_url=fake_github.url)
    installs = await app.getitem(
        "/app/installations", jwt=get_jwt(app_id=str(fake_github.app_id), private_key=github_app_key)
    )
    assert installs[0]["account"]["login"] == "octo-org"
    assert response_problems(fake_github) == []


@pytest.mark.parametrize(
    "claims, message",
    [
        ({"iat": -60, "exp": 600, "iss": "424242"}, "too far in the future"),
        ({"iat": 120, "exp": 500, "iss": "424242"}, "'Issued at' claim"),
        ({"iat": -700, "exp": -100, "iss": "424242"}, "'Expiration time' claim"),
        ({"iat": -60, "exp": 500, "iss": "999"}, "could not be decoded"),
    ],
)
async def test_app_jwt_is_checked_like_github(fake_github, github_app_key, session, claims, message):
    now = int(time.time())
    token = jwt.encode(
        {"iss": claims["iss"], "iat": now + claims["iat"], "exp": now + claims["exp"]},
        github_app_key,
        algorithm="RS256",
    )
    app = GitHubAPI(session, "t", base_url=fake_github.url)
    with pytest.raises(BadRequest) as caught:
        await app.getitem("/app", jwt=token)
    assert caught.value.status_code == 401 and message in str(caught.value)


async def test_token_requests_are_limited_to_the_installation(fake_github, gh, github_app_key, session):
    installation = fake_github.repo(REPO).installation_id
    fake_github.add_repo("octo-org/other", {"README.md": "x"})
    app = GitHubAPI(session, "t", base_url=fake_github.url)
    jwt_token = get_jwt(app_id=str(fake_github.app_id), private_key=github_app_key)
    url = f"/app/installations/{installation}/access_tokens"
    with pytest.raises(InvalidField) as too_much:
        await app.post(url, data={"permissions": {"administration": "write"}}, jwt=jwt_token)
    assert "The permissions requested are not granted to this installation." in str(too_much.value)
    narrow = await app.post(
        url, data={"repositories": ["awesome-papers"], "permissions": {"contents": "read"}}, jwt=jwt_token
    )
    assert [r["full_name"] for r in narrow["repositories"]] == [REPO]
    scoped = GitHubAPI(session, "t", oauth_token=narrow["token"], base_url=fake_github.url)
    assert (await scoped.getitem(f"/repos/{REPO}/readme"))["path"] == "README.md"
    with pytest.raises(BadRequest) as other:
        await scoped.getitem("/repos/octo-org/other")
    with pytest.raises(BadRequest) as read_only:
        await scoped.put(f"/repos/{REPO}/contents/x.md", data={"message": "m", "content": ""})
    assert (other.value.status_code, read_only.value.status_code) == (404, 403)
    with pytest.raises(BadRequest) as unknown:
        await app.post("/app/installations/1/access_tokens", data=b"", jwt=jwt_token)
    assert unknown.value.status_code == 404
    assert response_problems(fake_github) == []


async def test_tokens_are_required_and_scoped(fake_github, gh, session):
    fake_github.add_repo("someone/else", {"README.md": "x"})
    anonymous = GitHubAPI(session, "t", base_url=fake_github.url)
    with pytest.raises(BadRequest) as no_auth:
        await anonymous.getitem(f"/repos/{REPO}")
    assert no_auth.value.status_code == 401
    with pytest.raises(BadRequest) as outside:
        await gh.getitem("/repos/someone/else")
    assert outside.value.status_code == 404
    fake_github.expire_tokens()
    with pytest.raises(BadRequest) as expired:
        await gh.getitem(f"/repos/{REPO}")
    assert expired.value.status_code == 401 and "Bad credentials" in str(expired.value)


async def test_contents_read_like_github(fake_github, gh):
    fake_github.push_to_default(REPO, {"hello.txt": "hello\n"})
    item = await gh.getitem(f"/repos/{REPO}/contents/hello.txt")
    assert item["sha"] == blob_sha(b"hello\n") == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert base64.b64decode(item["content"]) == b"hello\n" and item["content"].endswith("\n")
    listing = await gh.getitem(f"/repos/{REPO}/contents/docs")
    assert [(e["name"], e["type"]) for e in listing] == [("a.md", "file"), ("b.md", "file")]
    root = await gh.getitem(f"/repos/{REPO}/contents/")
    assert {e["name"]: e["type"] for e in root}["docs"] == "dir"
    raw = await gh.getitem(f"/repos/{REPO}/contents/README.md", accept="application/vnd.github.raw+json")
    assert raw == README
    for missing in (f"/repos/{REPO}/contents/nope.md", f"/repos/{REPO}/contents/README.md?ref=no-branch"):
        with pytest.raises(BadRequest) as caught:
            await gh.getitem(missing)
        assert caught.value.status_code == 404
    assert response_problems(fake_github) == []


async def test_contents_write_enforces_sha_and_branch(fake_github, gh):
    url = f"/repos/{REPO}/contents/README.md"
    current = await gh.getitem(url)
    new = base64.b64encode(b"# changed\n").decode()
    with pytest.raises(BadRequest) as stale:
        await gh.put(url, data={"message": "m", "content": new, "sha": blob_sha(b"old")})
    assert stale.value.status_code == 409 and "README.md does not match" in str(stale.value)
    with pytest.raises(InvalidField) as no_sha:
        await gh.put(url, data={"message": "m", "content": new})
    assert no_sha.value.status_code == 422 and '"sha" wasn\'t supplied.' in str(no_sha.value)
    with pytest.raises(BadRequest) as no_branch:
        await gh.put(url, data={"message": "m", "content": new, "sha": current["sha"], "branch": "ghost"})
    assert no_branch.value.status_code == 404
    head = fake_github.branches(REPO)["main"]
    result = await gh.put(url, data={"message": "m", "content": new, "sha": current["sha"]})
    assert result["commit"]["parents"][0]["sha"] == head
    assert fake_github.file(REPO, "README.md") == "# changed\n"
    created = await gh.put(f"/repos/{REPO}/contents/new.md", data={"message": "m", "content": new})
    assert created["content"]["sha"] == blob_sha(b"# changed\n")
    assert [c.status for c in fake_github.calls("PUT")] == [409, 422, 404, 200, 201]
    assert response_problems(fake_github) == []


async def test_refs_follow_git_rules(fake_github, gh):
    main = (await gh.getitem(f"/repos/{REPO}/git/ref/heads/main"))["object"]["sha"]
    with pytest.raises(BadRequest) as missing:
        await gh.getitem(f"/repos/{REPO}/git/ref/heads/paperbot")
    assert missing.value.status_code == 404
    await gh.post(f"/repos/{REPO}/git/refs", data={"ref": "refs/heads/paperbot", "sha": main})
    with pytest.raises(InvalidField) as again:
        await gh.post(f"/repos/{REPO}/git/refs", data={"ref": "refs/heads/paperbot", "sha": main})
    assert "Reference already exists" in str(again.value)
    ahead = fake_github.push_to_default(REPO, {"x.md": "x"})
    fake_github.push_commit(REPO, "paperbot", {"y.md": "y"})
    with pytest.raises(InvalidField) as not_ff:
        await gh.patch(f"/repos/{REPO}/git/refs/heads/paperbot", data={"sha": ahead})
    assert "Update is not a fast forward" in str(not_ff.value)
    await gh.patch(f"/repos/{REPO}/git/refs/heads/paperbot", data={"sha": ahead, "force": True})
    assert fake_github.branches(REPO)["paperbot"] == ahead
    fake_github.push_commit(REPO, "paperbot", {"z.md": "z"})
    pull = await gh.post(f"/repos/{REPO}/pulls", data={"title": "t", "head": "paperbot", "base": "main"})
    await gh.delete(f"/repos/{REPO}/git/refs/heads/paperbot")
    assert "paperbot" not in fake_github.branches(REPO)
    assert (await gh.getitem(f"/repos/{REPO}/pulls/{pull['number']}"))["state"] == "closed"
    with pytest.raises(ValidationError) as reopen:
        await gh.patch(f"/repos/{REPO}/pulls/{pull['number']}", data={"state": "open"})
    assert "The paperbot branch has been deleted." in str(reopen.value)


async def test_pull_requests_like_github(fake_github, gh):
    fake_github.push_commit(REPO, "paperbot/add", {"README.md": README + "- new\n"})
    data = {"title": "Add papers", "head": "paperbot/add", "base": "main", "body": "b"}
    made = await gh.post(f"/repos/{REPO}/pulls", data=data)
    assert (made["number"], made["head"]["ref"], made["base"]["ref"], made["merged"]) == (
        1,
        "paperbot/add",
        "main",
        False,
    )
    with pytest.raises(ValidationError) as duplicate:
        await gh.post(f"/repos/{REPO}/pulls", data=data)
    assert "A pull request already exists for octo-org:paperbot/add." in str(duplicate.value)
    fake_github.push_commit(REPO, "empty", {})
    fake_github.repo(REPO).branches["empty"] = fake_github.branches(REPO)["main"]
    with pytest.raises(ValidationError) as nothing:
        await gh.post(f"/repos/{REPO}/pulls", data={**data, "head": "empty"})
    assert "No commits between main and empty" in str(nothing.value)
    found = [p async for p in gh.getiter(f"/repos/{REPO}/pulls?state=open&head=octo-org:paperbot/add")]
    assert [p["number"] for p in found] == [1]
    pushed = fake_github.push_commit(REPO, "paperbot/add", {"extra.md": "e"})
    assert (await gh.getitem(f"/repos/{REPO}/pulls/1"))["head"]["sha"] == pushed
    await gh.patch(f"/repos/{REPO}/pulls/1", data={"title": "Renamed"})
    fake_github.merge_pull(REPO, 1)
    merged = await gh.getitem(f"/repos/{REPO}/pulls/1")
    assert (merged["title"], merged["state"], merged["merged"]) == ("Renamed", "closed", True)
    assert fake_github.file(REPO, "extra.md") == "e"
    assert response_problems(fake_github) == []


async def test_comments_paginate_filter_and_react(fake_github, gh):
    number = fake_github.add_issue(REPO, "Please add", user="alice")
    fake_github.add_comment(REPO, number, "/add arXiv:1605.08386", user="alice", at="2026-01-01T00:00:00Z")
    for i in range(4):
        await gh.post(f"/repos/{REPO}/issues/{number}/comments", data={"body": f"reply {i}"})
    pages = [c async for c in gh.getiter(f"/repos/{REPO}/issues/{number}/comments?per_page=2")]
    assert [c["body"] for c in pages][:2] == ["/add arXiv:1605.08386", "reply 0"] and len(pages) == 5
    assert len(fake_github.calls("GET", "/comments")) == 3  # followed Link rel="next" twice
    since = [
        c async for c in gh.getiter(f"/repos/{REPO}/issues/{number}/comments?since=2026-06-01T00:00:00Z")
    ]
    assert [c["user"]["login"] for c in since] == ["paperbot[bot]"] * 4
    edited = await gh.patch(f"/repos/{REPO}/issues/comments/{since[0]['id']}", data={"body": "edited"})
    assert edited["body"] == "edited" and edited["html_url"].endswith(f"#issuecomment-{since[0]['id']}")
    first = await gh.post(
        f"/repos/{REPO}/issues/comments/{pages[0]['id']}/reactions", data={"content": "eyes"}
    )
    again = await gh.post(
        f"/repos/{REPO}/issues/comments/{pages[0]['id']}/reactions", data={"content": "eyes"}
    )
    assert first["id"] == again["id"] and [c.status for c in fake_github.calls("POST", "/reactions")] == [
        201,
        200,
    ]
    assert response_problems(fake_github) == []


async def test_issues_and_permissions(fake_github, gh):
    await gh.post(f"/repos/{REPO}/issues", data={"title": "Weekly papers", "labels": ["paperbot"]})
    fake_github.add_issue(REPO, "Other", user="alice", labels=["paperbot"])
    mine = [i async for i in gh.getiter(f"/repos/{REPO}/issues?creator=paperbot[bot]&labels=paperbot")]
    assert [i["title"] for i in mine] == ["Weekly papers"]
    alice = await gh.getitem(f"/repos/{REPO}/collaborators/alice/permission")
    assert (alice["permission"], alice["role_name"]) == ("write", "write")
    with pytest.raises(BadRequest) as stranger:
        await gh.getitem(f"/repos/{REPO}/collaborators/mallory/permission")
    assert stranger.value.status_code == 404
    assert response_problems(fake_github) == []


async def test_spec_violations_and_unknown_routes_are_recorded(fake_github, gh):
    with pytest.raises(InvalidField) as bad:
        await gh.post(f"/repos/{REPO}/pulls", data={"title": 5, "head": "x", "base": "main"})
    assert bad.value.status_code == 422 and "Invalid request." in str(bad.value)
    with pytest.raises(BadRequest) as unknown:
        await gh.getitem(f"/repos/{REPO}/branches")
    assert unknown.value.status_code == 404
    [p async for p in gh.getiter(f"/repos/{REPO}/pulls?head=paperbot/add")]  # owner missing
    problems = fake_github.problems()
    assert any("is not of type 'string'" in p for p in problems)
    assert any("unexpected: GET /repos/octo-org/awesome-papers/branches" in p for p in problems)
    assert any("lacks 'owner:'" in p for p in problems)
    with pytest.raises(pytest.fail.Exception, match="would not accept"):
        check_fake_github(fake_github)
    fake_github.allow_unexpected()
    check_fake_github(fake_github)


async def test_etags_make_repeat_reads_free(fake_github, gh, session):
    cached = GitHubAPI(session, "t", oauth_token=gh.oauth_token, base_url=fake_github.url, cache={})
    first = await cached.getitem(f"/repos/{REPO}/contents/README.md")
    counted = fake_github.rate_limited_calls()
    second = await cached.getitem(f"/repos/{REPO}/contents/README.md")
    assert first == second and fake_github.calls()[-1].status == 304
    assert fake_github.rate_limited_calls() == counted
    fake_github.push_to_default(REPO, {"README.md": "new"})
    await cached.getitem(f"/repos/{REPO}/contents/README.md")
    assert fake_github.calls()[-1].status == 200


async def test_faults_and_latency(fake_github, gh):
    fake_github.fail_next("GET", r"/contents/", 502)
    with pytest.raises(GitHubBroken):
        await gh.getitem(f"/repos/{REPO}/contents/README.md")
    fake_github.fail_next("POST", r"/comments$", 403, headers={"Retry-After": "7"})
    number = fake_github.add_issue(REPO, "x")
    with pytest.raises(BadRequest) as limited:
        await gh.post(f"/repos/{REPO}/issues/{number}/comments", data={"body": "hi"})
    assert limited.value.status_code == 403 and limited.value.headers["retry-after"] == "7"
    assert fake_github.comments(REPO, number) == []
    await gh.getitem(f"/repos/{REPO}/contents/README.md")
    fake_github.delay = 0.15
    started = time.monotonic()
    await gh.getitem(f"/repos/{REPO}")
    assert time.monotonic() - started >= 0.15
    assert [c.method for c in fake_github.mutating_calls()] == ["POST", "POST"]  # token + comment


async def test_app_and_manifest_conversion(fake_github, github_app_key, session):
    app = GitHubAPI(session, "t", base_url=fake_github.url)
    me = await app.getitem("/app", jwt=get_jwt(app_id=str(fake_github.app_id), private_key=github_app_key))
    assert (me["id"], me["slug"]) == (fake_github.app_id, "paperbot")
    fake_github.add_manifest_code("abc123")
    converted = await app.post("/app-manifests/abc123/conversions", data=b"")
    assert converted["pem"] == github_app_key and converted["webhook_secret"]
    with pytest.raises(BadRequest) as reused:
        await app.post("/app-manifests/abc123/conversions", data=b"")
    assert reused.value.status_code == 404
    assert response_problems(fake_github) == []


def test_webhooks_are_signed_and_match_schemas(fake_github, signed_webhook, load_webhook):
    payload = load_webhook("issue_comment.created.with-installation")
    headers, body = signed_webhook("s3cret", "issue_comment", payload)
    event = Event.from_http({k.lower(): v for k, v in headers.items()}, body, secret="s3cret")
    assert event.event == "issue_comment" and event.data["action"] == "created"
    assert webhook_schema_errors("issue_comment", "created", payload) == []
    fake_github.add_repo(REPO, {"README.md": README})
    number = fake_github.add_issue(REPO, "Add", user="alice")
    comment = fake_github.add_comment(REPO, number, "/add 1605.08386", user="alice")
    ours = issue_comment_event(fake_github, REPO, number, comment)
    assert webhook_schema_errors("issue_comment", "created", ours) == []
    assert (
        ours["comment"]["id"] == comment
        and ours["installation"]["id"] == fake_github.repo(REPO).installation_id
    )


# -- arXiv ------------------------------------------------------------------------------------


def arxiv_client(fake, **options):
    client = arxiv.Client(**{"delay_seconds": 0, "num_retries": 0, **options})
    client.query_url_format = fake.url + "?{}"
    return client


async def fetch(fake, **options):
    search_options = {
        k: options.pop(k) for k in list(options) if k in ("id_list", "query", "max_results", "sort_by")
    }
    client = arxiv_client(fake, **options)
    return await asyncio.to_thread(lambda: list(client.results(arxiv.Search(**search_options))))


@pytest.mark.parametrize("dialect", ["current", "classic"])
async def test_arxiv_answers_ids_in_both_dialects(fake_arxiv, dialect):
    fake_arxiv.dialect = dialect
    found = await fetch(fake_arxiv, id_list=["1605.08386", "astro-ph/0601001", "2104.12255v1", "0808.05394"])
    assert [r.get_short_id() for r in found] == ["1605.08386v1", "astro-ph/0601001v1", "2104.12255v1"]
    assert found[0].title == "Heat-bath random walks with Markov bases" and found[2].title == "0"
    assert (
        found[1].authors[0].affiliation == ["Ohio State"]
        and found[1].journal_ref == "ActaAstron.56:1-50,2006"
    )
    with pytest.raises(arxiv.HTTPError) as malformed:
        await fetch(fake_arxiv, id_list=["abc"])
    assert malformed.value.status == 400
    assert b"incorrect id format for abc" in (await _raw(fake_arxiv, "id_list=abc"))[1]


async def _raw(fake, query):
    async with aiohttp.ClientSession() as http, http.get(f"{fake.url}?{query}") as response:
        return response.status, await response.read()


async def test_hostile_titles_round_trip(fake_arxiv):
    title = 'Attacks on <script> & "quotes" | pipes\nand newlines'
    fake_arxiv.add_paper(
        "2502.05206",
        title,
        "Abstract with <b>&amp;</b>",
        ["Ann Author"],
        "2025-02-07",
        ["cs.CL", "cs.AI"],
        version=2,
    )
    for dialect in ("current", "classic"):
        fake_arxiv.dialect = dialect
        [paper] = await fetch(fake_arxiv, id_list=["2502.05206"])
        assert paper.title == 'Attacks on <script> & "quotes" | pipes and newlines'
        assert " ".join(paper.summary.split()) == "Abstract with <b>&amp;</b>"
        assert (paper.get_short_id(), paper.primary_category) == ("2502.05206v2", "cs.CL")


async def test_search_query_subset(fake_arxiv):
    fake_arxiv.add_paper(
        "2501.00001",
        "Safety of large reasoning models",
        "We study LRM safety.",
        ["A B"],
        "2025-01-02",
        ["cs.CL"],
    )
    fake_arxiv.add_paper(
        "2501.00002", "Reasoning models and safety", "LRM jailbreaks.", ["C D"], "2025-01-05", ["cs.LG"]
    )
    fake_arxiv.add_paper("2412.00003", "Large reasoning models", "Old.", ["E F"], "2024-12-20", ["cs.CL"])
    query = (
        'ti:"reasoning models" AND (cat:cs.CL OR cat:cs.LG) AND submittedDate:[202501010000 TO 202501312359]'
    )
    found = await fetch(fake_arxiv, query=query, sort_by=arxiv.SortCriterion.SubmittedDate)
    assert [r.get_short_id() for r in found] == ["2501.00002v1", "2501.00001v1"]
    found = await fetch(fake_arxiv, query="abs:LRM ANDNOT cat:cs.LG")
    assert [r.get_short_id() for r in found] == ["2501.00001v1"]
    many = await fetch(fake_arxiv, query="testing", max_results=25, page_size=10)
    assert len(many) == 25 and [c.query["start"] for c in fake_arxiv.call_log[-3:]] == ["0", "10", "20"]


async def test_arxiv_faults_and_call_log(fake_arxiv):
    fake_arxiv.fail_next(503)
    found = await fetch(fake_arxiv, id_list=["1605.08386"], num_retries=1, delay_seconds=0.2)
    assert len(found) == 1 and [c.status for c in fake_arxiv.call_log] == [503, 200]
    assert fake_arxiv.intervals()[0] >= 0.2
    fake_arxiv.fail_next("rate-exceeded-200")
    assert await fetch(fake_arxiv, id_list=["1605.08386"]) == []
    fake_arxiv.fail_next("empty")
    assert await fetch(fake_arxiv, id_list=["1605.08386"]) == []
    fake_arxiv.hang_seconds = 5
    fake_arxiv.fail_next("timeout")
    with pytest.raises(asyncio.TimeoutError):
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.3)) as http:
            await http.get(f"{fake_arxiv.url}?id_list=1605.08386")
    fake_arxiv.release_hanging()


@pytest.mark.parametrize(
    "name", ["arxivpy.id_list.old-style-id.xml", "ewan-m.classic.search_query.10-entries.xml"]
)
def test_rendered_entries_keep_the_recorded_layout(name):
    from lxml import etree

    recorded = etree.fromstring((ARXIV_DIR / name).read_bytes())
    dialect = "classic" if "classic" in name else "current"
    papers = parse_feed_papers((ARXIV_DIR / name).read_bytes())
    rendered = etree.fromstring(render_feed(dialect, "q", "q", [(p, p.version) for p in papers], 1, 0, 10))

    def shape(root):
        return [
            [(c.tag, sorted(c.attrib.items()), (c.text or "").strip()) for c in e]
            for e in root.iterfind("atom:entry", NS)
        ]

    assert shape(rendered) == shape(recorded)
