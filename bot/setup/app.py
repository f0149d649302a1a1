"""Setup mode: what `python -m bot` serves when it has no GitHub App credentials yet.

`GET /` explains why and offers two ways out: register a new app through GitHub's manifest flow
(`POST /setup/register` -> GitHub -> `GET /setup/callback`), or import an existing app's
credentials (`POST /setup/import`). Either writes `.env`; then the bot restarts, or asks to be.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from bot.setup import pages
from bot.setup.access import access_gate, setup_link
from bot.setup.credentials import AppCredentials, check_import
from bot.setup.env_file import update_env_file
from bot.setup.github_calls import ConversionError, Verdict, convert_manifest_code, verify_credentials
from bot.setup.manifest import (
    WEBHOOK_PATH,
    ManifestError,
    base_url_of,
    fill_manifest,
    github_web_url,
    is_local,
    is_valid_login,
    load_manifest,
    registration_url,
)

log = logging.getLogger(__name__)

STATE_LIFETIME = 3600.0  # seconds; GitHub's manifest codes also expire after an hour
MAX_PENDING_STATES = 50
BAD_ORGANIZATION = "Enter the organization's login (letters, digits and hyphens), e.g. my-lab."
BAD_STATE = ("This link does not belong to a registration started on this server (or it is over an hour "
             "old), so paperbot ignored it. Start the registration again.")
NO_CODE = "GitHub's redirect carried no code. Start the registration again."
CROSS_SITE = "This form was sent from another site, so paperbot ignored it."
ALREADY_CONFIGURED = "Credentials are already saved; restart paperbot to use them."
REJECTED = ("GitHub did not accept App ID {app_id} with this private key: check that the key belongs to "
            "that app and has not been deleted on GitHub.")
ENV_UNWRITABLE = ("paperbot could not write {env_path} ({reason}). Nothing was saved. After fixing that, "
                  "use “I already have an app” (generate a new private key on the app's settings page).")
CALLBACK_FAILED_TITLE = "Registration did not finish"
SETUP_MODE_WEBHOOK = {"error": "paperbot is in setup mode: it has no app credentials yet"}


@dataclass
class SetupState:
    env_path: Path
    github_api_url: str
    public_url: str | None
    missing: list[str]
    manifest: dict[str, Any] | None
    manifest_problem: str | None
    restarts_itself: bool
    access_token: str | None = None
    pending: dict[str, float] = field(default_factory=dict)  # state -> monotonic expiry
    configured: asyncio.Event = field(default_factory=asyncio.Event)
    session: aiohttp.ClientSession | None = None


SETUP = web.AppKey("setup", SetupState)


def create_setup_app(*, env_path: Path, github_api_url: str, manifest_path: Path, public_url: str | None,
                     missing: list[str], restarts_itself: bool = False,
                     access_token: str | None = None) -> web.Application:
    """The setup-mode web app. `restarts_itself`: the caller waits on `configured_event(app)` and
    starts the real server once it is set (see `run_until_configured`). `access_token`: only a
    browser that opened the link carrying it may use the pages (`bot.setup.access`); `python -m bot`
    always sets one."""
    try:
        manifest, problem = load_manifest(manifest_path), None
    except ManifestError as exc:
        manifest, problem = None, str(exc)
    state = SetupState(env_path=env_path, github_api_url=github_api_url.rstrip("/"), public_url=public_url,
                       missing=list(missing), manifest=manifest, manifest_problem=problem,
                       restarts_itself=restarts_itself, access_token=access_token)
    gate = [access_gate(access_token)] if access_token else []
    app = web.Application(middlewares=[_security_headers, *gate])
    app[SETUP] = state
    app.cleanup_ctx.append(_client_session)
    app.router.add_get("/", show_setup)
    app.router.add_post("/setup/register", register)
    app.router.add_get("/setup/callback", finish_registration)
    app.router.add_post("/setup/import", import_credentials)
    app.router.add_get("/health", health)
    app.router.add_post(WEBHOOK_PATH, refuse_webhook)
    return app


def configured_event(app: web.Application) -> asyncio.Event:
    """Set once credentials are written to `.env`."""
    return app[SETUP].configured


async def run_until_configured(app: web.Application, *, port: int, host: str | None = None) -> None:
    """Serve `app` until credentials are saved, then stop it (finishing the page being sent)."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host=host, port=port).start()
        state = app[SETUP]
        base = state.public_url or f"http://localhost:{port}"
        link = setup_link(base, state.access_token) if state.access_token else base + "/"
        log.warning("paperbot is in setup mode: open %s to register or import an app", link)
        await configured_event(app).wait()
    finally:
        await runner.cleanup()


async def _client_session(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession() as session:
        app[SETUP].session = session
        yield


@web.middleware
async def _security_headers(request: web.Request, handler: Any) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Cache-Control", "no-store")
    # The callback URL carries the code: never send it to another site. (With "no-referrer", browsers
    # would also send `Origin: null` on our own form posts.)
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
        "base-uri 'none'")
    return response


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def _base_url(request: web.Request, state: SetupState) -> str:
    headers = request.headers
    return base_url_of(state.public_url, request.scheme, request.host,
                       headers.get("X-Forwarded-Proto"), headers.get("X-Forwarded-Host"))


def _from_this_site(request: web.Request, state: SetupState) -> bool:
    """Browsers name the page a form came from; a form on another site must not write our .env."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser form post (curl, tests), or a browser too old to say
    allowed = {request.host, urlsplit(_base_url(request, state)).netloc}
    return urlsplit(origin).netloc in allowed


def _setup_page(request: web.Request, state: SetupState, status: int = 200, **extra: Any) -> web.Response:
    base = _base_url(request, state)
    text = pages.setup_page(missing=state.missing, env_path=state.env_path, base_url=base,
                            webhook_url=base + WEBHOOK_PATH, local=is_local(base),
                            manifest_problem=state.manifest_problem, **extra)
    return _html(text, status)


def _refusal(request: web.Request, state: SetupState) -> web.Response | None:
    if not _from_this_site(request, state):
        return _html(pages.error_page(pages.SETUP_TITLE, CROSS_SITE), 403)
    if state.configured.is_set():
        return _html(pages.error_page(pages.SETUP_TITLE, ALREADY_CONFIGURED, back=False), 409)
    return None


async def show_setup(request: web.Request) -> web.Response:
    state = request.app[SETUP]
    if state.configured.is_set():
        return _html(pages.error_page(pages.SETUP_TITLE, pages.ALREADY_DONE.format(env_path=state.env_path),
                                      back=False))
    return _setup_page(request, state)


async def register(request: web.Request) -> web.Response:
    state = request.app[SETUP]
    refusal = _refusal(request, state)
    if refusal is not None:
        return refusal
    if state.manifest is None:
        return _html(pages.error_page(pages.SETUP_TITLE, str(state.manifest_problem)), 503)
    form = await request.post()
    organization = str(form.get("organization", "")).strip()  # typing one means an organization
    if (form.get("owner") == "organization" or organization) and not is_valid_login(organization):
        return _setup_page(request, state, 400, register_problems=[BAD_ORGANIZATION],
                           organization=organization)
    token = _new_state(state)
    manifest = fill_manifest(state.manifest, _base_url(request, state))
    action = registration_url(github_web_url(state.github_api_url), token, organization or None)
    account = f"the organization {organization}" if organization else "your personal account"
    return _html(pages.confirm_page(action_url=action, manifest=manifest, account=account))


def _new_state(state: SetupState) -> str:
    """A random token GitHub hands back on the redirect: proof the registration started here."""
    now = time.monotonic()
    for token, expiry in list(state.pending.items()):
        if expiry <= now or len(state.pending) >= MAX_PENDING_STATES:
            del state.pending[token]
    token = secrets.token_urlsafe(24)
    state.pending[token] = now + STATE_LIFETIME
    return token


async def finish_registration(request: web.Request) -> web.Response:
    state = request.app[SETUP]
    if state.configured.is_set():
        return _html(pages.error_page(pages.SETUP_TITLE, ALREADY_CONFIGURED, back=False), 409)
    token, code = request.query.get("state", ""), request.query.get("code", "")
    expiry = state.pending.get(token)
    if not token or expiry is None or expiry <= time.monotonic():
        return _html(pages.error_page(CALLBACK_FAILED_TITLE, BAD_STATE), 400)
    if not code:
        return _html(pages.error_page(CALLBACK_FAILED_TITLE, NO_CODE), 400)
    assert state.session is not None
    try:
        credentials = await convert_manifest_code(state.session, state.github_api_url, code)
    except ConversionError as exc:
        if not exc.retryable:
            state.pending.pop(token, None)
        log.warning("setup: manifest code exchange failed: %s", exc)
        return _html(pages.error_page(CALLBACK_FAILED_TITLE, str(exc)), 502 if exc.retryable else 400)
    state.pending.pop(token, None)
    return _save(state, credentials, unchecked=False)


async def import_credentials(request: web.Request) -> web.Response:
    state = request.app[SETUP]
    refusal = _refusal(request, state)
    if refusal is not None:
        return refusal
    form = await request.post()
    app_id = str(form.get("app_id", ""))
    credentials, problems = check_import(app_id, str(form.get("private_key", "")),
                                         str(form.get("webhook_secret", "")))
    if credentials is None:
        return _setup_page(request, state, 400, import_problems=problems, app_id=app_id.strip())
    assert state.session is not None
    verdict, credentials = await verify_credentials(state.session, state.github_api_url, credentials)
    if verdict is Verdict.REJECTED:
        return _setup_page(request, state, 400, import_problems=[REJECTED.format(app_id=credentials.app_id)],
                           app_id=credentials.app_id)
    return _save(state, credentials, unchecked=verdict is Verdict.UNCHECKED)


def _save(state: SetupState, credentials: AppCredentials, *, unchecked: bool) -> web.Response:
    values = credentials.env_values()
    try:
        update_env_file(state.env_path, values)
    except OSError as exc:
        log.error("setup: cannot write %s: %s", state.env_path, exc.strerror)
        message = ENV_UNWRITABLE.format(env_path=state.env_path, reason=exc.strerror or type(exc).__name__)
        return _html(pages.error_page(CALLBACK_FAILED_TITLE, message), 500)
    log.warning("setup: credentials of GitHub App %s (id %s) saved to %s",
                credentials.name or "?", credentials.app_id, state.env_path)
    state.configured.set()
    return _html(pages.done_page(app_name=credentials.name, install_url=credentials.install_url,
                                 saved_keys=list(values), env_path=state.env_path,
                                 restarting=state.restarts_itself, unchecked=unchecked))


async def health(request: web.Request) -> web.Response:
    state = request.app[SETUP]
    return web.json_response({"status": "ok", "mode": "setup", "missing": state.missing,
                              "configured": state.configured.is_set()})


async def refuse_webhook(request: web.Request) -> web.Response:
    """503 so GitHub records a failed delivery that can be redelivered once the bot runs."""
    return web.json_response(SETUP_MODE_WEBHOOK, status=503)
