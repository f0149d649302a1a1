"""Setup mode in a real headless Chromium: the page renders, the forms are filled and clicked.

Chromium is driven over the DevTools protocol with aiohttp (no driver downloads, no network: every
flag that would make Chromium phone home is off). Set PAPERBOT_SCREENSHOTS=/some/dir to keep the
screenshots for a look; otherwise they go to the test's tmp_path.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml

from bot.settings import Settings
from bot.setup.app import create_setup_app

CHROMIUM = Path("/usr/bin/chromium")
APP_YML = Path(__file__).resolve().parent.parent / "app.yml"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--hide-scrollbars", "--mute-audio",
         "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "about:blank"]
STEP_TIMEOUT = 20.0

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="chromium not installed: apt-get install chromium")


class Page:
    """One browser tab over a DevTools websocket: calls by id, events in arrival order."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.session: str | None = None
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._events: list[str] = []
        self._event_arrived = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._waiting:
                self._waiting.pop(data["id"]).set_result(data)
            elif "method" in data:
                self._events.append(data["method"])
                self._event_arrived.set()

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        self._waiting[ident] = asyncio.get_running_loop().create_future()
        await self.ws.send_str(json.dumps(message))
        answer = await asyncio.wait_for(self._waiting[ident], STEP_TIMEOUT)
        assert "error" not in answer, f"{method}: {answer['error']}"
        return answer["result"]

    async def wait_for(self, event: str) -> None:
        async with asyncio.timeout(STEP_TIMEOUT):
            while event not in self._events:
                self._event_arrived.clear()
                await self._event_arrived.wait()
        self._events.clear()

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    async def open(self, url: str) -> None:
        self._events.clear()
        await self.call("Page.navigate", url=url)
        await self.wait_for("Page.loadEventFired")

    async def type_into(self, selector: str, text: str) -> None:
        await self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        await self.call("Input.insertText", text=text)

    async def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element, as a person would."""
        box = await self.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView();"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left",
                            clickCount=1)

    async def click_and_load(self, selector: str) -> None:
        self._events.clear()
        await self.click(selector)
        await self.wait_for("Page.loadEventFired")

    async def screenshot(self, path: Path) -> None:
        height = await self.evaluate("document.documentElement.scrollHeight")
        shot = await self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                               clip={"x": 0, "y": 0, "width": 900, "height": height, "scale": 1})
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    profile = tmp_path / "profile"
    log = tmp_path / "chromium.log"
    with log.open("wb") as output:
        browser = await asyncio.create_subprocess_exec(
            CHROMIUM, *FLAGS[:-1], f"--user-data-dir={profile}", FLAGS[-1], stdout=output, stderr=output)
    try:
        port_file = profile / "DevToolsActivePort"
        async with asyncio.timeout(STEP_TIMEOUT):
            while not port_file.exists() or len(port_file.read_text().splitlines()) < 2:
                assert browser.returncode is None, log.read_text()
                await asyncio.sleep(0.05)  # Chromium writes the file once DevTools listens
        port, path = port_file.read_text().splitlines()[:2]
        async with aiohttp.ClientSession() as http, http.ws_connect(
                f"ws://127.0.0.1:{port}{path}", max_msg_size=0) as ws:
            tab = Page(ws)
            target = await tab.call("Target.createTarget", url="about:blank")
            tab.session = (await tab.call("Target.attachToTarget", targetId=target["targetId"],
                                          flatten=True))["sessionId"]
            await tab.call("Page.enable")
            await tab.call("Emulation.setDeviceMetricsOverride", width=900, height=900,
                           deviceScaleFactor=1, mobile=False)
            yield tab
            tab._reader.cancel()
    finally:
        browser.terminate()
        try:
            await asyncio.wait_for(browser.wait(), timeout=10)
        except TimeoutError:
            browser.kill()
            await browser.wait()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PAPERBOT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


SETUP_TOKEN = "token-from-the-log"


@pytest.fixture
async def setup_url(aiohttp_server, tmp_path, fake_github) -> str:
    (tmp_path / ".env").write_text("# mine\nLOG_LEVEL=DEBUG\n")
    app = create_setup_app(env_path=tmp_path / ".env", github_api_url=fake_github.url,
                           manifest_path=APP_YML, public_url=None,
                           missing=["APP_ID", "WEBHOOK_SECRET", "PRIVATE_KEY (or PRIVATE_KEY_PATH)"],
                           access_token=SETUP_TOKEN)
    server = await aiohttp_server(app, host="127.0.0.1")
    return str(server.make_url("/"))


async def open_setup_link(page, setup_url: str) -> None:
    """As the operator does: the link from the log; the browser keeps the cookie it is traded for."""
    await page.open(f"{setup_url}?token={SETUP_TOKEN}")
    assert await page.evaluate("location.search") == ""  # the token left the address bar


def is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


async def test_import_form_in_a_browser_writes_env(page, setup_url, tmp_path, fake_github, github_app_key,
                                                   shots):
    await open_setup_link(page, setup_url)
    assert "setup mode" in await page.evaluate("document.body.innerText")
    await page.screenshot(shots / "paperbot-setup-page.png")
    await page.type_into("#app_id", str(fake_github.app_id))
    await page.type_into("#private_key", github_app_key)
    await page.type_into("#webhook_secret", "typed-in-a-browser")
    await page.click_and_load("#import button[type=submit]")
    text = await page.evaluate("document.body.innerText")
    await page.screenshot(shots / "paperbot-setup-done.png")
    assert "paperbot is registered" in text, text
    assert await page.evaluate("document.getElementById('install').href") == (
        "https://github.com/apps/paperbot/installations/new")
    env = tmp_path / ".env"
    assert env.read_text().startswith("# mine\nLOG_LEVEL=DEBUG\nAPP_ID=")
    settings = Settings.from_env({}, env_file=env)
    assert settings.webhook_secret == "typed-in-a-browser"
    assert settings.private_key == github_app_key  # the textarea's CRLF newlines did not leak through
    assert is_png(shots / "paperbot-setup-page.png") and is_png(shots / "paperbot-setup-done.png")


async def test_register_form_in_a_browser_carries_the_manifest(page, setup_url, fake_github, shots):
    await open_setup_link(page, setup_url)
    await page.click("input[name=owner][value=organization]")
    await page.type_into("#organization", "my-lab")
    await page.click_and_load("#register button[type=submit]")
    await page.screenshot(shots / "paperbot-setup-confirm.png")
    manifest = json.loads(await page.evaluate("document.getElementById('manifest').value"))
    action = await page.evaluate("document.getElementById('manifest-form').action")
    expected = yaml.safe_load(APP_YML.read_text())
    expected["hook_attributes"]["url"] = setup_url + "api/github/webhooks"
    expected["redirect_url"] = setup_url + "setup/callback"
    assert manifest == expected
    assert action.startswith(f"{fake_github.url}/organizations/my-lab/settings/apps/new?state=")
    assert is_png(shots / "paperbot-setup-confirm.png")
