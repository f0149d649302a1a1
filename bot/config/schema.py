"""The JSON Schema of `.github/paperbot.yml`, exported from the config dataclasses.

Editors that read a `# yaml-language-server: $schema=...` comment complete and check the file with
it. The committed copy is `paperbot.schema.json` at the repository root; regenerate it with

    python -m bot.config.schema > paperbot.schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import TypeAdapter

from bot.config import CONFIG_PATH, Config

SCHEMA_FILE = "paperbot.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def config_json_schema() -> dict[str, Any]:
    """The schema of the file as written (`add`, `12h`), not of the parsed values."""
    schema = TypeAdapter(Config).json_schema(mode="validation", by_alias=True)
    return {"$schema": SCHEMA_DIALECT, **schema, "title": f"paperbot configuration ({CONFIG_PATH})"}


def render_schema() -> str:
    return json.dumps(config_json_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_schema())
