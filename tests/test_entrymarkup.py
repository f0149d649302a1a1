"""Markup of new entries like their siblings' (issue #14, the markup field): author lines written
surname first, as a bibliography writes them (`*Bruna, Joan and LeCun, Yann and ...*`, thunlp's
GNNPapers), are read as authors, not as a maintainer's note the bot must leave as a placeholder, and
a section that writes them so gets its new entries' authors in that order. Synthetic entries; no
shared data is read."""

from __future__ import annotations

from datetime import date

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import AuthorStyle, EntryFormat, learn_format
from bot.lists.entries.pieces import looks_like_authors, split_authors, surname_first
from bot.lists.render import PLACEHOLDER, format_authors, render_entry
from bot.papers.references import Paper


def _paper(title: str = "A Study of Graph Networks") -> Paper:
    day = date(2020, 3, 2)
    return Paper("2003.00982", 1, title, ("Joan Bruna", "Mihaela van der Schaar", "Yann LeCun"),
                 "We study graphs.", day, day)


def _section_format(body: str) -> EntryFormat:
    return learn_format(parse_list("## Survey papers\n\n" + body).sections[0])


@pytest.mark.parametrize(("text", "names"), [
    ("Scarselli, Franco and Gori, Marco and Tsoi, Ah Chung and Hagenbuchner, Markus.",
     ["Franco Scarselli", "Marco Gori", "Ah Chung Tsoi", "Markus Hagenbuchner"]),
    ("Battaglia, Peter W and Hamrick, Jessica B", ["Peter W Battaglia", "Jessica B Hamrick"]),
    ("Dwivedi, Vijay Prakash and Joshi, Chaitanya K. and Laurent, Thomas",
     ["Vijay Prakash Dwivedi", "Chaitanya K. Joshi", "Thomas Laurent"]),
])
def test_names_written_surname_first_are_authors(text: str, names: list[str]) -> None:
    assert looks_like_authors(text)
    assert split_authors(text) == (names, False)


@pytest.mark.parametrize("text", [
    "Smith, Jones and Wu",  # three people written first-name-less, not surname-first pairs
    "Defense, Attack and Robustness, Safety",  # two pairs of topic words
    "Zhiyuan Liu, Jie Zhou",  # the usual order: read as before, not as this form
])
def test_other_lists_are_not_surname_first(text: str) -> None:
    assert surname_first(text) is None


def test_usual_lists_read_as_before() -> None:
    assert split_authors("Zhiyuan Liu, Jie Zhou and Ann Lee et al.") == (["Zhiyuan Liu", "Jie Zhou", "Ann Lee"], True)


SURNAME_FIRST = (  # thunlp/GNNPapers, "Survey papers": entries whose authors a bibliography gave
    "1. **Relational Inductive Biases, Deep Learning, and Graph Networks.** arxiv 2018. "
    "[paper](https://arxiv.org/pdf/1806.01261.pdf)\n\n"
    "    *Battaglia, Peter W and Hamrick, Jessica B and Bapst, Victor and Sanchez-Gonzalez, Alvaro.*\n\n"
    "1. **Geometric Deep Learning: Going beyond Euclidean data.** IEEE SPM 2017. "
    "[paper](https://arxiv.org/pdf/1611.08097.pdf)\n\n"
    "    *Bronstein, Michael M and Bruna, Joan and LeCun, Yann and Szlam, Arthur and Vandergheynst, Pierre.*\n\n"
    "1. **Neural Message Passing for Quantum Chemistry.** ICML 2017. [paper](https://arxiv.org/pdf/1704.01212.pdf)\n\n"
    "    *Gilmer, Justin and Schoenholz, Samuel S and Riley, Patrick F and Vinyals, Oriol and Dahl, George E.*\n\n"
    "1. **Benchmarking Graph Neural Networks.** arxiv 2020. [paper](https://arxiv.org/pdf/2003.00982.pdf)\n\n"
    "    *Dwivedi, Vijay Prakash and Joshi, Chaitanya K. and Laurent, Thomas and Bengio, Yoshua.*\n"
)


def test_a_surname_first_author_line_is_the_authors_not_a_placeholder() -> None:
    fmt = _section_format(SURNAME_FIRST)
    assert fmt.lines[-1] == "    *⟦authors:text⟧.*"
    rendered = render_entry(fmt, _paper())
    assert PLACEHOLDER not in rendered
    assert rendered.split("\n")[-1] == "    *Bruna, Joan and van der Schaar, Mihaela and LeCun, Yann.*"


def test_a_section_writing_names_first_name_first_keeps_that_order() -> None:
    body = SURNAME_FIRST.replace(
        "*Battaglia, Peter W and Hamrick, Jessica B and Bapst, Victor and Sanchez-Gonzalez, Alvaro.*",
        "*Peter W Battaglia, Jessica B Hamrick, Victor Bapst.*").replace(
        "*Bronstein, Michael M and Bruna, Joan and LeCun, Yann and Szlam, Arthur and Vandergheynst, Pierre.*",
        "*Michael M Bronstein, Joan Bruna, Yann LeCun.*").replace(
        "*Gilmer, Justin and Schoenholz, Samuel S and Riley, Patrick F and Vinyals, Oriol and Dahl, George E.*",
        "*Justin Gilmer, Samuel S Schoenholz.*")
    rendered = render_entry(_section_format(body), _paper())
    assert rendered.split("\n")[-1] == "    *Joan Bruna, Mihaela van der Schaar, Yann LeCun.*"


@pytest.mark.parametrize(("names", "written"), [
    (("Joan Bruna", "Mihaela van der Schaar"), "Bruna, Joan and van der Schaar, Mihaela"),
    (("Plato", "Ah Chung Tsoi"), "Plato and Tsoi, Ah Chung"),
])
def test_names_written_surname_first(names: tuple[str, ...], written: str) -> None:
    assert format_authors(names, AuthorStyle(separator=" and ", surname_first=True)) == written


def _drifted_section() -> str:  # a section that wrote four spaces, then tabs (thunlp's late batch)
    blocks = []
    for k, lead in enumerate(["    "] * 3 + ["\t"] * 5):
        blocks.append(f"1. **Paper number {k} on graph learning.** arxiv 2020. "
                      f"[paper](https://arxiv.org/abs/2001.0001{k})\n\n{lead}*Ann Lee, Bo Wu.*\n")
    return "## Models\n\n" + "\n".join(blocks)


def test_the_benchmark_writes_an_entry_from_its_section_as_it_stood_then() -> None:
    from benchmarks.format_shape import written_then

    doc = parse_list(_drifted_section())
    section = next(s for s in doc.sections if s.entries)
    entries = section.entries
    day = date(2020, 1, 15)
    paper = Paper("2001.00002", 1, "Paper number 2 on graph learning", ("Ann Lee", "Bo Wu"), "", day, day)
    assert written_then(doc, section, entries[0], paper, 1) is None  # the first had no siblings
    assert written_then(doc, section, entries[2], paper, 1).split("\n")[-1].startswith("    *")  # 2 with spaces
    assert written_then(doc, section, entries[7], paper, 1).split("\n")[-1].startswith("\t*")  # 3 spaces, 4 tabs
