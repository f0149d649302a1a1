"""benchmarks/section_ceiling.py: the arrays and the search behind the re-weighting ceiling (issue #13)."""

from pathlib import Path

import pytest

np = pytest.importorskip("numpy")  # the benchmark's arrays; installed with '.[semantic]'


@pytest.fixture
def ceiling(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent.parent / "benchmarks"))
    import section_ceiling
    return section_ceiling


def _paper(prior: list[float], title: list[float], right: int) -> tuple[dict[str, list[float]], set[int]]:
    return {"prior": prior, "title": title}, {right}


def test_scores_pad_absent_sections_and_count_what_beats_the_true_one(ceiling) -> None:
    # The first paper has three sections, the second two: the missing third must never rank.
    case = ceiling.Case([_paper([0.9, 0.1, 0.5], [0.0, 1.0, 0.0], right=1),
                         _paper([0.2, 0.8], [1.0, 0.0], right=0)])
    prior_only = case.scores({"prior": 1.0})
    assert case.above(prior_only).tolist() == [2, 1]
    assert case.accuracy(prior_only) == (0.0, 1.0)
    assert case.accuracy(case.scores({"prior": 1.0, "title": 2.0})) == (1.0, 1.0)


def test_a_term_that_says_nothing_places_nothing(ceiling) -> None:
    case = ceiling.Case([_paper([0.0] * 5, [0.0] * 5, right=4)])
    assert case.above(case.scores({"prior": 1.0})).tolist() == [0]  # level: no section above
    assert case.above(case.scores({"prior": 1.0}), ties_lose=True).tolist() == [4]
    assert case.any_term_top3() == 0.0


def test_the_search_finds_the_weighting_the_answers_ask_for(ceiling) -> None:
    papers = [_paper([0.9, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.3], right=3) for _ in range(3)]
    case = ceiling.Case(papers)
    assert case.accuracy(case.scores({"prior": 1.0, "title": 0.0}))[0] == 0.0
    weights, (top1, top3) = ceiling.climb([case], {"prior": 1.0, "title": 0.0})
    assert (top1, top3) == (1.0, 1.0)
    assert weights["title"] * 0.3 > weights["prior"] * 0.9
