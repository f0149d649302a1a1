"""bot.papers.summary: one or two clean sentences out of an arXiv abstract."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.lists.latest.block import parse_rows
from bot.papers.summary import ELLIPSIS, split_sentences, summarize

SEED_README = Path(__file__).parent / "fixtures" / "seed" / "README.md"

SPLITS = [
    pytest.param(
        "We use, e.g., Fig. 2 and i.e. the 3.5B model. It wins.",
        ["We use, e.g., Fig. 2 and i.e. the 3.5B model.", "It wins."],
        id="e.g. i.e. Fig. decimals",
    ),
    pytest.param(
        "As Smith et al. (2020) showed, X holds. We extend it.",
        ["As Smith et al. (2020) showed, X holds.", "We extend it."],
        id="et al. before a year",
    ),
    pytest.param(
        "Code is at https://github.com/MiliLab/AnesBench. Data too.",
        ["Code is at https://github.com/MiliLab/AnesBench.", "Data too."],
        id="URL ending a sentence",
    ),
    pytest.param(
        "See www.example.org/v1.2/x.html for details. Then more.",
        ["See www.example.org/v1.2/x.html for details.", "Then more."],
        id="dots inside a URL",
    ),
    pytest.param(
        "We bound $f(x) < 1. Then g$ holds. Next.",
        ["We bound $f(x) < 1. Then g$ holds.", "Next."],
        id="period inside LaTeX math",
    ),
    pytest.param(
        "Results improve by 2.5 pp. on average. Also, J. Smith agrees.",
        ["Results improve by 2.5 pp. on average.", "Also, J. Smith agrees."],
        id="lowercase after a period and an initial",
    ),
    pytest.param(
        "Is it safe? Yes! It is (mostly). Done",
        ["Is it safe?", "Yes!", "It is (mostly).", "Done"],
        id="question, exclamation, closing paren, no final period",
    ),
    pytest.param(
        "J. Smith and John F. Kennedy met. Sets of size N. We show it.",
        ["J. Smith and John F. Kennedy met.", "Sets of size N.", "We show it."],
        id="initials versus a variable ending a sentence",
    ),
    pytest.param(
        'They call it "safe." Others disagree.',
        ['They call it "safe."', "Others disagree."],
        id="closing quote",
    ),
    pytest.param(
        "We train in the U.S. Army setting. See Eq. (3) and Sec. 4.1 for No. 5 details.",
        ["We train in the U.S. Army setting.", "See Eq. (3) and Sec. 4.1 for No. 5 details."],
        id="dotted abbreviation, Eq. (3), Sec. 4.1, No. 5",
    ),
    pytest.param(
        "The answer is no. We explain why.",
        ["The answer is no.", "We explain why."],
        id="no. as a word",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


SUMMARIES = [
    pytest.param("", "", id="empty"),
    pytest.param("   \n ", "", id="blank"),
    pytest.param("One line\nbroken by   the API. Second.", "One line broken by the API. Second.", id="whitespace"),
    pytest.param("First. Second. Third.", "First. Second.", id="two sentences at most"),
    pytest.param("No sentence end at all", "No sentence end at all", id="no final period, not cut"),
]


@pytest.mark.parametrize(("abstract", "expected"), SUMMARIES)
def test_summarize(abstract: str, expected: str) -> None:
    assert summarize(abstract) == expected


def test_second_sentence_only_when_it_fits() -> None:
    first = "A" * 50 + " first sentence."
    second = "Then a second sentence that is long enough " + "x" * 30 + "."
    assert summarize(f"{first} {second}", max_chars=80) == first
    assert summarize(f"{first} {second}", max_chars=200) == f"{first} {second}"


def test_long_first_sentence_is_cut_at_a_word_with_an_ellipsis() -> None:
    abstract = "We study " + "very, " * 80 + "long sentences. Short one."
    summary = summarize(abstract, max_chars=100)
    assert summary.endswith(ELLIPSIS) and len(summary) <= 100
    assert not summary[:-1].endswith((",", " "))  # no dangling comma before the ellipsis
    assert abstract.startswith(summary[:-1])


def test_cut_never_splits_math() -> None:
    abstract = "We prove " + "that " * 15 + "$\\sum_{i=1}^{n} x_i \\le C$ for all inputs in the set."
    summary = summarize(abstract, max_chars=90)
    assert summary.endswith(ELLIPSIS)
    assert summary.count("$") % 2 == 0


def test_seed_abstracts_become_short_clean_summaries() -> None:
    rows = parse_rows(SEED_README.read_text(encoding="utf-8"))
    assert len(rows) == 20
    for row in rows:
        summary = summarize(row.summary_md)
        assert 40 <= len(summary) <= 280
        assert summary.endswith((".", "?", "!")), summary  # all seed first sentences fit: no cut
        assert row.summary_md.startswith(summary)
    first = summarize(rows[0].summary_md)
    assert first == (
        "Large Language Models (LLMs) increasingly require selective removal of harmful or sensitive "
        "knowledge, called unlearning, yet existing methods and benchmarks fail to evaluate this "
        "capability completely."
    )
    assert summarize(rows[9].summary_md) == (
        "Probabilistic shielding is a technique for safe reinforcement learning (RL). Typically, a "
        "static observer -- called the shield -- constrains the learning agent's actions to those for "
        "which acting safely remains feasible."
    )


@settings(max_examples=300, deadline=None)
@given(
    abstract=st.lists(
        st.sampled_from([*"ab A.!?$ \n\t()\"'", "e.g. ", "et al. ", "Fig. 2", "3.5", "https://x.org/a.b"])
        | st.text(max_size=5)
    ).map("".join),
    max_sentences=st.integers(1, 3),
    max_chars=st.integers(1, 300),
)
def test_summary_is_a_short_prefix(abstract: str, max_sentences: int, max_chars: int) -> None:
    summary = summarize(abstract, max_sentences=max_sentences, max_chars=max_chars)
    collapsed = " ".join(abstract.split())
    assert len(summary) <= max_chars
    assert "\n" not in summary and "  " not in summary
    assert collapsed.startswith(summary.removesuffix(ELLIPSIS))
    assert bool(summary) == bool(collapsed)
