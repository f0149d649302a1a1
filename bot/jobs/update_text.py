"""What maintainers read about a latest-papers update: the pull request body, with its state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.github.pull_state import encode_state
from bot.jobs.updates import UpdatePlan
from bot.lists.render import escape_table_cell

LATEST_BRANCH = "paperbot/latest-papers"
LATEST_TITLE = "paperbot: latest arXiv papers"
UPDATE_INTRO = (
    "New arXiv papers for the latest-papers table, kept because they match this list's topic. "
    "paperbot regenerates this pull request on top of `{base}` at each update; commits you push "
    "are kept, and later papers are added on top of them. If you close it without merging, its "
    "papers are not proposed again.\n"
)
TABLE_HEADER = ("| Paper | Score | Why it fits |", "| --- | --- | --- |")
DROPPED_LINE = "{count} other new paper(s) were judged off-topic and left out."
LEFT_OVER_LINE = ("{count} more paper(s) looked relevant but less so than these; at most {limit} "
                  "new papers are proposed per run (`latest.max_papers`).")


def render_update_body(plan: UpdatePlan, previous: Sequence[dict[str, Any]], *, head: str,
                       now: datetime, base: str = "the default branch") -> str:
    papers = list(previous) + [
        {"id": k.paper.arxiv_id, "title": k.paper.title, "score": round(k.relevance.score, 2),
         "why": list(k.relevance.reasons)[:4]} for k in plan.kept
    ]
    lines = [UPDATE_INTRO.format(base=base), *TABLE_HEADER]
    for paper in papers:
        title = escape_table_cell(str(paper.get("title", ""))[:120])
        why = escape_table_cell("; ".join(map(str, paper.get("why", []))))
        lines.append(f"| [{paper['id']}](https://arxiv.org/abs/{paper['id']}) {title} "
                     f"| {paper.get('score', '')} | {why} |")
    if plan.dropped:
        lines += ["", DROPPED_LINE.format(count=plan.dropped)]
    if plan.left_over:
        lines += ["", LEFT_OVER_LINE.format(count=plan.left_over, limit=len(plan.kept))]
    state = {"v": 1, "kind": "latest", "head": head, "last_run": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "papers": [{"id": p["id"], "title": p.get("title", ""), "score": p.get("score"),
                         "why": p.get("why", [])} for p in papers]}
    lines += ["", encode_state(state)]
    return "\n".join(lines)
