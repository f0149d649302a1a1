"""Dates in the siblings' form, columns filled from metadata or left visibly to the maintainer, and
nothing around the new entry changed (issue #14). Dates and table layouts are taken from the real
lists (../shared/data/lists/raw/, named per case) and from the issue; a few forms no list uses yet
check that the reading is general."""

from __future__ import annotations

import re
from datetime import date

import cmarkgfm
import pytest

from bot.jobs.additions import Pending
from bot.jobs.replies import TO_FILL_INTRO, TO_FILL_LINE, render_pull_body
from bot.lists.document import insert_entries, parse_list
from bot.lists.entries.cells import column_field
from bot.lists.entries.dates import find_dates, format_date, settle_widths, short_date
from bot.lists.render import PLACEHOLDER
from bot.lists.scan import split_cells
from bot.lists.to_fill import fields_to_fill
from bot.lists.write_guard import diff_lines
from bot.papers.references import Paper

DAY = date(2024, 3, 7)

DATE_FORMS = [
    ("- [2023/10] **Title.**", "2023/10", "YYYY/MM", "2024/03"),  # WooooDyy
    ('"Title" [2025-05] [[paper](u)]', "2025-05", "YYYY-MM", "2024-03"),  # codefuse
    ('"Title" [2022-1] [CCS 2023]', "2022-1", "YYYY-M", "2024-3"),  # codefuse
    ("  * [2024.08.02] https://arxiv.org/abs/2408.01228", "2024.08.02", "YYYY.MM.DD", "2024.03.07"),  # isXinLiu
    ("* [**Arxiv, 2024.8**] **Med42-v2**", "2024.8", "YYYY.M", "2024.3"),  # MedLLMs
    ("* [**Nature Communications, 2024.12**]", "2024.12", "YYYY.MM", "2024.03"),  # MedLLMs (width settled below)
    ("| 2024/5/20 | [Managing extreme AI risks](u)", "2024/5/20", "YYYY/M/DD", "2024/3/07"),  # ydyjya
    ("- [Mar. 04, 2024] Add papers accepted by ICLR", "Mar. 04, 2024", "MMM. DD, YYYY", "Mar. 07, 2024"),  # qingsongedu
    ("[2025-07] [TSE, July 2025] [[paper](u)]", "July 2025", "MMMM YYYY", "March 2024"),  # codefuse
    ("[2025-04-08] Our paper has officially", "2025-04-08", "YYYY-MM-DD", "2024-03-07"),  # opendilab
    ("### 2023", "2023", "YYYY", "2024"),  # hijkzzz, opendilab year headings
    ("- [2024/02] **Towards Uncertainty-Aware Language Agent.**", "2024/02", "YYYY/MM", "2024/03"),  # WooooDyy
    ("| 08/27, 2025 | Title | Topic |", "08/27, 2025", "MM/DD, YYYY", "03/07, 2024"),  # issue 14
    ("Aug 2025", "Aug 2025", "MMM YYYY", "Mar 2024"),  # issue 14
    ("2025.08.27", "2025.08.27", "YYYY.MM.DD", "2024.03.07"),  # issue 14
    ("| [2025/08] |", "2025/08", "YYYY/MM", "2024/03"),  # issue 14
    ("Aug 27, 2025", "Aug 27, 2025", "MMM DD, YYYY", "Mar 07, 2024"),
    ("27.08.2025", "27.08.2025", "DD.MM.YYYY", "07.03.2024"),  # unseen: day first
    ("13/08/2025", "13/08/2025", "DD/MM/YYYY", "07/03/2024"),  # unseen: a day above 12
    ("8/27/2025", "8/27/2025", "M/DD/YYYY", "3/07/2024"),  # unseen
    ("27 Aug 2025", "27 Aug 2025", "DD MMM YYYY", "07 Mar 2024"),  # unseen
    ("12/2024", "12/2024", "MM/YYYY", "03/2024"),  # unseen
    ("(September 2023)", "September 2023", "MMMM YYYY", "March 2024"),  # unseen
]


@pytest.mark.parametrize(("text", "shown", "fmt", "written"), DATE_FORMS)
def test_date_forms_are_read_and_written_back(text: str, shown: str, fmt: str, written: str) -> None:
    spans = find_dates(text)
    assert spans, text
    span = next((s for s in spans if text[s.start:s.end] == shown), spans[0])
    assert (text[span.start:span.end], span.fmt) == (shown, fmt)
    assert format_date(DAY, span.fmt) == written


@pytest.mark.parametrize("text", ["2308.07902", "GPT 4 2024 edition", "v2.1", "Llama 3.1", "1.5-7B"])
def test_numbers_that_are_not_dates(text: str) -> None:
    assert [s.fmt for s in find_dates(text) if s.fmt != "YYYY"] == []


def test_whole_cell_short_date() -> None:  # ydyjya: `| 23.07 |`
    span = short_date(" 23.07 ")
    assert span is not None and format_date(DAY, span.fmt) == "24.03"


def test_widths_come_from_siblings_that_show_them() -> None:
    samples = [s for t in ("2024.9", "2024.12", "2024/5/3", "2024/11/20") for s in find_dates(t)]
    assert settle_widths("YYYY.MM", samples) == "YYYY.M"  # MedLLMs writes `2024.9`, not `2024.09`
    assert settle_widths("YYYY/M/DD", samples) == "YYYY/M/D"
    assert settle_widths("YYYY-MM", samples) == "YYYY-MM"  # nothing to learn from


def test_widths_siblings_disagree_on_follow_those_nearest_in_date() -> None:
    # HillZhang (../shared/data/lists/raw/HillZhang1999__llm-hallucination-survey.md) wrote `2023.5`
    # and now writes `2024.02`: a paper is written as the list wrote papers of its time.
    shown = ("2023.5", "2023.8", "2023.10", "2023.9", "2023.6", "2024.02", "2024.03", "2024.01")
    samples = [s for t in shown for s in find_dates(t)]
    assert settle_widths("YYYY.M", samples, near=202402) == "YYYY.MM"
    assert settle_widths("YYYY.M", samples, near=202305) == "YYYY.M"
    assert settle_widths("YYYY.M", samples) == "YYYY.M"  # without a date: the majority
    text = "# L\n\n## Papers\n\n" + "".join(
        f"{i}. **Old Study {i} of Things**\n   *Ann Lee* [[paper]](https://arxiv.org/abs/{d[2:4]}0{d[5:]:0>2}.0{i:04d}) {d}\n"
        for i, d in enumerate(shown, start=1))
    doc = parse_list(text)
    new = insert_entries(doc, [(doc.paper_sections()[0], Paper("2402.01234", 1, "A New Study", ("Ann Lee",), "x",
                                                              date(2024, 2, 20), date(2024, 2, 20)))])
    assert "2402.01234) 2024.02" in new, new


# ---------------------------------------------------------------- table layouts of real lists

PAPER = Paper("2403.01234", 1, "LLaRA: Large Language-Recommendation Assistant", ("Ann Lee", "Bo Wu"),
              "We study things.", DAY, DAY, comment="Code: https://github.com/acme/llara")
NO_NAME = Paper("2403.04321", 1, "A plain study of ranking with models", ("Ann Lee",), "We study.", DAY, DAY)


def _link(i: int) -> str:
    return f"https://arxiv.org/abs/2402.0{i:04d}"


# (source, header, a sibling row with {u} for its arXiv link, the cell each column should hold)
# expected per column: "=" same skeleton as the sibling, "P" placeholder, "T" title link, "N" name,
# "C" code link, "V" the section's venue spelling.
LAYOUTS = [
    ("ydyjya", "| Date | Institute | Publication | Paper | Keywords |",
     "| 24.02 | Tsinghua University | arxiv | [Old Study of Safety Things](<u>) | Jailbreak |", "=PVTP"),
    ("ydyjya", "| Date | Type | Title | URL |",
     "| 2024/2/15 | Blog | Old Study of Safety Things | [link](<u>) |", "=PTT"),
    ("BradyFU", "| Title | Venue | Date | Code | Demo |",
     "| [Old Study of Safety Things](<u>) | arXiv | 2024-02-15 | [Github](https://github.com/a/b) | - |",
     "TV=CP"),  # the demo: no metadata gives it, the placeholder (issue #14); code: `-` like the rows
    ("CHIANGEL", "| **Name** | **Paper** | **LLM Backbone (Largest)** | **LLM Tuning Strategy** | "
     "**Publication** | **Link** |",
     "| TALLRec | Old Study of Safety Things | LLaMA-7B | LoRA | RecSys 2023 | [[Link]](<u>) |", "NTPPVT"),
    ("CHIANGEL", "| **Paper** | **Publication** | **Link** |",
     "| Old Study of Safety Things | arXiv 2024 | [[Link]](<u>) |", "TVT"),
    ("codefuse", "| Date | Venue | Benchmark | Size | Language | Source |",
     "| 2024-02 | arXiv | OldBench | 1,000 | Python | \"Old Study of Safety Things\" [[paper](<u>)] |", "=VNPPT"),
    ("codefuse", "| Name | Paper | Link | Notes |",
     "| OldNet | Old Study of Safety Things | [arXiv](<u>) | survey |", "NTTP"),
    ("codefuse", "| Name | Paper | Type | Modalities |",
     "| OldNet | [Old Study of Safety Things](<u>) | Model | Text |", "NTPP"),
    ("MedLLMs", "|Name|Organization|Year|Research Paper|Website|Specialties|",
     "|OldNet|Acme|2024|[Old Study of Safety Things](<u>)|[site](https://acme.org)|Radiology|", "NP=TPP"),
    ("issue 14", "| Date | Title | Topic | Paper | Code |",
     "| 02/15, 2024 | Old Study of Safety Things | Safety | [arXiv](<u>) | [Code](https://github.com/a/b) |",
     "=TPTC"),
    ("ydyjya", "| Date | Type | Title | Author | URL |",
     "| 2024/02 | Paper | Old Study of Safety Things | Ann Lee et al. | [link](<u>) |", "=PT=T"),
]


def _table(header: str, row: str) -> str:
    separator = "|" + "|".join("---" for _ in split_cells(header)) + "|"
    rows = [row.replace("<u>", _link(i)).replace("Old Study", f"Old Study {i}") for i in range(1, 4)]
    return "# List\n\n## Papers\n\n" + "\n".join([header, separator, *rows]) + "\n\nEnd.\n"


@pytest.mark.parametrize(("source", "header", "row", "expected"), LAYOUTS, ids=[f"layout{i}" for i in range(len(LAYOUTS))])
def test_table_layouts_are_filled_column_by_column(source: str, header: str, row: str, expected: str) -> None:
    text = _table(header, row)
    doc = parse_list(text)
    after = insert_entries(doc, [(doc.paper_sections()[0], PAPER)])
    new = [ln for ln in after.split("\n") if "2403.01234" in ln]
    assert len(new) == 1, after
    cells, sibling = split_cells(new[0]), split_cells(row)
    assert len(cells) == len(sibling) == len(expected)
    for cell, old, want in zip(cells, sibling, expected, strict=True):
        cell, old = cell.strip(), old.strip()
        if want == "=":
            assert _skeleton(cell) == _skeleton(old), (cell, old)
        elif want == "P":
            assert cell == PLACEHOLDER, (header, cell)
        elif want == "T":
            assert "LLaRA" in cell or "2403.01234" in cell, (header, cell)
        elif want == "N":
            assert cell == "LLaRA", (header, cell)
        elif want == "C":
            assert "https://github.com/acme/llara" in cell and cell.startswith("[")
        elif want == "V":
            assert cell.lower().startswith("arxiv"), cell
    _same_around(text, after)


@pytest.mark.parametrize(("name", "field"), [
    ("Code", "code"), ("**Link**", "unknown"), ("Github", "code"), ("Name", "name"), ("**Model**", "name"),
    ("Benchmark", "name"), ("Topic", "unknown"), ("Keywords", "unknown"), ("Institute", "unknown")])
def test_column_fields(name: str, field: str) -> None:
    assert column_field(name) == field


def test_a_name_column_without_a_name_is_left_to_fill() -> None:
    text = _table("| Name | Paper | Link | Notes |", "| OldNet | Old Study of Safety Things | [arXiv](<u>) | s |")
    doc = parse_list(text)
    after = insert_entries(doc, [(doc.paper_sections()[0], NO_NAME)])
    row = next(ln for ln in after.split("\n") if "2403.04321" in ln)
    assert split_cells(row)[0].strip() == PLACEHOLDER


def test_a_line_only_the_maintainer_fills_is_written_as_a_placeholder() -> None:  # isXinLiu
    entry = ("* **{t}**\n  * Ann Lee, Bo Wu\n  * Georgia Tech | CMU\n  * [2024.07.0{d}] https://arxiv.org/abs/2407.0{d}952\n"
             "  * Benchmark")
    text = "# List\n\n## Papers\n\n" + "\n".join(entry.format(t=f"Old Study {d} of Things", d=d)
                                               for d in (1, 2, 3)) + "\n"
    doc = parse_list(text)
    after = insert_entries(doc, [(doc.paper_sections()[0], PAPER)])
    new = after.split("\n")[4:9] if "2403.01234" in after.split("\n")[7] else \
        next(after.split("\n")[i - 3:i + 2] for i, ln in enumerate(after.split("\n")) if "2403.01234" in ln)
    assert new == ["* **LLaRA: Large Language-Recommendation Assistant**", "  * Ann Lee, Bo Wu",
                   f"  * {PLACEHOLDER}", "  * [2024.03.07] https://arxiv.org/abs/2403.01234", f"  * {PLACEHOLDER}"]
    _same_around(text, after)


def _skeleton(cell: str) -> str:
    cell = re.sub(r"\]\([^)]*\)", "]", cell)
    return re.sub(r"[^\d\-./,:]", "", re.sub(r"\d", "d", cell))


def _same_around(before: str, after: str) -> None:
    """Only lines were inserted, and cmark-gfm sees the same blocks plus one row or item."""
    old, new = before.split("\n"), after.split("\n")
    it = iter(new)
    assert all(line in it for line in old), "an existing line changed"
    html_old, html_new = cmarkgfm.github_flavored_markdown_to_html(before), \
        cmarkgfm.github_flavored_markdown_to_html(after)
    inserted = "\n".join(diff_lines(old, new)[0])
    alone = cmarkgfm.github_flavored_markdown_to_html(inserted)
    for tag in ("<table>", "<h2>", "<p>", "<ol>", "<ul>"):
        nested = max(0, alone.count(tag) - 1) if tag in ("<ul>", "<ol>") else 0
        assert html_new.count(tag) - html_old.count(tag) == nested, tag
    rows, items = html_new.count("<tr>") - html_old.count("<tr>"), html_new.count("<li>") - html_old.count("<li>")
    assert (rows, items) in ((1, 0), (0, alone.count("<li>"))), (rows, items)


# ---------------------------------------------------------------- the pull request lists what is left to fill

def test_the_pull_request_lists_the_fields_to_fill_in() -> None:
    text = _table("| Date | Title | Topic | Paper | Code |",
                  "| 02/15, 2024 | Old Study of Safety Things | Safety | [arXiv](<u>) | [Code](https://github.com/a/b) |")
    doc = parse_list(text)
    after = insert_entries(doc, [(doc.paper_sections()[0], NO_NAME)])
    assert fields_to_fill(after, ["2403.04321", "2402.00001"]) == {"2403.04321": ["Topic", "Code"]}
    pending = [Pending("2403.04321", ("Papers",), "maint", 3, NO_NAME.title)]
    body = render_pull_body(pending, base="main", state={}, to_fill=fields_to_fill(after, ["2403.04321"]))
    assert TO_FILL_INTRO in body and TO_FILL_LINE.format(paper="2403.04321", fields="Topic, Code") in body
    assert TO_FILL_INTRO not in render_pull_body(pending, base="main", state={}, to_fill={})


def test_a_code_column_whose_rows_say_none_with_a_dash_gets_one() -> None:  # BradyFU: `| - | - |`: no code, no demo
    text = _table("| Title | Venue | Date | Code | Demo |",
                  "| [Old Study of Safety Things](<u>) | arXiv | 2024-02-15 | - | - |")
    doc = parse_list(text)
    after = insert_entries(doc, [(doc.paper_sections()[0], NO_NAME)])
    row = next(ln for ln in after.split("\n") if "2403.04321" in ln)
    # no code named: `-` like the rows; a demo, which no metadata gives: the placeholder, to fill in
    assert [c.strip() for c in split_cells(row)][3:] == ["-", PLACEHOLDER]
