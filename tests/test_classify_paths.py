"""Sections as paths: `/add … to <path or tail>`, topics grouped by year, and where a maintainer
sees a section (the classify command, the reply, the pull request body)."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from bot.cli.classify import run_classify
from bot.curation.groups import Topic, group_headings, group_topics, topic_key
from bot.curation.headings import YearSpan
from bot.curation.match import match_section, path_label, paths_named, section_matches
from bot.curation.sections import choose_section
from bot.jobs.additions import AddRequest, Outcome, Pending
from bot.jobs.replies import OUTCOME_TEXT, render_pull_body, render_reply
from bot.lists.document import parse_list
from bot.papers.references import Paper, parse_ref

# A topic grouped by year under one parent, a topic of the same name under another, and one
# without groups; the list's title is shared by every section.
LIST = """# Awesome Safety

## Attacks

### Jailbreak

#### 2025
- [Jailbreaking Reasoning Models with Chain-of-Thought Hijacking](https://arxiv.org/abs/2502.00001)
- [Many-Shot Jailbreaking of Chat Assistants](https://arxiv.org/abs/2501.00002)

#### 2024
- [Jailbreak Prompts in the Wild](https://arxiv.org/abs/2403.00003)
- [Universal Adversarial Suffixes Jailbreak Aligned Models](https://arxiv.org/abs/2402.00004)

### Backdoor
- [Backdoor Triggers in Instruction Tuning Data](https://arxiv.org/abs/2401.00005)
- [Poisoning Pretraining Corpora with Backdoors](https://arxiv.org/abs/2312.00006)

## Defenses

### Jailbreak
- [Defending Chat Models against Jailbreak Prompts with Perplexity Filters](https://arxiv.org/abs/2402.00007)
- [Safety Classifiers Guard against Jailbreak Attempts](https://arxiv.org/abs/2405.00008)
"""

ATTACKS_2025 = ("Awesome Safety", "Attacks", "Jailbreak", "2025")
ATTACKS_2024 = ("Awesome Safety", "Attacks", "Jailbreak", "2024")
BACKDOOR = ("Awesome Safety", "Attacks", "Backdoor")
DEFENSES = ("Awesome Safety", "Defenses", "Jailbreak")


@pytest.fixture(scope="module")
def doc():
    return parse_list(LIST)


@pytest.mark.parametrize(("name", "published", "path"), [
    ("Attacks › Jailbreak", None, ATTACKS_2025),  # no date: the newest group
    ("attacks/jailbreak", None, ATTACKS_2025),
    ("Attacks > Jailbreak", date(2024, 5, 1), ATTACKS_2024),
    ("attacks :: jailbreaks", date(2025, 1, 1), ATTACKS_2025),
    ("Attacks › Jailbreak › 2024", None, ATTACKS_2024),
    ("Jailbreak › 2024", date(2025, 1, 1), ATTACKS_2024),  # a named group wins over the date
    ("Defenses › Jailbreak", None, DEFENSES),
    ("defenses/jailbreak", date(2024, 1, 1), DEFENSES),
    ("Backdoor", None, BACKDOOR),
    ("Awesome Safety › Attacks › Backdoor", None, BACKDOOR),
    ("Jailbreak", None, None),  # a tail of two topics: ambiguous
    ("Robotics", None, None),
    ("", None, None),
])
def test_match_section_by_path_or_tail(doc, name, published, path):
    found = match_section(doc, name, published=published)
    assert (found.path if found else None) == path


def test_an_ambiguous_tail_lists_one_section_per_topic(doc):
    found = section_matches(doc, "Jailbreak")
    assert [s.path for s in found] == [ATTACKS_2025, DEFENSES]
    paths = [s.path for s in doc.paper_sections()]
    assert paths_named(paths, "Jailbreak") == [ATTACKS_2025[:-1], DEFENSES]
    assert paths_named(paths, "attacks/jailbreak") == [ATTACKS_2025[:-1]]
    assert paths_named(paths, "Robotics") == []


@pytest.mark.parametrize(("published", "heading"), [
    (date(2025, 3, 1), "2025"),
    (date(2024, 7, 1), "2024"),
    (date(2026, 1, 1), "2025"),  # newer than every group: the newest
    (date(2019, 1, 1), "2024"),  # older than every group: the oldest
    (None, "2025"),
])
def test_a_new_paper_goes_to_its_topics_year_group_by_its_date(doc, published, heading):
    choice = choose_section(doc, "Jailbreaking Aligned Chat Models with Adversarial Suffixes",
                            published=published)
    assert choice is not None
    assert choice.section.path[:-1] == ATTACKS_2025[:-1] and choice.section.heading == heading
    # the year groups of one topic never compete: each candidate is a different topic
    groups = group_headings(s.path for s in doc.paper_sections())
    topics = [topic_key(s.path, groups) for s, _ in choice.candidates]
    assert len(topics) == len(set(topics)) == 3


def test_topics_fold_year_groups_and_keep_the_rest(doc):
    topics = group_topics(doc.paper_sections())
    assert [t.key for t in topics] == [ATTACKS_2025[:-1], BACKDOOR, DEFENSES]
    assert [s.heading for s in topics[0].sections] == ["2025", "2024"]
    assert topics[0].spans == (YearSpan(2025, 2025), YearSpan(2024, 2024))
    assert len(topics[0].entries) == 4


@pytest.mark.parametrize(("headings", "published", "chosen"), [
    (("2025", "2024", "Before 2024"), date(2023, 2, 1), "Before 2024"),
    (("2025", "2024", "Before 2024"), date(2027, 2, 1), "2025"),
    (("ICLR 2024", "AAAI 2024", "ICLR 2023"), date(2024, 2, 1), "ICLR 2024"),  # document order
    (("ICLR 2024", "AAAI 2024", "ICLR 2023"), date(2023, 2, 1), "ICLR 2023"),
])
def test_topic_place_picks_the_group_of_the_papers_year(headings, published, chosen):
    text = "# Forecasting\n" + "".join(
        f"## {h}\n- [Paper {i}](https://arxiv.org/abs/2401.0000{i})\n" for i, h in enumerate(headings))
    [topic] = group_topics(parse_list(text).paper_sections())
    assert isinstance(topic, Topic) and topic.place(published).heading == chosen


def test_a_lone_year_heading_is_a_topic_not_a_group():
    assert group_headings([("Attacks", "2024"), ("Defenses",)]) == frozenset()
    assert group_headings([("A", "2024"), ("A", "2023")]) == {"2024", "2023"}


def test_classify_prints_paths_as_json_and_as_text(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(LIST)
    line = json.dumps({"title": "Many-Shot Jailbreaking of Aligned Chat Models",
                       "arxiv_id": "2502.01234"}) + "\n"
    out = io.StringIO()
    assert run_classify(readme, None, io.StringIO(line), out) == 0
    answer = json.loads(out.getvalue())
    assert answer["section"] == "Attacks › Jailbreak › 2025"
    assert answer["path"] == list(ATTACKS_2025)
    assert answer["candidates"][0][0] == "Attacks › Jailbreak › 2025"
    assert {label for label, _ in answer["candidates"]} == {
        "Attacks › Jailbreak › 2025", "Attacks › Backdoor", "Defenses › Jailbreak"}
    text = io.StringIO()
    assert run_classify(readme, None, io.StringIO(line + "not json\n"), text, text=True) == 1
    lines = text.getvalue().splitlines()
    assert lines[0] == "Many-Shot Jailbreaking of Aligned Chat Models"
    assert lines[1].startswith("  -> Attacks › Jailbreak › 2025 (")
    assert lines[2].startswith("  also: ") and "Defenses › Jailbreak" in lines[2]
    assert lines[3].startswith("line 2: not a JSON object")


PAPER = Paper("2502.05206", 1, "Jailbreaking Models", ("A. Author",), "", date(2025, 2, 1),
              date(2025, 2, 1))


def _reply(doc, outcomes):
    return render_reply(outcomes, pull_url=None, blob_url="https://example.test/blob",
                        sections=[s.path for s in doc.paper_sections()])


def test_reply_shows_paths_and_why(doc):
    [section_2025] = [s for s in doc.sections if s.path == ATTACKS_2025]
    [defenses] = [s for s in doc.sections if s.path == DEFENSES]
    request = AddRequest("2502.05206", parse_ref("2502.05206"))
    outcome = Outcome(request, "added", PAPER, section_2025,
                      candidates=((section_2025, 0.8), (defenses, 0.15)), confident=True)
    reply = _reply(doc, [outcome])
    assert OUTCOME_TEXT["added"].format(section="Attacks › Jailbreak › 2025") in reply
    assert "- 2502.05206: «Attacks › Jailbreak › 2025» 0.80, «Defenses › Jailbreak» 0.15" in reply


def test_reply_to_an_ambiguous_tail_lists_the_candidates(doc):
    request = AddRequest("2502.05206", parse_ref("2502.05206"), section="Jailbreak")
    reply = _reply(doc, [Outcome(request, "unknown_section", PAPER)])
    assert OUTCOME_TEXT["ambiguous_section"].format(
        section="Jailbreak", candidates="«Attacks › Jailbreak», «Defenses › Jailbreak»") in reply
    # the sections one can name: topics, without their year groups
    assert "«Attacks › Jailbreak», «Attacks › Backdoor», «Defenses › Jailbreak»." in reply


def test_reply_to_an_unknown_section(doc):
    request = AddRequest("2502.05206", parse_ref("2502.05206"), section="Robotics")
    reply = _reply(doc, [Outcome(request, "unknown_section", PAPER)])
    assert OUTCOME_TEXT["unknown_section"].format(section="Robotics") in reply


def test_pull_body_shows_whole_paths():
    body = render_pull_body([Pending("2502.05206", ATTACKS_2025, "maint", 7, "Jailbreaking Models")],
                            base="main", state={})
    assert "| Awesome Safety › Attacks › Jailbreak › 2025 |" in body
    assert path_label(ATTACKS_2025, 1) == "Attacks › Jailbreak › 2025"


def test_semantic_terms_load_the_model_from_the_wheel_and_score_meaning():
    pytest.importorskip("wordllama")
    from bot.curation.model import SectionExample, build_model
    from bot.curation.semantic import embedder

    assert embedder() is not None  # from the installed files: tests have no network
    sections = [SectionExample(("Biology and Medicine",), ("Medical question answering with LLMs",
                                                         "Clinical notes summarisation")),
                SectionExample(("Code Generation",), ("Program synthesis from docstrings",
                                                      "Repository-level code completion"))]
    model = build_model(sections, {"semantic": 1.0, "semantic_nearest": 0.5})
    centroid, nearest = model.semantic_scores("Evaluating patient diagnosis by doctors")
    assert centroid[0] > centroid[1] and nearest[0] > nearest[1]
    assert build_model(sections).meanings is None  # off by default: nothing is embedded
