"""`/config`: reply with the configuration paperbot would use here, and what is wrong with it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

import yaml
from gidgethub import sansio
from gidgethub.routing import Router

from bot.config import CONFIG_PATH, Config, parse_config
from bot.jobs.context import Context
from bot.jobs.replies import reply_marker
from handlers.commands import comment_commands

router = Router()

EFFECTIVE_CONFIG = "The configuration paperbot uses here (from `{config}` on `{branch}`, defaults filled in):"
NO_CONFIG_FILE = "There is no `{config}` on `{branch}`, so paperbot uses its defaults:"
PROBLEMS = "Problems found (the defaults were used for these):"


@router.register("issue_comment", action="created")
async def show_config(event: sansio.Event, ctx: Context) -> None:
    payload = event.data
    if not comment_commands(payload, "config"):
        return
    repo = await ctx.repository(payload)
    found = await repo.read_file(CONFIG_PATH, repo.default_branch)
    config, problems = parse_config(found.text if found else None)
    reply = render_config_reply(config, problems, exists=found is not None, branch=repo.default_branch)
    marker = reply_marker("g" + str(payload["comment"]["id"]))
    await repo.comment(payload["issue"]["number"], f"{reply}\n\n{marker}")


def render_config_reply(config: Config, problems: list[str], *, exists: bool, branch: str) -> str:
    intro = (EFFECTIVE_CONFIG if exists else NO_CONFIG_FILE).format(config=CONFIG_PATH, branch=branch)
    text = yaml.safe_dump(_plain(asdict(config)), sort_keys=False, allow_unicode=True).replace("```", "ˋˋˋ")
    parts = [intro, f"```yaml\n{text}```"]
    if problems:
        parts.append(PROBLEMS + "\n" + "\n".join(f"- {p}" for p in problems))
    return "\n\n".join(parts)


def _plain(value: Any) -> Any:
    """YAML-friendly: tuples as lists, durations as `12h`."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, timedelta):
        hours = value.total_seconds() / 3600
        return f"{hours:g}h"
    return value
