"""`.github/paperbot.yml`: defaults, validation messages, and attacks that must be refused."""

from datetime import timedelta

import pytest

from bot.config import Config, check_repo_path, parse_config


def test_missing_or_empty_config_gives_defaults():
    assert parse_config(None) == (Config(), [])
    assert parse_config("") == (Config(), [])
    assert parse_config("# just a comment\n") == (Config(), [])


def test_full_config():
    config, problems = parse_config(
        """
file: docs/papers.md
sections:
  - name: Survey
    aliases: [surveys, overview]
    keywords: [survey, review]
  - Jailbreak
default_section: Survey
latest:
  query: 'all:"jailbreak"'
  categories: [cs.CL, cs.CR]
  include: [jailbreak, red teaming]
  exclude: robotics
  max_papers: 30
  min_relevance: 0.6
  archive: articles/README.md
  every: 12h
add: collaborators
labels: [papers]
limits: {papers_per_command: 5, pending_papers: 40}
"""
    )
    assert problems == []
    assert config.file == "docs/papers.md"
    assert [s.name for s in config.sections] == ["Survey", "Jailbreak"]
    assert config.sections[0].aliases == ("surveys", "overview")
    assert config.latest.every == timedelta(hours=12)
    assert config.latest.exclude == ("robotics",)
    assert config.latest.max_papers == 30
    assert config.add_policy == "collaborators"
    assert config.limits.papers_per_command == 5


PROBLEMS = [
    ("file: ../../etc/passwd.md", "file", "README.md"),
    ("file: /abs/README.md", "file", "README.md"),
    ("file: .github/workflows/x.md", "file", "README.md"),
    ("file: setup.py", "not a Markdown file", "README.md"),
    ("latest: {max_papers: lots}", "latest.max_papers", None),
    ("latest: {max_papers: 100000}", "latest.max_papers", None),
    ("latest: {every: soon}", "latest.every", None),
    ("latest: {archive: ../x.md}", "latest.archive", None),
    ("add: everyone", "`add`", None),
    ("colour: blue", "colour", None),
    ("- a\n- b", "mapping", None),
    ("file: [unclosed", "not valid YAML", None),
]


@pytest.mark.parametrize(("text", "mentions", "file"), PROBLEMS)
def test_problems_name_the_key_and_fall_back(text, mentions, file):
    config, problems = parse_config(text)
    assert problems and mentions in problems[0]
    if file:
        assert config.file == file
    assert config.latest is None or config.latest.max_papers == 20


def test_alias_bomb_is_refused_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
    config, problems = parse_config(bomb)
    assert config == Config() and "aliases" in problems[0]


def test_huge_config_is_refused():
    config, problems = parse_config("labels: [" + "x, " * 40_000 + "]")
    assert config == Config() and "larger than" in problems[0]


@pytest.mark.parametrize(("path", "ok"), [
    ("README.md", True), ("docs/list.markdown", True), ("a/../b.md", False), ("./README.md", False),
    ("C:\\x.md", False), (".git/config.md", False), ("README", False), ("", False),
])
def test_check_repo_path(path, ok):
    assert (check_repo_path(path) is None) is ok
