"""Logging: every line of a delivery carries its delivery id; secrets never reach the output."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import UTC, datetime

delivery_id: contextvars.ContextVar[str] = contextvars.ContextVar("delivery_id", default="-")

# Installation tokens (ghs_), user tokens (ghp_, gho_, github_pat_), JWTs and PEM blocks.
_SECRET_PATTERNS = re.compile(
    r"(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
    r"|-----BEGIN[^-]*-----[\s\S]*?-----END[^-]*-----"
    r"|(?i:(?:token|bearer)\s+)[A-Za-z0-9._\-]{16,})"
)


class _ContextFilter(logging.Filter):
    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s and len(s) >= 6)

    def filter(self, record: logging.LogRecord) -> bool:
        record.delivery = delivery_id.get()
        message = record.getMessage()
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        text = text.replace(secret, "[redacted]")
    return _SECRET_PATTERNS.sub("[redacted]", text)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "delivery": getattr(record, "delivery", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]
        return redact(super().formatException(ei))


def configure_logging(level: str = "INFO", fmt: str = "text", secrets: tuple[str, ...] = ()) -> None:
    """Install one handler on the root logger (idempotent: reconfiguring replaces it)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter(secrets))
    if fmt == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(
            _TextFormatter("%(asctime)s %(levelname)s %(name)s [%(delivery)s] %(message)s")
        )
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_paperbot", False):
            root.removeHandler(old)
    handler._paperbot = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
