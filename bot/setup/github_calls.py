"""The two GitHub calls setup mode makes: finish the manifest flow, and check imported credentials."""

from __future__ import annotations

import logging
from dataclasses import replace
from enum import Enum
from urllib.parse import quote

import aiohttp
import gidgethub

from bot.github.client import USER_AGENT, GitHubApp
from bot.setup.credentials import AppCredentials, credentials_from_conversion

log = logging.getLogger(__name__)

CODE_UNKNOWN = ("GitHub does not know this registration code. Codes work once and expire after an hour: "
                "start the registration again.")
GITHUB_UNREACHABLE = ("paperbot could not reach GitHub at {api_url}: {reason}. "
                      "Check the network and reload this page.")
GITHUB_FAILED = ("GitHub answered {status} when asked for the new app's credentials. "
                 "Reload this page to retry.")
GITHUB_ANSWER_ODD = "GitHub's answer did not contain the app's credentials. Start the registration again."
TIMEOUT = aiohttp.ClientTimeout(total=30)


class ConversionError(Exception):
    """The manifest code could not be exchanged; the message is written for the person setting up.
    `retryable` is False when the code is spent and only a new registration helps."""

    def __init__(self, message: str, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


async def convert_manifest_code(session: aiohttp.ClientSession, api_url: str, code: str) -> AppCredentials:
    """Trade the code GitHub redirected back with for the new app's id, key and secrets."""
    url = f"{api_url}/app-manifests/{quote(code, safe='')}/conversions"
    headers = {"Accept": "application/vnd.github+json", "User-Agent": USER_AGENT,
               "X-GitHub-Api-Version": "2022-11-28"}
    try:
        async with session.post(url, headers=headers, timeout=TIMEOUT) as response:
            if response.status == 404:
                raise ConversionError(CODE_UNKNOWN, retryable=False)
            if response.status != 201:
                raise ConversionError(GITHUB_FAILED.format(status=response.status), retryable=True)
            body = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError) as exc:
        reason = type(exc).__name__ if isinstance(exc, TimeoutError) else str(exc) or type(exc).__name__
        raise ConversionError(GITHUB_UNREACHABLE.format(api_url=api_url, reason=reason), True) from exc
    except ValueError as exc:  # not JSON
        raise ConversionError(GITHUB_ANSWER_ODD, retryable=False) from exc
    try:
        return credentials_from_conversion(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConversionError(GITHUB_ANSWER_ODD, retryable=False) from exc


class Verdict(Enum):
    ACCEPTED = "accepted"  # GitHub authenticated the app with this id and key
    REJECTED = "rejected"  # GitHub refused them: wrong id, or a key of another app (or a revoked one)
    UNCHECKED = "unchecked"  # GitHub could not be asked; saved anyway, the server will tell on start


async def verify_credentials(
    session: aiohttp.ClientSession, api_url: str, credentials: AppCredentials
) -> tuple[Verdict, AppCredentials]:
    """Ask GitHub who the app is (`GET /app`, signed the way the server will sign); on success the
    credentials gain the app's page URL and name, for the install link."""
    app = GitHubApp(session, app_id=credentials.app_id, private_key=credentials.private_key,
                    base_url=api_url)
    try:
        about = await app.app_api().getitem("/app")
    except gidgethub.BadRequest as exc:
        if int(exc.status_code) in (401, 403, 404):
            return Verdict.REJECTED, credentials
        log.warning("GET /app answered %s while checking imported credentials", exc.status_code)
        return Verdict.UNCHECKED, credentials
    except (gidgethub.GitHubException, aiohttp.ClientError, TimeoutError) as exc:
        log.warning("could not check imported credentials with GitHub: %s", type(exc).__name__)
        return Verdict.UNCHECKED, credentials
    return Verdict.ACCEPTED, replace(
        credentials,
        html_url=str(about.get("html_url") or "").rstrip("/"),
        name=str(about.get("name") or about.get("slug") or ""),
        client_id=credentials.client_id or str(about.get("client_id") or ""),
    )
