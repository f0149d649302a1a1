"""Settings: the only place that reads the environment (and `.env`), once, into a frozen object.

`.env` is read by python-dotenv (quotes, `export`, comments, values over several lines inside
quotes); the values are checked by pydantic, and every unusable one is reported by its variable
name with what was expected.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.config import parse_duration

DEFAULT_GITHUB_API_URL = "https://api.github.com"
DEFAULT_ARXIV_API_URL = "https://export.arxiv.org/api/query"
DEFAULT_CROSSREF_API_URL = "https://api.crossref.org"
DEFAULT_OPENALEX_API_URL = "https://api.openalex.org"
DEFAULT_SEMANTIC_SCHOLAR_API_URL = "https://api.semanticscholar.org"
DEFAULT_OPENREVIEW_API_URL = "https://api2.openreview.net"
DEFAULT_ACL_ANTHOLOGY_URL = "https://aclanthology.org"
CANNOT_START = "paperbot cannot start: "
MISSING = "missing: {names}"
UNUSABLE = "{name} must be {expected}, got {found}"
KEY_PATH_UNREADABLE = "PRIVATE_KEY_PATH cannot be read ({reason})"
KEY_NOT_PEM = "PRIVATE_KEY is neither PEM text nor base64 of PEM text"
# never echoed in a message (a Redis URL may hold a password)
SECRET_NAMES = frozenset({"PRIVATE_KEY", "WEBHOOK_SECRET", "REDIS_URL"})
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_SECONDS = "a finite number of seconds, 0 or more"


class SettingsError(Exception):
    """Settings are missing or unusable; the message names each one.

    `missing` lists the GitHub App settings that are absent when that is the only problem (the
    server then starts its setup page instead of exiting).
    """

    def __init__(self, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.missing = missing or []


class Settings(BaseModel):
    """Built by `from_env` from variables (by their names, e.g. `APP_ID`), or directly by field name.

    Each field's description completes the sentence "<VARIABLE> must be ..." in error messages.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True)

    app_id: str = Field(alias="APP_ID", description="the GitHub App's ID, a positive whole number")
    private_key: str = Field(alias="PRIVATE_KEY", repr=False, description="PEM text")
    webhook_secret: str = Field(alias="WEBHOOK_SECRET", repr=False, description="text")
    github_api_url: str = Field(DEFAULT_GITHUB_API_URL, alias="GITHUB_API_URL",
                                description="an http:// or https:// URL")
    arxiv_api_url: str = Field(DEFAULT_ARXIV_API_URL, alias="ARXIV_API_URL",
                               description="an http:// or https:// URL")
    arxiv_min_interval: float = Field(3.0, alias="ARXIV_MIN_INTERVAL", ge=0, allow_inf_nan=False,
                                      description=_SECONDS)
    arxiv_timeout: float = Field(30.0, alias="ARXIV_TIMEOUT", gt=0, allow_inf_nan=False,
                                 description="a finite number of seconds, more than 0")
    # Metadata beyond arXiv (DOIs, ACL Anthology, OpenReview): see bot.papers.scholarly.
    crossref_api_url: str = Field(DEFAULT_CROSSREF_API_URL, alias="CROSSREF_API_URL",
                                  description="an http:// or https:// URL")
    openalex_api_url: str = Field(DEFAULT_OPENALEX_API_URL, alias="OPENALEX_API_URL",
                                  description="an http:// or https:// URL")
    semantic_scholar_api_url: str = Field(DEFAULT_SEMANTIC_SCHOLAR_API_URL, alias="SEMANTIC_SCHOLAR_API_URL",
                                          description="an http:// or https:// URL")
    openreview_api_url: str = Field(DEFAULT_OPENREVIEW_API_URL, alias="OPENREVIEW_API_URL",
                                    description="an http:// or https:// URL")
    acl_anthology_url: str = Field(DEFAULT_ACL_ANTHOLOGY_URL, alias="ACL_ANTHOLOGY_URL",
                                   description="an http:// or https:// URL")
    # Crossref and OpenAlex serve requests that carry a contact address from their "polite pool".
    contact_email: str = Field("", alias="CONTACT_EMAIL", pattern=r"^$|^[^@\s]+@[^@\s]+$",
                               description="an e-mail address")
    scholarly_timeout: float = Field(15.0, alias="SCHOLARLY_TIMEOUT", gt=0, allow_inf_nan=False,
                                     description="a finite number of seconds, more than 0")
    # None: each source's own polite interval (bot.papers.scholarly.POLITE_INTERVALS)
    scholarly_min_interval: float | None = Field(None, alias="SCHOLARLY_MIN_INTERVAL", ge=0,
                                                 allow_inf_nan=False, description=_SECONDS)
    port: int = Field(3000, alias="PORT", ge=1, le=65535, description="a port number from 1 to 65535")
    log_format: Literal["text", "json"] = Field("text", alias="LOG_FORMAT", description="text or json")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", alias="LOG_LEVEL", description="DEBUG, INFO, WARNING, ERROR or CRITICAL")
    # seconds; None: no periodic loop in the server
    update_interval: float | None = Field(None, alias="UPDATE_INTERVAL", gt=0, allow_inf_nan=False,
                                          description="a duration such as 12h, 30m or 1d")
    max_concurrent_jobs: int = Field(32, alias="MAX_CONCURRENT_JOBS", ge=1,
                                     description="a whole number, 1 or more")
    max_queued_jobs: int = Field(1000, alias="MAX_QUEUED_JOBS", ge=1,
                                 description="a whole number, 1 or more")
    max_queued_per_repository: int = Field(100, alias="MAX_QUEUED_PER_REPOSITORY", ge=1,
                                           description="a whole number, 1 or more")
    # None: one process holds everything (the default); set: web and worker processes share Redis
    redis_url: str | None = Field(None, alias="REDIS_URL", repr=False,
                                  description="a redis://, rediss:// or unix:// URL")
    # with REDIS_URL: a job running longer is cancelled and retried; a killed worker's job runs
    # again this long (plus 10 s) after it started
    job_timeout: float = Field(300.0, alias="JOB_TIMEOUT", gt=0, allow_inf_nan=False,
                               description="a finite number of seconds, more than 0")

    @field_validator("app_id", mode="before")
    @classmethod
    def _app_id(cls, value: Any) -> Any:
        """Empty (local mode: no GitHub App) or the digits of a positive number, e.g. `12345`."""
        text = str(value).strip()
        if text and not (text.isascii() and text.isdigit() and int(text) > 0):
            raise ValueError("not a positive whole number")
        return str(int(text)) if text else ""

    @field_validator("github_api_url", "arxiv_api_url", "crossref_api_url", "openalex_api_url",
                     "semantic_scholar_api_url", "openreview_api_url", "acl_anthology_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or len(value.split("://", 1)[1]) == 0:
            raise ValueError("not an http(s) URL")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith(REDIS_SCHEMES) or value[-3:] == "://"):
            raise ValueError("not a Redis URL")
        return value

    @field_validator("github_api_url", "crossref_api_url", "openalex_api_url", "semantic_scholar_api_url",
                     "openreview_api_url", "acl_anthology_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

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
            problems.append(MISSING.format(names=", ".join(missing)))
        given = {name: value for name, value in values.items() if name in _NAMES and value != ""}
        given["APP_ID"] = values.get("APP_ID", "")
        given["WEBHOOK_SECRET"] = values.get("WEBHOOK_SECRET", "")
        given["PRIVATE_KEY"] = _private_key(values, problems)
        if "UPDATE_INTERVAL" in given:
            given["UPDATE_INTERVAL"] = _seconds(given["UPDATE_INTERVAL"], problems)
        try:
            settings = cls.model_validate(given)
        except ValidationError as exc:
            problems.extend(_unusable(exc, given))
        if problems:
            only_missing = missing if len(problems) == 1 and missing else []
            raise SettingsError(CANNOT_START + "; ".join(problems), only_missing)
        return settings


_NAMES = frozenset(field.alias for field in Settings.model_fields.values() if field.alias)


def _unusable(error: ValidationError, given: Mapping[str, Any]) -> list[str]:
    """One message per unusable variable: its name, what it must be, and (unless secret) what it was."""
    by_alias = {field.alias: field for field in Settings.model_fields.values()}
    messages = []
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "?"
        field = by_alias.get(name)
        found = "(hidden)" if name in SECRET_NAMES else repr(str(given.get(name, ""))[:40])
        expected = field.description if field is not None else problem["msg"]
        messages.append(UNUSABLE.format(name=name, expected=expected, found=found))
    return messages


def _seconds(duration: str, problems: list[str]) -> float | None:
    """`UPDATE_INTERVAL` in seconds (`12h`, `30m`, `1d`, `2w` or a number of seconds)."""
    parsed = parse_duration(duration, "UPDATE_INTERVAL", [])
    if parsed is None:
        expected = Settings.model_fields["update_interval"].description
        problems.append(UNUSABLE.format(name="UPDATE_INTERVAL", expected=expected, found=repr(duration[:40])))
        return None
    return parsed.total_seconds()


def missing_app_settings(values: Mapping[str, str]) -> list[str]:
    """The GitHub App settings that are missing, by name."""
    missing = [name for name in ("APP_ID", "WEBHOOK_SECRET") if not values.get(name)]
    if not values.get("PRIVATE_KEY") and not values.get("PRIVATE_KEY_PATH"):
        missing.append("PRIVATE_KEY (or PRIVATE_KEY_PATH)")
    return missing


def read_env_file(path: Path) -> dict[str, str]:
    """A `.env` file as python-dotenv reads it: `KEY=VALUE`, `export`, `#` comments, single and
    double quotes, escapes in double quotes, and quoted values over several lines (a PEM key).

    `${VAR}` is left as it is: a secret may hold a `$`. A key without `=` is skipped."""
    if not path.is_file():
        return {}
    values = dotenv_values(path, interpolate=False, encoding="utf-8")
    return {key: value for key, value in values.items() if value is not None}


def _private_key(values: Mapping[str, str], problems: list[str]) -> str:
    raw = values.get("PRIVATE_KEY", "")
    if not raw and values.get("PRIVATE_KEY_PATH"):
        try:
            raw = Path(values["PRIVATE_KEY_PATH"]).read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(KEY_PATH_UNREADABLE.format(reason=exc.strerror))
            return ""
    if not raw:
        return ""
    # A key pasted with literal `\n`s (Heroku config, a one-line .env) reads the same as real lines.
    raw = raw.strip().replace("\\n", "\n")
    if "-----BEGIN" in raw:
        return raw + "\n"
    try:
        decoded = base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    if "-----BEGIN" not in decoded:
        problems.append(KEY_NOT_PEM)
        return ""
    return decoded.strip() + "\n"
