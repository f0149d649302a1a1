"""References beyond arXiv: what `/add` accepts, and the keys that identify a paper in a list."""

from __future__ import annotations

import pytest

from bot.papers.references import ArxivRef, InvalidRef
from bot.papers.refs import ScholarRef, identity_keys_in, parse_any_ref, ref_from_key, title_key


@pytest.mark.parametrize(("raw", "expected"), [
    ("10.18653/v1/2023.acl-long.1", ScholarRef("doi", "10.18653/v1/2023.acl-long.1")),
    ("doi:10.1038/S42256-024-00832-8", ScholarRef("doi", "10.1038/s42256-024-00832-8")),
    ("https://doi.org/10.1109/ICDCSW.2003.1203662", ScholarRef("doi", "10.1109/icdcsw.2003.1203662")),
    ("https://dx.doi.org/10.1145%2F3106237.3106277", ScholarRef("doi", "10.1145/3106237.3106277")),
    ("10.48550/arXiv.2502.05206", ArxivRef("2502.05206")),
    ("https://doi.org/10.48550/arXiv.2502.05206", ArxivRef("2502.05206")),
    ("https://aclanthology.org/2021.naacl-main.208/", ScholarRef("acl", "2021.naacl-main.208")),
    ("https://aclanthology.org/2021.naacl-main.208.pdf", ScholarRef("acl", "2021.naacl-main.208")),
    ("https://www.aclweb.org/anthology/N19-1423.pdf", ScholarRef("acl", "N19-1423")),
    ("2023.findings-emnlp.12", ScholarRef("acl", "2023.findings-emnlp.12")),
    ("n04-1001", ScholarRef("acl", "N04-1001")),
    ("https://openreview.net/forum?id=nZeVKeeFYf9", ScholarRef("openreview", "nZeVKeeFYf9")),
    ("https://openreview.net/pdf?id=nZeVKeeFYf9", ScholarRef("openreview", "nZeVKeeFYf9")),
    ("https://openreview.net/forum?id=nZeVKeeFYf9&noteId=abc", ScholarRef("openreview", "nZeVKeeFYf9")),
    ("https://www.semanticscholar.org/paper/Attention-is-All-you-Need-Vaswani/"
     "204e3073870fae3d05bcbc2f6a8e263d9b72e776",
     ScholarRef("s2", "204e3073870fae3d05bcbc2f6a8e263d9b72e776")),
    ("https://openalex.org/W2741809807", ScholarRef("openalex", "W2741809807")),
    ("arXiv:2502.05206", ArxivRef("2502.05206")),
    ("https://arxiv.org/pdf/2502.05206v2", ArxivRef("2502.05206", 2)),
])
def test_parse_any_ref(raw, expected):
    assert parse_any_ref(raw) == expected


@pytest.mark.parametrize("raw", ["/home/user/x", "10.1/x", "openreview.net/forum", "arXiv:2513.00001",
                                 "https://example.org/paper"])
def test_not_references(raw):
    with pytest.raises(InvalidRef):
        parse_any_ref(raw)


def test_keys_round_trip():
    for ref in (ScholarRef("doi", "10.1/abc"), ScholarRef("acl", "N04-1001"), ArxivRef("2502.05206")):
        assert ref_from_key(ref.key if isinstance(ref, ScholarRef) else ref.arxiv_id) == ref


def test_identity_keys_in_entry_links():
    text = ("- [A](https://doi.org/10.1145/3106237.3106277). [B](https://aclanthology.org/2021.naacl-main.208.pdf) "
            "[C](https://openreview.net/forum?id=nZeVKeeFYf9)")
    assert identity_keys_in(text) == {
        "doi:10.1145/3106237.3106277", "acl:2021.naacl-main.208", "doi:10.18653/v1/2021.naacl-main.208",
        "openreview:nZeVKeeFYf9"}
    # An ACL DOI and the Anthology page are one paper.
    assert "acl:2021.naacl-main.208" in identity_keys_in("https://doi.org/10.18653/v1/2021.naacl-main.208")


def test_title_key_is_loose_but_not_for_short_labels():
    assert title_key("How Many Data Points is a Prompt Worth?") == title_key("how many data points is a prompt worth")
    assert title_key("Surveys") == ""
