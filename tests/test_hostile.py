"""Hostile comments and hostile metadata: polite limits, and a list whose structure never breaks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import cmarkgfm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.jobs.replies import ADDITIONS_BRANCH
from bot.lists.document import insert_entries, parse_list
from bot.papers.references import Paper
from tests.test_add_e2e import LIST, REPO, seed_papers

LISTS = Path(__file__).parent / "fixtures" / "lists"
HOSTILE_PIECES = ["|", "](", "[", "]", "`", "``", "*", "_", "<", ">", "<!--", "-->", "\n", "\r\n", "#", "## ",
                  "<script>", "<img src=x onerror=alert(1)>", "<details>", "</details>", "&amp;",
                  "<!-- LATEST_PAPERS_START -->", "<!-- LATEST_PAPERS_END -->", "\\", "$x$", "\u202e", "\u200b",
                  "https://evil.example/", "javascript:alert(1)", "---", "| --- |", "<br>", "\t"]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(min_size=1, max_size=8)),
                        min_size=1, max_size=12).map("".join)


def structure(text: str) -> tuple:
    doc = parse_list(text)
    headings = [s.path for s in doc.sections]
    markers = (text.count("<!-- LATEST_PAPERS_START -->"), text.count("<!-- LATEST_PAPERS_END -->"))
    return headings, markers


def table_widths(text: str) -> set[int]:
    widths = set()
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            widths.add(len(re.split(r"(?<!\\)\|", line.strip().strip("|"))))
    return widths


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text, author=hostile_text, abstract=hostile_text,
       name=st.sampled_from(["isXinLiu__Awesome-MLLM-Safety.md", "hijkzzz__Awesome-LLM-Strawberry.md",
                             "tjunlp-lab__Awesome-LLMs-Evaluation-Papers.md", "wonderNefelibata__Awesome-LRM-Safety.md"]))
def test_hostile_metadata_never_breaks_a_real_list(title, author, abstract, name):
    text = (LISTS / name).read_text(encoding="utf-8")
    doc = parse_list(text)
    paper = Paper("2511.09999", 1, title, (author, "B. Person"), abstract, date(2025, 11, 2), date(2025, 11, 2),
                  ("cs.CL",), "cs.CL")
    sections = doc.paper_sections()
    for section in (sections[0], sections[-1]):
        after = insert_entries(doc, [(section, paper)])
        assert structure(after) == structure(text)  # same headings, markers exactly once each
        assert table_widths(after) <= table_widths(text)  # no table gains or loses a column
        added = "\n".join(set(after.splitlines()) - set(text.splitlines()))
        # No raw HTML from arXiv: any tag in the new lines is one the list's own format uses.
        assert raw_tags(added) <= raw_tags(text)
        html = cmarkgfm.github_flavored_markdown_to_html(added)
        assert "raw HTML omitted" not in html or raw_tags(added)
        assert parse_list(after).find_paper("2511.09999")


def raw_tags(markdown: str) -> set[str]:
    return {tag.lower() for tag in re.findall(r"<(/?[A-Za-z!][A-Za-z0-9-]*)", markdown)}


async def test_huge_comment_and_thousands_of_refs(bot, fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "spam")
    refs = " ".join(f"2510.{i:05d}" for i in range(3000))
    body = "/add 2502.05206 " + refs + "\n" + ("lorem ipsum " * 6000)[:40_000]
    await bot.comment(REPO, issue, body[:65_000])
    [reply] = bot.replies(REPO, issue)
    assert "Only the first 10 papers" in reply
    assert len(fake_arxiv.call_log) <= 2  # one request for all of them (and one retry of the empty part)
    assert len(fake_arxiv.call_log[0].query["id_list"].split(",")) == 10


async def test_odd_unicode_refs_are_reported_not_fatal(bot, fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "unicode")
    await bot.comment(REPO, issue, "/add \u202e2502.05206 ２５０２.０５２０６ 2502.05206\u200b 🙂 2502.05206")
    [reply] = bot.replies(REPO, issue)
    assert "added to" in reply and reply.count("invalid reference") >= 2
    assert fake_github.file(REPO, "README.md", ADDITIONS_BRANCH).count("2502.05206") == 1


async def test_commands_per_hour_limit(bot, fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST, ".github/paperbot.yml": "limits: {commands_per_hour: 2}\n"})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "many")
    for ref in ("2502.05206", "2501.00001", "2503.00002"):
        await bot.comment(REPO, issue, f"/add {ref}")
    replies = bot.replies(REPO, issue)
    assert len(replies) == 3 and "in the last hour" in replies[2]
    assert "2503.00002" not in fake_github.file(REPO, "README.md", ADDITIONS_BRANCH)


async def test_collaborators_only_policy(bot, fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST, ".github/paperbot.yml": "add: collaborators\n"},
                         collaborators={"writer": "write"})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "policy")
    await bot.comment(REPO, issue, "/add 2502.05206", user="stranger")
    assert fake_github.pulls(REPO) == [] and "collaborators only" in bot.replies(REPO, issue)[0]
    await bot.comment(REPO, issue, "/add 2502.05206", user="writer")
    assert len(fake_github.pulls(REPO)) == 1


async def test_broken_config_is_reported_and_defaults_used(bot, fake_github, fake_arxiv):
    fake_github.add_repo(REPO, {"README.md": LIST, ".github/paperbot.yml": "file: ../../etc/passwd\nlimits: [\n"})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "config")
    await bot.comment(REPO, issue, "/add 2502.05206")
    [reply] = bot.replies(REPO, issue)
    assert "not valid YAML" in reply and "added to" in reply


def test_a_title_of_punctuation_alone_opens_no_group() -> None:
    """Found by the property above: `* **|**` over the entry's own nested lines (an author that
    reads as a DOI host, the arXiv line) was read as a label bullet naming a group `|`."""
    text = (LISTS / "isXinLiu__Awesome-MLLM-Safety.md").read_text(encoding="utf-8")
    doc = parse_list(text)
    paper = Paper("2511.09999", 1, "|", ("doi.org", "B. Person"), "|", date(2025, 11, 2), date(2025, 11, 2),
                  ("cs.CL",), "cs.CL")
    after = insert_entries(doc, [(doc.paper_sections()[0], paper)])
    assert "* **|**" in after
    assert structure(after) == structure(text)


def test_a_paper_host_in_metadata_is_not_read_as_a_link() -> None:
    """Found by the property above: an author "doi.org" under a short bold title made the entry's
    nested lines two papers, and `* **</details>**` a group."""
    text = (LISTS / "isXinLiu__Awesome-MLLM-Safety.md").read_text(encoding="utf-8")
    doc = parse_list(text)
    paper = Paper("2511.09999", 1, "</details>", ("doi.org", "B. Person"), "|", date(2025, 11, 2),
                  date(2025, 11, 2), ("cs.CL",), "cs.CL")
    after = insert_entries(doc, [(doc.paper_sections()[0], paper)])
    assert "doi\\.org, B. Person" in after
    assert structure(after) == structure(text)
