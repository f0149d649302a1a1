"""Pytest fixtures for the fake GitHub and fake arXiv (enable with
`pytest_plugins = ["tests.fakes.plugin"]`).

Both fakes listen on 127.0.0.1 on a free port; point the bot at `fake_github.url` and
`fake_arxiv.url` (`GITHUB_API_URL`, `ARXIV_API_URL`). A test fails at teardown when the fake
GitHub saw a request outside its routes or one its OpenAPI description rejects, unless the
test is marked `allow_unexpected_github` or calls `fake_github.allow_unexpected()`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.arxiv import FakeArxiv
from tests.fakes.github import FakeGitHub
from tests.fakes.scholarly import FakeScholarly
from tests.fakes.webhooks import load_webhook as _load_webhook
from tests.fakes.webhooks import signed_webhook as _signed_webhook

GITHUB_APP_ID = 424242
ALLOW_MARKER = "allow_unexpected_github"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{ALLOW_MARKER}: the test sends GitHub bad requests on purpose; skip the fake's check"
    )


@pytest.fixture(scope="session")
def github_app_key() -> str:
    """The app's RSA private key (PEM), made once per session: 2048-bit keys take a moment."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def github_app_id() -> int:
    return GITHUB_APP_ID


@pytest.fixture
async def fake_github(
    aiohttp_server: Any, github_app_key: str, github_app_id: int, request: pytest.FixtureRequest
) -> AsyncIterator[FakeGitHub]:
    fake = FakeGitHub(app_id=github_app_id, private_key_pem=github_app_key)
    server = await aiohttp_server(fake.app)
    fake.url = str(server.make_url("")).rstrip("/")
    yield fake
    check_fake_github(fake, allowed=request.node.get_closest_marker(ALLOW_MARKER) is not None)


def check_fake_github(fake: FakeGitHub, allowed: bool = False) -> None:
    """Fail the test when the fake saw requests real GitHub would reject or that it does not serve."""
    if fake.problems() and not (allowed or fake.unexpected_allowed):
        pytest.fail(
            "fake GitHub saw requests real GitHub would not accept:\n  " + "\n  ".join(fake.problems())
        )


@pytest.fixture
async def fake_arxiv(aiohttp_server: Any) -> AsyncIterator[FakeArxiv]:
    fake = FakeArxiv()
    server = await aiohttp_server(fake.app)
    fake.url = str(server.make_url("/api/query"))
    yield fake
    fake.release_hanging()


@pytest.fixture
async def fake_scholarly(aiohttp_server: Any) -> AsyncIterator[FakeScholarly]:
    """Crossref, OpenAlex, Semantic Scholar, OpenReview and the ACL Anthology; fails the test on a call
    outside their routes."""
    fake = FakeScholarly()
    server = await aiohttp_server(fake.app)
    fake.url = str(server.make_url("")).rstrip("/")
    yield fake
    fake.release_hanging()
    if fake.unexpected:
        pytest.fail("fake scholarly sources saw unexpected calls:\n  " + "\n  ".join(fake.unexpected))


@pytest.fixture
def signed_webhook() -> Callable[..., tuple[dict[str, str], bytes]]:
    """`signed_webhook(secret, event, payload) -> (headers, body)`."""
    return _signed_webhook


@pytest.fixture
def load_webhook() -> Callable[[str], dict[str, Any]]:
    """`load_webhook("issue_comment.created.with-installation") -> dict` (a fresh copy)."""
    return _load_webhook
