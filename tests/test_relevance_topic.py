"""Relevance with no config: the list itself says what is on topic (bot.curation.topic)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bot.curation.topic as topic_module
from bot.config import LatestConfig
from bot.curation.listparts import (
    is_latest_archive,
    linked_parts,
    list_title,
    resolve_link,
    topical_sections,
)
from bot.curation.relevance import REASON_NO_TOPIC, score_relevance
from bot.curation.topic import REASON_FAR, acronym_idf, build_topic, idf
from bot.lists.document import parse_list

FIXTURES = Path(__file__).parent / "fixtures"
NO_CONFIG = LatestConfig()
SAMPLE = [json.loads(line) for line in
          (FIXTURES / "relevance" / "no_config_sample.jsonl").read_text(encoding="utf-8").splitlines()]
SMALL_LIST = """\
# Awesome LLM Safety 🛡️

## Contributing
- Open a pull request about safety.

## Jailbreak
- [Jailbreaking Black Box Large Language Models in Twenty Queries](https://arxiv.org/abs/2310.08419)
- [Universal and Transferable Adversarial Attacks on Aligned Language Models](https://arxiv.org/abs/2307.15043)

## Backdoor
- [Sleeper Agents: Training Deceptive LLMs that Persist Through Safety Training](https://arxiv.org/abs/2401.05566)

## Latest
<!-- LATEST_PAPERS_START -->
| Date | Title | Authors | Abstract Summary |
| --- | --- | --- | --- |
| 2025-05-13 | [Quadrotor swarm planning](http://arxiv.org/abs/2505.08593v1) | A. B. | Drones. |
<!-- LATEST_PAPERS_END -->
"""


@pytest.fixture(scope="module")
def safety_list():
    return parse_list((FIXTURES / "lists" / "isXinLiu__Awesome-MLLM-Safety.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("paper", SAMPLE, ids=[p["arxiv_id"] for p in SAMPLE])
def test_labelled_papers_score_on_the_right_side_with_no_config(safety_list, paper):
    result = score_relevance(paper["title"], paper["summary"], [], latest=NO_CONFIG, doc=safety_list)
    assert result.relevant == (paper["label"] == "relevant"), (result.score, result.reasons)


def test_robot_safety_scores_low_and_names_no_section(safety_list):
    robot = next(p for p in SAMPLE if p["arxiv_id"] == "2503.19994")  # control barrier functions
    result = score_relevance(robot["title"], robot["summary"], [], latest=NO_CONFIG, doc=safety_list)
    assert result.score < 0.5
    assert result.reasons[0].startswith(REASON_FAR)


def test_reason_names_the_closest_section_and_listed_paper():
    doc = parse_list(SMALL_LIST)
    result = score_relevance(
        "Many-shot jailbreaking of large language models",
        "Long prompts jailbreak aligned LLMs and bypass their safety training.",
        [], latest=NO_CONFIG, doc=doc)
    assert result.relevant
    assert result.reasons[0].startswith("close to «Jailbreak» entries: “")
    off = score_relevance("Quadrotor swarm trajectory planning", "Drones avoid deadlocks.", [],
                          latest=NO_CONFIG, doc=doc)
    assert not off.relevant and off.score < 0.2


def test_the_list_profile_skips_boilerplate_the_latest_table_and_emoji():
    doc = parse_list(SMALL_LIST)
    assert [s.heading for s in topical_sections(doc)] == ["Jailbreak", "Backdoor"]
    topic = build_topic(doc)
    assert list_title(doc).startswith("Awesome LLM Safety")
    assert set(topic.title) == {"llm", "safet"}  # "awesome" is about lists, the emoji is no word
    assert "quadrotor" not in topic.body and topic.papers == 3


def test_exclusions_and_categories_still_refine_the_list_only_score():
    doc = parse_list(SMALL_LIST)
    title, abstract = "Jailbreak attacks on aligned LLMs", "Adversarial prompts jailbreak LLM safety."
    plain = score_relevance(title, abstract, [], latest=NO_CONFIG, doc=doc)
    excluded = score_relevance(title, abstract, [], latest=LatestConfig(exclude=("jailbreak",)), doc=doc)
    off_category = score_relevance(title, abstract, ["physics.optics"],
                                   latest=LatestConfig(categories=("cs.CL",)), doc=doc)
    assert plain.relevant
    assert excluded.score < plain.score and off_category.score < plain.score


def test_without_config_or_list_everything_is_kept_and_says_why():
    result = score_relevance("Anything", "", [], latest=NO_CONFIG)
    assert result.score == 1.0 and result.reasons == (REASON_NO_TOPIC,)


def test_a_list_without_headings_or_entries_scores_nothing():
    result = score_relevance("Jailbreak attacks", "LLM safety.", [], latest=NO_CONFIG,
                             doc=parse_list("Just a paragraph.\n"))
    assert result.score == 0.0 and not result.relevant


LATEST = "<!-- LATEST_PAPERS_START -->\n<!-- LATEST_PAPERS_END -->"
# A young list whose papers live in a file its README links (as the seed list's datasets do).
LINKING_LIST = f"""\
# Awesome Large Reasoning Model (LRM) Safety

## Key Safety Domains
- Jailbreak Attacks
- Privacy Leakage

## Dataset & Benchmark
Please refer to [datasets for LLM](./collection/dataset/datasets.md).

## Survey
- Efficient Inference for Large Reasoning Models: A Survey

## Latest
Earlier papers are in [the archive](./articles/README.md).
{LATEST}
"""
LINKED_FILES = {
    "collection/dataset/datasets.md": (
        "|Name|Paper|\n|----|----|\n"
        "|HarmBench|[HarmBench: A Standardized Evaluation Framework for Automated Red Teaming and "
        "Robust Refusal](https://arxiv.org/abs/2402.04249)|\n"
        "|JBB|[JailbreakBench: An Open Robustness Benchmark for Jailbreaking Large Language "
        "Models](https://arxiv.org/abs/2404.01318)|\n"),
    # The old cron script's archive: what a query found, not what the maintainer chose.
    "articles/README.md": (
        "| Date | Title | Authors | Abstract Summary |\n| --- | --- | --- | --- |\n"
        "| 2025-04-09 | [Quadrotor swarm planning](http://arxiv.org/abs/2505.08593v1) | A. B. | x |\n"),
    "unlinked.md": "- [Diffusion models for video](https://arxiv.org/abs/2401.00001)\n",
}


@pytest.mark.parametrize(("target", "expected"), [
    ("./collection/dataset/datasets.md", "collection/dataset/datasets.md"),
    (".//collection/dataset/datasets.md#top", "collection/dataset/datasets.md"),
    ("/collection/dataset/datasets", "collection/dataset/datasets.md"),
    ("collection/dataset/datasets%2Emd", "collection/dataset/datasets.md"),
    ("https://example.org/collection/dataset/datasets.md", None),
    ("../outside.md", None),
    ("missing.md", None),
])
def test_resolve_link(target, expected):
    assert resolve_link(target, "README.md", LINKED_FILES) == expected


def test_linked_files_join_the_section_that_links_them_and_the_archive_does_not():
    doc = parse_list(LINKING_LIST)
    parts = linked_parts(doc, LINKED_FILES)
    assert [p.path for p in parts] == [("Awesome Large Reasoning Model (LRM) Safety",
                                        "Dataset & Benchmark")]
    assert next(e.title for e in parts[0].entries).startswith("HarmBench")
    topic = build_topic(doc, parts)
    assert "jailbreak" in topic.body and "quadrotor" not in topic.body and "diffus" not in topic.body
    assert topic.papers == 3
    assert is_latest_archive(LINKED_FILES["articles/README.md"])


def test_a_linked_file_makes_its_topic_the_lists():
    doc = parse_list(LINKING_LIST)
    args = ("A benchmark for automated red teaming and robust refusal",
            "We evaluate the safety of language models with harmful behaviours.", [])
    alone = score_relevance(*args, latest=NO_CONFIG, doc=doc)
    linked = score_relevance(*args, latest=NO_CONFIG, doc=doc, files=LINKED_FILES)
    assert linked.score > alone.score and linked.relevant
    assert linked.reasons[0].startswith("close to «Dataset & Benchmark» entries: “HarmBench: ")


def test_an_acronym_weighs_as_its_words_and_the_title_names_the_anchor():
    assert acronym_idf("Awesome Large Reasoning Model (LRM) Safety") == {"lrm": idf("reason")}
    assert acronym_idf("Large Language Models (LLMs)")["llm"] <= idf("llm")
    assert acronym_idf("a survey (LRM)") == {}  # the words before do not spell it
    topic = build_topic(parse_list(LINKING_LIST), linked_parts(parse_list(LINKING_LIST),
                                                               LINKED_FILES))
    assert topic.anchor == "safet"
    assert max(topic.title, key=topic.title.get) == "safet"


def test_a_paper_without_the_title_anchor_scores_lower():
    doc = parse_list(LINKING_LIST)
    with_anchor = score_relevance("Efficient inference for large reasoning models under attack",
                                  "Safety of reasoning models.", [], latest=NO_CONFIG, doc=doc)
    without = score_relevance("Efficient inference for large reasoning models under attack",
                              "Speed of reasoning models.", [], latest=NO_CONFIG, doc=doc)
    assert with_anchor.score > without.score


def test_links_are_read_relative_to_the_list_file_wherever_it_is():
    """A list kept at docs/list.md links `collection/...` from docs/: the files are read from there."""
    doc = parse_list(LINKING_LIST)
    moved = {f"docs/{path}": text for path, text in LINKED_FILES.items()}
    args = ("A benchmark for automated red teaming and robust refusal",
            "We evaluate the safety of language models with harmful behaviours.", [])
    at_root = score_relevance(*args, latest=NO_CONFIG, doc=doc, files=LINKED_FILES)
    in_docs = score_relevance(*args, latest=NO_CONFIG, doc=doc, files=moved, index_path="docs/list.md")
    misread = score_relevance(*args, latest=NO_CONFIG, doc=doc, files=moved)
    assert in_docs.score == at_root.score and in_docs.reasons == at_root.reasons
    assert misread.score < in_docs.score


def test_the_body_is_contrasted_with_what_every_ai_paper_says():
    """A list of hundreds of LLM-security papers uses "large language model" everywhere: a
    generic LLM paper must not pass on those words alone, while an attack paper still does."""
    doc = parse_list((FIXTURES / "lists" / "chawins__llm-sp.md").read_text(encoding="utf-8"))
    generic = [
        ("Scaling instruction tuning for multimodal large language models",
         "We train multimodal large language models on more instruction data and improve "
         "accuracy on vision-language benchmarks."),
        ("Visual instruction tuning for large vision-language models",
         "Large vision-language models follow visual instructions."),
    ]
    for title, abstract in generic:
        assert not score_relevance(title, abstract, [], latest=NO_CONFIG, doc=doc).relevant, title
    attack = score_relevance("Jailbreaking multimodal large language models with adversarial images",
                             "Adversarial images jailbreak vision-language models into harmful "
                             "outputs.", [], latest=NO_CONFIG, doc=doc)
    assert attack.relevant


def test_contrast_lowers_the_words_the_background_shares_and_keeps_unit_length():
    body = {"model": 0.6, "languag": 0.6, "jailbreak": 0.5291502622129182}
    contrasted = topic_module.contrasted(body)
    assert sum(v * v for v in contrasted.values()) == pytest.approx(1.0)
    assert contrasted["model"] / contrasted["jailbreak"] < body["model"] / body["jailbreak"]
    assert contrasted["languag"] / contrasted["jailbreak"] < body["languag"] / body["jailbreak"]


def test_a_body_of_few_papers_is_hardly_contrasted(monkeypatch):
    """Breadth comes with papers: three titles are not a broad profile, hundreds are."""
    small = parse_list(SMALL_LIST)
    big = parse_list((FIXTURES / "lists" / "chawins__llm-sp.md").read_text(encoding="utf-8"))
    contrasted = [build_topic(small).body, build_topic(big).body]
    monkeypatch.setattr(topic_module, "BACKGROUND_CONTRAST", 0.0)
    plain = [build_topic(small).body, build_topic(big).body]
    assert topic_module.cosine(contrasted[0], plain[0]) > 0.999
    assert topic_module.cosine(contrasted[1], plain[1]) < 0.98
