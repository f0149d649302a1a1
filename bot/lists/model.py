"""What a list is made of: sections (a heading and the entries under it) and entries (a block of
lines that may describe a paper), with their line ranges in the original text."""

from __future__ import annotations

from dataclasses import dataclass

from bot.lists.entries.title import entry_title
from bot.papers.references import find_arxiv_ids, normalise_id


@dataclass(frozen=True)
class Entry:
    first_line: int  # 0-based index of the entry's first line in the document
    end_line: int  # exclusive
    text: str  # the raw block (lines joined with "\n", no trailing newline)
    arxiv_ids: tuple[str, ...]  # ids without version found in the block
    title: str  # best-effort plain-text title of the paper ("" if unknown)
    kind: str = "list_item"  # "list_item" | "table_row" | "details" | "paragraph"
    columns: tuple[str, ...] = ()  # table rows: the header cells, plain text
    separator: str = ""  # table rows: the raw separator row under the header
    is_paper: bool = False  # links an arXiv id or a paper host, or reads as a title

    def __getattr__(self, name: str) -> str:
        # Parsed entries work their title out on first use: most callers never read most titles,
        # and it is half of a large list's parse time.
        if name != "title" or "text" not in self.__dict__:
            raise AttributeError(name)
        title = entry_title(self.text, self.kind, self.columns)
        self.__dict__["title"] = title
        return title

    @property
    def paper_id(self) -> str:
        """The paper the entry is about: the first id on its first line, else the first in it."""
        on_first_line = find_arxiv_ids(self.text.split("\n", 1)[0])
        if on_first_line:
            return normalise_id(on_first_line[0])
        return self.arxiv_ids[0] if self.arxiv_ids else ""


@dataclass(frozen=True)
class Section:
    """A heading, or a label standing for one, and the entries under it (not those of its children)."""

    heading: str  # plain text
    level: int  # 1..6 for a heading; its parent's + 1 for a label or a year heading nested in its topic
    path: tuple[str, ...]  # headings (and labels) from the top, ending with this one
    line: int  # 0-based line of the heading
    end_line: int  # exclusive: where the next heading or label starts (or where the label's lines end)
    entries: tuple[Entry, ...]
    label: bool = False  # a label the list groups papers under, not a heading (`bot.lists.labels`)
