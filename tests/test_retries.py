"""GitHub retries (bot/github/retry.py on tenacity): what is resent, when, and how often."""

from __future__ import annotations

import asyncio
import itertools
import time

import aiohttp
import pytest
from gidgethub import BadRequest, GitHubBroken

from bot.github.client import GitHubApp
from bot.github.retry import (
    MAX_RETRIES,
    MAX_RETRY_WAIT,
    github_retrying,
    is_mutation,
    retryable_answer,
    retryable_error,
    server_wait,
)

REPO = "octo-org/list"
COMMENTS = f"/repos/{REPO}/issues/{{number}}/comments"
README = f"/repos/{REPO}/contents/README.md"


@pytest.mark.parametrize(("headers", "wait"), [
    ({"retry-after": "7"}, 7.0),
    ({"retry-after": "3600"}, MAX_RETRY_WAIT),  # capped
    ({"retry-after": "soon"}, None),
    ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"}, 0.0),  # already reset
    ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 7200)}, MAX_RETRY_WAIT),
    ({"x-ratelimit-remaining": "12", "x-ratelimit-reset": str(int(time.time()) + 30)}, None),
    ({}, None),
])
def test_the_wait_github_asks_for_is_honoured_and_capped(headers, wait):
    assert server_wait(headers) == wait


@pytest.mark.parametrize(("method", "path", "status", "headers", "retried"), [
    ("GET", "/repos/o/r/pulls", 502, {}, True),
    ("PUT", "/repos/o/r/contents/README.md", 503, {}, True),
    ("POST", "/repos/o/r/pulls", 500, {}, True),  # a duplicate pull request is refused (422)
    ("POST", "/graphql", 502, {}, True),
    ("POST", "/repos/o/r/issues/1/comments", 502, {}, False),  # may have been posted
    ("POST", "/repos/o/r/issues", 503, {}, False),
    ("POST", "/repos/o/r/issues/1/comments", 403, {"retry-after": "3"}, True),  # refused: nothing done
    ("POST", "/repos/o/r/issues/1/comments", 429, {}, True),
    ("GET", "/repos/o/r", 403, {"x-ratelimit-remaining": "0"}, True),
    ("GET", "/repos/o/r", 403, {"x-ratelimit-remaining": "4999"}, False),  # a permission problem
    ("GET", "/repos/o/r", 404, {}, False),
    ("PUT", "/repos/o/r/contents/README.md", 409, {}, False),
])
def test_which_answers_are_retried(method, path, status, headers, retried):
    assert retryable_answer(method, "https://api.github.com" + path, status, headers) is retried


@pytest.mark.parametrize(("method", "path", "retried"), [
    ("GET", "/repos/o/r/pulls", True),
    ("POST", "/graphql", True),  # the bot's GraphQL documents are reads
    ("PUT", "/repos/o/r/contents/README.md", False),
    ("POST", "/repos/o/r/issues/1/comments", False),
])
def test_only_reads_are_resent_after_a_timeout(method, path, retried):
    url = "https://api.github.com" + path
    assert retryable_error(method, url, TimeoutError()) is retried
    assert retryable_error(method, url, ValueError()) is False


@pytest.mark.parametrize(("body", "mutation"), [
    (b'{"query": "mutation paperbotCommit($c: X!) { c }", "variables": {}}', True),
    (b'{"query": "\\n  mutation m { c }"}', True),
    (b'{"query": "query paperbotSnapshot { viewer { login } }"}', False),
    (b'{"query": "{ viewer { login } }"}', False),
    (b"not json", False),
    (b"", False),
])
def test_graphql_mutations_are_told_from_queries(body, mutation):
    assert is_mutation("https://api.github.com/graphql", body) is mutation
    assert is_mutation("https://api.github.com/repos/o/r/pulls", body) is False


async def test_a_mutation_is_resent_only_after_a_rate_limit():
    """A compare-and-swap write that failed with 5xx or a timeout may have landed: not resent."""
    url = "https://api.github.com/graphql"

    async def no_sleep(_: float) -> None:
        return None

    for answer, attempts in (((502, {}, b""), 1), ((429, {}, b""), MAX_RETRIES)):
        calls = []

        async def send(answer=answer, calls=calls):
            calls.append(1)
            return answer

        retrying = github_retrying("POST", url, base_delay=0, sleep=no_sleep, mutation=True)
        assert await retrying(send) == answer
        assert len(calls) == attempts
    calls = []

    async def times_out():
        calls.append(1)
        raise TimeoutError

    with pytest.raises(TimeoutError):
        await github_retrying("POST", url, base_delay=0, sleep=no_sleep, mutation=True)(times_out)
    assert len(calls) == 1


@pytest.fixture
async def client(fake_github, github_app_key, github_app_id):
    """An installation's client, as the bot makes it, with a short timeout for the timeout tests."""
    fake_github.add_repo(REPO, {"README.md": "# List\n"})
    installation = fake_github.repo(REPO).installation_id
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.5)) as session:
        app = GitHubApp(session, app_id=str(github_app_id), private_key=github_app_key,
                        base_url=fake_github.url)
        yield app.installation_api(installation)


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


async def test_retry_after_is_waited_for(client, fake_github):
    fake_github.fail_next("GET", r"/contents/README\.md$", 403, headers={"Retry-After": "1"})
    assert (await client.getitem(README))["name"] == "README.md"
    calls = fake_github.calls("GET", "/contents/")
    assert [c.status for c in calls] == [403, 200] and gaps([c.at for c in calls])[0] >= 0.95


async def test_an_exhausted_rate_limit_waits_for_its_reset(client, fake_github):
    reset = int(time.time()) + 1
    fake_github.fail_next("GET", r"/contents/README\.md$", 403,
                          headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    await client.getitem(README)
    first, second = fake_github.calls("GET", "/contents/")
    assert first.status == 403 and second.status == 200
    assert time.time() >= reset - 0.05


async def test_retries_are_bounded(client, fake_github):
    fake_github.fail_next("GET", r"/contents/README\.md$", 502, times=10)
    with pytest.raises(GitHubBroken):
        await client.getitem(README)
    assert [c.status for c in fake_github.calls("GET", "/contents/")] == [502] * MAX_RETRIES


async def test_a_comment_is_never_resent_after_a_5xx_but_a_file_write_is(client, fake_github):
    number = fake_github.add_issue(REPO, "x")
    fake_github.fail_next("POST", r"/comments$", 502)
    with pytest.raises(GitHubBroken):
        await client.post(COMMENTS.format(number=number), data={"body": "hi"})
    assert len(fake_github.calls("POST", "/comments")) == 1
    fake_github.fail_next("PUT", r"/contents/README\.md$", 502)
    sha = (await client.getitem(README))["sha"]
    await client.put(README, data={"message": "m", "content": "eA==", "sha": sha})
    assert [c.status for c in fake_github.calls("PUT", "/contents/")] == [502, 200]


async def test_after_a_timeout_reads_are_resent_and_writes_are_not(client, fake_github):
    number = fake_github.add_issue(REPO, "x")
    await client.getitem(README)  # the token, before the fake turns slow
    fake_github.delay = 0.8  # longer than the client's 0.5 s timeout
    with pytest.raises(TimeoutError):
        await client.getitem(f"/repos/{REPO}")
    with pytest.raises(TimeoutError):
        await client.post(COMMENTS.format(number=number), data={"body": "hi"})
    await asyncio.sleep(0.5)  # the fake notices the last hang-up
    hung_up = [(c.method, c.path) for c in fake_github.call_log if c.status == 499]
    assert hung_up == [("GET", f"/repos/{REPO}")] * MAX_RETRIES + [("POST", COMMENTS.format(number=number))]


async def test_a_client_error_is_not_retried(client, fake_github):
    with pytest.raises(BadRequest):
        await client.getitem(f"/repos/{REPO}/contents/missing.md")
    assert len(fake_github.calls("GET", "/contents/missing.md")) == 1
