"""The latest-papers update: scheduled (a synthetic `schedule` event) or asked for with `/update`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from gidgethub import sansio
from gidgethub.routing import Router

from bot.config import CONFIG_PATH, Config, LatestConfig, parse_config
from bot.errors import ListFileMissing, PaperbotError
from bot.github.client import WRITE_ROLES, FileContent, Repository
from bot.github.pull_state import decode_state
from bot.github.rolling import MAX_ATTEMPTS, Conflict, FileChange, RollingPull, publish
from bot.github.snapshot import Snapshot, read_snapshot
from bot.jobs.config_issue import sync_config_issue
from bot.jobs.context import Context
from bot.jobs.cpu import run_cpu
from bot.jobs.harvest import Harvester, HarvestNeed
from bot.jobs.list_files import read_list_files
from bot.jobs.replies import reply_marker
from bot.jobs.update_text import LATEST_BRANCH, LATEST_TITLE, render_update_body
from bot.jobs.updates import default_query, is_due, last_run, plan_update
from bot.lists.document import ListDocument, parse_list
from bot.lists.identity import listed_keys
from bot.lists.latest.block import BlockError, find_block, listed_ids, parse_rows
from bot.papers.references import Paper
from handlers.commands import comment_commands

log = logging.getLogger(__name__)
router = Router()

DEFAULT_LIST = "README.md"
DEFAULT_ARCHIVE = "articles/README.md"
UPDATE_NOT_ALLOWED = "Only people with write access may run `/update` (@{user} has `{role}`)."
UPDATE_DONE = "Latest papers: {count} new relevant paper(s) proposed in {url}."
UPDATE_NOTHING = "Latest papers: nothing new on arXiv since the last update ({dropped} off-topic skipped)."
UPDATE_SKIPPED = ("This list has no `{start}` markers and no `latest:` in `{config}`, "
                  "so there is nothing to update.")
MARKERS_MISSING = ("`latest:` is configured in `{config}`, but `{file}` has no "
                   "`<!-- LATEST_PAPERS_START -->` / `<!-- LATEST_PAPERS_END -->` markers "
                   "to put the table between.")
BRANCH_EDITED = ("Someone pushed to `{branch}` and `{file}` there has no latest-papers table any more, "
                 "so paperbot left the branch as it is; merge or close its pull request to start afresh.")


@dataclass(frozen=True)
class UpdateResult:
    repository: str
    status: str  # "updated" | "no_change" | "not_due" | "skipped"
    pull_url: str | None = None
    kept: int = 0
    dropped: int = 0
    message: str = ""


@dataclass(frozen=True)
class Prepared:
    """What one read of a repository decided, for the write that follows the harvest."""

    snap: Snapshot
    file: str  # the list file
    latest: LatestConfig
    labels: tuple[str, ...]  # for a new pull request
    current: RollingPull
    base: FileContent  # the list file on the default branch
    tip: FileContent | None  # ... and on paperbot's branch
    need: HarvestNeed
    now: datetime
    config: Config  # the list's config, to read the files its README links
    doc: ListDocument | None = None  # parsed already when the query came from the list's title


@router.register("issue_comment", action="created")
async def update_on_command(event: sansio.Event, ctx: Context) -> None:
    payload = event.data
    if not comment_commands(payload, "update"):
        return
    sender = payload["sender"]
    repo = await ctx.repository(payload)
    number = payload["issue"]["number"]
    role = await repo.permission(sender["login"])
    if role not in WRITE_ROLES:
        reply = UPDATE_NOT_ALLOWED.format(user=sender["login"], role=role)
    else:
        try:
            result = await update_repository(ctx, repo, force=True)
            reply = result.message
        except PaperbotError as exc:
            reply = str(exc)
    await repo.comment(number, f"{reply}\n\n{reply_marker('u' + str(payload['comment']['id']))}")


async def update_repository(ctx: Context, repo: Repository, *, force: bool = False,
                            harvester: Harvester | None = None, prepared: Prepared | None = None,
                            before_write: Callable[[], Awaitable[None]] | None = None) -> UpdateResult:
    """`prepared`: the scheduler's first read, used unless a conflict makes us read again;
    `harvester`: the cycle's shared harvests (a `/update` gets one of its own)."""
    harvester = harvester or Harvester(ctx.arxiv, ctx.cache, cycle=f"update-{uuid.uuid4().hex[:12]}",
                                       now=datetime.now(UTC))
    async with ctx.serialised(repo.full_name):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                ready = prepared if attempt == 1 and prepared is not None else await prepare_update(
                    ctx, repo, force=force, now=datetime.now(UTC))
                if isinstance(ready, UpdateResult):
                    return ready
                candidates = await harvester.papers(ready.need)
                return await _propose(repo, ready, candidates, before_write)
            except Conflict as exc:
                log.info("conflict updating %s (attempt %d): %s", repo.full_name, attempt, exc)
                if attempt == MAX_ATTEMPTS:
                    raise
    raise AssertionError("unreachable")


async def prepare_update(ctx: Context, repo: Repository, *, force: bool,
                         now: datetime) -> Prepared | UpdateResult:
    """One read of the repository: its config, list, rolling pull request, and what to ask arXiv;
    or the result already (skipped, not due)."""
    snap = await read_snapshot(repo, config_path=CONFIG_PATH, list_path=DEFAULT_LIST, branch=LATEST_BRANCH,
                               archive_path=DEFAULT_ARCHIVE, tip_path=DEFAULT_LIST, closed=True)
    config, problems = parse_config(snap.config.text if snap.config else None)
    for problem in problems:
        log.warning("%s config: %s", repo.full_name, problem)
    if problems or snap.config_issue:
        await sync_config_issue(repo, snap.config_issue, problems)
    current = RollingPull.from_snapshot(snap)
    base_sha, base, tip = snap.base_sha, snap.list_file, snap.tip
    if config.file != DEFAULT_LIST and base_sha:
        base, tip = await asyncio.gather(
            repo.read_file(config.file, base_sha),
            repo.read_file(config.file, current.branch.oid) if current.pull and current.branch else _none())
    if base is None or base_sha is None:
        raise ListFileMissing(f"The list file `{config.file}` does not exist on `{repo.default_branch}`.")
    try:
        block = find_block(base.text)
    except BlockError as exc:
        raise PaperbotError(str(exc)) from exc
    if block is None:
        if config.latest is None:
            return UpdateResult(repo.full_name, "skipped",
                                message=UPDATE_SKIPPED.format(start="LATEST_PAPERS", config=CONFIG_PATH))
        raise PaperbotError(MARKERS_MISSING.format(config=CONFIG_PATH, file=config.file))
    latest = config.latest or LatestConfig()
    if not force and not is_due(last_run(block.meta, current.state), latest.every, now):
        return UpdateResult(repo.full_name, "not_due", message="not due yet")
    doc = None
    if not latest.query and not latest.include:  # the query comes from the list's title
        doc = await run_cpu(parse_list, base.text)  # CPU work off the event loop
    query = latest.query or default_query(latest, _list_title(doc))
    need = HarvestNeed(query, _date(block.meta.get("newest")), min(100, latest.max_papers * 3))
    return Prepared(snap, config.file, latest, tuple(config.labels), current, base, tip, need, now, config,
                    doc)


def _listed_anywhere(doc: ListDocument) -> set[str]:
    """The arXiv ids and the DOI / venue-page / title keys of every paper the list's files hold."""
    return listed_ids(doc.text, "") | listed_keys(doc)


async def _propose(repo: Repository, ready: Prepared, candidates: list[Paper],
                   before_write: Callable[[], Awaitable[None]] | None) -> UpdateResult:
    """The relevant papers among `candidates` that the list has not seen, in the rolling pull request;
    nothing written when there are none."""
    snap, current, latest, now = ready.snap, ready.current, ready.latest, ready.now
    archive = snap.archive
    if latest.archive != DEFAULT_ARCHIVE:
        archive = await repo.read_file(latest.archive, snap.base_sha)
    rejected = {paper["id"] for body in snap.closed_bodies
                for paper in decode_state(body).get("papers", []) if "id" in paper}
    archive_text = archive.text if archive else None
    known = listed_ids(ready.base.text, archive_text or "") | rejected
    on_top = not current.only_ours  # someone pushed to the branch: build on their commits
    if on_top:
        readme, archive, proposed = await _edited_branch(repo, ready.file, latest.archive, ready.tip, current)
        archive_text = archive.text if archive else None
        known |= listed_ids(readme.text, archive_text or "")
    else:
        readme, proposed = ready.base, _rows_of(ready.tip.text) if ready.tip and current.pull else []
    # Papers the open pull request proposed that its table no longer shows went to its archive:
    # proposed already, so not new.
    archived = _proposed_ids(current) - {row.arxiv_id for row in proposed} - known if not on_top else set()
    known |= archived
    if not [paper for paper in candidates
            if paper.arxiv_id not in known and paper.arxiv_id not in {row.arxiv_id for row in proposed}]:
        return _nothing_new(repo, current, 0)
    doc = ready.doc or await run_cpu(parse_list, ready.base.text)  # CPU work off the event loop
    # A list kept in several files: the papers its topic files hold are listed too, and (with no
    # topic configured) what they hold is part of what the list is about.
    whole = await read_list_files(repo, snap, ready.config, ready.base)
    known |= await run_cpu(_listed_anywhere, whole.doc)
    files = whole.texts if len(whole.parts) > 1 else None
    plan = await run_cpu(partial(
        plan_update, readme.text, archive_text, candidates, latest=latest, doc=doc, known_ids=known,
        proposed_rows=proposed, now=now, files=files, index_path=ready.file))
    if not plan.kept:
        return _nothing_new(repo, current, plan.dropped)
    if archived:  # the branch is regenerated: take those papers' rows along, or they would be lost
        proposed = proposed + await _archived_rows(repo, latest.archive, current, archived)
        plan = await run_cpu(partial(
            plan_update, readme.text, archive_text, candidates, latest=latest, doc=doc, known_ids=known,
            proposed_rows=proposed, now=now, files=files, index_path=ready.file))
    changes = [FileChange(ready.file, plan.readme)]
    if plan.archive is not None:
        changes.append(FileChange(latest.archive, plan.archive))
    still_shown = {row.arxiv_id for row in (_rows_of(readme.text) if on_top else proposed)}
    previous = [p for p in current.state.get("papers", []) if isinstance(p, dict)
                and p.get("id") in still_shown]

    def body_for(head: str) -> str:
        return render_update_body(plan, previous, head=head, now=now, base=repo.default_branch)

    if before_write is not None:
        await before_write()
    message = f"paperbot: {len(plan.kept)} new paper(s) in the latest table"
    pull = await publish(repo, branch=LATEST_BRANCH, snap=snap, current=current, reset=not on_top,
                         changes=changes, message=message, title=LATEST_TITLE,
                         body_for=body_for, labels=ready.labels if not current.pull else ())
    return UpdateResult(repo.full_name, "updated", pull["html_url"], len(plan.kept), plan.dropped,
                        UPDATE_DONE.format(count=len(plan.kept), url=pull["html_url"]))


def _nothing_new(repo: Repository, current: RollingPull, dropped: int) -> UpdateResult:
    return UpdateResult(repo.full_name, "no_change", current.pull and current.pull["html_url"],
                        dropped=dropped, message=UPDATE_NOTHING.format(dropped=dropped))


def _proposed_ids(current: RollingPull) -> set[str]:
    """What the open pull request says it proposes (none without an open pull request)."""
    if current.pull is None:
        return set()
    return {str(p["id"]) for p in current.state.get("papers", []) if isinstance(p, dict) and "id" in p}


async def _archived_rows(repo: Repository, archive_path: str, current: RollingPull,
                         ids: set[str]) -> list[Any]:
    if current.branch is None:
        raise Conflict("the branch vanished")  # deleted under us: read again
    archive = await repo.read_file(archive_path, current.branch.oid)
    return [row for row in parse_rows(archive.text) if row.arxiv_id in ids] if archive else []


async def _edited_branch(repo: Repository, list_path: str, archive_path: str, tip: FileContent | None,
                         current: RollingPull) -> tuple[FileContent, FileContent | None, list[Any]]:
    """The list and archive as a maintainer left them on the branch. Its table already shows the
    papers proposed before, so none are carried over; without a table there is nothing to build on."""
    if current.branch is None:
        raise Conflict("the branch vanished")  # deleted under us: read again
    if tip is None or _block_or_none(tip.text) is None:
        raise PaperbotError(BRANCH_EDITED.format(branch=LATEST_BRANCH, file=list_path))
    archive = await repo.read_file(archive_path, current.branch.oid)
    return tip, archive, []


def _block_or_none(text: str) -> Any:
    try:
        return find_block(text)
    except BlockError:
        return None


def _rows_of(text: str) -> list[Any]:
    block = _block_or_none(text)
    return parse_rows(text[block.start:block.end]) if block else []


def _list_title(doc: Any) -> str:
    return doc.sections[0].heading if doc and doc.sections else ""


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


async def _none() -> None:
    return None
