"""`.github/paperbot.yml`: schema, defaults and messages a maintainer can act on.

`parse_config` never raises on bad input: it returns the effective config (defaults where a value
was unusable) and a list of problems, each naming the key and what is wrong with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import yaml

CONFIG_PATH = ".github/paperbot.yml"
MAX_CONFIG_BYTES = 64 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdx")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class SectionHint:
    name: str
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class LatestConfig:
    query: str | None = None
    categories: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_papers: int = 20
    min_relevance: float = 0.5
    archive: str = "articles/README.md"
    every: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class Limits:
    papers_per_command: int = 10
    pending_papers: int = 50
    commands_per_hour: int = 30


@dataclass(frozen=True)
class Config:
    file: str = "README.md"
    sections: tuple[SectionHint, ...] = ()
    default_section: str | None = None
    latest: LatestConfig | None = None
    add_policy: str = "anyone"  # "anyone" | "collaborators"
    labels: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses YAML aliases, so an alias bomb cannot expand in memory."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"aliases (*name) are not supported, found at {event.start_mark}")
        return super().compose_node(parent, index)


def parse_config(text: str | None) -> tuple[Config, list[str]]:
    """Read the YAML text of `.github/paperbot.yml`; `None` (no file) gives the defaults."""
    problems: list[str] = []
    if text is None or not text.strip():
        return Config(), problems
    if len(text.encode("utf-8", "replace")) > MAX_CONFIG_BYTES:
        problems.append(f"{CONFIG_PATH} is larger than {MAX_CONFIG_BYTES // 1024} KiB; using defaults")
        return Config(), problems
    try:
        raw = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        problems.append(f"{CONFIG_PATH} is not valid YAML ({_one_line(exc)}); using defaults")
        return Config(), problems
    if raw is None:
        return Config(), problems
    if not isinstance(raw, dict):
        problems.append(f"{CONFIG_PATH} should be a mapping of keys to values; using defaults")
        return Config(), problems
    return _build(raw, problems), problems


def _build(raw: dict[str, Any], problems: list[str]) -> Config:
    config = Config()
    known = {"file", "sections", "default_section", "latest", "add", "labels", "limits"}
    for key in raw:
        if key not in known:
            problems.append(f"`{key}`: unknown key, ignored (known: {', '.join(sorted(known))})")
    if "file" in raw:
        path = _string(raw["file"], "file", problems)
        if path is not None and (error := check_repo_path(path)) is None:
            config = replace(config, file=path)
        elif path is not None:
            problems.append(f"`file`: {error}; using README.md")
    if "sections" in raw:
        config = replace(config, sections=_sections(raw["sections"], problems))
    if "default_section" in raw:
        config = replace(
            config, default_section=_string(raw["default_section"], "default_section", problems)
        )
    if "latest" in raw:
        config = replace(config, latest=_latest(raw["latest"], problems))
    if "add" in raw:
        policy = _string(raw["add"], "add", problems)
        if policy in ("anyone", "collaborators"):
            config = replace(config, add_policy=policy)
        elif policy is not None:
            problems.append("`add`: expected `anyone` or `collaborators`; using `anyone`")
    if "labels" in raw:
        config = replace(config, labels=_strings(raw["labels"], "labels", problems))
    if "limits" in raw:
        config = replace(config, limits=_limits(raw["limits"], problems))
    return config


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


def _sections(value: Any, problems: list[str]) -> tuple[SectionHint, ...]:
    if not isinstance(value, list):
        problems.append("`sections`: expected a list of {name, aliases, keywords}; ignored")
        return ()
    hints = []
    for index, item in enumerate(value):
        where = f"sections[{index}]"
        if isinstance(item, str):
            hints.append(SectionHint(item))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            problems.append(f"`{where}`: expected a mapping with a `name`; ignored")
            continue
        aliases = _strings(item.get("aliases", []), f"{where}.aliases", problems)
        keywords = _strings(item.get("keywords", []), f"{where}.keywords", problems)
        hints.append(SectionHint(item["name"], aliases, keywords))
    return tuple(hints)


def _latest(value: Any, problems: list[str]) -> LatestConfig:
    latest = LatestConfig()
    if value is None or value is True:
        return latest
    if not isinstance(value, dict):
        problems.append("`latest`: expected a mapping; using the defaults")
        return latest
    changes: dict[str, Any] = {}
    for key, item in value.items():
        where = f"latest.{key}"
        if key == "query":
            changes[key] = _string(item, where, problems)
        elif key in ("categories", "include", "exclude"):
            changes[key] = _strings(item, where, problems)
        elif key == "max_papers":
            changes[key] = _number(item, where, problems, int, 1, 200, latest.max_papers)
        elif key == "min_relevance":
            changes[key] = _number(item, where, problems, float, 0.0, 1.0, latest.min_relevance)
        elif key == "archive":
            path = _string(item, where, problems)
            if path is not None and (error := check_repo_path(path)) is None:
                changes[key] = path
            elif path is not None:
                problems.append(f"`{where}`: {error}; using {latest.archive}")
        elif key == "every":
            changes[key] = parse_duration(item, where, problems) or latest.every
        else:
            problems.append(f"`{where}`: unknown key, ignored")
    return replace(latest, **{k: v for k, v in changes.items() if v is not None})


def _limits(value: Any, problems: list[str]) -> Limits:
    limits = Limits()
    if not isinstance(value, dict):
        problems.append("`limits`: expected a mapping; using the defaults")
        return limits
    bounds = {"papers_per_command": 50, "pending_papers": 500, "commands_per_hour": 1000}
    changes = {}
    for key, item in value.items():
        if key not in bounds:
            problems.append(f"`limits.{key}`: unknown key, ignored")
            continue
        default = getattr(limits, key)
        changes[key] = _number(item, f"limits.{key}", problems, int, 1, bounds[key], default)
    return replace(limits, **changes)


def parse_duration(value: Any, where: str, problems: list[str]) -> timedelta | None:
    """`12h`, `30m`, `1d`, `2w` or a number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return timedelta(seconds=value)
    match = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not match or float(match[1]) <= 0:
        problems.append(f"`{where}`: expected a duration such as `12h`, `30m` or `1d`")
        return None
    return timedelta(**{_DURATION_UNITS[match[2]]: float(match[1])})


def _string(value: Any, where: str, problems: list[str]) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.append(f"`{where}`: expected text")
    return None


def _strings(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        problems.append(f"`{where}`: expected a list of words; ignored")
        return ()
    return tuple(str(v).strip() for v in value if str(v).strip())


def _number(value: Any, where: str, problems: list[str], kind: type, low: float, high: float,
            default: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"`{where}`: expected a number from {low} to {high}; using {default}")
        return default
    if kind is int and value != int(value):
        problems.append(f"`{where}`: expected a whole number; using {default}")
        return default
    if not low <= value <= high:
        problems.append(f"`{where}`: {value} is outside {low}..{high}; using {default}")
        return default
    return kind(value)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300]
