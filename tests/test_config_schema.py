"""`paperbot.schema.json`: exported from the config model, committed, and in step with the bot.

Editors check `.github/paperbot.yml` against the committed file, so it must be what the model
exports today, accept every example config, and reject what the bot reports as a problem.
"""

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from bot.config import parse_config
from bot.config.schema import SCHEMA_FILE, render_schema
from tests.test_config import MESSAGES

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted([*ROOT.glob("examples/*/paperbot.yml"), *(ROOT / "tests" / "fixtures" / "config").glob("*.yml")])
REGENERATE = "python -m bot.config.schema > paperbot.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads((ROOT / SCHEMA_FILE).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_committed_schema_is_up_to_date():
    committed = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == render_schema(), f"{SCHEMA_FILE} is out of date; regenerate it: {REGENERATE}"


def test_there_are_example_configs():
    assert len(EXAMPLES) >= 3 and any("examples" in path.parts for path in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: str(path.relative_to(ROOT)))
def test_example_configs_are_valid_for_the_bot_and_the_schema(path, validator):
    text = path.read_text(encoding="utf-8")
    assert parse_config(text)[1] == []
    assert [error.message for error in validator.iter_errors(yaml.safe_load(text))] == []


def test_the_readme_config_is_valid_and_names_the_schema(validator):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = readme.split("## Configuration", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    assert text.startswith("# yaml-language-server: $schema=") and SCHEMA_FILE in text.splitlines()[0]
    assert parse_config(text)[1] == [] and validator.is_valid(yaml.safe_load(text))


def test_example_configs_name_the_schema_for_editors():
    comments = [path.read_text(encoding="utf-8").splitlines()[0] for path in EXAMPLES if "examples" in path.parts]
    assert comments and all(c.startswith("# yaml-language-server: $schema=") and c.endswith(SCHEMA_FILE)
                            for c in comments)


# Problems the schema cannot express: whole-file errors (not YAML, not a mapping), and `on:`, which
# YAML 1.1 reads as the key `true` where the bot reads the name "on".
BEYOND_THE_SCHEMA = ("not valid YAML", "should be a mapping", "`on`")


@pytest.mark.parametrize(("text", "message"), [case for case in MESSAGES
                                                if not any(s in case[1] for s in BEYOND_THE_SCHEMA)])
def test_the_schema_rejects_what_the_bot_reports(text, message, validator):
    assert not validator.is_valid(yaml.safe_load(text)), message


@pytest.mark.parametrize("text", [
    "file: docs/Papers.MD\n", "latest: {every: 0.5h}\n", "latest:\n", "latest: true\n",
    "sections: [Survey, {name: Attacks, aliases: attack}]\n", "labels: papers\n", "limits: {}\n",
])
def test_the_schema_accepts_what_the_bot_accepts(text, validator):
    assert parse_config(text)[1] == []
    assert validator.is_valid(yaml.safe_load(text))
