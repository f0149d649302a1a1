"""One paper, one identity, for the scheduled update: a candidate listed by DOI or title is known."""

from __future__ import annotations

from datetime import date

from bot.lists.document import parse_list
from bot.lists.identity import candidate_keys, listed_keys
from bot.lists.latest.block import listed_ids
from bot.papers.references import Paper

LIST = """# L

## Testing

- [Fairness Testing: Testing Software for Discrimination](https://doi.org/10.1145/3106237.3106277)
- **An Empirical Study of Flaky Tests in Python** (ICST 2021)
"""


def paper(arxiv_id: str, title: str, doi: str = "") -> Paper:
    day = date(2021, 1, 1)
    return Paper(arxiv_id, 1, title, ("A",), "", day, day, doi=doi)


def test_a_candidate_listed_by_its_doi_or_title_is_known():
    known = listed_ids(LIST) | listed_keys(parse_list(LIST))
    by_doi = paper("1709.03221", "Fairness Testing", doi="10.1145/3106237.3106277")
    by_title = paper("2101.09077", "An Empirical Study of Flaky Tests in Python")
    unknown = paper("2502.05206", "Jailbreaking Reasoning Models with Chain-of-Thought Hijacking")
    assert not known.isdisjoint(candidate_keys(by_doi))
    assert not known.isdisjoint(candidate_keys(by_title))
    assert known.isdisjoint(candidate_keys(unknown)) and unknown.arxiv_id not in known
