"""The GitHub App manifest (app.yml) and the URLs of GitHub's manifest flow; pure functions.

https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml

WEBHOOK_PATH = "/api/github/webhooks"  # the same path bot.web.app serves
CALLBACK_PATH = "/setup/callback"
# GitHub logins: letters, digits and single hyphens, not at either end, at most 39 characters.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$")


class ManifestError(Exception):
    """app.yml is missing or is not a manifest; the message says which."""


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(loaded, dict) or not loaded.get("url"):
        raise ManifestError(f"{path}: not a GitHub App manifest (it needs at least `url`)")
    return loaded


def fill_manifest(manifest: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    """The manifest pointing GitHub's webhooks and its post-registration redirect at `base_url`."""
    filled = copy.deepcopy(dict(manifest))
    hook = dict(filled.get("hook_attributes") or {})
    hook["url"] = base_url + WEBHOOK_PATH
    filled["hook_attributes"] = hook
    filled["redirect_url"] = base_url + CALLBACK_PATH
    return filled


def github_web_url(api_url: str) -> str:
    """Where people use GitHub, from where the bot calls its API.

    https://api.github.com -> https://github.com; GHES https://HOST/api/v3 -> https://HOST;
    GHE.com https://api.NAME.ghe.com -> https://NAME.ghe.com; anything else is kept (a test fake).
    """
    parts = urlsplit(api_url.rstrip("/"))
    host = parts.netloc
    path = parts.path
    if path.endswith("/api/v3"):
        path = path[: -len("/api/v3")]
    elif host.startswith("api."):
        host = host[len("api."):]
    return f"{parts.scheme}://{host}{path}"


def registration_url(web_url: str, state: str, organization: str | None = None) -> str:
    """GitHub's "new app" page the manifest form posts to, for the user or an organisation."""
    owner = f"/organizations/{quote(organization, safe='')}" if organization else ""
    return f"{web_url}{owner}/settings/apps/new?state={quote(state, safe='')}"


def is_valid_login(name: str) -> bool:
    return bool(_LOGIN.match(name))


def base_url_of(
    public_url: str | None, scheme: str, host: str, forwarded_proto: str | None, forwarded_host: str | None
) -> str:
    """The URL this server is reached at: `public_url` when configured, else what the request
    says, preferring the proxy's X-Forwarded-* headers (Heroku, Fly and most tunnels set them)."""
    if public_url:
        return public_url.rstrip("/")
    proto = _first(forwarded_proto) or scheme
    chosen = _first(forwarded_host) or host
    if proto not in ("http", "https") or not _HOST.match(chosen):
        proto, chosen = scheme, host
    return f"{proto}://{chosen}"


def is_local(base_url: str) -> bool:
    """GitHub cannot deliver webhooks to this machine's loopback address."""
    host = urlsplit(base_url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1", "0.0.0.0") or host.endswith(".localhost")  # noqa: S104


def _first(header: str | None) -> str:
    """A proxy chain lists one value per hop; the first is what the browser used."""
    return (header or "").split(",")[0].strip()
