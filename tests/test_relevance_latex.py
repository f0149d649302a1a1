"""LaTeX in arXiv titles and abstracts is read as it prints (bot.curation.latex), by the relevance
filter with a config and with none."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import LatestConfig, parse_config
from bot.curation.latex import latex_to_prose
from bot.curation.relevance import score_relevance
from bot.curation.textfeatures import words
from bot.lists.document import parse_list

SEED_DIR = Path(__file__).resolve().parent.parent / "examples" / "awesome-lrm-safety"
SMALL_LIST = """\
# Awesome LLM Safety

## Jailbreak
- [Jailbreaking Black Box Large Language Models in Twenty Queries](https://arxiv.org/abs/2310.08419)
- [Universal and Transferable Adversarial Attacks on Aligned Language Models](https://arxiv.org/abs/2307.15043)

## Backdoor
- [Sleeper Agents: Training Deceptive LLMs that Persist Through Safety Training](https://arxiv.org/abs/2401.05566)
"""


@pytest.fixture(scope="module")
def seed_latest():
    config, problems = parse_config((SEED_DIR / "paperbot.yml").read_text(encoding="utf-8"))
    assert problems == []
    return config.latest


@pytest.mark.parametrize(("latex", "prose_words"), [
    # Citation keys are neither names nor topic words.
    (r"moderation models \citep{helff2024llavaguard} and GPT-4o~\citep{hurst2024gpt}",
     ["moderation", "models", "gpt", "4o"]),
    (r"as shown in~\cite[Sec.~2]{smith2020safety,doe2021llm}.", ["shown"]),
    (r"see Table~\ref{tab:main} and \url{https://x.org}", ["see", "table"]),
    # Formatted text stays, joined to its neighbours as printed.
    (r"\textbf{L}ocate, \textbf{E}xtract, and \textbf{D}ye", ["locate", "extract", "dye"]),
    (r"\textbf{RE}\textbf{VAL} \emph{``blind faith''}", ["reval", "blind", "faith"]),
    (r"{\em nested} \textbf{\textit{jail-breaking}}", ["nested", "jail", "breaking"]),
    (r"PM\textsuperscript{4}Bench", ["pm4bench"]),
    (r"\href{https://github.com/x}{our code}", ["code"]),
    # Command names go; the letters and digits of math stay.
    (r"a drop of $60\%$ (\eg on $\text{LapEigvals}$, $\pi_{n-1}$, $\mu$)",
     ["drop", "60", "lapeigvals", "1"]),
    (r"G\"{o}del and \'ecole", ["godel", "ecole"]),
    (r"red$\unicode{x2013}$teaming", ["red", "teaming"]),
])
def test_latex_reads_as_it_prints(latex, prose_words):
    assert words(latex_to_prose(latex)) == prose_words


@pytest.mark.parametrize("text", [
    "Jailbreaking LLMs costs $5 per attack, e.g. with GPT-4o, or $10 for ten.",
    "A plain abstract: no markup at all.",
])
def test_text_without_latex_keeps_its_words(text):
    assert words(latex_to_prose(text)) == words(text)
    assert latex_to_prose("A plain abstract.") == "A plain abstract."


def test_a_citation_key_is_not_evidence_for_a_config_rule(seed_latest):
    # `harmful AND GPT*`: the only GPT here is in a citation key.
    title = "Robust image content moderation"
    abstract = (r"We filter harmful images better than prior moderators \citep{hurst2024gpt} "
                r"and~\citet{openai2023gpt4}.")
    relevance = score_relevance(title, abstract, [], latest=seed_latest)
    assert not any("GPT" in reason for reason in relevance.reasons), relevance.reasons
    assert relevance.score == score_relevance(
        title, "We filter harmful images better than prior moderators.", [],
        latest=seed_latest).score


def test_a_word_split_by_a_command_meets_its_rule():
    latest = LatestConfig(include=("jailbreak*",))
    relevance = score_relevance("Attacks on chat models", r"\textbf{J}ailbreak prompts work.", [],
                                latest=latest)
    assert relevance.score > 0
    assert "matches `jailbreak` in the abstract" in relevance.reasons


@pytest.mark.parametrize("latest", [LatestConfig(), LatestConfig(include=("jailbreak*",))],
                         ids=["no config", "config"])
def test_latex_and_its_prose_score_alike(latest):
    doc = parse_list(SMALL_LIST)
    title = r"Jailbreaking $\mathsf{LLMs}$ via \textit{many-shot} prompts"
    latex = (r"\textbf{M}any-shot prompts \citep{anil2024many} jailbreak aligned LLMs~\cite{zou2023gcg} "
             r"and bypass their safety training in $85\%$ of cases (\eg \textsc{Llama}).")
    prose = ("Many-shot prompts jailbreak aligned LLMs and bypass their safety training in 85% "
             "of cases ( Llama).")
    with_latex = score_relevance(title, latex, [], latest=latest, doc=doc)
    plain = score_relevance("Jailbreaking LLMs via many-shot prompts", prose, [], latest=latest, doc=doc)
    assert with_latex.score == plain.score
    assert with_latex.reasons == plain.reasons


def test_section_choice_reads_latex_as_it_prints():
    from bot.curation.sections import choose_section

    doc = parse_list(SMALL_LIST)
    plain = choose_section(doc, "Planting Backdoors in Language Models",
                           "We plant a sleeper backdoor that persists through safety training.")
    latex = choose_section(doc, r"Planting \textbf{B}ackdoors in Language Models",
                           r"We plant a sleeper \emph{backdoor} that persists through safety training~\citep{jailbreak2023}.")
    assert plain is not None and latex is not None
    assert latex.section.heading == plain.section.heading == "Backdoor"
    assert latex.candidates == plain.candidates
