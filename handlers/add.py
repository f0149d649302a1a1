"""`/add` and `/remove`: papers into (and out of) the one rolling pull request, one reply per comment."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from gidgethub import sansio
from gidgethub.routing import Router

from bot.config import CONFIG_PATH, Config, parse_config
from bot.curation.sections import section_model
from bot.errors import ListFileMissing, PaperbotError
from bot.github.client import WRITE_ROLES, FileContent, Repository
from bot.github.rolling import MAX_ATTEMPTS, Conflict, RollingPull
from bot.github.snapshot import read_snapshot
from bot.jobs.additions import AddRequest, Outcome, Pending, plan_additions
from bot.jobs.additions_pr import AdditionsChange, write_additions
from bot.jobs.context import Context
from bot.jobs.cpu import run_cpu
from bot.jobs.list_files import DEFAULT_ARCHIVE, read_list_files
from bot.jobs.replies import (
    ADDITIONS_BRANCH,
    NO_PULL,
    NOT_PENDING,
    PENDING_LIMIT,
    REMOVED,
    TOO_MANY_PAPERS,
    has_reply_marker,
    pending_from_state,
    render_reply,
    reply_marker,
)
from bot.lists.document import ListDocument
from bot.lists.identity import listed_lines, request_keys
from bot.logs import delivery_id
from bot.papers.lookup import Lookup, look_up
from bot.papers.references import InvalidRef
from bot.papers.refs import PaperRef, parse_any_ref, ref_from_key, ref_key
from handlers.commands import Command, parse_commands, sent_by_bot

log = logging.getLogger(__name__)
router = Router()

LIST_MISSING = "The list file `{path}` does not exist on `{branch}`; set `file:` in `{config}`."
REMOVE_NOT_ALLOWED = "Only people with write access may `/remove` papers (@{user} has `{role}`)."
ADD_NOT_ALLOWED = "This list accepts `/add` from collaborators only; a maintainer can add it for you."
UNEXPECTED = ("paperbot hit an unexpected error and changed nothing; the maintainers of this "
              "app can find the details in their logs under delivery `{delivery}`.")
TOO_MANY_COMMANDS = ("@{user}, you have sent {limit} commands here in the last hour, the most this "
                     "list allows; please try again later.")
ALREADY_DONE = "This command was already carried out: {url}"
DEFAULT_LIST = "README.md"
CONFIG_PROBLEMS = "Problems in `{config}` (defaults were used):"


@dataclass(frozen=True)
class CommandSource:
    """The comment (or issue body) that carried the commands."""

    key: str  # `c<comment id>` or `i<issue id>`: what our reply's marker names
    body: str
    issue: int
    created_at: str
    sender: str


@router.register("issue_comment", action="created")
async def add_from_comment(event: sansio.Event, ctx: Context) -> None:
    payload = event.data
    if sent_by_bot(payload):
        return
    comment, issue = payload["comment"], payload["issue"]
    source = CommandSource(f"c{comment['id']}", comment.get("body") or "", issue["number"],
                           comment["created_at"], payload["sender"]["login"])
    await run_paper_commands(ctx, payload, source)


@router.register("issues", action="opened")
async def add_from_issue(event: sansio.Event, ctx: Context) -> None:
    payload = event.data
    if sent_by_bot(payload):
        return
    issue = payload["issue"]
    source = CommandSource(f"i{issue['id']}", issue.get("body") or "", issue["number"],
                           issue["created_at"], payload["sender"]["login"])
    await run_paper_commands(ctx, payload, source)


async def run_paper_commands(ctx: Context, payload: dict[str, Any], source: CommandSource) -> None:
    commands = [c for c in parse_commands(source.body) if c.name in ("add", "remove")]
    if not commands:
        return
    repo = await ctx.repository(payload)
    async with ctx.serialised(repo.full_name):
        try:
            reply = await _apply_with_retries(ctx, repo, source, commands)
        except PaperbotError as exc:
            # No "answered" marker: a redelivery of this comment should try again.
            await repo.comment(source.issue, str(exc))
            return
        except Exception:
            log.exception("/add failed on %s#%d", repo.full_name, source.issue)
            await repo.comment(source.issue, UNEXPECTED.format(delivery=delivery_id.get()))
            return
        if reply is not None:
            await repo.comment(source.issue, f"{reply}\n\n{reply_marker(source.key)}")


async def _apply_with_retries(ctx: Context, repo: Repository, source: CommandSource,
                              commands: list[Command]) -> str | None:
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return await apply_paper_commands(ctx, repo, source, commands)
        except Conflict as exc:
            log.info("conflict on %s (attempt %d): %s", repo.full_name, attempt, exc)
            if attempt == MAX_ATTEMPTS:
                raise
    return None


async def apply_paper_commands(ctx: Context, repo: Repository, source: CommandSource,
                               commands: list[Command]) -> str | None:
    """Do the work; returns the reply text, or None when this command was already answered."""
    snap = await read_snapshot(repo, config_path=CONFIG_PATH, list_path=DEFAULT_LIST,
                               branch=ADDITIONS_BRANCH, tip_path=DEFAULT_LIST, archive_path=DEFAULT_ARCHIVE)
    config, problems = parse_config(snap.config.text if snap.config else None)
    current = RollingPull.from_snapshot(snap)
    if source.key in current.state.get("sources", []):
        return await _answer_once(repo, source, current)  # a redelivery of work already done
    if not ctx.allow_command(repo.full_name, source.sender, source.key, config.limits.commands_per_hour):
        return TOO_MANY_COMMANDS.format(user=source.sender, limit=config.limits.commands_per_hour)
    notes = [CONFIG_PROBLEMS.format(config=CONFIG_PATH) + "\n" + "\n".join(f"- {p}" for p in problems)
             ] if problems else []
    adds = any(c.name == "add" for c in commands)
    if adds and config.add_policy == "collaborators" and (
        await repo.permission(source.sender) not in WRITE_ROLES | {"triage"}
    ):
        return ADD_NOT_ALLOWED
    base, tip = snap.list_file, snap.tip
    if config.file != DEFAULT_LIST and snap.base_sha:
        base, tip = await asyncio.gather(repo.read_file(config.file, snap.base_sha),
                                         _tip(repo, config.file, current))
    if base is None or snap.base_sha is None:
        raise ListFileMissing(LIST_MISSING.format(path=config.file, branch=repo.default_branch,
                                                  config=CONFIG_PATH))
    requests, more = build_requests(commands, config.limits.papers_per_command)
    if more:
        notes.append(TOO_MANY_PAPERS.format(limit=config.limits.papers_per_command))
    pending = before = pending_from_state(current.state)
    removed, remove_notes = await _removals(repo, source, commands, pending, current)
    notes += remove_notes
    pending = [p for p in pending if p.arxiv_id not in removed]

    # Parsing, classifying and rendering are CPU work (a model of a large list takes seconds to
    # build once): they run in a worker thread so that webhooks keep being answered meanwhile.
    files = await read_list_files(repo, snap, config, base)
    doc = files.doc
    # Papers the list already has are answered from the list alone; pending ones are re-rendered.
    wanted = [r.ref for r in requests if r.ref and not listed_lines(doc, request_keys(r.ref, None))]
    wanted += [ref_from_key(p.arxiv_id) for p in pending]
    choosing = any(r.ref and not r.section for r in requests)  # some paper needs its section chosen
    fetched = await _fetch_while_learning_sections(ctx, doc, wanted, config, learn=choosing)
    notes += fetched.notes
    added, outcomes = await run_cpu(
        partial(plan_additions, files, requests, fetched.papers, pending, config=config,
                requested_by=source.sender, issue=source.issue, unavailable=fetched.unavailable))
    if len(pending) + len(added) > config.limits.pending_papers:
        added, outcomes = [], [_refused(o) for o in outcomes]
        notes.append(PENDING_LIMIT.format(limit=config.limits.pending_papers))
    pull_url = current.pull["html_url"] if current.pull else None
    if added or removed:
        papers = {ref_key(ref): p for ref, p in fetched.papers.items() if p is not None}
        change = AdditionsChange(files, snap.base_sha, tip, pending + added, added, removed, source.key,
                                 before)
        pull_url = await write_additions(repo, config, snap, current, change, papers)
    elif await _already_answered(repo, source):
        return None  # nothing changed and this comment has its answer: a redelivery
    sections = [s.path for s in doc.paper_sections()]
    return render_reply(outcomes, pull_url=pull_url, sections=sections, notes=notes,
                        blob_url=repo.blob_url(snap.base_sha, config.file),
                        file_url=partial(repo.blob_url, snap.base_sha)) if outcomes or notes else None


async def _fetch_while_learning_sections(ctx: Context, doc: ListDocument, wanted: list[PaperRef],
                                         config: Config, *, learn: bool) -> Lookup:
    """The papers from arXiv (and the scholarly sources). Meanwhile a worker thread learns the list's
    sections: the first time the bot sees a 5,000-entry list that takes about a second, which the
    arXiv request hides."""
    if not wanted:
        return Lookup()
    if not learn:
        return await look_up(ctx.arxiv, ctx.scholarly, wanted)
    learning = asyncio.create_task(run_cpu(section_model, doc, config.sections))
    try:
        return await look_up(ctx.arxiv, ctx.scholarly, wanted)
    finally:
        await learning


async def _tip(repo: Repository, path: str, current: RollingPull) -> FileContent | None:
    # At the head the snapshot saw: the commit our write will be a compare-and-swap on.
    return await repo.read_file(path, current.branch.oid) if current.pull and current.branch else None


async def _already_answered(repo: Repository, source: CommandSource) -> bool:
    earlier = await repo.comments_since(source.issue, source.created_at)
    return any(has_reply_marker(c.get("body") or "", source.key) for c in earlier)


async def _answer_once(repo: Repository, source: CommandSource, current: RollingPull) -> str | None:
    if await _already_answered(repo, source):
        log.info("already answered %s on #%d; nothing to do", source.key, source.issue)
        return None
    return ALREADY_DONE.format(url=current.pull["html_url"] if current.pull else "")


def build_requests(commands: list[Command], limit: int) -> tuple[list[AddRequest], bool]:
    """Validate refs locally (invalid ones never reach a metadata source); drop repeats; cap at `limit`."""
    requests: list[AddRequest] = []
    seen: set[str] = set()
    for command in commands:
        if command.name != "add":
            continue
        for raw in command.args:
            try:
                ref: PaperRef | None = parse_any_ref(raw)
                error = ""
            except InvalidRef as exc:
                ref, error = None, str(exc)
            key = ref_key(ref) if ref else raw
            if key in seen:
                continue
            seen.add(key)
            requests.append(AddRequest(raw, ref, command.section, error))
    return requests[:limit], len(requests) > limit


async def _removals(repo: Repository, source: CommandSource, commands: list[Command],
                    pending: list[Pending], current: RollingPull) -> tuple[set[str], list[str]]:
    refs = [arg for c in commands if c.name == "remove" for arg in c.args]
    if not refs:
        return set(), []
    role = await repo.permission(source.sender)
    if role not in WRITE_ROLES:
        return set(), [REMOVE_NOT_ALLOWED.format(user=source.sender, role=role)]
    if current.pull is None:
        return set(), [NO_PULL]
    pending_ids = {p.arxiv_id for p in pending}
    removed, notes = set(), []
    for raw in refs:
        try:
            key = ref_key(parse_any_ref(raw))
        except InvalidRef as exc:
            notes.append(str(exc))
            continue
        if key in pending_ids:
            removed.add(key)
            notes.append(REMOVED.format(ref=key))
        else:
            notes.append(NOT_PENDING.format(ref=key))
    return removed, notes


def _refused(outcome: Outcome) -> Outcome:
    return outcome if outcome.kind != "added" else Outcome(outcome.request, "pending_limit",
                                                           outcome.paper)
