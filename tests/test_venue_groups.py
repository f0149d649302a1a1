"""Lists grouped by venue and year (`ICLR 2024`, `Year 2024 › CVPR`, `NeurIPS'23`) file a paper by
its venue: posted on arXiv in November 2023 and accepted at CVPR 2024, it goes under 2024 › CVPR.
The venue comes from arXiv's journal_ref and comment (`bot.papers.venues`)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from bot.cli.classify import run_classify
from bot.config import Config
from bot.curation.groups import VENUE_REASON, YEAR_REASON, group_topics
from bot.curation.headings import YearSpan, year_span
from bot.curation.match import match_section
from bot.curation.sections import choose_section
from bot.jobs.additions import AddRequest, plan_additions
from bot.jobs.replies import OUTCOME_TEXT, PLACED_BY, render_reply
from bot.lists.document import parse_list
from bot.papers.references import Paper, parse_ref
from bot.papers.venues import venue_key, venue_named, venue_year

NOV_2023 = date(2023, 11, 20)


def _topic(headings):
    text = "# Forecasting\n" + "".join(
        f"## {h}\n- [Paper {i}](https://arxiv.org/abs/2401.0000{i})\n" for i, h in enumerate(headings))
    [topic] = group_topics(parse_list(text).paper_sections())
    return topic


@pytest.mark.parametrize(("headings", "venue", "chosen"), [
    # the group naming the venue and its year, wherever it stands
    (("ICLR 2024", "CVPR 2024", "ICLR 2023", "CVPR 2023"), "CVPR 2024", "CVPR 2024"),
    (("cvpr-2023", "CVPR'24", "ICLR 2023"), "CVPR 2024", "CVPR'24"),  # case, punctuation, 'YY
    (("NeurIPS'24", "NeurIPS'23", "ICLR'24"), "ICLR 2024", "ICLR'24"),
    # no year with the venue: its group of the paper's year, else of the next one
    (("ICLR 2024", "CVPR 2024", "ICLR 2023"), "CVPR", "CVPR 2024"),
    # no group names the venue: the group of the venue's year (one naming no other venue first)
    (("2025", "2024", "2023"), "NeurIPS 2024", "2024"),
    (("ICLR 2024", "arXiv 2024", "arXiv 2023"), "CVPR 2024", "arXiv 2024"),
])
def test_a_paper_goes_to_the_group_of_its_venue(headings, venue, chosen):
    assert _topic(headings).place(NOV_2023, venue).heading == chosen


@pytest.mark.parametrize(("headings", "published", "chosen"), [
    (("2024", "2023"), NOV_2023, "2023"),
    (("ICLR 2024", "AAAI 2024", "ICLR 2023"), date(2024, 3, 1), "ICLR 2024"),
])
def test_without_a_venue_the_date_decides_as_before(headings, published, chosen):
    assert _topic(headings).place(published, "").heading == chosen
    assert _topic(headings).placement(published, "")[1] == ""


def test_the_reason_says_which_venue_decided():
    topic = _topic(("2024", "2023", "CVPR 2024"))
    assert topic.placement(NOV_2023, "CVPR 2024") == (topic.sections[2],
                                                     VENUE_REASON.format(venue="CVPR 2024"))
    assert topic.placement(NOV_2023, "ICML 2024") == (topic.sections[0],
                                                     YEAR_REASON.format(venue="ICML 2024"))


def test_venue_names_and_years_as_headings_write_them():
    assert [venue_key(h) for h in ("CVPR 2024", "ICLR2024", "NeurIPS'23", "S&P 2024", "Year 2024",
                                   "ACLU 2024")] == ["cvpr", "iclr", "neurips", "sp", "", ""]
    assert [venue_year(h) for h in ("CVPR 2024", "NeurIPS'23", "ICLR ’24", "CVPR")] == [2024, 2023, 2024, None]
    assert year_span("NeurIPS'23") == YearSpan(2023, 2023)
    assert year_span("Jailbreak'23 attacks in the wild") is None


def test_venue_named_reads_journal_ref_and_comment():
    assert venue_named("", "Accepted at CVPR 2024; code at github", with_year=True) == "CVPR 2024"
    assert venue_named("NeurIPS 2023 camera-ready", "", with_year=True) == "NeurIPS 2023"
    assert venue_named("", "12 pages", known="ICLR 2025", with_year=True) == "ICLR 2025"
    assert venue_named("", "12 pages, 3 figures", with_year=True) == ""


# A list grouped by year, then by venue under each year (`Year 2024 › CVPR`).
NESTED = """# Awesome Video

## Year 2024

### CVPR
- [Video Diffusion Models for Long Clips](https://arxiv.org/abs/2403.00001)
- [Text-to-Video Generation with Motion Priors](https://arxiv.org/abs/2402.00002)

### arXiv
- [Scaling Video Generation Transformers](https://arxiv.org/abs/2405.00003)

## Year 2023

### CVPR
- [Latent Video Diffusion for Text-to-Video](https://arxiv.org/abs/2303.00004)

### arXiv
- [Video Generation with Diffusion Transformers](https://arxiv.org/abs/2309.00005)
"""
TITLE = "Text-to-Video Diffusion with Motion Priors"


def test_choose_section_files_an_accepted_paper_under_its_venue():
    doc = parse_list(NESTED)
    choice = choose_section(doc, TITLE, published=NOV_2023, venue="CVPR 2024")
    assert choice is not None and choice.section.path[-2:] == ("Year 2024", "CVPR")
    assert choice.reason == VENUE_REASON.format(venue="CVPR 2024")
    plain = choose_section(doc, TITLE, published=NOV_2023)
    assert plain is not None and plain.section.path[-2:] == ("Year 2023", "arXiv") and plain.reason == ""


def test_match_section_uses_the_venue_too():
    doc = parse_list(NESTED)
    section = match_section(doc, "CVPR", published=NOV_2023, venue="CVPR 2024")
    assert section is not None and section.path[-2:] == ("Year 2024", "CVPR")


def _planned(comment: str):
    """The outcome of `/add 2311.01234` on the nested list, the paper's arXiv comment as given."""
    paper = Paper("2311.01234", 1, TITLE, ("A. Author",), "", NOV_2023, NOV_2023, comment=comment)
    request = AddRequest("2311.01234", parse_ref("2311.01234"))
    _, [outcome] = plan_additions(parse_list(NESTED), [request], {request.ref: paper}, [],
                                  config=Config(), requested_by="maint", issue=1)
    return outcome


def test_add_reads_the_venue_from_arxiv_metadata():
    outcome = _planned("Accepted at CVPR 2024")
    assert outcome.kind == "added" and outcome.section.path[-2:] == ("Year 2024", "CVPR")
    assert _planned("").section.path[-2:] == ("Year 2023", "arXiv")


def test_classify_shows_the_venue_that_placed_the_paper(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(NESTED)
    line = json.dumps({"title": TITLE, "published": "2023-11-20",
                       "comment": "Accepted at CVPR 2024"}) + "\n"
    out = io.StringIO()
    assert run_classify(readme, None, io.StringIO(line), out) == 0
    answer = json.loads(out.getvalue())
    assert answer["section"] == "Year 2024 › CVPR"
    assert answer["placed_by"] == "accepted at CVPR 2024"
    text = io.StringIO()
    assert run_classify(readme, None, io.StringIO(line), text, text=True) == 0
    assert text.getvalue().splitlines()[1].startswith("  -> Year 2024 › CVPR (accepted at CVPR 2024; ")


def test_the_reply_says_which_venue_placed_the_paper():
    outcome = _planned("Accepted at CVPR 2024")
    assert outcome.placed_by == "accepted at CVPR 2024"
    reply = render_reply([outcome], pull_url=None, blob_url="https://example.test/blob",
                         sections=[s.path for s in parse_list(NESTED).paper_sections()])
    added = OUTCOME_TEXT["added"].format(section="Year 2024 › CVPR")
    assert added + PLACED_BY.format(reason="accepted at CVPR 2024") in reply


def test_add_to_a_named_topic_takes_the_group_of_the_venue():
    doc = parse_list(NESTED)
    paper = Paper("2212.01234", 1, TITLE, ("A. Author",), "", date(2022, 12, 1), date(2022, 12, 1),
                  journal_ref="CVPR 2023, pp. 1-10")
    request = AddRequest("2212.01234 to Awesome Video", parse_ref("2212.01234"), section="Awesome Video")
    _, [outcome] = plan_additions(doc, [request], {request.ref: paper}, [], config=Config(),
                                  requested_by="maint", issue=1)
    assert outcome.kind == "added" and outcome.section.path[-2:] == ("Year 2023", "CVPR")
