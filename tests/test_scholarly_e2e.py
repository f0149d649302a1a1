"""`/add` beyond arXiv, end to end: DOIs, ACL Anthology and OpenReview links through the real app, the
fake GitHub, the fake arXiv and the fake scholarly sources serving recorded bodies."""

from __future__ import annotations

import pytest

from bot.github.pull_state import decode_state
from bot.jobs.replies import ADDITIONS_BRANCH
from bot.papers.scholarly import SOURCE_DOWN
from tests.fakes.scholarly import ACL_PAGES_PRESENT

REPO = "octo-org/awesome-llm-tools"
LIST = """# Awesome LLM Tools

## Agents

- [arXiv 2023] [Augmenting large language models with chemistry tools](https://arxiv.org/abs/2304.05376)
- [arXiv 2023] [Toolformer: Language Models Can Teach Themselves to Use Tools](https://arxiv.org/abs/2302.04761)

## Prompting

| Title | Venue | Authors |
| --- | --- | --- |
| [The Power of Scale for Parameter-Efficient Prompt Tuning](https://aclanthology.org/2021.emnlp-main.243/) | EMNLP 2021 | Brian Lester, Rami Al-Rfou, Noah Constant |
| [Prefix-Tuning: Optimizing Continuous Prompts for Generation](https://aclanthology.org/2021.acl-long.353/) | ACL 2021 | Xiang Lisa Li, Percy Liang |

## Fine-tuning

- **Scaling Instruction-Finetuned Language Models**, *ICLR 2023*. [[paper]](https://openreview.net/forum?id=ea4Ww6sQDxX)
  - Hyung Won Chung, Le Hou, Shayne Longpre
- **An Image is Worth 16x16 Words**, *ICLR 2021*. [[paper]](https://openreview.net/pdf?id=YicbFdNTTy)
  - Alexey Dosovitskiy, Lucas Beyer

## Networking

- [Fairness Testing: Testing Software for Discrimination](https://doi.org/10.1145/3106237.3106277) (2017)
- [Growth hormone secretagogue increases muscle strength](https://doi.org/10.1002/jor.1100150407) (1997)
"""


@pytest.fixture
def repo(fake_github):
    fake_github.add_repo(REPO, {"README.md": LIST}, collaborators={"maint": "admin"})
    return REPO


def section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n")[1].split("\n## ")[0]


def line_of(fragment: str) -> int:
    return next(n for n, line in enumerate(LIST.split("\n"), 1) if fragment in line)


def added_lines(text: str) -> list[str]:
    before = set(LIST.split("\n"))
    return [line for line in text.split("\n") if line not in before]


@pytest.mark.skipif(not ACL_PAGES_PRESENT, reason="the recorded ACL Anthology page is read from ../shared")
async def test_add_an_acl_anthology_link_writes_an_acl_entry_with_its_venue(bot, repo, fake_github, fake_scholarly):
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add https://aclanthology.org/2021.naacl-main.208/ to Prompting", user="maint")

    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert added_lines(readme) == [
        "| [How many data points is a prompt worth?](https://aclanthology.org/2021.naacl-main.208/) | NAACL 2021 "
        "| Teven Le Scao, Alexander M. Rush |"]
    assert "2021.naacl-main.208" in section(readme, "Prompting")
    # The Anthology page gave the DOI; Semantic Scholar was asked for its other ids (it has none here).
    assert [c.path for c in fake_scholarly.calls_to("s2")] == ["/s2/graph/v1/paper/DOI:10.18653/v1/2021.naacl-main.208"]
    pull = fake_github.pulls(REPO)[0]
    assert [p["id"] for p in decode_state(pull.body)["papers"]] == ["acl:2021.naacl-main.208"]
    assert "added to «Prompting»" in bot.replies(REPO, issue)[0]


async def test_add_an_openreview_link_writes_an_openreview_entry(bot, repo, fake_github, fake_scholarly):
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add https://openreview.net/pdf?id=nZeVKeeFYf9 to Fine-tuning", user="maint")

    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert added_lines(readme) == [
        "- **LoRA: Low-Rank Adaptation of Large Language Models**, *ICLR 2022*. "
        "[[paper]](https://openreview.net/forum?id=nZeVKeeFYf9)",
        "  - Edward J Hu, Yelong Shen, Phillip Wallis, Zeyuan Allen-Zhu, Yuanzhi Li, Shean Wang, Lu Wang, Weizhu Chen"]
    assert fake_scholarly.calls_to("openreview")[0].query == {"id": "nZeVKeeFYf9"}


async def test_add_a_doi_writes_a_doi_entry_with_title_and_year(bot, repo, fake_github, fake_scholarly):
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add doi:10.1109/ICDCSW.2003.1203662 to Networking", user="maint")

    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert added_lines(readme) == [
        "- [Accurate and explicit differentiation of wireless and congestion losses]"
        "(https://doi.org/10.1109/icdcsw.2003.1203662) (2004)"]
    crossref = fake_scholarly.calls_to("crossref")
    assert crossref[0].path == "/crossref/works/10.1109/icdcsw.2003.1203662"


async def test_contact_email_goes_to_the_polite_pool(aiohttp_client, fake_github, fake_arxiv, fake_scholarly,
                                                     github_app_key, github_app_id, repo):
    from tests.harness import make_harness
    bot = await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id,
                             scholarly_min_interval=0.0, contact_email="lists@example.org",
                             **fake_scholarly.settings())
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add https://doi.org/10.1109/icdcsw.2003.1203662 to Networking", user="maint")
    call = fake_scholarly.calls_to("crossref")[0]
    assert call.query == {"mailto": "lists@example.org"}
    assert "mailto:lists@example.org" in call.headers["User-Agent"]


async def test_a_doi_whose_arxiv_version_is_listed_is_already_listed(bot, repo, fake_github, fake_scholarly):
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add https://doi.org/10.1038/s42256-024-00832-8", user="maint")

    assert fake_github.pulls(REPO) == []
    reply = bot.replies(REPO, issue)[0]
    assert f"already listed at [line {line_of('2304.05376')}]" in reply  # the arXiv entry, found through Semantic Scholar's ArXiv id
    assert [c.path for c in fake_scholarly.calls_to("s2")] == ["/s2/graph/v1/paper/DOI:10.1038/s42256-024-00832-8"]


async def test_an_arxiv_paper_whose_doi_is_listed_is_already_listed(bot, repo, fake_github, fake_scholarly):
    issue = fake_github.add_issue(REPO, "Please add")
    # arXiv's own record of 1709.03221 carries the DOI the list links.
    await bot.comment(REPO, issue, "/add arXiv:1709.03221", user="maint")

    assert fake_github.pulls(REPO) == []
    assert f"already listed at [line {line_of('10.1145/3106237.3106277')}]" in bot.replies(REPO, issue)[0]
    assert fake_scholarly.calls == []


async def test_an_unknown_doi_is_not_found_and_nothing_is_added(bot, repo, fake_github, fake_scholarly):
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add 10.1371/notarealdoi", user="maint")

    assert fake_github.pulls(REPO) == []
    assert "not found on Crossref or OpenAlex" in bot.replies(REPO, issue)[0]
    assert [c.source for c in fake_scholarly.calls] == ["crossref", "openalex"]


async def test_a_source_that_fails_degrades_to_a_reply_line_and_the_other_refs_go_on(
        bot, repo, fake_github, fake_scholarly):
    fake_scholarly.fail_next("crossref", 503)
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add 10.1109/icdcsw.2003.1203662 https://openreview.net/forum?id=nZeVKeeFYf9 "
                                   "to Fine-tuning", user="maint")

    reply = bot.replies(REPO, issue)[0]
    assert SOURCE_DOWN.format(source="Crossref") in reply
    readme = fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)
    assert "LoRA" in readme and "wireless" not in readme


async def test_a_source_that_hangs_times_out_into_a_reply_line(
        aiohttp_client, fake_github, fake_arxiv, fake_scholarly, github_app_key, github_app_id, repo):
    from tests.harness import make_harness
    bot = await make_harness(aiohttp_client, fake_github, fake_arxiv, github_app_key, github_app_id,
                             scholarly_min_interval=0.0, scholarly_timeout=0.5, **fake_scholarly.settings())
    fake_scholarly.fail_next("acl", "timeout")
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add 2021.naacl-main.208", user="maint")
    assert SOURCE_DOWN.format(source="ACL Anthology") in bot.replies(REPO, issue)[0]
    assert fake_github.pulls(REPO) == []
