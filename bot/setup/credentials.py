"""App credentials as setup mode handles them: checked, and turned into `.env` lines; pure."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.setup.env_file import format_env_value

BAD_APP_ID = "App ID must be a number: GitHub shows it as “App ID” on the app's settings page."
NO_PRIVATE_KEY = "Paste the app's private key: the whole .pem file, BEGIN and END lines included."
NOT_PEM = ("The private key is not a PEM private key. Paste the whole .pem file GitHub downloaded, "
           "BEGIN and END lines included.")
ENCRYPTED_KEY = "The private key is protected by a passphrase; GitHub App keys are not. Paste the original."
NOT_RSA = "The private key is not an RSA key; GitHub App keys are RSA keys."
NO_WEBHOOK_SECRET = "Enter the webhook secret set on the app's settings page (Webhook → Secret)."  # noqa: S105
UNWRITABLE_SECRET = (
    "The webhook secret cannot be stored in .env (it spans lines); choose another one on GitHub."  # noqa: S105
)
_APP_ID = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True)
class AppCredentials:
    app_id: str
    private_key: str = field(repr=False)  # PEM text
    webhook_secret: str = field(repr=False)
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    html_url: str = ""  # the app's page on GitHub; its install page is html_url + /installations/new
    name: str = ""

    def env_values(self) -> dict[str, str]:
        """The `.env` lines; the key is base64 of its PEM, which Settings reads, so it fits one line."""
        values = {
            "APP_ID": self.app_id,
            "PRIVATE_KEY": base64.b64encode(self.private_key.encode("ascii")).decode("ascii"),
            "WEBHOOK_SECRET": self.webhook_secret,
        }
        if self.client_id:
            values["GITHUB_CLIENT_ID"] = self.client_id
        if self.client_secret:
            values["GITHUB_CLIENT_SECRET"] = self.client_secret
        return values

    @property
    def install_url(self) -> str:
        return f"{self.html_url}/installations/new" if self.html_url else ""


def check_import(
    app_id: str, private_key: str, webhook_secret: str
) -> tuple[AppCredentials | None, list[str]]:
    """Credentials typed into the import form, or the problems with them (safe to show)."""
    problems: list[str] = []
    app_id = app_id.strip()
    if not _APP_ID.match(app_id):
        problems.append(BAD_APP_ID)
    pem, key_problem = normalise_private_key(private_key)
    if key_problem:
        problems.append(key_problem)
    secret = webhook_secret.strip()  # pasting picks up stray spaces and newlines
    if not secret:
        problems.append(NO_WEBHOOK_SECRET)
    else:
        try:
            format_env_value(secret)
        except ValueError:
            problems.append(UNWRITABLE_SECRET)
    if problems:
        return None, problems
    return AppCredentials(app_id=app_id, private_key=pem, webhook_secret=secret), []


def normalise_private_key(text: str) -> tuple[str, str | None]:
    """(PEM text with plain newlines, None) for a usable RSA private key, else ("", problem)."""
    pem = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not pem:
        return "", NO_PRIVATE_KEY
    if "-----BEGIN" not in pem:
        return "", NOT_PEM
    try:
        key = serialization.load_pem_private_key(pem.encode("utf-8", errors="replace"), password=None)
    except TypeError:  # cryptography's way of saying "needs a password"
        return "", ENCRYPTED_KEY
    except (ValueError, UnsupportedAlgorithm):
        return "", NOT_PEM
    if not isinstance(key, rsa.RSAPrivateKey):
        return "", NOT_RSA
    return pem + "\n", None


def credentials_from_conversion(body: Any) -> AppCredentials:
    """What `POST /app-manifests/{code}/conversions` answers; KeyError, TypeError or ValueError
    when the answer is not that (a webhook secret is only made when the manifest has a webhook)."""
    if not body.get("webhook_secret") or not body.get("pem"):
        raise ValueError("the conversion answer has no webhook secret or private key")
    return AppCredentials(
        app_id=str(int(body["id"])),
        private_key=str(body["pem"]).replace("\r\n", "\n").strip() + "\n",
        webhook_secret=str(body["webhook_secret"]),
        client_id=str(body.get("client_id") or ""),
        client_secret=str(body.get("client_secret") or ""),
        html_url=str(body.get("html_url") or "").rstrip("/"),
        name=str(body.get("name") or body.get("slug") or ""),
    )
