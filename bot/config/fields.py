"""The value types of `.github/paperbot.yml`: each checks one kind of value and says what it expected.

Each type is an `Annotated` pydantic type: a before-validator that accepts what today's configs
write (a single word where a list is expected, `12h` for a duration) and raises a `PydanticCustomError`
whose message is the "expected ..." half of the problem a maintainer reads, plus the JSON Schema
an editor shows for it. The same validators run when code builds a config directly, so they also
accept the Python values (tuples, timedeltas) the dataclasses hold.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
ADD_POLICIES = ("anyone", "collaborators")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

EXPECTED_TEXT = "expected text"
EXPECTED_WORDS = "expected a list of words"
EXPECTED_DURATION = "expected a duration such as `12h`, `30m` or `1d`"
EXPECTED_POLICY = "expected `anyone` or `collaborators`"
EXPECTED_SECTIONS = "expected a list of {name, aliases, keywords}"
EXPECTED_WHOLE_NUMBER = "expected a whole number from {low} to {high}"
EXPECTED_NUMBER = "expected a number from {low} to {high}"
EXPECTED_SWITCH = "expected `true` or `false`"
EXPECTED_GLOBS = ("expected a list of path patterns inside the repository (`collection/*.md`, "
                  "`!drafts/*.md` to leave files out)")
# The error type of a path check: its message already names the value, so no "found" is added.
PATH_ERROR = "repo_path"


MAX_DURATION = timedelta(days=3660)  # ten years: beyond that a value is a mistake


def parse_duration(value: Any, where: str, problems: list[str]) -> timedelta | None:
    """`12h`, `30m`, `1d`, `2w` or a number of seconds."""
    duration = None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        duration = _bounded(timedelta, seconds=value)
    elif match := _DURATION.match(value) if isinstance(value, str) else None:
        duration = _bounded(timedelta, **{_DURATION_UNITS[match[2]]: float(match[1])})
    if duration is None or not timedelta(0) < duration <= MAX_DURATION:
        problems.append(f"`{where}`: {EXPECTED_DURATION}")
        return None
    return duration


def _bounded(make: Any, **amount: float) -> timedelta | None:
    """A timedelta, or None where it cannot be one (`8.64e13` seconds overflows it)."""
    try:
        return make(**amount)
    except (OverflowError, ValueError):
        return None


def check_repo_path(path: str) -> str | None:
    """Why `path` may not be a list file we write to, or None when it is acceptable."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return f"`{path}` must be a relative path inside the repository"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"`{path}` must not contain empty, `.` or `..` parts"
    if parts[0] == ".github" or parts[0] == ".git":
        return f"`{path}` is inside `{parts[0]}/`, which paperbot never writes"
    if not path.lower().endswith(MARKDOWN_SUFFIXES):
        return f"`{path}` is not a Markdown file"
    return None


def _expected(message: str) -> PydanticCustomError:
    return PydanticCustomError("expected", message)


def _text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise _expected(EXPECTED_TEXT)


def _words(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str | int | float) for v in value):
        raise _expected(EXPECTED_WORDS)
    return tuple(str(v).strip() for v in value if str(v).strip())


def _repo_path(value: Any) -> str:
    path = _text(value)
    if (error := check_repo_path(path)) is not None:
        raise PydanticCustomError(PATH_ERROR, error)
    return path


def _globs(value: Any) -> tuple[str, ...]:
    try:
        patterns = _words(value)
    except PydanticCustomError:
        raise _expected(EXPECTED_GLOBS) from None
    for pattern in patterns:
        path = pattern.removeprefix("!").strip()
        parts = path.split("/")
        if not path or path.startswith("/") or "\\" in path or any(p in ("..", ".") for p in parts):
            raise _expected(EXPECTED_GLOBS)
    return patterns


def _switch(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise _expected(EXPECTED_SWITCH)


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta) and value > timedelta(0):
        return value
    duration = parse_duration(value, "", [])
    if duration is None:
        raise _expected(EXPECTED_DURATION)
    return duration


def _policy(value: Any) -> str:
    if isinstance(value, str) and value.strip() in ADD_POLICIES:
        return value.strip()
    raise _expected(EXPECTED_POLICY)


def _number(kind: type, low: float, high: float) -> BeforeValidator:
    expected = (EXPECTED_WHOLE_NUMBER if kind is int else EXPECTED_NUMBER).format(low=low, high=high)

    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise _expected(expected)
        if kind is int and value != int(value):
            raise _expected(expected)
        return kind(value)

    return BeforeValidator(check)


def _sections(value: Any) -> Any:
    if not isinstance(value, list | tuple):
        raise _expected(EXPECTED_SECTIONS)
    return [{"name": item} if isinstance(item, str) else item for item in value]


def _latest_switch(value: Any, info: ValidationInfo) -> Any:
    # In a file, `latest:` or `latest: true` turns the update on with its defaults; code that
    # builds a Config with latest=None means "off", so only parsed input gets this reading.
    if info.context and info.context.get("from_file") and (value is None or value is True):
        return {}
    return value


def section_list(hint: type) -> BeforeValidator:
    """A list of `hint`s, where a bare string is a name: `- Jailbreak` is `- name: Jailbreak`."""
    return BeforeValidator(_sections, json_schema_input_type=list[str | hint])  # type: ignore[valid-type]


def latest_switch(latest: type) -> BeforeValidator:
    """`latest` as a mapping, or `true` / nothing for the defaults."""
    return BeforeValidator(_latest_switch, json_schema_input_type=latest | Literal[True] | None)


# JSON Schema only (editors): the validators above are what the bot applies.
_DURATION_PATTERN = r"^\s*(?=[\d.]*[1-9])\d+(\.\d+)?\s*[smhdw]\s*$"  # and not zero
_DURATION_INPUT = (Annotated[str, Field(json_schema_extra={"pattern": _DURATION_PATTERN})]
                   | Annotated[float, Field(gt=0)])
_WORDS_INPUT = str | list[str | float]
# The same rules as check_repo_path (JSON Schema patterns are ECMA-262 regexes).
_PATH_PATTERN = (r"^(?!/)(?!\.git(hub)?/)(?!(.*/)?\.\.?/)(?!.*//)[^\\]*"
                 r"\.([mM][dD]|[mM][aA][rR][kK][dD][oO][wW][nN]|[mM][dD][xX])$")

Text = Annotated[str, BeforeValidator(_text), Field(json_schema_extra={"pattern": r"\S"})]
Words = Annotated[tuple[str, ...], BeforeValidator(_words, json_schema_input_type=_WORDS_INPUT)]
RepoPath = Annotated[str, BeforeValidator(_repo_path), Field(json_schema_extra={"pattern": _PATH_PATTERN})]
Duration = Annotated[timedelta, BeforeValidator(_duration, json_schema_input_type=_DURATION_INPUT)]
Policy = Annotated[Literal["anyone", "collaborators"], BeforeValidator(_policy)]
_GLOB = Annotated[str, Field(json_schema_extra={"pattern": r"^!?(?!/)(?!(.*/)?\.\.?(/|$))[^\\]+$"})]
Globs = Annotated[tuple[str, ...], BeforeValidator(_globs, json_schema_input_type=_GLOB | list[_GLOB])]
Switch = Annotated[bool, BeforeValidator(_switch)]


def number(kind: type, low: float, high: float) -> Any:
    """A number from `low` to `high`, whole when `kind` is int (bools are refused)."""
    # The bounds sit on the type (for the schema); the validator, outside them, checks first.
    return Annotated[kind, Field(ge=low, le=high), _number(kind, low, high)]
