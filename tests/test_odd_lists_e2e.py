"""`/add` on lists shaped the way real ones sometimes are (issue #13, "bad input"): no headings at all,
one section, 50,000 lines, broken HTML. Each gets one reply and either a sensible placement whose
diff is only the new lines, or a clear message and nothing written; never a crash or a damaged file."""

from __future__ import annotations

import difflib
from datetime import date

from bot.config import Config
from bot.jobs.additions import AddRequest, plan_additions, render_additions
from bot.jobs.replies import ADDITIONS_BRANCH
from bot.lists.document import parse_list
from bot.papers.references import ArxivRef, Paper
from tests.test_add_e2e import REPO, seed_papers

TITLE = "Jailbreaking Reasoning Models with Chain-of-Thought Hijacking"
DAY = date(2025, 2, 7)


def only_insertions(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails when any line of `before` changed or went."""
    matcher = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n"), autojunk=False)
    added = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        assert op in ("equal", "insert"), f"{op} of lines {i1}-{i2} of the maintainer's file"
        added += after.split("\n")[j1:j2] if op == "insert" else []
    return added


async def add_to(bot, fake_github, fake_arxiv, readme: str) -> tuple[str, str | None]:
    fake_github.add_repo(REPO, {"README.md": readme}, collaborators={"maint": "admin"})
    seed_papers(fake_arxiv)
    issue = fake_github.add_issue(REPO, "Please add")
    await bot.comment(REPO, issue, "/add arXiv:2502.05206", user="maint")
    [reply] = bot.replies(REPO, issue)
    pulls = fake_github.pulls(REPO)
    return reply, fake_github.file(REPO, "README.md", ADDITIONS_BRANCH) if pulls else None


async def test_a_list_without_any_heading_takes_the_paper_in_its_list(bot, fake_github, fake_arxiv):
    readme = ("Papers on jailbreaks, by hand.\n\n"
              "- [Jailbroken: How Does LLM Safety Training Fail?](https://arxiv.org/abs/2307.02483) (2023)\n"
              "- [Universal and Transferable Adversarial Attacks](https://arxiv.org/abs/2307.15043) (2023)\n\n"
              "Contributions welcome.\n")
    reply, after = await add_to(bot, fake_github, fake_arxiv, readme)
    assert "added to «README.md»" in reply and after is not None
    assert only_insertions(readme, after) == [f"- [{TITLE}](https://arxiv.org/abs/2502.05206) (2025)"]


async def test_a_list_without_any_heading_or_paper_gets_a_message_saying_what_to_do(bot, fake_github, fake_arxiv):
    readme = "Links I like.\n\n- [A blog](https://example.org/blog)\n- [Another](https://example.org/x)\n"
    reply, after = await add_to(bot, fake_github, fake_arxiv, readme)
    assert after is None and fake_github.file(REPO, "README.md") == readme
    assert "no section with paper entries" in reply and "add one above them and ask again" in reply


async def test_a_list_of_one_section_takes_the_paper_there(bot, fake_github, fake_arxiv):
    readme = ("# Awesome Jailbreaks\n\n## Papers\n\n"
              "1. **Jailbroken: How Does LLM Safety Training Fail?** [paper](https://arxiv.org/abs/2307.02483)\n"
              "2. **Universal and Transferable Adversarial Attacks** [paper](https://arxiv.org/abs/2307.15043)\n")
    reply, after = await add_to(bot, fake_github, fake_arxiv, readme)
    assert "«Papers»" in reply and after is not None
    assert only_insertions(readme, after) == [f"3. **{TITLE}** [paper](https://arxiv.org/abs/2502.05206)"]


def test_a_list_of_fifty_thousand_lines():
    """What handlers/add.py runs between its GitHub reads and writes (the HTTP path is the same as
    for any list: tests/test_add_e2e.py::test_a_list_larger_than_one_megabyte)."""
    rows = [f"- [Paper {n}](https://arxiv.org/abs/2301.{n:05d})" for n in range(50_000)]
    readme = "# Big\n\n## Attacks\n\n" + "\n".join(rows) + "\n"
    assert readme.count("\n") >= 50_000
    paper = Paper("2502.05206", 1, TITLE, ("Alice Smith",), "We hijack chain-of-thought.", DAY, DAY)
    ref = ArxivRef(paper.arxiv_id)
    added, [outcome] = plan_additions(parse_list(readme), [AddRequest(ref.arxiv_id, ref)], {ref: paper}, [],
                                      config=Config(), requested_by="maint", issue=1)
    assert outcome.kind == "added" and outcome.section.heading == "Attacks"
    after = render_additions(readme, added, {paper.arxiv_id: paper}, Config())
    assert only_insertions(readme, after) == [f"- [{TITLE}](https://arxiv.org/abs/2502.05206)"]


BROKEN_HTML = """<h1 align="center">Awesome Reasoning Safety</h1>

<h3 align="center">Jailbreak<h3/>

### 2025

- [Jailbroken: How Does LLM Safety Training Fail?](https://arxiv.org/abs/2307.02483)

<h3 align="center">Surveys

### 2025

<details><summary>Open surveys
- [A Survey on Large Language Model Safety](https://arxiv.org/abs/2412.17686)
- [Safety of Reasoning Models: A Survey](https://arxiv.org/abs/2503.17419)

<div>never closed
"""


async def test_broken_html_is_read_around_and_left_as_it_was(bot, fake_github, fake_arxiv):
    reply, after = await add_to(bot, fake_github, fake_arxiv, BROKEN_HTML)
    assert after is not None, reply
    added = only_insertions(BROKEN_HTML, after)
    assert added == [f"- [{TITLE}](https://arxiv.org/abs/2502.05206)"]
    assert "Jailbreak" in reply
    line = after.split("\n").index(added[0])
    assert after.split("\n")[line - 1].startswith("- [Jailbroken")  # under Jailbreak › 2025, after its paper
