"""Test-wide fixtures: the fake GitHub and fake arXiv servers live in tests/fakes/plugin.py."""

import logging
import re

import pytest

from tests.harness import WEBHOOK_SECRET, BotHarness, make_harness

pytest_plugins = ["tests.fakes.plugin", "tests.redis_server"]


@pytest.fixture
async def bot(aiohttp_client, fake_github, fake_arxiv, fake_scholarly, github_app_key,
              github_app_id) -> BotHarness:
    """The real app (same factory as production) talking to the fakes over HTTP."""
    return await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id,
                              scholarly_min_interval=0.0, **fake_scholarly.settings())


@pytest.fixture(autouse=True)
def fast_github_retries(monkeypatch):
    """Keep the real retry logic, with backoff in milliseconds instead of seconds."""
    from bot.github.client import GitHubAPI

    monkeypatch.setattr(GitHubAPI, "retry_base_delay", 0.01)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")


@pytest.fixture(autouse=True)
def no_secrets_in_logs(request, github_app_key):
    """Every test: whatever was logged (any logger, any level) holds no secret, key, JWT or token."""
    fake = request.getfixturevalue("fake_github") if "fake_github" in request.fixturenames else None
    capture = _Capture()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    yield
    root.removeHandler(capture)
    root.setLevel(previous)
    secrets = {WEBHOOK_SECRET, *github_app_key.strip().splitlines()[1:-1]}
    if fake is not None:
        secrets |= set(fake.tokens)
    logged = "\n".join(capture.lines)
    leaked = sorted(s for s in secrets if s and s in logged)
    assert not leaked and not _JWT.search(logged), f"secret material in logs: {leaked[:1]}"
