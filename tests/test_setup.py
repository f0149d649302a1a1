"""Setup mode: the page, the manifest flow against the fake GitHub, the import form, and `.env` writing."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import stat
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from bot.settings import Settings, read_env_file
from bot.setup import credentials as creds
from bot.setup import github_calls as setup_github
from bot.setup import pages as setup_pages
from bot.setup.app import (
    ALREADY_CONFIGURED,
    BAD_ORGANIZATION,
    BAD_STATE,
    CROSS_SITE,
    ENV_UNWRITABLE,
    REJECTED,
    create_setup_app,
    run_until_configured,
)
from bot.setup.env_file import format_env_value, merge_env_text, update_env_file
from bot.setup.manifest import WEBHOOK_PATH, base_url_of, github_web_url, registration_url

APP_YML = Path(__file__).resolve().parent.parent / "app.yml"
MISSING = ["APP_ID", "WEBHOOK_SECRET", "PRIVATE_KEY (or PRIVATE_KEY_PATH)"]
EXISTING_ENV = "# paperbot settings\nLOG_LEVEL=DEBUG\n\nAPP_ID=\nARXIV_MIN_INTERVAL=5 # be polite\n"


class Forms(HTMLParser):
    """The forms of a page: id -> {"action", "method", fields: {name: value}}."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._current: dict | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self._current = {"action": found.get("action"), "method": found.get("method"), "fields": {}}
            self.forms[found.get("id") or str(len(self.forms))] = self._current
        elif (tag in ("input", "textarea") and self._current is not None and found.get("name")
              and (found.get("type") != "radio" or "checked" in found)):
            self._current["fields"][found["name"]] = found.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture
def env_path(tmp_path: Path) -> Path:
    path = tmp_path / ".env"
    path.write_text(EXISTING_ENV)
    return path


@pytest.fixture
def make_client(aiohttp_client, env_path, fake_github):
    async def make(api_url: str | None = None, public_url: str | None = None, manifest: Path = APP_YML,
                   env: Path | None = None):
        app = create_setup_app(env_path=env or env_path, github_api_url=api_url or fake_github.url,
                               manifest_path=manifest, public_url=public_url, missing=MISSING)
        return await aiohttp_client(app)
    return make


async def start_registration(client, owner="user", organization="", headers=None) -> tuple[str, dict, str]:
    """POST the register form; (GitHub form action, manifest, state)."""
    response = await client.post("/setup/register", data={"owner": owner, "organization": organization},
                                 headers=headers or {})
    assert response.status == 200, await response.text()
    form = Forms(await response.text()).forms["manifest-form"]
    state = parse_qs(urlsplit(form["action"]).query)["state"][0]
    return form["action"], json.loads(form["fields"]["manifest"]), state


async def test_page_says_setup_mode_and_names_what_is_missing(make_client, env_path):
    client = await make_client()
    response = await client.get("/")
    text = await response.text()
    assert response.status == 200
    assert escape(setup_pages.SETUP_TITLE) in text
    assert escape(setup_pages.WHY_SETUP.format(missing=", ".join(MISSING))) in text
    assert escape(str(env_path)) in text
    forms = Forms(text).forms
    assert forms["register"]["action"] == "/setup/register"
    assert set(forms["import"]["fields"]) == {"app_id", "private_key", "webhook_secret"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


async def test_page_escapes_what_it_shows(aiohttp_client, tmp_path, fake_github):
    app = create_setup_app(env_path=tmp_path / "<b>.env", github_api_url=fake_github.url, manifest_path=APP_YML,
                           public_url="https://x.example/\"><script>", missing=["<script>alert(1)</script>"])
    text = await (await (await aiohttp_client(app)).get("/")).text()
    assert "<script>" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


async def test_register_posts_app_yml_with_this_servers_urls_to_github(make_client, fake_github):
    client = await make_client()
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "paperbot.example.org"}
    action, manifest, state = await start_registration(client, headers=proxy)
    expected = yaml.safe_load(APP_YML.read_text())
    expected["hook_attributes"]["url"] = "https://paperbot.example.org/api/github/webhooks"
    expected["redirect_url"] = "https://paperbot.example.org/setup/callback"
    assert manifest == expected
    assert action == f"{fake_github.url}/settings/apps/new?state={state}"
    assert len(state) >= 32


async def test_manifest_text_survives_html_quoting(make_client, tmp_path):
    tricky = yaml.safe_load(APP_YML.read_text())
    tricky["description"] = "It's <b>\"bold\"</b> & more — 'quoted'"
    (tmp_path / "app.yml").write_text(yaml.safe_dump(tricky))
    client = await make_client(manifest=tmp_path / "app.yml")
    _, manifest, _ = await start_registration(client)
    assert manifest["description"] == tricky["description"]


@pytest.mark.parametrize("owner", ["organization", "user"])  # typing a login means an organisation
async def test_register_for_an_organisation_and_public_url_wins(make_client, owner):
    client = await make_client(public_url="https://bot.example.net/")
    action, manifest, _ = await start_registration(client, owner, " my-lab ")
    assert urlsplit(action).path == "/organizations/my-lab/settings/apps/new"
    assert manifest["hook_attributes"]["url"] == "https://bot.example.net" + WEBHOOK_PATH
    assert manifest["redirect_url"] == "https://bot.example.net/setup/callback"


@pytest.mark.parametrize("organization", ["", "-lab", "my lab", "a" * 40, "lab--x", "x/../y"])
async def test_register_rejects_a_bad_organisation_login(make_client, organization):
    client = await make_client()
    response = await client.post("/setup/register", data={"owner": "organization", "organization": organization})
    assert response.status == 400
    assert escape(BAD_ORGANIZATION) in await response.text()


async def test_callback_writes_env_keeping_other_lines(make_client, env_path, fake_github,
                                                       github_app_key, github_app_id):
    client = await make_client()
    _, _, state = await start_registration(client)
    fake_github.add_manifest_code("one-time-code")
    response = await client.get("/setup/callback", params={"code": "one-time-code", "state": state})
    text = await response.text()
    assert response.status == 200, text
    assert 'id="install" href="https://github.com/apps/paperbot/installations/new"' in text
    for secret in (fake_github.webhook_secret, fake_github.client_secret, "PRIVATE KEY"):
        assert secret not in text
    written = env_path.read_text()
    assert written.startswith("# paperbot settings\nLOG_LEVEL=DEBUG\n\nAPP_ID=424242\nARXIV_MIN_INTERVAL=5 # be")
    assert stat.S_IMODE(env_path.stat().st_mode) == 0o600
    values = read_env_file(env_path)
    assert values["GITHUB_CLIENT_ID"] == fake_github.client_id
    assert values["GITHUB_CLIENT_SECRET"] == fake_github.client_secret
    settings = Settings.from_env({}, env_file=env_path)
    assert (settings.app_id, settings.webhook_secret) == (str(github_app_id), fake_github.webhook_secret)
    assert settings.private_key.strip() == github_app_key.strip()
    assert settings.arxiv_min_interval == 5.0
    again = await client.get("/setup/callback", params={"code": "one-time-code", "state": state})
    assert again.status == 409 and escape(ALREADY_CONFIGURED) in await again.text()


@pytest.mark.parametrize("query", [{"code": "c"}, {"code": "c", "state": "forged"}, {"state": ""}])
async def test_callback_with_a_state_we_did_not_issue_is_refused(make_client, env_path, fake_github, query):
    client = await make_client()
    await start_registration(client)
    fake_github.add_manifest_code("c")
    response = await client.get("/setup/callback", params=query)
    assert response.status == 400
    assert escape(BAD_STATE) in await response.text()
    assert fake_github.calls("POST", "app-manifests") == []
    assert env_path.read_text() == EXISTING_ENV


async def test_unknown_code_shows_an_error_and_leaves_env_alone(make_client, env_path, fake_github):
    client = await make_client()
    _, _, state = await start_registration(client)
    response = await client.get("/setup/callback", params={"code": "never-issued", "state": state})
    assert response.status == 400
    assert escape(setup_github.CODE_UNKNOWN) in await response.text()
    assert env_path.read_text() == EXISTING_ENV
    assert [c.status for c in fake_github.calls("POST", "app-manifests")] == [404]
    replay = await client.get("/setup/callback", params={"code": "never-issued", "state": state})
    assert escape(BAD_STATE) in await replay.text()  # the state died with the code
    assert len(fake_github.calls("POST", "app-manifests")) == 1


async def test_github_unreachable_gives_a_retryable_error_page(make_client, env_path):
    client = await make_client(api_url=closed_port_url())
    _, _, state = await start_registration(client)
    response = await client.get("/setup/callback", params={"code": "c", "state": state})
    assert response.status == 502
    assert "could not reach GitHub" in await response.text()
    assert env_path.read_text() == EXISTING_ENV


async def test_unwritable_env_says_nothing_was_saved(make_client, tmp_path, fake_github):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    client = await make_client(env=blocker / ".env")
    _, _, state = await start_registration(client)
    fake_github.add_manifest_code("c")
    response = await client.get("/setup/callback", params={"code": "c", "state": state})
    assert response.status == 500
    assert "Nothing was saved" in await response.text() and "Nothing was saved" in ENV_UNWRITABLE


def pem(key, form=serialization.PrivateFormat.TraditionalOpenSSL, password: bytes | None = None) -> str:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, form, encryption).decode()


@pytest.fixture(scope="module")
def other_keys() -> dict[str, str]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "pkcs8": pem(rsa_key, serialization.PrivateFormat.PKCS8),
        "encrypted": pem(rsa_key, password=b"hunter2"),
        "ec": pem(ec.generate_private_key(ec.SECP256R1())),
    }


@pytest.mark.parametrize(("app_id", "key", "secret", "problems"), [
    ("424242", "app", "s3cret", []),
    (" 424242 ", "app-crlf", " s3cret\n", []),
    ("424242", "pkcs8", "s3cret", []),
    ("", "app", "s3cret", [creds.BAD_APP_ID]),
    ("42a", "app", "s3cret", [creds.BAD_APP_ID]),
    ("424242", "", "s3cret", [creds.NO_PRIVATE_KEY]),
    ("424242", "MIIEpAIBAAKCAQEA", "s3cret", [creds.NOT_PEM]),
    ("424242", "app-truncated", "s3cret", [creds.NOT_PEM]),
    ("424242", "encrypted", "s3cret", [creds.ENCRYPTED_KEY]),
    ("424242", "ec", "s3cret", [creds.NOT_RSA]),
    ("424242", "app", "  ", [creds.NO_WEBHOOK_SECRET]),
    ("424242", "app", "a\nb", [creds.UNWRITABLE_SECRET]),
    ("x", "", "", [creds.BAD_APP_ID, creds.NO_PRIVATE_KEY, creds.NO_WEBHOOK_SECRET]),
])
def test_import_validation(github_app_key, other_keys, app_id, key, secret, problems):
    keys = {"app": github_app_key, "app-crlf": github_app_key.replace("\n", "\r\n"),
            "app-truncated": github_app_key[:200], **other_keys}
    found, reported = creds.check_import(app_id, keys.get(key, key), secret)
    assert reported == problems
    if not problems:
        assert found is not None and found.app_id == "424242" and found.webhook_secret == "s3cret"
        assert "\r" not in found.private_key and found.private_key.endswith("-----\n")


async def test_import_checks_with_github_then_saves(make_client, env_path, fake_github, github_app_key):
    client = await make_client()
    response = await client.post("/setup/import", data={
        "app_id": str(fake_github.app_id), "private_key": github_app_key.replace("\n", "\r\n"),
        "webhook_secret": "my-secret"})
    text = await response.text()
    assert response.status == 200, text
    assert "https://github.com/apps/paperbot/installations/new" in text
    assert escape(setup_pages.UNCHECKED_NOTE) not in text and "my-secret" not in text
    assert [c.status for c in fake_github.calls("GET", "/app")] == [200]
    settings = Settings.from_env({}, env_file=env_path)
    assert settings.private_key == github_app_key and settings.webhook_secret == "my-secret"
    assert read_env_file(env_path)["GITHUB_CLIENT_ID"] == fake_github.client_id
    assert (await client.post("/setup/import", data={})).status == 409
    assert escape(setup_pages.ALREADY_DONE.format(env_path=env_path)) in await (await client.get("/")).text()


async def test_import_of_a_key_github_rejects_saves_nothing(make_client, env_path, other_keys):
    client = await make_client()
    response = await client.post("/setup/import", data={
        "app_id": "424242", "private_key": other_keys["pkcs8"], "webhook_secret": "my-secret"})
    text = await response.text()
    assert response.status == 400
    assert escape(REJECTED.format(app_id="424242")) in text
    assert ">-----BEGIN" not in text and "my-secret" not in text  # neither key nor secret echoed back
    assert Forms(text).forms["import"]["fields"]["app_id"] == "424242"
    assert env_path.read_text() == EXISTING_ENV


async def test_import_validation_errors_are_shown_and_nothing_saved(make_client, env_path):
    client = await make_client()
    response = await client.post("/setup/import", data={"app_id": "abc", "private_key": "nope",
                                                        "webhook_secret": "hide-me"})
    text = await response.text()
    assert response.status == 400
    assert escape(creds.BAD_APP_ID) in text and escape(creds.NOT_PEM) in text and "hide-me" not in text
    assert env_path.read_text() == EXISTING_ENV


async def test_import_when_github_is_unreachable_saves_with_a_note(make_client, env_path, github_app_key):
    client = await make_client(api_url=closed_port_url())
    response = await client.post("/setup/import", data={
        "app_id": "7", "private_key": github_app_key, "webhook_secret": "w"})
    assert response.status == 200
    assert escape(setup_pages.UNCHECKED_NOTE) in await response.text()
    assert read_env_file(env_path)["APP_ID"] == "7"


@pytest.mark.parametrize(("origin", "status"), [("https://evil.example", 403), ("null", 403), (None, 400)])
async def test_forms_posted_from_another_site_are_refused(make_client, env_path, origin, status):
    client = await make_client()
    headers = {"Origin": origin} if origin else {}
    response = await client.post("/setup/import", data={"app_id": "1"}, headers=headers)
    assert response.status == status
    assert (escape(CROSS_SITE) in await response.text()) == (status == 403)
    same_site = await client.post("/setup/register", data={"owner": "user"},
                                  headers={"Origin": f"http://{client.server.host}:{client.server.port}"})
    assert same_site.status == 200


async def test_health_and_webhooks_in_setup_mode(make_client):
    client = await make_client()
    health = await client.get("/health")
    assert health.status == 200
    assert (await health.json())["mode"] == "setup"
    assert (await client.post(WEBHOOK_PATH, data=b"{}")).status == 503


async def test_without_app_yml_import_still_works(make_client, tmp_path):
    client = await make_client(manifest=tmp_path / "absent.yml")
    text = await (await client.get("/")).text()
    assert "Registration is unavailable" in text and 'id="import"' in text and 'id="register"' not in text
    assert (await client.post("/setup/register", data={"owner": "user"})).status == 503


async def test_run_until_configured_returns_once_credentials_are_saved(env_path, github_app_key):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_setup_app(env_path=env_path, github_api_url=closed_port_url(), manifest_path=APP_YML,
                           public_url=None, missing=MISSING, restarts_itself=True)
    server = asyncio.create_task(run_until_configured(app, host="127.0.0.1", port=port))
    async with aiohttp.ClientSession() as session:
        for _ in range(100):
            try:
                async with session.post(f"http://127.0.0.1:{port}/setup/import", data={
                        "app_id": "9", "private_key": github_app_key, "webhook_secret": "w"}) as response:
                    text = await response.text()
                break
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.02)  # the server task has not bound the port yet
    assert escape(setup_pages.RESTART_SELF) in text
    await asyncio.wait_for(server, timeout=10)
    assert read_env_file(env_path)["APP_ID"] == "9"


# -- .env writing ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("before", "values", "after"), [
    ("A=1\nB=2\n", {"B": "3"}, "A=1\nB=3\n"),  # replace in place
    ("A=1\n", {"B": "2"}, "A=1\nB=2\n"),  # append
    ("# keep me\nA=1 # note\n\n#B=old\n", {"B": "2"}, "# keep me\nA=1 # note\n\n#B=old\nB=2\n"),
    ("A=1\r\nB=2\r\n", {"B": "3", "C": "4"}, "A=1\r\nB=3\r\nC=4\r\n"),  # CRLF kept and used
    ("", {"A": "1"}, "A=1\n"),  # empty or missing file
    ("A=1", {"B": "2"}, "A=1\nB=2\n"),  # no trailing newline
    ("B=old", {"B": "new"}, "B=new"),
    ("export B = 'old'\nB=dup\n", {"B": "n"}, "export B=n\nB=n\n"),  # every definition, prefix kept
    ("APP_ID_X=1\n", {"APP_ID": "2"}, "APP_ID_X=1\nAPP_ID=2\n"),
    ("caf\xe9=1\nA=1\n", {"A": "2"}, "caf\xe9=1\nA=2\n"),
    # A quoted value over several lines (a PEM key, dotenv style) is one definition, replaced whole.
    ('A=1\nPRIVATE_KEY="-----BEGIN X-----\nB=x\n-----END X-----"\nB=2\n', {"PRIVATE_KEY": "eA==", "B": "3"},
     "A=1\nPRIVATE_KEY=eA==\nB=3\n"),
    ("A=1\n\n\nB=2", {"B": "3"}, "A=1\n\n\nB=3"),
])
def test_merge_env_text(before, values, after):
    assert merge_env_text(before, values) == after


@pytest.mark.parametrize("value", [
    "plain", "", "base64+/==", "with space", "hash #tail", "'single'", 'say "hi"', "it's", "back\\slash",
    "x\\ny", "  padded  ", "é ü", "a'b\"c", "a'b\\nc", "ends\\", "two\\\\back", "$HOME ${X}",
])
def test_env_values_read_back_unchanged(tmp_path, value):
    path = tmp_path / ".env"
    update_env_file(path, {"K": value})
    assert read_env_file(path) == {"K": value}


@pytest.mark.parametrize("value", ["two\nlines", "carriage\rreturn"])
def test_values_env_files_cannot_hold_are_refused(value):
    with pytest.raises(ValueError):
        format_env_value(value)


def test_update_env_file_is_atomic_private_and_byte_exact(tmp_path):
    path = tmp_path / ".env"
    original = b"# \xff not utf-8\nA=1\r\nKEEP=x\n"
    path.write_bytes(original)
    path.chmod(0o644)
    update_env_file(path, {"A": "2"})
    assert path.read_bytes() == b"# \xff not utf-8\nA=2\r\nKEEP=x\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]  # no temp file left behind
    link = tmp_path / "link.env"
    link.symlink_to(path)
    update_env_file(link, {"B": "3"})
    assert link.is_symlink() and path.read_text(errors="replace").endswith("KEEP=x\nB=3\n")
    missing = tmp_path / "new" / ".env"
    missing.parent.mkdir()
    update_env_file(missing, {"PRIVATE_KEY": base64.b64encode(b"x").decode()})
    assert missing.read_text() == "PRIVATE_KEY=eA==\n" and os.stat(missing).st_mode & 0o077 == 0


# -- URLs ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("api", "web"), [
    ("https://api.github.com", "https://github.com"),
    ("https://api.github.com/", "https://github.com"),
    ("https://ghe.example.com/api/v3", "https://ghe.example.com"),
    ("https://api.acme.ghe.com", "https://acme.ghe.com"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
])
def test_github_web_url(api, web):
    assert github_web_url(api) == web


def test_registration_urls():
    assert registration_url("https://github.com", "s t") == "https://github.com/settings/apps/new?state=s%20t"
    assert (registration_url("https://github.com", "s", "my-lab")
            == "https://github.com/organizations/my-lab/settings/apps/new?state=s")


@pytest.mark.parametrize(("public", "proto", "host", "expected"), [
    (None, None, None, "http://127.0.0.1:3000"),
    (None, "https", "bot.example.org", "https://bot.example.org"),
    (None, "https, http", "bot.example.org, internal:80", "https://bot.example.org"),
    (None, "javascript", "bot.example.org", "http://127.0.0.1:3000"),
    (None, "https", "evil/<x>", "http://127.0.0.1:3000"),
    ("https://public.example/", "https", "other.example", "https://public.example"),
])
def test_base_url(public, proto, host, expected):
    assert base_url_of(public, "http", "127.0.0.1:3000", proto, host) == expected


def test_webhook_path_matches_the_server():
    from bot.web.app import WEBHOOK_PATH as SERVED

    assert WEBHOOK_PATH == SERVED
