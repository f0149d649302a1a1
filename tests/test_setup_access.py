"""The setup page is only for whoever holds the link paperbot prints: token -> cookie -> pages."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from html import escape
from pathlib import Path

import aiohttp
import pytest

from bot.setup.access import COOKIE, NOT_FROM_LINK, WRONG_LINK
from bot.setup.app import create_setup_app
from bot.setup.manifest import WEBHOOK_PATH
from tests.harness import free_port
from tests.test_setup import APP_YML, MISSING, start_registration

TOKEN = "s3tup-t0ken-for-tests"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def gated(aiohttp_client, tmp_path, fake_github):
    app = create_setup_app(env_path=tmp_path / ".env", github_api_url=fake_github.url, manifest_path=APP_YML,
                           public_url=None, missing=MISSING, access_token=TOKEN)
    return await aiohttp_client(app)


async def enter(client) -> None:
    """Open the printed link: the token becomes a cookie and leaves the address."""
    response = await client.get("/", params={"token": TOKEN}, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/"
    cookie = response.cookies[COOKIE]
    assert cookie.value == TOKEN and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert response.headers["Cache-Control"] == "no-store"


async def test_without_the_link_every_page_and_form_is_refused(gated):
    for method, path in (("GET", "/"), ("POST", "/setup/register"), ("POST", "/setup/import"),
                         ("GET", "/setup/callback?code=c&state=s")):
        response = await gated.request(method, path)
        assert response.status == 403, path
        assert escape(NOT_FROM_LINK) in await response.text()
    wrong = await gated.get("/", params={"token": "guess"})
    assert wrong.status == 403 and escape(WRONG_LINK) in await wrong.text()
    posted = await gated.post("/setup/import", params={"token": TOKEN}, data={"app_id": "1"})
    assert posted.status == 403  # the token opens the page, it does not post forms


async def test_health_and_webhooks_need_no_link(gated):
    assert (await gated.get("/health")).status == 200
    assert (await gated.post(WEBHOOK_PATH, data=b"{}")).status == 503


async def test_the_link_opens_the_page_and_the_whole_registration(gated, tmp_path, fake_github):
    await enter(gated)
    page = await gated.get("/")
    assert page.status == 200 and 'id="register"' in await page.text()
    _, _, state = await start_registration(gated)
    fake_github.add_manifest_code("one-time-code")
    done = await gated.get("/setup/callback", params={"code": "one-time-code", "state": state})
    assert done.status == 200, await done.text()
    assert "APP_ID=" in (tmp_path / ".env").read_text()


async def test_a_stranger_cannot_finish_a_registration_begun_by_the_owner(gated, fake_github):
    await enter(gated)
    _, _, state = await start_registration(gated)
    fake_github.add_manifest_code("one-time-code")
    gated.session.cookie_jar.clear()  # the same callback URL, from a browser without the cookie
    response = await gated.get("/setup/callback", params={"code": "one-time-code", "state": state})
    assert response.status == 403


async def read_link(process: asyncio.subprocess.Process) -> str:
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        assert line, "paperbot exited before printing its setup link"
        found = re.search(r"open (\S+) to register", line)
        if found:
            return found[1]


@pytest.mark.parametrize("chosen", [None, "my-own-setup-token"])
async def test_python_m_bot_prints_a_link_that_opens_the_setup_page(tmp_path, chosen):
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in {"APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_SECRET", "SETUP_TOKEN"}}
    env.update(PORT=str(port), PYTHONPATH=str(ROOT), **({"SETUP_TOKEN": chosen} if chosen else {}))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT)
    try:
        link = await read_link(process)
        assert link.startswith(f"http://localhost:{port}/?token=")
        token = link.split("token=", 1)[1]
        assert token == chosen if chosen else len(token) >= 20
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://localhost:{port}/") as refused:
                assert refused.status == 403
            async with session.get(link) as page:  # follows the redirect with the cookie
                assert page.status == 200 and 'id="register"' in await page.text()
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 20)
