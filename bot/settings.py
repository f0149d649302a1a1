"""Settings: the only place that reads the environment (and `.env`), once, into a frozen object."""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import parse_duration

DEFAULT_GITHUB_API_URL = "https://api.github.com"
DEFAULT_ARXIV_API_URL = "https://export.arxiv.org/api/query"
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


class SettingsError(Exception):
    """Settings are missing or unusable; the message names each one.

    `missing` lists the GitHub App settings that are absent when that is the only problem (the
    server then starts its setup page instead of exiting).
    """

    def __init__(self, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.missing = missing or []


@dataclass(frozen=True)
class Settings:
    app_id: str
    private_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)
    github_api_url: str = DEFAULT_GITHUB_API_URL
    arxiv_api_url: str = DEFAULT_ARXIV_API_URL
    arxiv_min_interval: float = 3.0
    arxiv_timeout: float = 30.0
    port: int = 3000
    log_format: str = "text"
    log_level: str = "INFO"
    update_interval: float | None = None  # seconds; None: no periodic loop in the server
    max_concurrent_jobs: int = 32

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env"),
        *, require_app: bool = True,
    ) -> Settings:
        """Build settings from `environ` (default: the process environment) over `.env`.

        `require_app=False` is local mode (a checkout and arXiv, no GitHub App credentials).
        """
        values = read_env_file(env_file) if env_file is not None else {}
        values.update(os.environ if environ is None else environ)
        problems: list[str] = []
        missing = missing_app_settings(values) if require_app else []
        if missing:
            problems.append("missing: " + ", ".join(missing))
        private_key = _private_key(values, problems)
        interval = _float(values, "ARXIV_MIN_INTERVAL", 3.0, problems)
        timeout = _float(values, "ARXIV_TIMEOUT", 30.0, problems)
        port = _float(values, "PORT", 3000, problems)
        jobs = _float(values, "MAX_CONCURRENT_JOBS", 32, problems)
        update_interval = None
        if values.get("UPDATE_INTERVAL"):
            duration = parse_duration(values["UPDATE_INTERVAL"], "UPDATE_INTERVAL", problems)
            update_interval = duration.total_seconds() if duration else None
        if problems:
            only_missing = missing if len(problems) == 1 and missing else []
            raise SettingsError("paperbot cannot start: " + "; ".join(problems), only_missing)
        return cls(
            app_id=values.get("APP_ID", "").strip(),
            private_key=private_key,
            webhook_secret=values.get("WEBHOOK_SECRET", ""),
            github_api_url=values.get("GITHUB_API_URL", DEFAULT_GITHUB_API_URL).rstrip("/"),
            arxiv_api_url=values.get("ARXIV_API_URL", DEFAULT_ARXIV_API_URL),
            arxiv_min_interval=interval,
            arxiv_timeout=timeout,
            port=int(port),
            log_format=values.get("LOG_FORMAT", "text").lower(),
            log_level=values.get("LOG_LEVEL", "INFO").upper(),
            update_interval=update_interval,
            max_concurrent_jobs=max(1, int(jobs)),
        )


def missing_app_settings(values: Mapping[str, str]) -> list[str]:
    """The GitHub App settings that are missing, by name."""
    missing = [name for name in ("APP_ID", "WEBHOOK_SECRET") if not values.get(name)]
    if not values.get("PRIVATE_KEY") and not values.get("PRIVATE_KEY_PATH"):
        missing.append("PRIVATE_KEY (or PRIVATE_KEY_PATH)")
    return missing


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; `#` comments; single/double quotes; `\\n` escapes inside double quotes."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return {}
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = _ENV_LINE.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace("\\n", "\n").replace('\\"', '"')
        elif len(value) >= 2 and value[0] == value[-1] == "'":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        values[key] = value
    return values


def _private_key(values: Mapping[str, str], problems: list[str]) -> str:
    raw = values.get("PRIVATE_KEY", "")
    if not raw and values.get("PRIVATE_KEY_PATH"):
        try:
            raw = Path(values["PRIVATE_KEY_PATH"]).read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(f"PRIVATE_KEY_PATH cannot be read ({exc.strerror})")
            return ""
    if not raw:
        return ""
    raw = raw.strip().replace("\\n", "\n")
    if "-----BEGIN" in raw:
        return raw + "\n"
    try:
        decoded = base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    if "-----BEGIN" not in decoded:
        problems.append("PRIVATE_KEY is neither PEM text nor base64 of PEM text")
        return ""
    return decoded.strip() + "\n"


def _float(values: Mapping[str, str], name: str, default: float, problems: list[str]) -> float:
    raw = values.get(name)
    if raw is None or raw == "":
        return default
    try:
        number = float(raw)
    except ValueError:
        problems.append(f"{name} must be a number, got {raw[:20]!r}")
        return default
    if number < 0:
        problems.append(f"{name} must not be negative")
        return default
    return number
