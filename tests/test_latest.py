"""bot.lists.latest.block: the latest-papers block and its archive, on the seed list and on hostile metadata.

Rendering is checked against GitHub's own Markdown parser (cmark-gfm, via `cmarkgfm`): a row that
renders with anything but four cells, a tag we did not write, or text other than the paper's, fails.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.lists.latest.archive import ARCHIVE_INTRO
from bot.lists.latest.block import (
    END_MARKER,
    START_MARKER,
    TABLE_HEADER,
    BlockError,
    LatestRow,
    find_block,
    listed_ids,
    merge_rows,
    parse_rows,
    render_block,
    replace_block,
    row_from_paper,
    update_archive,
)
from bot.lists.render import escape_table_cell
from bot.papers.references import Paper
from bot.papers.summary import summarize

SEED = Path(__file__).parent / "fixtures" / "seed"
README = (SEED / "README.md").read_text(encoding="utf-8")
ARCHIVE_HEAD = (SEED / "articles-README.head.md").read_text(encoding="utf-8")
SEED_IDS = [  # the seed's latest table, top to bottom
    "2608.20338", "2608.20218", "2608.20129", "2608.20121", "2608.20111", "2608.20106", "2608.20053",
    "2608.19964", "2608.19875", "2608.19836", "2608.19819", "2608.19816", "2608.19815", "2608.19802",
    "2608.19752", "2608.19737", "2608.19729", "2608.19631", "2608.19580", "2608.19579",
]


HEADER = "| Date | Title | Authors | Abstract Summary |\n| --- | --- | --- | --- |"


def paper(arxiv_id: str, *, version: int = 1, updated: date = date(2026, 11, 26), title: str = "A title",
          authors: tuple[str, ...] = ("Ada Lovelace",), abstract: str = "We study things. It works.") -> Paper:
    return Paper(arxiv_id=arxiv_id, version=version, title=title, authors=authors, abstract=abstract,
                 published=date(2026, 11, 1), updated=updated)


def row(arxiv_id: str, day: date, version: int | None = 1, title: str = "T") -> LatestRow:
    url = f"https://arxiv.org/abs/{arxiv_id}" + (f"v{version}" if version else "")
    return LatestRow(day, arxiv_id, version, title, url, "A", "S.")


def outside(text: str) -> tuple[str, str]:
    block = find_block(text)
    assert block is not None
    return text[: block.start], text[block.end :]


def has_bare_lf(text: str) -> bool:
    return "\n" in text.replace("\r\n", "")


# --- GitHub's view of a document -------------------------------------------------------------


class Rendered(HTMLParser):
    """Tables (rows of cells with their text and links), headings, comments and tags of some HTML."""

    def __init__(self, markdown: str, *, autolinks: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[dict]]] = []
        self.headings: list[str] = []
        self.comments: list[str] = []
        self.tags: set[str] = set()
        self._cell: dict | None = None
        self._heading: str | None = None
        # Autolinks show their source text, escapes included; `autolinks=False` is for comparing text.
        extensions = ["table", "strikethrough", "tagfilter", *(["autolink"] if autolinks else [])]
        self.feed(cmarkgfm.markdown_to_html_with_extensions(markdown, Options.CMARK_OPT_UNSAFE, extensions))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = {"text": "", "hrefs": []}
            self.tables[-1][-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell["hrefs"].append(dict(attrs).get("href"))
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = None
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(self._heading)
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data
        if self._heading is not None:
            self._heading += data

    def handle_comment(self, data: str) -> None:
        self.comments.append(data.strip())


# --- the seed list ---------------------------------------------------------------------------


def test_seed_block_has_its_twenty_rows() -> None:
    block = find_block(README)
    assert block is not None
    assert [r.arxiv_id for r in block.rows] == SEED_IDS
    assert {r.version for r in block.rows} == {1} and {r.date for r in block.rows} == {date(2026, 8, 20)}
    assert block.meta == {} and block.skipped == ()
    first = block.rows[0]
    assert first.title_md == "ConceptGuard: Benchmarking Context-Sensitive Unlearning in Large Language Models"
    assert first.url == "http://arxiv.org/abs/2608.20338v1"
    assert first.authors_md == "Sahil Kale, Ian Harris"
    assert block.rows[1].authors_md == "Jacob Arndt, Abhishek Potnis et al."
    assert README[block.start - len(START_MARKER) : block.start] == START_MARKER
    assert README[block.end :].startswith(END_MARKER)


def test_archive_head_keeps_the_newest_version_once() -> None:
    complete = [line for line in ARCHIVE_HEAD.split("\n") if line.startswith("| 20") and line.endswith("|")]
    distinct = {re.search(r"abs/([\d.]+)v", line)[1] for line in complete}
    rows = parse_rows(ARCHIVE_HEAD)
    assert len(complete) == 135 and len(rows) == len(distinct) == 125
    ids = [r.arxiv_id for r in rows]
    assert len(ids) == len(set(ids))
    uni = [r for r in rows if r.arxiv_id == "2504.06647"]
    assert [r.version for r in uni] == [2] and uni[0].url.endswith("2504.06647v2")
    # The v2 row takes the place of the v1 row: the order of the table is kept.
    assert ids[ids.index("2504.06647") - 1] == "2504.06667"
    assert ids[ids.index("2504.06647") + 1] == "2504.06582"


def test_truncated_and_foreign_lines_are_skipped_and_reported() -> None:
    text = (
        f"{START_MARKER}\n| Date | Title | Authors | Abstract Summary |\n|---|---|---|---|\n"
        "| 2025-04-09 | [Good](http://arxiv.org/abs/2504.07277v1) | A | S. |\n"
        "| 2025-04-09 | [Cut off](http://arxiv.org/abs/2504.07278v1) | A | Half a ro\n"
        "| 2025-04-09 | [Not arXiv](https://example.com/paper) | A | S. |\n"
        "| 2025-13-09 | [Bad date](http://arxiv.org/abs/2504.07279v1) | A | S. |\n"
        "| 2025-04-09 | [Three cells](http://arxiv.org/abs/2504.07280v1) | A |\n"
        f"A note someone wrote\n{END_MARKER}\n"
    )
    block = find_block(text)
    assert block is not None
    assert [r.arxiv_id for r in block.rows] == ["2504.07277"]
    assert len(block.skipped) == 5 and block.skipped[-1] == "A note someone wrote"


def test_raw_pipes_in_a_seed_abstract_stay_in_the_last_cell() -> None:
    line = "| 2025-04-09 | [T](http://arxiv.org/abs/2504.07277v1) | A, B et al. | We test |x| and y \\| z. |"
    (parsed,) = parse_rows(line)
    assert parsed.summary_md == "We test \\|x\\| and y \\| z."
    assert len(Rendered(f"{HEADER}\n{parsed.render()}\n").tables[0][1]) == 4


BROKEN = [
    pytest.param(f"x\n{END_MARKER}\n", "no `" + START_MARKER + "`", id="start missing"),
    pytest.param(f"{START_MARKER}\nx\n", "no `" + END_MARKER + "`", id="end missing"),
    pytest.param(f"{START_MARKER}\n{START_MARKER}\n{END_MARKER}", "2 times (lines 1, 2)", id="start twice"),
    pytest.param(f"{START_MARKER}\n{END_MARKER}\n\n{END_MARKER}", "2 times (lines 2, 4)", id="end twice"),
    pytest.param(f"{END_MARKER}\r\n\r\n{START_MARKER}", "(line 1) comes before", id="out of order"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_unusable_markers_raise_a_message_for_the_maintainer(text: str, message: str) -> None:
    with pytest.raises(BlockError, match=re.escape(message)):
        find_block(text)


def test_no_markers_means_no_block() -> None:
    assert find_block("# A list\n\n- a paper\n") is None


def test_first_run_rewrites_only_the_block_and_is_then_a_fixed_point() -> None:
    block = find_block(README)
    once = replace_block(README, block, render_block(block.rows, {"newest": "2026-08-20"}))
    assert outside(once) == outside(README)
    again_block = find_block(once)
    assert again_block.rows == block.rows and again_block.meta == {"newest": "2026-08-20"}
    assert again_block.skipped == ()
    twice = replace_block(once, again_block, render_block(again_block.rows, again_block.meta))
    assert twice == once
    inner = once[again_block.start : again_block.end]
    assert inner.startswith("\n<!-- paperbot:latest newest=2026-08-20 -->\n\n| Date | Title |")
    assert inner.endswith(" |\n\n")


def test_replace_block_with_the_same_text_is_the_identity() -> None:
    block = find_block(README)
    assert replace_block(README, block, README[block.start : block.end]) == README


def test_merge_into_the_seed_and_archive_the_overflow_twice() -> None:
    new = [
        row_from_paper(paper("2611.20001", title="Newest A")),
        row_from_paper(paper("2611.20002", title="Newest B")),
        row_from_paper(paper("2608.20338", version=2, updated=date(2026, 9, 1), title="ConceptGuard v2")),
    ]
    block = find_block(README)
    kept, overflow = merge_rows(block.rows, new, 20)
    assert [r.arxiv_id for r in kept] == ["2611.20002", "2611.20001", "2608.20338", *SEED_IDS[1:18]]
    assert kept[2].version == 2 and kept[2].title_md == "ConceptGuard v2"
    assert [r.arxiv_id for r in overflow] == ["2608.19580", "2608.19579"]

    readme = replace_block(README, block, render_block(kept, {}))
    archive = update_archive(ARCHIVE_HEAD, overflow)
    header_end = ARCHIVE_HEAD.index("\n", ARCHIVE_HEAD.index("\n") + 1) + 1
    added = "".join(r.render() + "\n" for r in overflow)
    assert archive == ARCHIVE_HEAD[:header_end] + added + ARCHIVE_HEAD[header_end:]
    assert [r.arxiv_id for r in parse_rows(archive)[:3]] == ["2608.19580", "2608.19579", "2504.07277"]

    # The same run again: nothing moves, nothing is archived twice.
    kept2, overflow2 = merge_rows(find_block(readme).rows, new, 20)
    assert kept2 == kept and overflow2 == []
    assert replace_block(readme, find_block(readme), render_block(kept2, {})) == readme
    assert update_archive(archive, overflow) == archive


def test_crlf_files_stay_crlf() -> None:
    readme = README.replace("\n", "\r\n")
    block = find_block(readme)
    assert [r.arxiv_id for r in block.rows] == SEED_IDS
    kept, overflow = merge_rows(block.rows, [row_from_paper(paper("2611.20001"))], 20)
    updated = replace_block(readme, block, render_block(kept, {"newest": "2026-11-26"}))
    assert not has_bare_lf(updated)
    assert outside(updated) == outside(readme)
    assert find_block(updated).rows == tuple(kept)
    archive = update_archive(ARCHIVE_HEAD.replace("\n", "\r\n"), overflow)
    assert not has_bare_lf(archive) and "2608.19579v1" in archive.split("\r\n")[2]


# --- merging ---------------------------------------------------------------------------------

D1, D2, D3 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)
MERGES = [
    pytest.param([row("1", D1)], [row("2", D2)], 5, ["2", "1"], [], id="newest first"),
    pytest.param([row("1", D1), row("2", D2)], [row("3", D3)], 2, ["3", "2"], ["1"], id="overflow"),
    pytest.param([row("1", D1)], [row("3", D1), row("2", D1)], 5, ["3", "2", "1"], [], id="ties by id desc"),
    pytest.param([row("1", D1), row("2", D2)], [], 0, [], ["2", "1"], id="max_rows 0"),
    pytest.param([row("1", D1, 2)], [row("1", D3, 1)], 5, [("1", 2)], [], id="older version loses"),
    pytest.param([row("1", D1, 1)], [row("1", D3, 3)], 5, [("1", 3)], [], id="newer version wins"),
    pytest.param([row("1", D1, None)], [row("1", D1, 1)], 5, [("1", 1)], [], id="versioned beats unversioned"),
]


@pytest.mark.parametrize(("current", "new", "max_rows", "kept", "overflow"), MERGES)
def test_merge_rows(current, new, max_rows, kept, overflow) -> None:
    got_kept, got_overflow = merge_rows(current, new, max_rows)

    def ids(rows: list[LatestRow], like: list) -> list:
        return [(r.arxiv_id, r.version) if like and isinstance(like[0], tuple) else r.arxiv_id for r in rows]

    assert ids(got_kept, kept) == kept and ids(got_overflow, overflow) == overflow


def test_merge_prefers_the_new_row_at_the_same_version_and_is_idempotent() -> None:
    old, fresh = row("1", D1, title="Old title"), row("1", D1, title="New title")
    kept, _ = merge_rows([old, row("2", D2)], [fresh], 5)
    assert [r.title_md for r in kept] == ["T", "New title"]
    assert merge_rows(kept, [fresh], 5) == (kept, [])
    with pytest.raises(ValueError, match="negative"):
        merge_rows([], [], -1)


# --- rows from arXiv metadata ----------------------------------------------------------------

AUTHORS = [
    pytest.param((), "", id="none"),
    pytest.param(("Ada Lovelace",), "Ada Lovelace", id="one"),
    pytest.param(("A B", " ", "C D"), "A B, C D", id="two, blank skipped"),
    pytest.param(("A", "B", "C"), "A, B et al.", id="three"),
    pytest.param(("A|x", "<b>B</b>", "C"), f"{escape_table_cell('A|x')}, {escape_table_cell('<b>B</b>')} et al.",
                 id="each name escaped"),
]


@pytest.mark.parametrize(("authors", "expected"), AUTHORS)
def test_authors_like_the_seed(authors: tuple[str, ...], expected: str) -> None:
    assert row_from_paper(paper("2611.00001", authors=authors)).authors_md == expected


def test_row_from_paper() -> None:
    abstract = "We present X.\nIt beats Y by 3.5 points, e.g. on Z. A third sentence is not shown."
    made = row_from_paper(paper("2611.00001", version=3, updated=date(2026, 11, 20), abstract=abstract,
                                title="Safe | Sound: <!-- LATEST_PAPERS_END --> [x](y) `z`\nmore"))
    assert made.date == date(2026, 11, 20) and made.version == 3
    assert made.url == "https://arxiv.org/abs/2611.00001v3"
    assert made.title_md == escape_table_cell("Safe | Sound: <!-- LATEST_PAPERS_END --> [x](y) `z` more")
    assert "<" not in made.title_md and "\\|" in made.title_md
    assert made.summary_md == "We present X. It beats Y by 3.5 points, e.g. on Z."
    assert made.render() == (
        f"| 2026-11-20 | [{made.title_md}](https://arxiv.org/abs/2611.00001v3) | Ada Lovelace | {made.summary_md} |"
    )
    assert row_from_paper(paper("2611.00001", title=" \n ")).title_md == "2611.00001"


def test_render_refuses_cells_that_would_break_the_row() -> None:
    for bad in ("two\nlines", "a | b", "x\r"):
        with pytest.raises(ValueError, match="one escaped line"):
            LatestRow(D1, "1", 1, "T", "u", bad, "S").render()
    odd_url = LatestRow(D1, "2611.00001", 1, "T", "https://arxiv.org/abs/2611.00001v1 (x)|", "A", "S")
    assert "(https://arxiv.org/abs/2611.00001v1%20%28x%29%7C)" in odd_url.render()


def test_meta_round_trip_and_bad_keys() -> None:
    meta = {"newest": "2026-11-26", "updated": "2026-11-27T10:00:00Z", "query": 'all:"x" --> <!-- y'}
    text = f"a\n{START_MARKER}{render_block([], meta)}{END_MARKER}\nb"
    block = find_block(text)
    assert block.meta == meta and block.rows == () and block.skipped == ()
    assert "-->" not in text.split("\n")[2][:-3]
    with pytest.raises(ValueError, match="meta key"):
        render_block([], {"two words": "x"})


def test_replace_block_refuses_foreign_blocks_and_markers() -> None:
    block = find_block(README)
    with pytest.raises(ValueError, match="offsets"):
        replace_block("x" + README, block, "\n")
    with pytest.raises(ValueError, match="marker"):
        replace_block(README, block, f"\n{END_MARKER}\n")


def test_listed_ids() -> None:
    ids = listed_ids(README, ARCHIVE_HEAD)
    assert set(SEED_IDS) <= ids and "2502.05206" in ids and "2504.06647" in ids
    assert not any(re.search(r"v\d+$", i) for i in ids)
    assert listed_ids() == set() and listed_ids("no ids here") == set()


# --- the archive -----------------------------------------------------------------------------


def test_missing_archive_is_created() -> None:
    rows = [row("2611.00001", D1), row("2611.00002", D2)]
    text = update_archive(None, rows, title="Older  papers")
    assert text == (
        f"# Older papers\n\n{ARCHIVE_INTRO}\n\n| Date | Title | Authors | Abstract Summary |\n"
        f"| --- | --- | --- | --- |\n{rows[1].render()}\n{rows[0].render()}\n"
    )
    assert [r.arxiv_id for r in parse_rows(text)] == ["2611.00002", "2611.00001"]


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_archive_without_a_matching_table_gets_one_appended(ending: str) -> None:
    newline = ending or "\n"
    before = f"# Old{newline}{newline}| A | B |{newline}|---|---|{newline}| 1 | 2 |{ending}"
    after = update_archive(before, [row("2611.00001", D1)])
    assert after.startswith(before)
    tail = after[len(before) :]
    assert tail == (newline if ending else newline * 2) + newline.join(
        ["| Date | Title | Authors | Abstract Summary |", "| --- | --- | --- | --- |",
         row("2611.00001", D1).render()]) + newline
    assert update_archive(after, [row("2611.00001", D1)]) == after


def test_archive_skips_ids_it_already_has_in_any_version_and_ignores_fenced_tables() -> None:
    before = (
        "Intro mentions arxiv.org/abs/2611.00003v4.\n\n```\n| Date | Title | Authors | Abstract Summary |\n"
        "|---|---|---|---|\n```\n\n| date | title | authors | abstract summary |\n|:--|:-:|--:|---|\n"
        "| 2025-01-01 | [Old](http://arxiv.org/abs/2501.00001v1) | A | S |\n\nOutro."
    )
    after = update_archive(before, [row("2611.00003", D3), row("2611.00001", D1), row("2611.00002", D2)])
    insert_at = before.index("| 2025-01-01")
    assert after == before[:insert_at] + row("2611.00002", D2).render() + "\n" + \
        row("2611.00001", D1).render() + "\n" + before[insert_at:]
    assert update_archive(before, [row("2611.00003", D3, version=1)]) == before


def test_archive_whose_table_ends_the_file_without_a_newline() -> None:
    before = "| Date | Title | Authors | Abstract Summary |\n|---|---|---|---|"
    after = update_archive(before, [row("2611.00001", D1)])
    assert after == before + "\n" + row("2611.00001", D1).render()


# --- hostile metadata, end to end, as GitHub renders it --------------------------------------

HOSTILE = [
    "|", "\\|", "\\", "\\\\|", "](", "[", "]", "`", "```", "\n", "\r\n", "\r", "\t", "  ", "<!--", "-->",
    START_MARKER, END_MARKER, "<!-- paperbot:latest newest=2999-01-01 -->", "<script>alert(1)</script>",
    "<b>", "</td>", "&lt;", "&amp;", "&#124;", "*", "_", "~~", "#", "- ", "1. ", "> ", "=", "$x$",
    "[x](javascript:alert(1))", "![i](http://e.example/i.png)", "http://e.example/(x)", "www.example.com",
    "\u2028", "\x0b", "\x1c", "\xa0", ":smile:", "@someone", "[^1]", "e.g. ", "Fig. 2. ", "3.5. ",
]
hostile_text = st.lists(
    st.sampled_from(HOSTILE) | st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=6)
    | st.sampled_from(["\x00", "\x01", "\x1b", "\x7f"]),
    max_size=10,
).map("".join)
hostile_papers = st.lists(
    st.builds(
        paper,
        st.integers(10000, 99999).map(lambda n: f"2611.{n}"),
        version=st.integers(1, 9),
        updated=st.dates(date(2026, 8, 1), date(2026, 11, 27)),
        title=hostile_text,
        authors=st.lists(hostile_text, max_size=4).map(tuple),
        abstract=hostile_text,
    ),
    max_size=6,
    unique_by=lambda p: p.arxiv_id,
)


def visible(text: str) -> str:
    """What GitHub shows for plain `text` put in a cell: one line, NUL as U+FFFD."""
    return " ".join(text.split()).replace("\x00", "\ufffd")


def test_cells_show_exactly_the_metadata() -> None:
    made = row_from_paper(paper("2611.00001", title="1. Intro to <b>safety</b> & www.x.org | *a*",
                                authors=("- Ada", "B_b", "C"), abstract="#1 result: x<y. Next."))
    (cells,) = Rendered(f"{HEADER}\n{made.render()}\n", autolinks=False).tables[0][1:]
    assert [c["text"] for c in cells] == [
        "2026-11-26", "1. Intro to <b>safety</b> & www.x.org | *a*", "- Ada, B_b et al.", "#1 result: x<y. Next."]
    assert [c["hrefs"] for c in cells] == [[], ["https://arxiv.org/abs/2611.00001v1"], [], []]


SEED_HEADINGS = Rendered(README).headings


def expected_authors(authors: tuple[str, ...]) -> str:
    names = [visible(a) for a in authors if a.strip()]
    return ", ".join(names[:2]) + (" et al." if len(names) > 2 else "")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers=hostile_papers, meta_value=hostile_text, max_rows=st.integers(0, 25))
def test_hostile_papers_never_break_the_list(papers: list[Paper], meta_value: str, max_rows: int) -> None:
    block = find_block(README)
    kept, overflow = merge_rows(block.rows, [row_from_paper(p) for p in papers], max_rows)
    updated = replace_block(README, block, render_block(kept, {"query": meta_value}))

    assert updated.count(START_MARKER) == 1 and updated.count(END_MARKER) == 1
    assert outside(updated) == outside(README)
    found = find_block(updated)
    assert found.rows == tuple(kept) and found.meta == {"query": meta_value} and found.skipped == ()

    # GitHub's parser: headings and markers intact, one table of 4 columns holding exactly our rows.
    after = Rendered(updated)
    assert after.headings == SEED_HEADINGS
    assert after.comments.count(START_MARKER[4:-3].strip()) == 1
    assert after.comments.count(END_MARKER[4:-3].strip()) == 1
    inner = Rendered(updated[found.start : found.end])
    assert inner.tags <= {"table", "thead", "tbody", "tr", "th", "td", "a"}
    assert len(inner.comments) == 1 and inner.comments[0].startswith("paperbot:latest")
    (table,) = inner.tables
    assert [c["text"] for c in table[0]] == list(TABLE_HEADER)
    assert len(table) == len(kept) + 1 and all(len(cells) == 4 for cells in table)
    (table,) = Rendered(updated[found.start : found.end], autolinks=False).tables
    by_id = {p.arxiv_id: p for p in papers}
    for cells, shown in zip(table[1:], kept, strict=True):
        assert cells[1]["hrefs"] == [shown.url] and not any(c["hrefs"] for c in cells[2:])
        source = by_id.get(shown.arxiv_id)
        if source is not None:
            assert cells[0]["text"] == source.updated.isoformat()
            assert cells[1]["text"] == (visible(source.title) or source.arxiv_id)
            assert cells[2]["text"] == expected_authors(source.authors)
            assert cells[3]["text"] == visible(summarize(source.abstract))

    # The overflow lands in the archive as whole rows, and only once.
    archive = update_archive(ARCHIVE_HEAD, overflow)
    added = Rendered(archive[: archive.index("\n| 2025-04-09")]).tables[0]
    fresh = [r for r in overflow if r.arxiv_id not in listed_ids(ARCHIVE_HEAD)]
    assert len(added) == len(fresh) + 1 and all(len(cells) == 4 for cells in added)
    assert update_archive(archive, overflow) == archive
