"""Writing credentials into `.env` without disturbing anything else in it.

The file is the user's: comments, unrelated keys, ordering and line endings stay byte for byte.
Only the lines that define one of the keys we write change, and new keys go at the end.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from dotenv.parser import parse_stream

_DEFINITION = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*=")
# What `bot.settings.read_env_file` (python-dotenv) reads back unchanged without quotes.
_BARE_SAFE = re.compile(r"^[A-Za-z0-9_\-+/=.,:@%^~]*$")
ENV_FILE_MODE = 0o600  # the file holds a private key


def format_env_value(value: str) -> str:
    """The value as `read_env_file` will read it back; ValueError for a value over several lines
    (what we write is one line each: App ID, base64 of the key, secrets)."""
    if "\n" in value or "\r" in value:
        raise ValueError("a .env value written here cannot span lines")
    if _BARE_SAFE.match(value):
        return value
    if "'" not in value and "\\" not in value:
        return f"'{value}'"  # single quotes: literal in every dialect of .env
    # Double quotes, with the two escapes python-dotenv decodes there that a value can need.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def merge_env_text(text: str, values: Mapping[str, str]) -> str:
    """`text` with each key of `values` set: definitions rewritten in place, the rest appended.

    Definitions are found by python-dotenv's own parser, so a quoted value over several lines (a
    PEM key) is replaced whole; everything else is kept character for character."""
    bindings = list(parse_stream(io.StringIO(text)))
    lines = [binding.original.string for binding in bindings]
    newline = "\r\n" if "\r\n" in text else "\n"
    written: set[str] = set()
    for index, (line, binding) in enumerate(zip(lines, bindings, strict=True)):
        match = _DEFINITION.match(line)
        if binding.key is None or binding.key not in values or not match:
            continue
        key, prefix = binding.key, match.group(1)  # the prefix keeps blank lines before it, `export`
        ending = "\r\n" if line.endswith("\r\n") else "\n" if line.endswith("\n") else ""
        lines[index] = f"{prefix}{key}={format_env_value(values[key])}{ending}"
        written.add(key)
    missing = [key for key in values if key not in written]
    if missing and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    lines.extend(f"{key}={format_env_value(values[key])}{newline}" for key in missing)
    return "".join(lines)


def update_env_file(path: Path, values: Mapping[str, str]) -> None:
    """Set `values` in the `.env` at `path` (created when missing), atomically and mode 0600."""
    target = path.resolve()  # a symlinked .env keeps its link; we replace the file it points to
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raw = b""
    text = raw.decode("utf-8", errors="surrogateescape")  # keep undecodable bytes as they were
    merged = merge_env_text(text, values).encode("utf-8", errors="surrogateescape")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(merged)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, ENV_FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
