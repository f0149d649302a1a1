"""`.github/paperbot.yml`: schema, defaults and messages a maintainer can act on.

The dataclasses below are the schema (pydantic dataclasses: validated, and exported as
`paperbot.schema.json` by `python -m bot.config.schema`). `parse_config` never raises on bad input:
it returns the effective config (defaults where a value was unusable) and a list of problems, each
naming the key, its line, what was expected and what was found.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import yaml
from pydantic import ConfigDict, Field
from pydantic.dataclasses import dataclass

from bot.config.fields import (
    MARKDOWN_SUFFIXES,
    Duration,
    Globs,
    Policy,
    RepoPath,
    Switch,
    Text,
    Words,
    check_repo_path,
    latest_switch,
    number,
    parse_duration,
    section_list,
)
from bot.config.lenient import describe_found, validate_leniently
from bot.config.yaml_lines import load_yaml, yaml_error_text

__all__ = ["CONFIG_PATH", "MARKDOWN_SUFFIXES", "MAX_CONFIG_BYTES", "Config", "LatestConfig", "Limits",
           "SectionHint", "check_repo_path", "parse_config", "parse_duration"]

CONFIG_PATH = ".github/paperbot.yml"
MAX_CONFIG_BYTES = 64 * 1024
TOO_LARGE = "{config} is larger than {kib} KiB; using defaults"
NOT_YAML = "{config} is not valid YAML {where}; using defaults"
NOT_A_MAPPING = "{config} should be a mapping of keys to values, found {found}; using defaults"

# Unknown keys are reported (extra="forbid"); `add` is the file's name for `add_policy`.
_SCHEMA = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)


@dataclass(frozen=True, config=_SCHEMA)
class SectionHint:
    """A section of the list, or `- Name` for just its name."""

    name: Text = Field(description='A heading, or a path of headings joined by " > "')
    aliases: Words = Field(default=(), description="Other names people may use with `to <section>`")
    keywords: Words = Field(default=(), description="Words that point a paper to this section")


@dataclass(frozen=True, config=_SCHEMA)
class LatestConfig:
    """The scheduled update of the latest-papers table (needs its two markers in the list file)."""

    query: Text | None = Field(default=None, description="arXiv search query (default: from `include`)")
    categories: Words = Field(default=(), description="Keep only papers in these arXiv categories")
    include: Words = Field(default=(), description="Words that make a paper relevant (`*` ends a prefix)")
    exclude: Words = Field(default=(), description="Words that make a paper off-topic")
    max_papers: number(int, 1, 200) = Field(default=20, description="Rows in the latest table")
    min_relevance: number(float, 0.0, 1.0) = Field(default=0.5, description="Relevance a paper needs")
    archive: RepoPath = Field(default="articles/README.md", description="Where older rows go")
    every: Duration = Field(default=timedelta(hours=24), description="How often an update is due",
                            json_schema_extra={"default": "24h"})


@dataclass(frozen=True, config=_SCHEMA)
class Limits:
    papers_per_command: number(int, 1, 50) = Field(default=10, description="Papers one /add may name")
    pending_papers: number(int, 1, 500) = Field(default=50, description="Papers waiting in the rolling PR")
    commands_per_hour: number(int, 1, 1000) = Field(default=30, description="Commands per person per hour")


@dataclass(frozen=True, config=_SCHEMA)
class Config:
    """paperbot's settings for one repository, read from `.github/paperbot.yml` on its default branch."""

    file: RepoPath = Field(default="README.md", description="The list file (Markdown, in the repository)")
    files: Globs = Field(default=(), description=(
        "More files of the list, as path patterns (`*` matches across folders); `!pattern` leaves "
        "files out, linked or not"))
    follow_links: Switch = Field(default=True, description=(
        "Read the Markdown files the list file links to (and theirs) as part of the list"))
    sections: Annotated[tuple[SectionHint, ...], section_list(SectionHint)] = Field(
        default=(), description="Steer section choice (useful for young lists with few entries)")
    default_section: Text | None = Field(default=None, description="Used when nothing else scores")
    latest: Annotated[LatestConfig | None, latest_switch(LatestConfig)] = Field(
        default=None, description="The scheduled update; `latest: true` turns it on with the defaults")
    add_policy: Policy = Field(default="anyone", alias="add", description="Who may /add")
    labels: Words = Field(default=(), description="Labels for paperbot's pull requests")
    limits: Limits = Field(default_factory=Limits, description="Per-command and per-list limits")


def parse_config(text: str | None) -> tuple[Config, list[str]]:
    """Read the YAML text of `.github/paperbot.yml`; `None` (no file) gives the defaults."""
    if text is None or not text.strip():
        return Config(), []
    if len(text.encode("utf-8", "replace")) > MAX_CONFIG_BYTES:
        return Config(), [TOO_LARGE.format(config=CONFIG_PATH, kib=MAX_CONFIG_BYTES // 1024)]
    try:
        raw, node = load_yaml(text)
    except yaml.YAMLError as exc:
        return Config(), [NOT_YAML.format(config=CONFIG_PATH, where=yaml_error_text(exc))]
    except RecursionError:  # nesting deeper than the composer can follow
        return Config(), [NOT_YAML.format(config=CONFIG_PATH, where="(nested too deeply)")]
    if raw is None:
        return Config(), []
    if not isinstance(raw, dict):
        return Config(), [NOT_A_MAPPING.format(config=CONFIG_PATH, found=describe_found(raw))]
    return validate_leniently(Config, raw, node, context={"from_file": True})
