"""Section choice, section matching and relevance on real lists and real labelled papers."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from bot.cli.classify import ERROR_NO_TITLE, run_classify
from bot.config import LatestConfig, SectionHint, parse_config
from bot.curation import sections as classify
from bot.curation.headings import YearSpan, year_span
from bot.curation.match import normalise_heading
from bot.curation.query import PaperText, QueryError, evaluate, parse_query
from bot.curation.relevance import REASON_NOTHING, compile_rules, score_relevance
from bot.curation.sections import (
    CONFIDENT_SHARE,
    MAX_CANDIDATES,
    arxiv_id_date,
    choose_section,
    match_section,
    section_model,
)
from bot.curation.textfeatures import stem, word_stems
from bot.lists.document import parse_list

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SEED_DIR = ROOT / "examples" / "awesome-lrm-safety"


def _doc(name: str):
    return parse_list((FIXTURES / "lists" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mllm():
    return _doc("isXinLiu__Awesome-MLLM-Safety.md")


@pytest.fixture(scope="module")
def strawberry():
    return _doc("hijkzzz__Awesome-LLM-Strawberry.md")


@pytest.fixture(scope="module")
def seed():
    return parse_list((SEED_DIR / "README.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_config():
    config, problems = parse_config((SEED_DIR / "paperbot.yml").read_text(encoding="utf-8"))
    assert problems == []
    return config


# --- section choice, title only ------------------------------------------------------------

@pytest.mark.parametrize(("title", "section"), [
    ("Jailbreaking Multimodal Large Language Models with Adversarial Images", "Attack"),
    ("Visual Adversarial Examples Jailbreak Aligned Large Language Models", "Attack"),
    ("MM-SafetyBench: A Benchmark for Safety Evaluation of Multimodal Large Language Models",
     "Evaluation"),
    ("Safeguarding Vision-Language Models Against Jailbreaks via Inference-Time Defense",
     "Defense"),
])
def test_title_only_papers_go_to_the_section_about_them(mllm, title, section):
    choice = choose_section(mllm, title)
    assert choice is not None
    assert choice.section.heading == section
    assert choice.section.path[-1] == section
    assert len(choice.candidates) == min(MAX_CANDIDATES, len(mllm.paper_sections()))
    shares = [share for _, share in choice.candidates]
    assert shares == sorted(shares, reverse=True)
    assert 0.0 <= choice.score <= 1.0 and choice.score == shares[0]


def test_an_abstract_is_used_when_the_title_says_little(mllm):
    title = "Through the Looking Glass"
    abstract = ("We present a new jailbreak attack on multimodal large language models that hides "
                "adversarial perturbations in images and bypasses safety alignment.")
    title_only = choose_section(mllm, title)
    with_abstract = choose_section(mllm, title, abstract)
    assert title_only is not None and with_abstract is not None
    assert title_only.section.heading != "Attack" and not title_only.confident
    assert with_abstract.section.heading == "Attack"


# --- lists grouped by year -----------------------------------------------------------------

@pytest.mark.parametrize(("title", "published", "section"), [
    ("Scaling Reinforcement Learning for Reasoning", date(2025, 3, 4), "2025"),
    ("Scaling Reinforcement Learning for Reasoning", date(2024, 6, 1), "2024"),
    ("Process Supervision for Math Word Problems", date(2023, 5, 1), "2023"),
    ("Monte Carlo Tree Search in Games", date(2019, 1, 1), "Before 2021"),
])
def test_year_grouped_lists_place_papers_in_their_year(strawberry, title, published, section):
    choice = choose_section(strawberry, title, published=published)
    assert choice is not None and choice.section.heading == section


@pytest.mark.parametrize(("heading", "span"), [
    ("2024", YearSpan(2024, 2024)),
    ("Before 2021", YearSpan(0, 2020)),
    ("2019-2020", YearSpan(2019, 2020)),
    ("Papers in 2023", YearSpan(2023, 2023)),
    ("2022 and earlier", YearSpan(0, 2022)),
    ("Since 2024", YearSpan(2024, 9999)),
    ("Jailbreak", None),
    ("Benchmarks released in 2024 for reasoning models", None),
])
def test_year_spans_of_headings(heading, span):
    assert year_span(heading) == span


def test_arxiv_id_dates():
    assert arxiv_id_date("2502.05206") == date(2025, 2, 1)
    assert arxiv_id_date("hep-th/9901001") is None
    assert arxiv_id_date("2513.00001") is None


# --- a young list steered by configured hints ----------------------------------------------

@pytest.mark.parametrize(("title", "path_end"), [
    ("SafeRBench: A Benchmark Dataset for Safety Evaluation of Large Reasoning Models",
     ("Dataset & Benchmark", "For Advanced LRM")),
    ("Safety in Large Reasoning Models: A Survey of Risks, Attacks and Defenses",
     ("Survey", "LRM Safety Related")),
])
def test_hints_steer_a_list_with_few_entries(seed, seed_config, title, path_end):
    choice = choose_section(seed, title, hints=seed_config.sections,
                            default_section=seed_config.default_section)
    assert choice is not None
    # the seed's emoji are mis-decoded as published ("üîñ Dataset & Benchmark")
    assert [normalise_heading(h) for h in choice.section.path[-2:]] \
        == [normalise_heading(h) for h in path_end]


def test_hinted_sections_are_candidates_even_without_entries(seed, seed_config):
    plain = {s.heading for s in classify.candidate_sections(seed)}
    hinted = {s.heading for s in classify.candidate_sections(seed, seed_config.sections)}
    assert "For Advanced LRM" not in plain
    assert {"For Advanced LRM", "For Traditional LLM", "LRM Safety Related"} <= hinted


EMPTY_TOPIC_LIST = """# Awesome LLM Security

## Attacks

### Jailbreak

- [Jailbreaking Aligned Chatbots with Role Play](https://arxiv.org/abs/2401.00001)
- [Universal Jailbreak Suffixes for Aligned Models](https://arxiv.org/abs/2401.00002)

### Prompt Injection

- [Indirect Prompt Injection against Tool-Using Agents](https://arxiv.org/abs/2401.00003)
- [Prompt Injection Attacks on Web Agents](https://arxiv.org/abs/2401.00004)

### Fine-Tuning

<!-- papers on harmful fine-tuning go here -->

### Scholars

## Contributing

Pull requests welcome.
"""


def test_an_empty_heading_beside_paper_sections_is_a_candidate():
    doc = parse_list(EMPTY_TOPIC_LIST)
    headings = [s.heading for s in classify.candidate_sections(doc)]
    assert headings == ["Jailbreak", "Prompt Injection", "Fine-Tuning"]  # not Scholars, not Contributing
    choice = choose_section(doc, "Harmful Fine-Tuning Erodes Safety Alignment")
    assert choice is not None and choice.section.heading == "Fine-Tuning"
    # with nothing in it but its heading, it does not take papers its heading does not name
    other = choose_section(doc, "Jailbreaking Chatbots through Role Play Prompts")
    assert other is not None and other.section.heading == "Jailbreak"


def test_a_heading_with_text_under_it_is_not_an_empty_topic():
    doc = parse_list(EMPTY_TOPIC_LIST.replace("<!-- papers on harmful fine-tuning go here -->",
                                              "Coming soon: our notes on fine-tuning."))
    assert "Fine-Tuning" not in [s.heading for s in classify.candidate_sections(doc)]


def test_the_default_section_takes_papers_nothing_matches(seed, seed_config):
    choice = choose_section(seed, "Xyzzy plugh", hints=seed_config.sections,
                            default_section=seed_config.default_section)
    assert choice is not None
    assert choice.section.heading == "LRM Safety Related"
    assert choice.confident is False and choice.score == 0.0


def test_no_paper_sections_means_no_choice():
    doc = parse_list("# Notes\n\nJust prose here, no list of papers.\n")
    assert choose_section(doc, "Any Title") is None


def test_confidence_follows_the_share(mllm):
    clear = choose_section(mllm, "Jailbreaking Multimodal Large Language Models with Adversarial "
                                 "Images via Visual Prompt Attacks")
    vague = choose_section(mllm, "Notes")
    assert clear is not None and vague is not None
    assert clear.confident == (clear.score >= CONFIDENT_SHARE)
    assert vague.confident is False


def test_the_model_is_built_once_per_text(mllm):
    first = section_model(mllm)
    assert section_model(mllm) is first
    changed = parse_list(mllm.text + "\n")
    assert section_model(changed) is not first


# --- match_section -------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "heading"), [
    ("LRM Safety Related", "LRM Safety Related"),
    ("lrm safety related", "LRM Safety Related"),
    ("Survey > LRM Related", "LRM Related"),
    ("survey/lrm related", "LRM Related"),
    ("📚 Survey", "üìö Survey"),
    ("Survey", "üìö Survey"),
    ("datasets", "For Advanced LRM"),  # an alias from the hints
    ("Dataset & Benchmark", "üîñ Dataset & Benchmark"),
    ("Dataset and Benchmark > For Advanced LRMs", "For Advanced LRM"),
    ("For Advanced LMR", "For Advanced LRM"),  # a near miss
    ("benchmarks", "For Advanced LRM"),  # an alias from the hints
    ("cooking recipes", None),
    ("", None),
])
def test_match_section(seed, seed_config, name, heading):
    found = match_section(seed, name, hints=seed_config.sections)
    assert (found.heading if found else None) == heading


def test_match_section_without_hints_finds_headings_by_their_words(seed):
    found = match_section(seed, "datasets")
    assert found is not None and found.heading == "üîñ Dataset & Benchmark"


@pytest.mark.parametrize(("name", "heading"), [
    ("jailbreak", "A1. Jailbreak"),
    ("A1. Jailbreak", "A1. Jailbreak"),
    ("Poison & Backdoor", "B3. Poison & Backdoor"),
    ("poison and backdoor", "B3. Poison & Backdoor"),
])
def test_match_section_ignores_outline_numbers(name, heading):
    doc = parse_list("# A. Safety\n## A1. Jailbreak\n- [x](https://arxiv.org/abs/2401.00001)\n"
                     "# B. Security\n## B3. Poison & Backdoor\n"
                     "- [y](https://arxiv.org/abs/2401.00002)\n")
    found = match_section(doc, name)
    assert found is not None and found.heading == heading


# --- relevance -----------------------------------------------------------------------------

def _dev_slice() -> list[dict]:
    lines = (FIXTURES / "relevance" / "dev_slice.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("paper", _dev_slice(), ids=lambda p: p["arxiv_id"])
def test_relevance_matches_the_hand_labels(seed, seed_config, paper):
    result = score_relevance(paper["title"], paper["summary"], [], latest=seed_config.latest,
                             doc=seed)
    assert result.relevant == (paper["label"] == "relevant")
    assert 0.0 <= result.score <= 1.0 and result.reasons


def test_relevance_reasons_name_what_matched(seed_config):
    result = score_relevance("Multi-lingual Multi-turn Automated Red Teaming for LLMs", "", [],
                             latest=seed_config.latest)
    assert result.relevant
    assert "matches `red teaming` in the title" in result.reasons
    off_topic = score_relevance("Safe Control of Quadrotors with Control Barrier Functions",
                                "We design a safety filter for quadrotor flight.", [],
                                latest=seed_config.latest)
    assert not off_topic.relevant
    assert any("excluded `quadrotor`" in r for r in off_topic.reasons)


@pytest.mark.parametrize(("title", "relevant"), [
    # The example config speaks its topic's words: attacks and safeguards of models and agents
    # (hand-written titles, not from the labelled feed).
    ("Hijacking GUI Agents through Pop-up Windows", True),
    ("Stealing System Prompts from Claude", True),
    ("Why Are Web Agents More Vulnerable?", True),
    ("Safeguarding Chain-of-Thought Against Leakage", True),
    ("Moral Judgements of Large Language Models", True),
    ("Vulnerabilities of LLM Routers", True),
    # ... and meets them inside names written as one word.
    ("AISafetyLab: A Toolkit for LLMs", True),
    ("SafeRLHF: Constrained Value Alignment", True),
    # ... and its `*` terms do not stand for shorter stems ("steal*" is not "ste*").
    ("Stepwise Steering of Large Language Models", False),
])
def test_the_example_config_knows_its_topic_words(seed_config, title, relevant):
    assert score_relevance(title, "", [], latest=seed_config.latest).relevant == relevant


def test_categories_lower_the_score_when_none_is_listed(seed_config):
    title = "Jailbreak Attacks on Large Language Models"
    listed = score_relevance(title, "", ["cs.CL"], latest=seed_config.latest)
    unlisted = score_relevance(title, "", ["physics.optics"], latest=seed_config.latest)
    assert listed.score > unlisted.score
    assert "category cs.CL is listed" in listed.reasons


def test_without_include_the_query_defines_the_topic():
    latest = LatestConfig(query='ti:jailbreak AND (abs:"language model" OR abs:LLM)',
                          min_relevance=0.2)
    assert score_relevance("Jailbreak prompts", "Attacks on an LLM.", [], latest=latest).relevant
    nothing = score_relevance("Graph colouring", "A theorem.", [], latest=latest)
    assert not nothing.relevant and nothing.reasons == (REASON_NOTHING,)


def test_exclusions_meet_hyphenated_compounds():
    latest = LatestConfig(include=("safety",), exclude=("selfdriving",))
    relevance = score_relevance("Safety of self-driving stacks", "", [], latest=latest)
    assert relevance.score == pytest.approx(0.5)
    assert "mentions excluded `selfdriving` in the title" in relevance.reasons


def test_exclusions_meet_the_parts_of_names_written_as_one_word():
    latest = LatestConfig(include=("safety",), exclude=("robot*", "traffic"))
    assert score_relevance("Safety of TrafficGPT", "", [], latest=latest).score == pytest.approx(0.5)
    relevance = score_relevance("Safety of RobotArm planners", "", [], latest=latest)
    assert relevance.score == pytest.approx(0.5)
    assert "mentions excluded `robot` in the title" in relevance.reasons


def test_unreadable_include_expressions_are_reported():
    _, problems = compile_rules(LatestConfig(include=("(safety AND LLM", "ok phrase")))
    assert problems == ("`latest.include[0]`: a `(` in the query is never closed",)


@pytest.mark.parametrize(("query", "title", "abstract", "expected"), [
    ("jailbreak", "Jailbreak prompts", "", 1.0),
    ("jailbreak*", "Jailbreaking LLMs", "", 1.0),
    ("ti:safety", "A study", "safety safety", 0.0),
    ("abs:safety", "A study", "safety", 0.25),
    ("safety AND LLM", "Safety of LLMs", "", 1.0),
    ("safety ANDNOT robot", "Safety of robots", "", 0.0),
    ('"red teaming" OR jailbreak', "Automated red teaming", "", 1.0),
    # A hyphenated compound meets the closed word, the split spelling still meets the phrase.
    ("jailbreak*", "Robot constitutions", "known vulnerabilities (e.g. jail-breaking)", 0.25),
    ("jailbreak*", "Jail-Breaking VLMs", "", 1.0),
    ("red teaming", "Red-teaming agents", "", 1.0),
    ("gpt4", "Probing GPT-4", "", 0.0),
    # A `*` term is a word start as written ("vulnerabilit*" stems to nothing shorter, while
    # "vulnerabilities" stems to "vulnerabil"); its stem is no wildcard of its own ("steal" ->
    # "ste" must not meet "steering", "ethic" -> "eth" not "ethnicity"); forms of the written
    # word still meet it, and a long stem still starts words.
    ("vulnerabilit*", "Life-cycle routing vulnerabilities of LLM routers", "", 1.0),
    ("vulnerabilit*", "A study", "a vulnerability", 0.25),
    ("steal*", "Self-Steering Language Models", "", 0.0),
    ("steal*", "Stealing prompts", "", 1.0),
    ("steal*", "A study", "to steer a robot", 0.0),
    ("ti:ethic*", "Race, Ethnicity, and Gender", "", 0.0),
    ("ti:ethic*", "The ethics of LLMs", "", 1.0),
    ("refusal*", "Models that refuse", "", 1.0),
    ("hallucination*", "Hackers or Hallucinators?", "", 1.0),
    # Names written as one word meet the rules in their parts: at a capital after a small letter,
    # at the last capital of an acronym before a word, at a digit after a letter; plurals of
    # acronyms stay whole, and the whole name still meets a rule that spells it.
    ("jailbreak", "JailbreakBench: open robustness tests", "", 1.0),
    ("safety AND LLM", "AISafetyLab for LLMs", "", 1.0),
    ("VLM", "VLMGuard against malicious prompts", "", 1.0),
    ("ti:safe AND RLHF", "SafeRLHF: constrained value learning", "", 1.0),
    ("Llama", "Probing Llama3 and Qwen2.5", "", 1.0),
    ("Qwen", "Probing Llama3 and Qwen2.5", "", 1.0),
    ("abs:safety", "A study", "we release LongSafety", 0.25),
    ("abs:jailbreak", "A study", "JailbreakBench and one jailbreak", 0.4375),
    ("LLM", "Evaluating LLMs", "", 1.0),
    ("JailbreakBench", "JailbreakBench: open robustness tests", "", 1.0),
    ("LLaMA", "Tuning LLaMA", "", 1.0),
])
def test_soft_query_evaluation(query, title, abstract, expected):
    paper = PaperText.of(title, abstract, None)
    assert evaluate(parse_query(query), paper) == pytest.approx(expected)


@pytest.mark.parametrize("query", ["(a OR b", "a OR", "foo:bar", "AND a", ""])
def test_bad_queries_raise_readable_errors(query):
    with pytest.raises(QueryError):
        parse_query(query)


# --- words ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "stemmed"), [
    ("jailbreaking", "jailbreak"), ("jailbreaks", "jailbreak"), ("evaluation", "evaluat"),
    ("evaluating", "evaluat"), ("medical", "medic"), ("medicine", "medic"), ("bias", "bias"),
    ("biases", "bias"), ("llms", "llm"), ("analysis", "analysis"),
])
def test_stems(word, stemmed):
    assert stem(word) == stemmed


def test_word_stems_drop_markup_and_stopwords():
    assert word_stems("[Jailbreaking LLMs](https://arxiv.org/abs/2401.1) via <b>GPT-4o</b>") \
        == ["jailbreak", "llm", "gpt", "4o"]


# --- the command line ----------------------------------------------------------------------

def test_classify_cli_answers_each_line(tmp_path):
    lines = [
        {"title": "Jailbreaking Multimodal Large Language Models with Adversarial Images"},
        {"title": "A Benchmark for Safety Evaluation of Vision-Language Models",
         "abstract": "", "categories": ["cs.CV"], "published": "2024-05-01"},
        {"abstract": "no title"},
    ]
    stdin = io.StringIO("\n".join(json.dumps(line) for line in lines) + "\nnot json\n")
    stdout = io.StringIO()
    readme = FIXTURES / "lists" / "isXinLiu__Awesome-MLLM-Safety.md"
    code = run_classify(readme, SEED_DIR / "paperbot.yml", stdin, stdout)
    answers = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert code == 1 and len(answers) == 4
    assert answers[0]["section"] == "Attack" and answers[0]["path"][-1] == "Attack"
    assert answers[0]["relevant"] is True and 0.0 <= answers[0]["relevance"] <= 1.0
    assert answers[0]["candidates"][0][0] == "Attack"
    assert answers[1]["section"] == "Evaluation"
    assert answers[2] == {"error": ERROR_NO_TITLE}
    assert "error" in answers[3]


def test_classify_cli_reports_a_missing_readme(tmp_path):
    code = run_classify(tmp_path / "missing.md", None, io.StringIO(""), io.StringIO())
    assert code == 2


def test_hints_with_unknown_sections_are_ignored(mllm):
    hints = (SectionHint("No Such Section", keywords=("jailbreak",)),)
    choice = choose_section(mllm, "Jailbreaking MLLMs with images", hints=hints)
    assert choice is not None and choice.section.heading == "Attack"


# ---------------------------------------------------------------- authors


def test_author_keys_from_the_ways_lists_write_authors():
    from bot.curation.authors import author_key, authors_in_entry

    assert author_key("Xinghao Chen") == author_key("X. Chen") == "x chen"
    assert author_key("Zoë Müller") == "z muller"
    assert author_key("MiniMax") == ""  # an organisation: one word
    two_line = ("- **Reasoning Beyond Language: A Survey on Latent Chain-of-Thought Reasoning**   /   "
                "*Xinghao Chen, Anhao Zhao, Heming Xia*")
    assert authors_in_entry(two_line) == {"x chen", "a zhao", "h xia"}
    numbered = ('7. RAGAS: **"RAGAS: Automated Evaluation of Retrieval Augmented Generation"**.\n\n'
                "    *Shahul Es et al.* arXiv 2023. [[Paper](https://arxiv.org/abs/2309.15217)]")
    assert authors_in_entry(numbered) == {"s es"}
    assert authors_in_entry("- **[A Title](https://arxiv.org/abs/2401.00001)** *arXiv 2024* _Benchmark_") == set()


AUTHORS_LIST = """# Reasoning papers

## Efficient Decoding

- **Faster Reasoning with Early Exit**   /   *Ada Lovelace, Alan Turing*
- **Early Exit Decoding for Reasoning Models**   /   *Grace Hopper, Alan Turing*

## Efficient Training

- **Faster Reasoning with Shorter Training**   /   *Edsger Dijkstra, Barbara Liskov*
- **Shorter Training Traces for Reasoning Models**   /   *Barbara Liskov, Alan Turing*
"""


def test_a_paper_by_authors_a_section_lists_leans_to_that_section():
    doc = parse_list(AUTHORS_LIST)
    title = "Faster Reasoning Models"  # as close to one section as to the other
    plain = choose_section(doc, title)
    by_liskov = choose_section(doc, title, authors=["B. Liskov", "Someone Else"])
    by_hopper = choose_section(doc, title, authors=["Grace Hopper"])
    assert plain is not None and by_liskov is not None and by_hopper is not None
    assert by_liskov.section.heading == "Efficient Training"
    assert by_hopper.section.heading == "Efficient Decoding"
    # Alan Turing is in both sections: he tells nothing
    by_turing = choose_section(doc, title, authors=["Alan Turing"])
    assert by_turing is not None and [s.heading for s, _ in by_turing.candidates] == \
        [s.heading for s, _ in plain.candidates]


def test_classify_reads_authors(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(AUTHORS_LIST)
    lines = [json.dumps({"title": "Faster Reasoning Models", "authors": ["Barbara Liskov"]}),
             json.dumps({"title": "Faster Reasoning Models", "authors": "Grace Hopper"})]
    out = io.StringIO()
    assert run_classify(readme, None, io.StringIO("\n".join(lines) + "\n"), out) == 0
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [a["section"] for a in answers] == ["Efficient Training", "Efficient Decoding"]
