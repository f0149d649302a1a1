"""`.github/paperbot.yml`: defaults, validation messages, and attacks that must be refused."""

from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import Config, LatestConfig, SectionHint, check_repo_path, parse_config, parse_duration

FIXTURES = Path(__file__).parent / "fixtures" / "config"


def test_missing_or_empty_config_gives_defaults():
    assert parse_config(None) == (Config(), [])
    assert parse_config("") == (Config(), [])
    assert parse_config("# just a comment\n") == (Config(), [])


def test_full_config():
    config, problems = parse_config((FIXTURES / "full.yml").read_text(encoding="utf-8"))
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


# --- the exact messages a maintainer reads -----------------------------------------------------
# Each names the key path, its line, what was expected, what was found, and what is used instead.

TOP_KEYS = "add, default_section, file, files, follow_links, labels, latest, limits, sections"
LATEST_KEYS = "archive, categories, every, exclude, include, max_papers, min_relevance, query"

MESSAGES = [
    # wrong type
    ("latest:\n  max_papers: lots\n",
     "`latest.max_papers` (line 2): expected a whole number from 1 to 200, found `lots`; using `20`"),
    ("latest: {max_papers: yes}\n",
     "`latest.max_papers` (line 1): expected a whole number from 1 to 200, found `true`; using `20`"),
    ("limits:\n  papers_per_command: 2.5\n",
     "`limits.papers_per_command` (line 2): expected a whole number from 1 to 50, found `2.5`; using `10`"),
    ("file:\n", "`file` (line 1): expected text, found nothing; using `README.md`"),
    ("labels: {bug: red}\n", "`labels` (line 1): expected a list of words, found a mapping with `bug`; ignored"),
    ("labels: [a, [b]]\n", "`labels` (line 1): expected a list of words, found a list containing a list; ignored"),
    ("sections: Survey\n", "`sections` (line 1): expected a list of {name, aliases, keywords}, found `Survey`; ignored"),
    ("latest: 5\n", "`latest` (line 1): expected a mapping, found `5`; using the defaults"),
    ("limits: [1, 2]\n", "`limits` (line 1): expected a mapping, found a list; using the defaults"),
    ("add: everyone\n", "`add` (line 1): expected `anyone` or `collaborators`, found `everyone`; using `anyone`"),
    # unknown key, at the top and nested
    ("colour: blue\n", f"`colour` (line 1): unknown key, ignored (known: {TOP_KEYS})"),
    ("follow_links: maybe\n", "`follow_links` (line 1): expected `true` or `false`, found `maybe`; using `true`"),
    ("files: [docs/*.md, ../up.md]\n", "`files` (line 1): expected a list of path patterns inside the repository "
     "(`collection/*.md`, `!drafts/*.md` to leave files out), found a list; ignored"),
    ("on: push\n", f"`on` (line 1): unknown key, ignored (known: {TOP_KEYS})"),
    ("latest:\n  every: 12h\n  evry: 6h\n", f"`latest.evry` (line 3): unknown key, ignored (known: {LATEST_KEYS})"),
    ("limits: {per_hour: 5}\n",
     "`limits.per_hour` (line 1): unknown key, ignored (known: commands_per_hour, papers_per_command, pending_papers)"),
    ("sections:\n  - name: A\n    keyword: [x]\n",
     "`sections[0].keyword` (line 3): unknown key, ignored (known: aliases, keywords, name)"),
    # bad duration
    ("latest:\n  every: soon\n",
     "`latest.every` (line 2): expected a duration such as `12h`, `30m` or `1d`, found `soon`; using `24h`"),
    ("latest: {every: 0h}\n",
     "`latest.every` (line 1): expected a duration such as `12h`, `30m` or `1d`, found `0h`; using `24h`"),
    # out-of-range number
    ("latest:\n  max_papers: 100000\n",
     "`latest.max_papers` (line 2): expected a whole number from 1 to 200, found `100000`; using `20`"),
    ("latest:\n  min_relevance: 1.5\n",
     "`latest.min_relevance` (line 2): expected a number from 0.0 to 1.0, found `1.5`; using `0.5`"),
    ("limits:\n  pending_papers: 0\n",
     "`limits.pending_papers` (line 2): expected a whole number from 1 to 500, found `0`; using `50`"),
    # nested key paths into the list of sections
    ("sections:\n  - name: Survey\n    aliases: {a: 1}\n",
     "`sections[0].aliases` (line 3): expected a list of words, found a mapping with `a`; ignored"),
    ("sections:\n  - Survey\n  - aliases: [x]\n",
     "`sections[1]` (line 3): expected a mapping with a `name`, found a mapping with `aliases`; ignored"),
    ("sections:\n  - Survey\n  - 42\n", "`sections[1]` (line 3): expected a mapping with a `name`, found `42`; ignored"),
    ("sections:\n  - name: 7\n", "`sections[0].name` (line 2): expected text, found `7`; `sections[0]` is ignored"),
    # paths the bot must never write
    ("file: ../x.md\n", "`file` (line 1): `../x.md` must not contain empty, `.` or `..` parts; using `README.md`"),
    ("latest:\n  archive: .github/a.md\n",
     "`latest.archive` (line 2): `.github/a.md` is inside `.github/`, which paperbot never writes; "
     "using `articles/README.md`"),
    # the file as a whole
    ("file: README.md\nlabels: [a, b\n",
     ".github/paperbot.yml is not valid YAML at line 3, column 1: expected ',' or ']', but got '<stream end>'; "
     "using defaults"),
    ("file: README.md\n  labels: x\n",
     ".github/paperbot.yml is not valid YAML at line 2, column 9: mapping values are not allowed here; using defaults"),
    ("- a\n- b\n", ".github/paperbot.yml should be a mapping of keys to values, found a list; using defaults"),
]


@pytest.mark.parametrize(("text", "message"), MESSAGES, ids=[text for text, _ in MESSAGES])
def test_each_problem_has_its_exact_message(text, message):
    assert parse_config(text)[1] == [message]


def test_only_the_broken_values_fall_back():
    config, problems = parse_config(
        "file: docs/list.md\n"
        "latest:\n"
        "  max_papers: lots\n"
        "  every: 6h\n"
        "sections:\n"
        "  - Survey\n"
        "  - aliases: [orphan]\n"
        "  - name: Attacks\n"
        "    keywords: {bad: 1}\n"
        "colour: blue\n"
    )
    assert [p.split(":")[0] for p in problems] == [
        "`latest.max_papers` (line 3)", "`sections[1]` (line 7)", "`sections[2].keywords` (line 9)", "`colour` (line 10)"]
    assert config.file == "docs/list.md"
    assert (config.latest.max_papers, config.latest.every) == (20, timedelta(hours=6))
    assert [(s.name, s.keywords) for s in config.sections] == [("Survey", ()), ("Attacks", ())]


@pytest.mark.parametrize("text", ["latest:\n", "latest: true\n", "latest: {}\n"])
def test_latest_without_settings_turns_the_update_on_with_defaults(text):
    assert parse_config(text) == (Config(latest=LatestConfig()), [])


def test_lenient_readings_of_today():
    config, problems = parse_config(
        "labels: papers\nsections: [' Survey ', {name: B, keywords: [2023, ' x ', '']}]\n"
        "latest: {every: 90, max_papers: 5.0, exclude: robot*}\nadd: ' collaborators'\n")
    assert problems == []
    assert config.labels == ("papers",)
    assert config.sections == (SectionHint("Survey"), SectionHint("B", keywords=("2023", "x")))
    assert (config.latest.every, config.latest.max_papers, config.latest.exclude) == (
        timedelta(seconds=90), 5, ("robot*",))
    assert config.add_policy == "collaborators"


def test_code_builds_configs_directly_as_before():
    config = Config(add_policy="collaborators", sections=(SectionHint("A", aliases=["a"]),))
    assert config.latest is None  # None stays "off" outside a file
    assert config.sections[0].aliases == ("a",)
    assert replace(config, file="docs/x.md").file == "docs/x.md"
    assert asdict(Config())["limits"] == {"papers_per_command": 10, "pending_papers": 50, "commands_per_hour": 30}
    assert hash(config.sections) == hash((SectionHint("A", aliases=("a",)),))
    assert LatestConfig(every=timedelta(hours=1)).every == timedelta(hours=1)


def test_parse_duration_keeps_its_signature_for_settings():
    problems: list[str] = []
    assert parse_duration("2w", "UPDATE_INTERVAL", problems) == timedelta(weeks=2)
    assert parse_duration("soon", "UPDATE_INTERVAL", problems) is None
    assert problems == ["`UPDATE_INTERVAL`: expected a duration such as `12h`, `30m` or `1d`"]


_scalars = st.none() | st.booleans() | st.integers(-5, 5000) | st.floats(allow_nan=False) | st.text(max_size=8)
_keys = st.sampled_from(["file", "sections", "default_section", "latest", "add", "labels", "limits", "name",
                         "aliases", "keywords", "query", "every", "max_papers", "min_relevance", "archive",
                         "papers_per_command", "x", "1"])
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=5),
                       max_leaves=20)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=7))
def test_any_mapping_gives_a_config_and_well_formed_problems(data):
    config, problems = parse_config(yaml.safe_dump(data))
    assert isinstance(config, Config)
    assert all(p.startswith("`") and "(line " in p for p in problems)
    again, _ = parse_config(yaml.safe_dump(asdict_for_yaml(config)))
    assert again == config  # what was kept is itself a valid config


def asdict_for_yaml(config: Config) -> dict:
    data = asdict(config)
    data["add"] = data.pop("add_policy")
    if data["latest"] is None:
        del data["latest"]  # `latest:` with nothing after it would turn the update on
    else:
        data["latest"]["every"] = data["latest"]["every"].total_seconds()
    return data


def test_a_duration_too_large_for_a_timedelta_is_a_problem_not_a_crash() -> None:
    """Found by the property test above: `every: 8.64e13` (seconds) overflowed `timedelta`."""
    for value in ("8.64e13", "86400000000000", "1e400", "99999999d"):
        config, problems = parse_config(f"latest:\n  every: {value}\n")
        assert config.latest.every == timedelta(hours=24)
        assert problems == [f"`latest.every` (line 2): expected a duration such as `12h`, `30m` or `1d`, "
                            f"found `{value}`; using `24h`"]
