"""Reading a list's files from GitHub: the index the snapshot read, then the files it links.

One-file lists cost nothing more: the tree is only read when the index links a Markdown file in
the repository, or the config names `files:` or an archive. Then it is one call for the tree
(none while the default branch stays where it was), one query for the linked files' texts, and
one more for the files they link: three calls, however many files, and texts already seen are
not read again (bot.github.tree).
"""

from __future__ import annotations

from bot.config import Config, LatestConfig
from bot.github.client import FileContent, Repository
from bot.github.snapshot import Snapshot
from bot.github.tree import read_texts, read_tree
from bot.jobs.cpu import run_cpu
from bot.lists.layout import MAX_DEPTH, MAX_FILE_BYTES, ListFile, discover, needs_tree
from bot.lists.listset import ListSet, assemble

NOTE_UNREADABLE = "`{path}` could not be read as text: skipped"
DEFAULT_ARCHIVE = LatestConfig().archive  # the config's default: read with the snapshot, for free


def archive_of(config: Config) -> str | None:
    """The archive the config names (the latest-papers update moves older rows there)."""
    return config.latest.archive if config.latest else None


async def read_list_files(repo: Repository, snap: Snapshot, config: Config, index: FileContent) -> ListSet:
    """The list as one document over its files at the default branch's tip. `snap` read the
    archive at `DEFAULT_ARCHIVE`: a one-file list with that archive costs no call more."""
    archive = archive_of(config)
    if snap.base_sha is None or snap.base_tree is None or not needs_tree(
            config.file, index.text, files=config.files, follow_links=config.follow_links):
        parts = [(ListFile(config.file, (), "index"), index.text)]
        if archive and archive != config.file and snap.base_sha:
            found = (snap.archive if archive == DEFAULT_ARCHIVE
                     else await repo.read_file(archive, snap.base_sha))
            if found is not None and len(found.text) <= MAX_FILE_BYTES:
                parts.append((ListFile(archive, (), "archive", depth=1), found.text))
        return await run_cpu(assemble, parts)
    tree = await read_tree(repo, snap.base_tree)
    texts = {config.file: index.text}
    unreadable: list[str] = []
    layout = discover(config.file, texts, tree, files=config.files, follow_links=config.follow_links,
                      archive=archive)
    for _ in range(MAX_DEPTH + 1):
        wanted = [p for p in layout.wanted if p not in unreadable]
        if not wanted:
            break
        found = await read_texts(repo, snap.base_sha, wanted, tree)
        texts.update({path: content.text for path, content in found.items()})
        unreadable += [p for p in wanted if p not in found]
        layout = discover(config.file, texts, tree, files=config.files, follow_links=config.follow_links,
                          archive=archive)
    notes = [*layout.notes, *(NOTE_UNREADABLE.format(path=p) for p in unreadable)]
    return await run_cpu(assemble, [(f, texts[f.path]) for f in layout.files if f.path in texts],
                         notes=notes, aliases=layout.aliases)
