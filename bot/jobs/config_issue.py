"""One "paperbot configuration" issue per repository, kept up to date by scheduled runs.

A scheduled run has nobody to reply to, so configuration problems go into a single issue: opened
when a problem appears, edited when the problems change, closed when they are fixed. Never a new
issue per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.config import CONFIG_PATH
from bot.github.client import Repository
from bot.lists.render import escape_inline

CONFIG_ISSUE_TITLE = "paperbot configuration"
CONFIG_ISSUE_LABEL = "paperbot-config"
CONFIG_ISSUE_INTRO = (
    "paperbot found problems in `{config}` during its scheduled update. It used the defaults where "
    "it could. This issue is updated by each run and closed once the problems are fixed.\n"
)
CONFIG_ISSUE_FIXED = "The configuration problems are fixed. Thank you!"


def render_config_issue(problems: Sequence[str]) -> str:
    lines = [CONFIG_ISSUE_INTRO.format(config=CONFIG_PATH)]
    lines += [f"- {escape_inline(problem)}" for problem in problems]
    return "\n".join(lines)


async def sync_config_issue(repo: Repository, issue: dict[str, Any] | None,
                            problems: Sequence[str]) -> None:
    """Open, update or close the configuration issue so that it shows `problems`."""
    url_vars = {"owner": repo.owner, "repo": repo.name}
    one = "/repos/{owner}/{repo}/issues/{number}"
    if problems:
        body = render_config_issue(problems)
        if issue is None:
            data = {"title": CONFIG_ISSUE_TITLE, "body": body, "labels": [CONFIG_ISSUE_LABEL]}
            await repo.gh.post("/repos/{owner}/{repo}/issues", url_vars, data=data)
        elif issue.get("body") != body:
            await repo.gh.patch(one, {**url_vars, "number": issue["number"]}, data={"body": body})
    elif issue is not None:
        await repo.gh.patch(one, {**url_vars, "number": issue["number"]},
                            data={"body": CONFIG_ISSUE_FIXED, "state": "closed"})
