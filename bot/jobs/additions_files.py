"""The pending papers written into a list kept in several files: each paper into the file that
holds its section, and the count beside that file's link in the index raised by the papers it got.

`render_files` is `render_checked` for a `ListSet`: papers one at a time, oldest first, each edit
checked by the write guard on its own file, so one refusal costs only that paper. Pure.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.config import Config
from bot.jobs.additions import Pending, find_section, section_to_write
from bot.lists.document import remove_entry
from bot.lists.identity import styled_for
from bot.lists.index import bump_counts
from bot.lists.listset import ListSet
from bot.papers.references import Paper

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedFiles:
    texts: dict[str, str]  # the files that changed, with their new text
    refused: dict[str, str] = field(default_factory=dict)  # paper key -> the write guard's reason
    added: Counter[str] = field(default_factory=Counter)  # papers written into each file


def render_files(files: ListSet, pending: Sequence[Pending], papers: Mapping[str, Paper],
                 config: Config) -> RenderedFiles:
    """The files with every pending paper the list does not hold yet written in, and the counts
    beside their links raised."""
    items = [(paper, item) for item in pending if (paper := papers.get(item.arxiv_id)) is not None]
    items.sort(key=lambda pair: (pair[0].published, pair[1].arxiv_id))
    current = files
    refused: dict[str, str] = {}
    added: Counter[str] = Counter()
    for paper, item in items:
        doc = current.doc
        section = section_to_write(doc, item, paper, config)
        if section is None:
            continue
        path, after, verdict = current.edit(section, styled_for(paper, section))
        if verdict.ok:
            current = current.with_texts({path: after})
            added[path] += 1
        else:
            log.warning("write guard refused %s in %s: %s", item.arxiv_id, " > ".join(section.path),
                        verdict.reason)
            refused[item.arxiv_id] = verdict.reason
    current = with_counts(current, added)
    before = files.texts
    return RenderedFiles({p: t for p, t in current.texts.items() if t != before.get(p)}, refused, added)


def with_counts(files: ListSet, added: Mapping[str, int]) -> ListSet:
    """The counts beside each link to a file that gained (or lost) papers, changed by as many."""
    by_parent: dict[str, Counter[str]] = {}
    for part in files.parts:
        if added.get(part.file.path) and part.file.parent:
            by_parent.setdefault(part.file.parent, Counter())[part.file.path] += added[part.file.path]
    if not by_parent:
        return files
    texts = files.texts
    return files.with_texts({parent: bump_counts(texts[parent], parent, counts, files.aliases)
                             for parent, counts in by_parent.items() if parent in texts})


def remove_papers(files: ListSet, arxiv_ids: Iterable[str], paths: Iterable[str]) -> dict[str, str]:
    """The files among `paths` that held any of the papers, without them, counts lowered."""
    wanted = set(paths)
    texts = files.texts
    changed: dict[str, str] = {}
    removed: Counter[str] = Counter()
    for path in wanted & set(texts):
        text = texts[path]
        for arxiv_id in arxiv_ids:
            after = remove_entry(text, arxiv_id)
            removed[path] += after != text
            text = after
        if text != texts[path]:
            changed[path] = text
    current = with_counts(files.with_texts(changed), {p: -n for p, n in removed.items() if n})
    return {p: t for p, t in current.texts.items() if t != texts.get(p)}


def files_of(files: ListSet, pending: Iterable[Pending]) -> set[str]:
    """The files the pending papers' sections are in (the index when a section is not found)."""
    out = set()
    for item in pending:
        section = find_section(files.doc, item.section_path)
        out.add(files.file_of(section) if section else files.index.file.path)
    return out
