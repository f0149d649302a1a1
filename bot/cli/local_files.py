"""A list's files in a checkout: the list file, the Markdown files it links (relative to its
folder), `files:` matches and the archive, read by the same discovery the bot runs on GitHub.

Paths stay inside the checkout (the folder holding `.git` above the list file, else the list
file's folder): a link out of it, a symbolic link, or a path through a linked folder that leads
out of it is never read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.lists.layout import MAX_DEPTH, ListFile, TreeEntry, discover
from bot.lists.listset import ListSet, assemble


def checkout_root(readme: Path) -> Path:
    """The checkout the list file is in (the folder with `.git`), else the list file's folder."""
    start = readme.resolve().parent
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return start


@dataclass(frozen=True)
class LocalTree:
    """The files under `root`, as `bot.lists.layout.Tree`; `extra` maps a path to a file elsewhere
    (the benchmarks keep a list's README beside the folder of its other files)."""

    root: Path
    extra: dict[str, Path] | None = None

    def _file(self, path: str) -> Path:
        return (self.extra or {}).get(path) or self.root / path

    def get(self, path: str) -> TreeEntry | None:
        full = self._file(path)
        try:
            info = full.lstat()
        except OSError:
            return None
        if not full.is_symlink() and not full.is_file():
            return None
        # A path through a linked folder can lead out of the checkout: as good as a symbolic link.
        outside = path not in (self.extra or {}) and not os.path.realpath(full).startswith(
            os.path.realpath(self.root) + os.sep)
        return TreeEntry(path, info.st_size, symlink=full.is_symlink() or outside)

    def paths(self) -> Iterator[str]:
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [d for d in dirs if d != ".git"]
            for name in names:
                yield Path(folder, name).relative_to(self.root).as_posix()

    def read(self, path: str) -> str:
        """Bytes as they are (no newline translation), so untouched lines stay byte for byte."""
        return self._file(path).read_bytes().decode("utf-8")


def read_local_files(readme: Path, config: Config, *, tree: LocalTree | None = None,
                     index: str | None = None) -> ListSet:
    """The list whose index is `readme`, with every file discovery finds."""
    tree = tree or LocalTree(checkout_root(readme))
    index = index or readme.resolve().relative_to(tree.root.resolve()).as_posix()
    texts = {index: readme.read_bytes().decode("utf-8")}
    archive = config.latest.archive if config.latest else None
    options = dict(files=config.files, follow_links=config.follow_links, archive=archive)
    layout = discover(index, texts, tree, **options)
    unreadable: list[str] = []
    for _ in range(MAX_DEPTH + 1):
        wanted = [p for p in layout.wanted if p not in unreadable]
        if not wanted:
            break
        for path in wanted:
            try:
                texts[path] = tree.read(path)
            except (OSError, UnicodeError):
                unreadable.append(path)
        layout = discover(index, texts, tree, **options)
    notes = [*layout.notes, *(f"`{p}` could not be read as text: skipped" for p in unreadable)]
    files = [(f, texts[f.path]) for f in layout.files if f.path in texts]
    return assemble(files or [(ListFile(index, (), "index"), texts[index])], notes=notes,
                    aliases=layout.aliases)


def write_local_files(texts: dict[str, str], tree: LocalTree) -> None:
    for path, text in texts.items():
        target = tree._file(path)
        if target.is_symlink():  # discovery never reads one; never write through one either
            continue
        target.write_bytes(text.encode("utf-8"))


LAYOUT_HEADER = "list files ({count}):"
LAYOUT_FILE = "  {path}  [{role}] {place}{papers} papers"
LAYOUT_NOTE = "  note: {note}"


def describe_layout(files: ListSet) -> list[str]:
    """What `check-config` shows: each file, its place in the index, its papers; what was skipped."""
    lines = [LAYOUT_HEADER.format(count=len(files.parts))]
    for part in files.parts:
        papers = sum(1 for s in part.doc.sections for e in s.entries if e.is_paper)
        place = f"«{' › '.join(part.file.place)}» " if part.file.place else ""
        lines.append(LAYOUT_FILE.format(path=part.file.path, role=part.file.role, place=place, papers=papers))
    lines += [LAYOUT_NOTE.format(note=note) for note in files.notes]
    return lines
