"""Validate `.github/paperbot.yml` leniently: YAML data in, a config and problems out.

pydantic validates the whole file and reports every error with its `loc` (the key path). Each
error becomes one problem a maintainer can act on ("`latest.max_papers` (line 4): expected a whole
number from 1 to 200, found `lots`; using `20`"): the line comes from the YAML node at that path,
and the value is dropped so the next pass falls back to its default. A section that cannot be used
is dropped from the list. Passes repeat until the rest validates; each drops at least one value.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterable
from dataclasses import dataclass, is_dataclass
from datetime import timedelta
from typing import Any, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic.dataclasses import is_pydantic_dataclass
from pydantic_core import ErrorDetails

from bot.config.fields import PATH_ERROR
from bot.config.yaml_lines import Loc, line_of

T = TypeVar("T")
_UNKNOWN_KEY = ("unexpected_keyword_argument", "extra_forbidden")
_NOT_A_MAPPING = ("dataclass_type", "dataclass_args_type", "model_type", "dict_type")
_DROPPED = object()


@dataclass(frozen=True)
class _Problem:
    loc: Loc  # where the error is
    target: Loc  # what is dropped: the value at loc, or the list item holding it
    what: str  # "expected ..., found ..." or "unknown key, ignored (...)"
    line: int | None
    empty: bool = False  # a section of the config that is not a mapping: read it as empty


def validate_leniently(root: type[T], data: dict[str, Any], node: yaml.Node | None,
                       context: dict[str, Any]) -> tuple[T, list[str]]:
    """Validate `data` as `root`, dropping what is invalid; the problems say what was dropped and
    what is used instead."""
    adapter = _adapter(root)
    found: list[_Problem] = []
    while True:
        try:
            value = adapter.validate_python(data, context=context)
            found.sort(key=lambda problem: problem.line or 0)  # in the order a reader meets them
            return value, [_message(problem, root) for problem in found]
        except ValidationError as exc:
            problems = _outermost(_problem(error, root, node) for error in exc.errors())
            if not _drop(data, problems):
                raise RuntimeError(f"cannot fall back from {exc}") from exc
            found += problems


@functools.cache
def _adapter(root: type[T]) -> TypeAdapter[T]:
    return TypeAdapter(root)


def _problem(error: ErrorDetails, root: type, node: yaml.Node | None) -> _Problem:
    loc, kind, value = tuple(error["loc"]), error["type"], error["input"]
    target, empty = loc, False
    if kind in _UNKNOWN_KEY:
        known = ", ".join(sorted(_fields(_dataclass_at(root, loc[:-1]))))
        what = f"unknown key, ignored (known: {known})"
    elif kind == "missing":
        loc = target = loc[:-1]
        what = f"expected a mapping with a `{error['loc'][-1]}`, found {describe_found(value)}"
    elif kind in _NOT_A_MAPPING:
        required = _required(_dataclass_at(root, loc))
        with_keys = "".join(f" with a `{name}`" for name in required)
        what = f"expected a mapping{with_keys}, found {describe_found(value)}"
        empty = not required  # `latest: 5` still turns the update on, with its defaults
    elif kind == PATH_ERROR:
        what = error["msg"]
    else:
        what = f"{error['msg']}, found {describe_found(value)}"
    if target and isinstance(target[-1], str) and target[-1] in _required(_dataclass_at(root, target[:-1])):
        target = target[:-1]  # a required value is unusable: so is the item it belongs to
    return _Problem(loc, target, what, line_of(node, loc), empty and target == loc)


def _outermost(problems: Iterable[_Problem]) -> list[_Problem]:
    """Leave out the problems inside a value that is dropped as a whole."""
    problems = list(problems)
    targets = {problem.target for problem in problems}
    return [p for p in problems if not any(p.target[:n] in targets for n in range(len(p.target)))]


def _drop(data: Any, problems: list[_Problem]) -> bool:
    """Remove the values the problems are about (keys deleted, list items removed, a mapping that is
    not one emptied); True if anything changed."""
    lists, dropped = [], False
    for problem in problems:
        parent, target = data, problem.target
        for part in target[:-1]:
            parent = parent[part] if isinstance(parent, dict | list) else None
        last = target[-1] if target else None
        if isinstance(parent, dict) and last in parent and problem.empty:
            dropped = dropped or parent[last] != {}
            parent[last] = {}
        elif isinstance(parent, dict) and last in parent:
            del parent[last]
            dropped = True
        elif isinstance(parent, list) and isinstance(last, int) and parent[last] is not _DROPPED:
            parent[last] = _DROPPED
            lists.append(parent)
            dropped = True
    for items in lists:
        items[:] = [item for item in items if item is not _DROPPED]
    return dropped


def _message(problem: _Problem, root: type) -> str:
    line = f" (line {problem.line})" if problem.line else ""
    text = f"`{format_loc(problem.loc)}`{line}: {problem.what}"
    if problem.what.startswith("unknown key"):
        return text
    if isinstance(problem.target[-1], int):
        ignored = "" if problem.target == problem.loc else f"`{format_loc(problem.target)}` is "
        return f"{text}; {ignored}ignored"
    if problem.empty:
        return f"{text}; using the defaults"
    return f"{text}; {describe_fallback(_default_at(root, problem.target))}"


def format_loc(loc: Loc) -> str:
    """`sections[1].aliases`."""
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def describe_found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping with " + ", ".join(f"`{key}`" for key in value) if value else "an empty mapping"
    if isinstance(value, list):
        odd = [item for item in value if item is None or isinstance(item, dict | list)]
        if odd:
            return f"a list containing {describe_found(odd[0])}"
        return "a list" if value else "an empty list"
    text = " ".join(str(value).split()).replace("`", "'")
    if not text:
        return "empty text"
    return f"`{text[:40]}…`" if len(text) > 40 else f"`{text}`"


def describe_fallback(value: Any) -> str:
    if value is None or value == ():
        return "ignored"
    if is_dataclass(value):
        return "using the defaults"
    if isinstance(value, timedelta):
        return f"using `{format_duration(value)}`"
    if isinstance(value, bool):
        return f"using `{str(value).lower()}`"
    return f"using `{value}`"


def format_duration(value: timedelta) -> str:
    seconds = value.total_seconds()
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size:g}{unit}"
    return f"{seconds:g}s"


# --- the dataclass shape behind a key path -----------------------------------------------------

def _fields(cls: type | None) -> dict[str, Any]:
    """Key in the file (the alias, if any) -> pydantic FieldInfo."""
    fields = getattr(cls, "__pydantic_fields__", {}) if cls else {}
    return {info.alias or name: info for name, info in fields.items()}


def _required(cls: type | None) -> list[str]:
    return [key for key, info in _fields(cls).items() if info.is_required()]


def _dataclass_at(root: type, loc: Loc) -> type | None:
    cls: type | None = root
    for part in loc:
        if isinstance(part, int):
            continue  # an item of a tuple field, whose dataclass was found with the field
        info = _fields(cls).get(part)
        cls = _find_dataclass(info.annotation) if info else None
    return cls


def _find_dataclass(annotation: Any) -> type | None:
    if is_pydantic_dataclass(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _find_dataclass(arg)) is not None:
            return found
    return None


def _default_at(root: type, loc: Loc) -> Any:
    info = _fields(_dataclass_at(root, loc[:-1]))[loc[-1]]
    return info.get_default(call_default_factory=True)
