"""Which files a list is made of: its index, the Markdown files the index links (one or two levels
deep), the files `files:` globs name, and the archive.

`discover` is a pure step: given the texts read so far and the repository's tree (paths, sizes,
symlinks), it says which files make the list, which of their texts are still needed, and what it
skipped and why. The caller reads the wanted texts (in one request) and calls it again, until
nothing more is wanted. Links are never followed out of the repository: a link must name a path
inside it (`..` may not climb out), a symlink is never read, a file over `MAX_FILE_BYTES` is left
out, and each file is read once however many times it is linked (a link loop ends there).
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.lists.index import OUTSIDE, index_links, link_targets_written, resolve_target

MARKDOWN = (".md", ".markdown", ".mdx")
MAX_DEPTH = 2  # the index's links, and theirs
MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest real topic file we know is ~1 MB
MAX_FILES = 200  # a list of more files than this is not one list

NOTE_MISSING = "`{path}` (linked from `{parent}` line {line}) does not exist: skipped"
NOTE_OUTSIDE = "`{target}` (linked from `{parent}` line {line}) points outside the repository: not followed"
NOTE_SYMLINK = "`{path}` (linked from `{parent}`) is a symbolic link: not followed"
NOTE_TOO_LARGE = "`{path}` is {size:,} bytes, over the {limit:,}-byte limit for a list file: skipped"
NOTE_LOOP = "`{path}` links back to `{target}` (a loop): each file is read once"
NOTE_TOO_MANY = "more than {limit} list files: the rest are skipped"
NOTE_NO_MATCH = "`files:` pattern `{pattern}` matches no Markdown file"
NOTE_ARCHIVE_MISSING = "the archive `{path}` does not exist yet"


@dataclass(frozen=True)
class TreeEntry:
    path: str
    size: int
    symlink: bool = False


class FileInfo(Protocol):
    size: int
    symlink: bool


class Tree(Protocol):
    """The repository's files: a GitHub tree listing, or a checkout on disk."""

    def get(self, path: str) -> FileInfo | None: ...

    def paths(self) -> Iterable[str]: ...


@dataclass(frozen=True)
class ListFile:
    path: str
    place: tuple[str, ...]  # where the index puts it: the bullets around its link, the link's text
    role: str = "linked"  # "index" | "linked" | "matched" (by `files:`) | "archive"
    parent: str = ""  # the file whose link brought it in ("" for the index and `files:` matches)
    depth: int = 0


@dataclass(frozen=True)
class Layout:
    files: tuple[ListFile, ...]
    wanted: tuple[str, ...]  # files whose text is needed and not given yet
    notes: tuple[str, ...]
    aliases: Mapping[str, str]  # a link's path -> the file it stands for (`x` -> `x.md`)


def needs_tree(index_path: str, index_text: str, *, files: Sequence[str] = (), follow_links: bool = True
               ) -> bool:
    """Whether the list may have files other than its index and archive: a `files:` pattern, or a
    link to a Markdown file (or to a path without a suffix, which may be one) in the repository.
    If not, no tree needs reading."""
    if files:
        return True
    if not follow_links:
        return False
    if not any(_may_be_list_file(t, index_path) for t in link_targets_written(index_text)):
        return False  # no link could name a file here: the whole index need not be parsed
    return any(_may_be_list_file(link.target, index_path) for link in index_links(index_text))


def _may_be_list_file(link_target: str, index_path: str) -> bool:
    """A link to a Markdown file in the repository, or to a path without a suffix (which may be one)."""
    target = resolve_target(link_target, index_path)
    return bool(target and target != OUTSIDE and (
        target.lower().endswith(MARKDOWN) or "." not in posixpath.basename(target)))


def discover(index_path: str, texts: Mapping[str, str], tree: Tree, *, files: Sequence[str] = (),
             follow_links: bool = True, archive: str | None = None) -> Layout:
    """The list's files in reading order (index, linked files in link order, `files:` matches,
    archive), the texts still wanted, and notes on what was skipped."""
    found: dict[str, ListFile] = {index_path: ListFile(index_path, (), "index")}
    notes: list[str] = []
    aliases: dict[str, str] = {}
    excluded = [p[1:].strip() for p in files if p.startswith("!")]
    queue = [found[index_path]]
    while queue and follow_links:
        current = queue.pop(0)
        if current.depth >= MAX_DEPTH or current.path not in texts:
            continue
        ancestors = _ancestors(current, found)
        for link in index_links(texts[current.path]):
            target = resolve_target(link.target, current.path)
            where = {"parent": current.path, "line": link.line + 1}
            if target is None:
                continue
            if target == OUTSIDE:
                notes.append(NOTE_OUTSIDE.format(target=link.target, **where))
                continue
            path, entry = _markdown_file(target, tree)
            if path is None:
                if target.lower().endswith(MARKDOWN):
                    notes.append(NOTE_MISSING.format(path=target, **where))
                continue
            aliases[target] = path
            if path in found or _excluded(path, excluded):
                if path in ancestors:
                    notes.append(NOTE_LOOP.format(path=current.path, target=path))
                continue
            if (skipped := _unreadable(path, entry, current.path)) is not None:
                notes.append(skipped)
                continue
            if len(found) >= MAX_FILES:
                notes.append(NOTE_TOO_MANY.format(limit=MAX_FILES))
                break
            found[path] = ListFile(path, (*current.place, *link.place) or (_stem(path),), "linked",
                                   current.path, current.depth + 1)
            queue.append(found[path])
    _add_matches(found, files, excluded, tree, notes)
    if archive and not _excluded(archive, excluded):
        entry = tree.get(archive)
        if entry is None:
            notes.append(NOTE_ARCHIVE_MISSING.format(path=archive))
        elif (skipped := _unreadable(archive, entry, index_path)) is not None:
            notes.append(skipped)
        else:
            known = found.pop(archive, None)
            found[archive] = ListFile(archive, known.place if known else (), "archive",
                                      known.parent if known else "", known.depth if known else 1)
    listed = tuple(found.values())
    wanted = tuple(f.path for f in listed if f.path not in texts)
    return Layout(listed, wanted, tuple(dict.fromkeys(notes)), aliases)


def _markdown_file(target: str, tree: Tree) -> tuple[str | None, FileInfo | None]:
    """The Markdown file a link names: the path itself, `x.md` for a link to `x`, a folder's README."""
    candidates = [target] if target.lower().endswith(MARKDOWN) else [
        target + ".md", posixpath.join(target, "README.md")]
    for path in candidates:
        if path.split("/")[0] in (".github", ".git"):
            return None, None
        entry = tree.get(path)
        if entry is not None:
            return path, entry
    return None, None


def _unreadable(path: str, entry: FileInfo | None, parent: str) -> str | None:
    if entry is None:
        return None
    if entry.symlink:
        return NOTE_SYMLINK.format(path=path, parent=parent)
    if entry.size > MAX_FILE_BYTES:
        return NOTE_TOO_LARGE.format(path=path, size=entry.size, limit=MAX_FILE_BYTES)
    return None


def _ancestors(current: ListFile, found: Mapping[str, ListFile]) -> set[str]:
    out: set[str] = set()
    node: ListFile | None = current
    while node is not None and node.path not in out:
        out.add(node.path)
        node = found.get(node.parent) if node.parent else None
    return out


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in patterns)


def _add_matches(found: dict[str, ListFile], files: Sequence[str], excluded: Sequence[str], tree: Tree,
                 notes: list[str]) -> None:
    """Files `files:` names: `*` matches across folders (`collection/*.md` takes every topic file)."""
    patterns = [p.strip() for p in files if p.strip() and not p.startswith("!")]
    if not patterns:
        return
    paths = sorted(p for p in tree.paths() if p.lower().endswith(MARKDOWN) and not _excluded(p, excluded)
                   and p.split("/")[0] not in (".github", ".git"))
    for pattern in patterns:
        matched = [p for p in paths if fnmatch.fnmatchcase(p, pattern)]
        if not matched:
            notes.append(NOTE_NO_MATCH.format(pattern=pattern))
        for path in matched:
            if path in found:
                continue
            if (skipped := _unreadable(path, tree.get(path), "files:")) is not None:
                notes.append(skipped)
            elif len(found) < MAX_FILES:
                found[path] = ListFile(path, (_stem(path),), "matched", "", 1)


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0].replace("_", " ").replace("-", " ").strip() or path
