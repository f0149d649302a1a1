"""arXiv reference parsing and id normalisation."""

import pytest

from bot.papers.references import ArxivRef, InvalidRef, find_arxiv_ids, parse_ref

VALID = [
    ("arXiv:2502.05206", ArxivRef("2502.05206")),
    ("arxiv:2502.05206", ArxivRef("2502.05206")),
    ("2502.05206", ArxivRef("2502.05206")),
    ("2502.05206v2", ArxivRef("2502.05206", 2)),
    ("1205.1001", ArxivRef("1205.1001")),
    ("https://arxiv.org/abs/2502.05206", ArxivRef("2502.05206")),
    ("http://arxiv.org/abs/2502.05206v3", ArxivRef("2502.05206", 3)),
    ("https://arxiv.org/pdf/2502.05206.pdf", ArxivRef("2502.05206")),
    ("https://arxiv.org/pdf/2502.05206v1", ArxivRef("2502.05206", 1)),
    ("https://arxiv.org/html/2502.05206v1", ArxivRef("2502.05206", 1)),
    ("arxiv.org/abs/2502.05206", ArxivRef("2502.05206")),
    ("https://www.arxiv.org/abs/2502.05206?context=cs", ArxivRef("2502.05206")),
    ("<https://arxiv.org/abs/2502.05206>", ArxivRef("2502.05206")),
    ("hep-th/9901001", ArxivRef("hep-th/9901001")),
    ("hep-th/9901001v2", ArxivRef("hep-th/9901001", 2)),
    ("astro-ph/0601001", ArxivRef("astro-ph/0601001")),
    ("math.GT/0309136", ArxivRef("math.GT/0309136")),
    ("https://arxiv.org/abs/hep-th/9901001", ArxivRef("hep-th/9901001")),
    ("10.48550/arXiv.2502.05206", ArxivRef("2502.05206")),
    ("https://doi.org/10.48550/arXiv.2502.05206", ArxivRef("2502.05206")),
    ("doi:10.48550/arxiv.2502.05206", ArxivRef("2502.05206")),
    ("2502.05206,", ArxivRef("2502.05206")),
]

INVALID = [
    "abc", "2502.0520", "2502.052061", "2513.05206", "2500.05206", "1412.12345", "2502.05206v0",
    "https://example.com/abs/2502.05206", "arXiv:", "", "hep-th/990100", "../../etc/passwd",
    "10.1000/xyz123", "https://arxiv.org/abs/2502.05206/../../x", "2502.05206v2v3",
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_refs(text, expected):
    assert parse_ref(text) == expected


@pytest.mark.parametrize("text", INVALID)
def test_invalid_refs(text):
    with pytest.raises(InvalidRef):
        parse_ref(text)


def test_versioned_form():
    assert ArxivRef("2502.05206", 2).versioned == "2502.05206v2"
    assert str(ArxivRef("2502.05206")) == "2502.05206"


def test_find_arxiv_ids_in_any_link_form():
    text = (
        "[paper](https://arxiv.org/abs/2502.05206v2) "
        "[![arXiv](https://img.shields.io/badge/arXiv-2401.00001-b31b1b.svg)](https://arxiv.org/pdf/2401.00001.pdf) "
        "arXiv:2310.12345 and hep-th/9901001 in http://arxiv.org/abs/hep-th/9901001v1"
    )
    assert find_arxiv_ids(text) == ["2502.05206", "2401.00001", "2310.12345", "hep-th/9901001"]
