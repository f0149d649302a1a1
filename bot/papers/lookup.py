"""Metadata for a command's references: arXiv ids from arXiv, the others from the scholarly sources,
both at once. A scholarly source that does not answer fails only its own references."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.papers.arxiv_client import ArxivClient
from bot.papers.references import ArxivRef, Paper
from bot.papers.refs import PaperRef, ScholarRef
from bot.papers.scholarly import ScholarlyClient


@dataclass
class Lookup:
    papers: dict[PaperRef, Paper | None] = field(default_factory=dict)  # None: not found
    unavailable: dict[PaperRef, str] = field(default_factory=dict)  # the reply line for each
    notes: list[str] = field(default_factory=list)


NOT_OFFERED = "only arXiv references can be looked up here"


async def look_up(arxiv: ArxivClient, scholarly: ScholarlyClient | None, refs: Sequence[PaperRef]) -> Lookup:
    arxiv_refs = [r for r in refs if isinstance(r, ArxivRef)]
    other_refs = [r for r in refs if isinstance(r, ScholarRef)]
    if scholarly is None:
        found = await arxiv.fetch(arxiv_refs) if arxiv_refs else {}
        return Lookup(dict(found), dict.fromkeys(other_refs, NOT_OFFERED))
    found, (others, unavailable, notes) = await asyncio.gather(
        arxiv.fetch(arxiv_refs) if arxiv_refs else _nothing(),
        scholarly.resolve_all(other_refs) if other_refs else _nothing_else())
    return Lookup({**found, **others}, dict(unavailable), list(notes))


async def _nothing() -> dict[ArxivRef, Paper | None]:
    return {}


async def _nothing_else() -> tuple[dict[ScholarRef, Paper | None], dict[ScholarRef, str], list[str]]:
    return {}, {}, []
