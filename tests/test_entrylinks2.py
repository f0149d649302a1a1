"""The arXiv link form of a new entry is its era's (issue #14): a maintainer's habit drifts over time
(thunlp/GNNPapers links `pdf/{id}.pdf` in its 2017-2019 entries, `abs/{id}` and `pdf/{id}` later), so
the form is read from the section's entries nearest the paper by arXiv id when most of them agree,
not from the section's majority, whatever order the section keeps."""

from __future__ import annotations

from datetime import date

import pytest

from bot.lists.document import insert_entries, parse_list
from bot.lists.entries.order import ERA_NEIGHBOURS, id_months, link_form_of_era
from bot.papers.references import Paper

OLD = "https://arxiv.org/pdf/{id}.pdf"
NEW = "https://arxiv.org/abs/{id}"
DOI = "https://doi.org/10.48550/arXiv.{id}"
# Ids of 2017-2019 and of 2023-2024, interleaved: the section is in no date order (a topic list that
# files papers where they fit), so no spot in it tells the era.
OLD_IDS = [f"{yy}{mm:02d}.{n:05d}" for yy, mm, n in
           [(17, 3, 1001), (18, 5, 2002), (19, 1, 3003), (17, 9, 4004), (18, 11, 5005), (19, 6, 6006),
            (17, 12, 7007), (18, 2, 8008), (19, 10, 9009), (18, 8, 1010), (17, 6, 1111), (19, 3, 1212)]]
NEW_IDS = ["2305.01234", "2401.04321", "2310.05555", "2402.06666", "2307.07777", "2404.08888"]


def _item(arxiv_id: str, form: str) -> str:
    return f"1. **A study of graphs number {arxiv_id}.** [paper]({form.format(id=arxiv_id)})\n"


def _interleaved(old_form: str, new_form: str) -> list[str]:
    items = [_item(i, old_form) for i in OLD_IDS]
    for k, arxiv_id in enumerate(NEW_IDS):  # the newer papers filed between the older ones
        items.insert(2 * k + 1, _item(arxiv_id, new_form))
    return items


def _paper(arxiv_id: str, month: date) -> Paper:
    return Paper(arxiv_id, 1, "Graph Neural Networks for Everything", ("Ann Lee",), "We study graphs.",
                 month, month)


def _written(text: str, paper: Paper, section: int = 0) -> str:
    doc = parse_list(text)
    after = insert_entries(doc, [(doc.paper_sections()[section], paper)])
    return next(line for line in after.split("\n") if "Everything" in line)


def _list(*sections: tuple[str, list[str]]) -> str:
    return "# Papers\n\n" + "".join(f"## {name}\n\n" + "\n".join(items) + "\n" for name, items in sections)


@pytest.mark.parametrize(("arxiv_id", "month", "url"), [
    ("2511.01234", date(2025, 11, 3), "https://arxiv.org/abs/2511.01234"),  # a new paper: newest habit
    ("1804.05678", date(2018, 4, 2), "https://arxiv.org/pdf/1804.05678.pdf"),  # an old one: its era's
])
def test_a_paper_links_like_the_entries_of_its_era(arxiv_id: str, month: date, url: str) -> None:
    # Twelve entries link `pdf/{id}.pdf` (the section's majority, also near its end), the six newest
    # by id `abs/{id}`.
    text = _list(("Graph Convolution", _interleaved(OLD, NEW)))
    assert f"[paper]({url})" in _written(text, _paper(arxiv_id, month))


def test_arxivs_doi_is_an_era_form_like_any_other() -> None:
    # hymie122/RAG-Survey: earlier entries link `abs/{id}`, the newest arXiv's DOI.
    text = _list(("Retrieval", _interleaved(NEW, DOI)))
    line = _written(text, _paper("2411.01234", date(2024, 11, 3)))
    assert "[paper](https://doi.org/10.48550/arXiv.2411.01234)" in line
    after = parse_list(text + line + "\n")
    assert after.find_paper("2411.01234")  # and the reader knows the new entry as the paper's


def test_other_sections_do_not_decide_a_sections_form() -> None:
    # Sections of one file may be kept by different people: the 2024 entries of another section link
    # `abs/{id}`, this section's own (older) entries `pdf/{id}.pdf`.
    text = _list(("Surveys", [_item("1802.01111", OLD), _item("1809.02222", OLD)]),
                 ("Applications", [_item(i, NEW) for i in NEW_IDS]))
    assert "[paper](https://arxiv.org/pdf/2410.01234.pdf)" in _written(text, _paper("2410.01234", date(2024, 10, 2)))
    assert "[paper](https://arxiv.org/abs/2410.01234)" in _written(text, _paper("2410.01234", date(2024, 10, 2)), 1)


def test_an_era_of_mixed_habits_keeps_the_sections_form() -> None:
    entries = parse_list(_list(("S", _interleaved(OLD, NEW)))).paper_sections()[0].entries
    paper = _paper("2402.05000", date(2024, 2, 1))
    assert link_form_of_era(entries, paper, "x") == NEW  # six of the nine nearest
    # Four and four (and one other): no form is the majority of the nine; the caller's form stands.
    mixed = [*_interleaved(OLD, NEW)[:8], _item("2403.00001", DOI)]
    mixed_entries = parse_list(_list(("S", mixed))).paper_sections()[0].entries
    assert link_form_of_era(mixed_entries, paper, "x") == "x"
    assert len(mixed) == ERA_NEIGHBOURS


def test_id_months_orders_ids_in_time() -> None:
    assert id_months("2401.00500") < id_months("2401.09000") < id_months("2402.00001")
    assert id_months("1912.99999") < id_months("2001.00001")
    assert id_months("0912.1234") < id_months("1001.0001")  # four-digit numbers before 2015
    assert 0 < id_months("cs/0101001") < id_months("0704.0001")
    assert id_months("not-an-id") == 0
