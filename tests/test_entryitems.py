"""List-item entries written like their siblings (issue #14): names set apart from the title, authors
in the forms lists write them, venues after "in", code links, arXiv DOIs, continuation indents.
Synthetic entries modelled on real lists (named in each case); no shared data is read."""

from __future__ import annotations

from datetime import date

import pytest

from bot.lists.document import parse_list
from bot.lists.entries.format import EntryFormat, learn_format
from bot.lists.entries.pieces import arxiv_url_form
from bot.lists.entries.shape import core_shape
from bot.lists.entries.template import induce
from bot.lists.render import render_entry
from bot.lists.to_fill import fields_to_fill
from bot.papers.references import Paper

NO_CODE = "We study how models fail."
WITH_CODE = "We study how models fail. Code: https://github.com/ann/tool."


def _paper(title: str, abstract: str = NO_CODE, authors: tuple[str, ...] = ("Ann Lee", "Bo Wu"),
           journal_ref: str = "") -> Paper:
    day = date(2025, 1, 5)
    return Paper("2501.00001", 1, title, authors, abstract, day, day, journal_ref=journal_ref)


def _section_format(body: str) -> EntryFormat:
    return learn_format(parse_list("## Papers\n\n" + body).sections[0])


# ---------------------------------------------------------------- templates of single entries

TEMPLATES = [
    pytest.param(  # codefuse-ai: a bold name, then the quoted title that starts with it
        '1. **BLOOM**: "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model" [2022-11] '
        "[[paper](https://arxiv.org/abs/2211.05100)]",
        "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model",
        ['⟦number⟧. **⟦short:text⟧**: "⟦title:text⟧" [⟦date:YYYY-MM⟧] [[paper](⟦url⟧)]'], id="bold-name-quoted-title",
    ),
    pytest.param(  # codefuse-ai: a tag in bold brackets only the maintainer can give (a language)
        '- [**Verilog**] "RTLFixer: Automatically Fixing RTL Syntax Errors" [2023-11] '
        "[[paper](https://arxiv.org/abs/2311.16543)]",
        "RTLFixer: Automatically Fixing RTL Syntax Errors",
        ['- [**⟦unknown⟧**] "⟦title:text⟧" [⟦date:YYYY-MM⟧] [[paper](⟦url⟧)]'], id="tag-to-fill-in",
    ),
    pytest.param(  # qingsongedu: "in *Venue* year", escaped brackets, an "official code" link
        "* Transformers in Time Series: A Survey, in *IJCAI* 2023. [\\[paper\\]](https://arxiv.org/abs/2202.07125) "
        "[\\[official code\\]](https://github.com/q/time-series-review)",
        "Transformers in Time Series: A Survey",
        ["* ⟦title:text⟧, in *⟦venue:text⟧* ⟦date:YYYY⟧. [\\[paper\\]](⟦url⟧) ⟦codelink:\\[official code\\]⟧"],
        id="venue-after-in-and-code-link",
    ),
    pytest.param(  # WooooDyy: authors and venue inside one emphasis
        "- [2023/10] **Towards Embodied Decision Making** *Liang Chen et al. arXiv.* "
        "[[paper](https://arxiv.org/abs/2310.02071)] [[code](https://github.com/p/pca-eval)]",
        "Towards Embodied Decision Making",
        ["- [⟦date:YYYY/MM⟧] **⟦title:text⟧** *⟦authors:text⟧ ⟦venue:text⟧.* [[paper](⟦url⟧)] [⟦codelink:code⟧]"],
        id="italic-authors-then-venue",
    ),
    pytest.param(  # WooooDyy: an affiliation in parentheses does not hide the names
        "- [2023/09] **Empowering Private Tutoring** *Yulin Chen (Tsinghua University) et al. arXiv.* "
        "[[paper](https://arxiv.org/abs/2309.08112)]",
        "Empowering Private Tutoring",
        ["- [⟦date:YYYY/MM⟧] **⟦title:text⟧** *⟦authors:text⟧ ⟦venue:text⟧.* [[paper](⟦url⟧)]"],
        id="italic-authors-with-affiliation",
    ),
    pytest.param(  # thunlp: the period after the names is the section's own
        "1. **Spectral Networks on Graphs.** ICLR 2014. [paper](https://arxiv.org/pdf/1312.6203.pdf)\n\n"
        "    *Joan Bruna, Wojciech Zaremba, Yann LeCun.*",
        "Spectral Networks on Graphs",
        ["⟦number⟧. **⟦title:text⟧.** ⟦venue:text⟧ ⟦date:YYYY⟧. [paper](⟦url⟧)", "", "    *⟦authors:text⟧.*"],
        id="period-after-italic-authors",
    ),
    pytest.param(  # yucheol-choi: plain names after the linked title
        "+ [Quantum Arithmetic Algorithms](https://arxiv.org/abs/2509.07015) Dmytro Fedoriaka et al. (2025)",
        "Quantum Arithmetic Algorithms",
        ["+ [⟦title:link⟧](⟦url⟧) ⟦authors:text⟧ (⟦date:YYYY⟧)"], id="plain-authors-after-link",
    ),
    pytest.param(  # AlonzoLeeeooo: the title's name emphasised apart from the rest, after a venue tag
        "- [ICCV 2021] ***WebVid-10M:*** Frozen in Time: A Joint Video and Image Encoder "
        "[[Paper]](https://arxiv.org/pdf/2104.00650.pdf) [[Code]](https://github.com/m-bain/webvid)",
        "WebVid-10M: Frozen in Time: A Joint Video and Image Encoder",
        ["- [⟦venue:text⟧ ⟦date:YYYY⟧] ***⟦head:text⟧:*** ⟦tail:text⟧ [[Paper]](⟦url⟧) ⟦codelink:[Code]⟧"],
        id="emphasised-name-then-rest",
    ),
]


@pytest.mark.parametrize(("text", "title", "expected"), TEMPLATES)
def test_list_item_template(text: str, title: str, expected: list[str]) -> None:
    induced = induce(text, "list_item", title)
    assert induced is not None and induced.lines == expected


def test_arxiv_doi_is_an_arxiv_link_form() -> None:  # hymie122: `https://doi.org/10.48550/arXiv.2309.08051`
    assert arxiv_url_form("https://doi.org/10.48550/arXiv.2309.08051") == "https://doi.org/10.48550/arXiv.{id}"


@pytest.mark.parametrize(("entry", "title"), [
    # codefuse-ai: a language tag in bold brackets, then the quoted title
    ('- [**Verilog**] "RTLFixer: Automatically Fixing RTL Syntax Errors" [2023-11] '
     "[[paper](https://arxiv.org/abs/2311.16543)]", "RTLFixer: Automatically Fixing RTL Syntax Errors"),
    ('1. **HARE**: "HARE: Human Priors, a Key to Small Language Model Efficiency" [2024-06] '
     "[[paper](https://arxiv.org/abs/2406.11410)]", "HARE: Human Priors, a Key to Small Language Model Efficiency"),
    # qingsongedu: venue and year after the title; a "GitHub Repo" link is no title
    ("* What Can Large Language Models Tell Us about Time Series Analysis, in *arXiv* 2024. "
     "[\\[paper\\]](https://arxiv.org/abs/2402.02713)", "What Can Large Language Models Tell Us about Time Series Analysis"),
    ("* Transformers in Time Series: A Survey [\\[paper\\]](https://arxiv.org/abs/2202.07125) "
     "[\\[GitHub Repo\\]](https://github.com/q/review)", "Transformers in Time Series: A Survey"),
    # AlonzoLeeeooo: a venue tag before the emphasised name
    ("- [arXiv 2024] ***VidProM:*** A Million-scale Real Prompt-Gallery Dataset "
     "[[Paper]](https://arxiv.org/pdf/2403.06098.pdf)", "VidProM: A Million-scale Real Prompt-Gallery Dataset"),
    # MedLLMsPracticalGuide: a bold venue-and-year tag is no title; the bold name's colon after the bold
    ("* [**Arxiv, 2023**] **OphGLM**: Training an Ophthalmology Assistant based on Instructions. "
     "[paper](https://arxiv.org/abs/2306.12174)", "OphGLM: Training an Ophthalmology Assistant based on Instructions"),
    ("* [**Cancer Inform, 2023**] Designing a Diagnostic System for Metastatic Breast Cancer. "
     "[paper](https://arxiv.org/abs/2308.02597)", "Designing a Diagnostic System for Metastatic Breast Cancer"),
    ("* **MedInstruct-52**: Instruction-tuned Large Language Models for Medical Application. 2023. "
     "[paper](https://arxiv.org/abs/2310.14558)",
     "MedInstruct-52: Instruction-tuned Large Language Models for Medical Application"),
])
def test_title_read_past_labels_and_venues(entry: str, title: str) -> None:
    assert parse_list("## Papers\n\n" + entry + "\n").sections[0].entries[0].title == title


# ---------------------------------------------------------------- whole sections, written

BLOOM = ('1. **BLOOM**: "BLOOM: A 176B-Parameter Open-Access Multilingual Language Model" [2022-11] '
         "[[paper](https://arxiv.org/abs/2211.05100)]\n"
         '2. "Large Language Models Meet NL2Code: A Survey" [2022-12] [[paper](https://arxiv.org/abs/2212.09420)]\n'
         '3. **HARE**: "HARE: Human Priors, a Key to Small Language Model Efficiency" [2024-06] '
         "[[paper](https://arxiv.org/abs/2406.11410)]\n")


@pytest.mark.parametrize(("title", "expected"), [
    ("Orca: Progressive Learning from Traces", '4. **Orca**: "Orca: Progressive Learning from Traces" [2025-01] '
     "[[paper](https://arxiv.org/abs/2501.00001)]"),
    ("Scaling Laws for Code Models", '4. "Scaling Laws for Code Models" [2025-01] '
     "[[paper](https://arxiv.org/abs/2501.00001)]"),  # no name: no empty `****: ` in front
])
def test_bold_name_written_only_when_the_title_has_one(title: str, expected: str) -> None:
    assert render_entry(_section_format(BLOOM), _paper(title)) == expected


ALONZO = ("- ***ByTheWay:*** Boost Your Text-to-Video Generation Model [[Paper]](https://arxiv.org/pdf/2410.06241) "
          "[[Code]](https://github.com/b/bytheway)\n"
          "- ***PhyT2V:*** LLM-Guided Iterative Self-Refinement [[Paper]](https://arxiv.org/pdf/2412.00596)\n"
          "- Stable Video Infinity with Error Recycling [[Paper]](https://arxiv.org/pdf/2510.09212)\n")


def test_emphasised_name_and_code_link_written_like_the_siblings() -> None:
    fmt = _section_format(ALONZO)
    assert render_entry(fmt, _paper("MikuDance: Animating *Character* Art", WITH_CODE)) == (
        "- ***MikuDance:*** Animating \\*Character\\* Art [[Paper]](https://arxiv.org/pdf/2501.00001) "
        "[[Code]](https://github.com/ann/tool)")
    # no name to set apart and no code: the whole title, no link to nothing
    assert render_entry(fmt, _paper("A Plain Title Without a Name")) == (
        "- A Plain Title Without a Name [[Paper]](https://arxiv.org/pdf/2501.00001)")


WOODY = ("- [2023/10] **Towards Embodied Decision Making** *Liang Chen et al. arXiv.* "
         "[[paper](https://arxiv.org/abs/2310.02071)] [[code](https://github.com/p/pca-eval)]\n"
         "- [2023/09] **Empowering Private Tutoring** *Yulin Chen (Tsinghua University) et al. arXiv.* "
         "[[paper](https://arxiv.org/abs/2309.08112)]\n")


def test_venue_beside_the_date_only_for_a_published_paper() -> None:
    # codefuse-ai: `[ACL 2025]` after the date in some entries, never `[arXiv 2025]`
    fmt = _section_format(
        '- "LogicPro: Improving Complex Logical Reasoning" [2024-09] [ACL 2025] [[paper](https://arxiv.org/abs/2409.12929)]\n'
        '- "Large Language Models Meet Code: A Survey" [2022-12] [[paper](https://arxiv.org/abs/2212.09420)]\n'
        '- "SURGE: On the Potential of Code Models" [2025-02] [EMNLP 2025] [[paper](https://arxiv.org/abs/2502.11167)]\n'
        '- "Another Survey of Code" [2022-12] [[paper](https://arxiv.org/abs/2212.09421)]\n')
    assert render_entry(fmt, _paper("Code Agents", journal_ref="ACL 2025")) == (
        '- "Code Agents" [2025-01] [ACL 2025] [[paper](https://arxiv.org/abs/2501.00001)]')
    assert render_entry(fmt, _paper("Code Agents")) == (
        '- "Code Agents" [2025-01] [[paper](https://arxiv.org/abs/2501.00001)]')


def test_tag_written_as_the_placeholder_and_listed_to_fill_in() -> None:
    body = ('- [**Hansl**] "The Potential of LLMs for Coding with Low-Resource Languages" [2023-07] '
            "[[paper](https://arxiv.org/abs/2307.13018)]\n"
            '- [**Verilog**] "RTLFixer: Automatically Fixing RTL Syntax Errors" [2023-11] '
            "[[paper](https://arxiv.org/abs/2311.16543)]\n")
    written = render_entry(_section_format(body), _paper("Coding Agents for Fortran"))
    assert written == ('- [***(to fill in)***] "Coding Agents for Fortran" [2025-01] '
                       "[[paper](https://arxiv.org/abs/2501.00001)]")
    assert fields_to_fill("## Papers\n\n" + body + written + "\n", ["2501.00001"]) == {"2501.00001": ["line 1"]}


def test_authors_and_venue_in_one_emphasis_and_code_only_when_known() -> None:
    fmt = _section_format(WOODY)
    assert render_entry(fmt, _paper("Agents Calling Tools")) == (
        "- [2025/01] **Agents Calling Tools** *Ann Lee et al. arXiv.* [[paper](https://arxiv.org/abs/2501.00001)]")
    assert render_entry(fmt, _paper("Agents Calling Tools", WITH_CODE)).endswith(
        "[[paper](https://arxiv.org/abs/2501.00001)] [[code](https://github.com/ann/tool)]")


def test_venue_after_in_is_the_papers_venue() -> None:
    fmt = _section_format(
        "* Transformers in Time Series: A Survey, in *IJCAI* 2023. [\\[paper\\]](https://arxiv.org/abs/2202.07125)\n"
        "* What Can Language Models Tell Us, in *arXiv* 2024. [\\[paper\\]](https://arxiv.org/abs/2402.02713)\n")
    paper = _paper("Forecasting with Language Models")
    assert render_entry(fmt, paper) == ("* Forecasting with Language Models, in *arXiv* 2025. "
                                        "[\\[paper\\]](https://arxiv.org/abs/2501.00001)")


def test_a_paper_link_left_empty_still_shows_where_the_link_goes() -> None:
    # qingsongedu: `[\[paper\]]()` in a sibling is still the section's paper link
    fmt = _section_format("* Dynamic Multi-Network Mining of Tensor Time Series [\\[paper\\]]()\n")
    assert render_entry(fmt, _paper("Forecasting with Language Models")) == (
        "* Forecasting with Language Models [\\[paper\\]](https://arxiv.org/abs/2501.00001)")


def test_continuation_indent_follows_most_siblings() -> None:
    # thunlp: names under the title indented by four spaces in most entries, a tab in the nearest one
    entries = [f"1. **Graph Paper Number {k}.** NeurIPS 2019. [paper](https://arxiv.org/pdf/1901.0000{k}.pdf)\n\n"
               f"{indent}*Ann Lee, Bo Wu.*\n" for k, indent in enumerate(["    ", "    ", "    ", "\t"])]
    fmt = _section_format("\n".join(entries))
    assert fmt.lines[-1] == "    *⟦authors:text⟧.*"


@pytest.mark.parametrize("line", [
    "* Title [\\[paper\\]](https://arxiv.org/abs/2202.07125) [\\[official code\\]](https://github.com/a/b)",
    "- Title [[Paper]](https://arxiv.org/abs/2202.07125) [[Code]](https://github.com/a/b)",
])
def test_code_links_in_escaped_or_doubled_brackets_are_side_links(line: str) -> None:
    without = line[: line.rindex(" [")]
    assert core_shape(line) == core_shape(without)


MEDLLMS = ("* [**Arxiv, 2023**] **OphGLM**: Training an Ophthalmology Assistant. [paper](https://arxiv.org/abs/2306.12174)\n"
           "* [**Arxiv, 2023**] Towards generalist foundation model for radiology. "
           "[paper](https://arxiv.org/abs/2308.02463)\n"
           "* [**Arxiv, 2023**] **AlpaCare**: Instruction-tuned Models. [paper](https://arxiv.org/abs/2310.14558)\n")


def test_bold_name_after_a_venue_tag_is_the_titles_head() -> None:
    # MedLLMsPracticalGuide: `[**Arxiv, 2023**] **Name**: rest.` — the tag stays the tag, the name is bold
    fmt = _section_format(MEDLLMS)
    assert render_entry(fmt, _paper("Orca: Progressive Learning from Traces")) == (
        "* [**Arxiv, 2025**] **Orca**: Progressive Learning from Traces. [paper](https://arxiv.org/abs/2501.00001)")
    assert render_entry(fmt, _paper("Scaling Laws for Medical Models")) == (
        "* [**Arxiv, 2025**] Scaling Laws for Medical Models. [paper](https://arxiv.org/abs/2501.00001)")


# opendilab awesome-RLHF: labelled lines under the linked title; `Code:` only where the paper has code
RLHF = ("- [DPO Meets PPO: Reinforced Token Optimization for RLHF](https://arxiv.org/abs/2404.18922)\n"
        "  - Han Zhong, Zikang Shan, Guhao Feng\n"
        "  - Keyword: Token-wise Reward, DPO, PPO, RLHF\n"
        "  - Code: [Official](https://github.com/zkshan2002/RTO)\n"
        "- [Learning Reward and Policy Jointly from Demonstration](https://arxiv.org/abs/2406.06874)\n"
        "  - Chenliang Li, Siliang Zeng, Zeyi Liao\n"
        "  - Keyword: Joint Reward and Policy, Efficiency, Framework\n"
        "- [ALaRM: Align Language Models via Hierarchical Rewards Modeling](https://arxiv.org/abs/2403.06754)\n"
        "  - Yuhang Lai, Siyuan Wang, Shujun Liu\n"
        "  - Keyword:  Hierarchical Reward, Open Text Generation Tasks\n"
        "  - Code: [Official](https://github.com/halfrot/ALaRM)\n")


def test_labelled_lines_keep_their_label_and_code_line_only_with_code() -> None:
    fmt = _section_format(RLHF)
    head = "- [Reward Models Fail](https://arxiv.org/abs/2501.00001)\n  - Ann Lee, Bo Wu\n"
    assert render_entry(fmt, _paper("Reward Models Fail")) == head + "  - Keyword: *(to fill in)*"
    assert render_entry(fmt, _paper("Reward Models Fail", WITH_CODE)) == (
        head + "  - Keyword: *(to fill in)*\n  - Code: [Official](https://github.com/ann/tool)")
    written = render_entry(fmt, _paper("Reward Models Fail"))
    assert fields_to_fill("## Papers\n\n" + RLHF + written + "\n", ["2501.00001"]) == {"2501.00001": ["Keyword"]}


def test_a_labelled_value_is_no_author_list() -> None:
    # opendilab: `Keyword: Hierarchical Reward, Open Text Generation Tasks` reads like names, is not
    induced = induce(RLHF.split("\n- ")[0], "list_item", "DPO Meets PPO: Reinforced Token Optimization for RLHF")
    assert induced is not None and induced.lines[1:] == [
        "  - ⟦authors:text⟧", "  - Keyword: ⟦unknown⟧", "  - Code: ⟦codelink:Official⟧"]
    assert induced.authors == ["Han Zhong, Zikang Shan, Guhao Feng"]


def test_the_measure_compares_a_code_line_only_when_the_code_is_known() -> None:
    """`benchmarks/format_fields.py`: a line that only links code (opendilab's `  - Code: [official](url)`)
    is what an inline `[code](url)` is: left out of both entries unless the metadata carries the link."""
    from benchmarks.format_fields import compare
    original = RLHF.split("\n- ")[0]
    written = original.rsplit("\n", 1)[0].replace("Token-wise Reward, DPO, PPO, RLHF", "*(to fill in)*")
    assert all(compare(original, written, "DPO Meets PPO").values())
    assert not compare(original, written, "DPO Meets PPO", code_known=True)["columns"]
    assert not compare(original + "\n  - Dataset: [BBQ](https://github.com/nyu-mll/BBQ)", written,
                       "DPO Meets PPO")["columns"]  # any other labelled line still counts


# tjunlp-lab LLMs-Evaluation: a name before every title, also where the title gives none
TRUTHFULNESS = ('1. NewsQA: "**NewsQA: A Machine Comprehension Dataset**".\n'
                '2. SQuAD 2.0: "**Know What You Don\'t Know: Unanswerable Questions for SQuAD**".\n'
                '3. SelfAware: "**Do Large Language Models Know What They Don’t Know?**".\n'
                '4. HalluQA: "**Evaluating Hallucinations in Chinese Large Language Models**".\n'
                '5. TruthfulQA: "**TruthfulQA: Measuring How Models Mimic Human Falsehoods**".\n')


def test_a_name_every_sibling_shows_is_a_field_to_fill() -> None:
    links = TRUTHFULNESS.replace('**".', '**". [[Paper](https://arxiv.org/abs/2310.03368)]')
    fmt = _section_format(links)
    assert render_entry(fmt, _paper("Orca: Progressive Learning from Traces")).startswith(
        '6. Orca: "**Orca: Progressive Learning from Traces**".')
    assert render_entry(fmt, _paper("Scaling Laws for Truthful Models")).startswith(
        '6. *(to fill in)*: "**Scaling Laws for Truthful Models**".')
