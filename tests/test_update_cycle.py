"""The scheduled cycle at scale: one arXiv harvest per distinct query, nothing written when nothing
is new, and no more GitHub reads than needed, against the fake GitHub and fake arXiv."""

from __future__ import annotations

from bot.github.pull_state import decode_state
from bot.jobs.scheduler import run_scheduled
from bot.jobs.update_text import LATEST_BRANCH
from bot.lists.latest.block import find_block, parse_rows
from bot.web.app import context_of
from handlers import router
from tests.fakes.webhooks import load_webhook

LIST = """\
# {title}

## Latest arXiv Papers
<!-- LATEST_PAPERS_START -->
<!-- paperbot:latest newest={newest} -->

| Date | Title | Authors | Abstract Summary |
|---|---|---|---|
| {newest} | [Old study](http://arxiv.org/abs/2611.00001v1) | A. One | Old. |

<!-- LATEST_PAPERS_END -->

## Surveys

- [A Survey of LLM Safety](https://arxiv.org/abs/2412.17686)
"""
JAILBREAK = 'latest:\n  include: [{terms}]\n  categories: [cs.CL, cs.CR]\n  max_papers: {most}\n'


def add_list(fake_github, full_name: str, *, terms: str, newest: str, most: int = 5, installation=None,
             exclude: str = "") -> str:
    config = JAILBREAK.format(terms=terms, most=most) + (f"  exclude: [{exclude}]\n" if exclude else "")
    fake_github.add_repo(full_name, {"README.md": LIST.format(title="Awesome list", newest=newest),
                                     ".github/paperbot.yml": config},
                         installation_id=installation.id if installation else None)
    return full_name


def paper(fake_arxiv, arxiv_id: str, day: int, title: str, abstract: str) -> None:
    fake_arxiv.add_paper(arxiv_id, title, abstract, ["Ada Lovelace"], f"2026-11-{day:02d}", ["cs.CL", "cs.CR"])


def jailbreak(fake_arxiv, arxiv_id: str, day: int, extra: str = "") -> None:
    paper(fake_arxiv, arxiv_id, day, f"Jailbreak attacks on language models {extra}".strip(),
          f"We study jailbreak attacks on large language models. {extra}")


def table_ids(text: str) -> list[str]:
    block = find_block(text)
    return [row.arxiv_id for row in parse_rows(text[block.start:block.end])]


def searches(fake_arxiv) -> list[str]:
    return [c.query["search_query"] for c in fake_arxiv.call_log if c.query.get("search_query")]


async def cycle(bot, force=True, only=None):
    runs = await run_scheduled(context_of(bot.client.app), router, force=force, only=only, jitter=0.01)
    assert all(run.ok for run in runs), runs
    return runs


async def test_one_harvest_per_distinct_query_each_list_its_own_window_and_relevance(bot, fake_github,
                                                                                      fake_arxiv):
    other = fake_github.add_installation(account="someone-else", account_type="User")
    third = fake_github.add_installation(account="third-org")
    # Two lists ask the same thing, written differently; their windows and exclusions differ.
    recent = add_list(fake_github, "octo-org/recent", terms='jailbreak, "LLM safety"', newest="2026-11-20",
                      exclude="robustness, benchmark")
    older = add_list(fake_github, "someone-else/older", terms='"llm  SAFETY", Jailbreak', newest="2026-11-10",
                     installation=other)
    reasoning = add_list(fake_github, "third-org/reasoning", terms="reasoning", newest="2026-11-10",
                         installation=third)
    jailbreak(fake_arxiv, "2611.00012", 12)  # in the older list's window only
    jailbreak(fake_arxiv, "2611.00021", 21)
    jailbreak(fake_arxiv, "2611.00022", 22, "A robustness benchmark.")  # the recent list excludes it
    paper(fake_arxiv, "2611.00023", 23, "Reasoning models think longer", "Chain of thought reasoning.")

    runs = await cycle(bot)

    assert sorted(run.repository for run in runs) == sorted([recent, older, reasoning])
    assert len(searches(fake_arxiv)) == 2  # three lists, two distinct queries
    shared = next(q for q in searches(fake_arxiv) if "jailbreak" in q)
    assert "202611080000" in shared  # from the older list's window (newest 11-10, less two days)
    assert table_ids(fake_github.file(recent, "README.md", LATEST_BRANCH)) == ["2611.00021", "2611.00001"]
    assert table_ids(fake_github.file(older, "README.md", LATEST_BRANCH)) == [
        "2611.00022", "2611.00021", "2611.00012", "2611.00001"]
    assert table_ids(fake_github.file(reasoning, "README.md", LATEST_BRANCH)) == ["2611.00023", "2611.00001"]


async def test_a_forced_cycle_with_nothing_new_writes_nothing(bot, fake_github, fake_arxiv):
    # Two runs of new papers, each as many as the table holds (a run proposes at most that many):
    # the first run's papers go to the archive on paperbot's branch.
    repo = add_list(fake_github, "octo-org/list", terms="jailbreak", newest="2026-11-10", most=3)
    for day in range(20, 23):
        jailbreak(fake_arxiv, f"2611.000{day}", day)
    await cycle(bot)
    for day in range(23, 26):
        jailbreak(fake_arxiv, f"2611.000{day}", day)
    await cycle(bot)
    [pull] = fake_github.pulls(repo)
    branch_archive = fake_github.file(repo, "articles/README.md", LATEST_BRANCH)
    assert "2611.00020" in branch_archive and "2611.00021" in branch_archive
    before = (fake_github.branches(repo), fake_github.pulls(repo)[0].body, len(fake_github.mutating_calls()))

    await cycle(bot)  # forced, nothing new on arXiv

    assert (fake_github.branches(repo), fake_github.pulls(repo)[0].body,
            len(fake_github.mutating_calls())) == before

    jailbreak(fake_arxiv, "2611.00027", 27)  # something new: the branch is regenerated ...
    await cycle(bot)
    assert table_ids(fake_github.file(repo, "README.md", LATEST_BRANCH)) == ["2611.00027", "2611.00025",
                                                                              "2611.00024"]
    archive = fake_github.file(repo, "articles/README.md", LATEST_BRANCH)  # ... and keeps the archived ones
    assert {day: archive.count(f"2611.000{day:02d}") for day in (1, 20, 21, 22, 23)} == dict.fromkeys(
        (1, 20, 21, 22, 23), 1), archive
    proposed = {p["id"] for p in decode_state(fake_github.pulls(repo)[0].body)["papers"]}
    assert proposed == {f"2611.000{day}" for day in range(20, 28) if day != 26}
    assert [p.number for p in fake_github.pulls(repo)] == [pull.number]


async def test_an_installation_with_nothing_new_costs_a_token_and_one_read(bot, fake_github, fake_arxiv):
    for n in range(3):
        installation = fake_github.add_installation(account=f"org{n}")
        add_list(fake_github, f"org{n}/list", terms="jailbreak", newest="2026-11-10", installation=installation)
    jailbreak(fake_arxiv, "2611.00021", 21)
    await cycle(bot)
    start, writes = len(fake_github.call_log), len(fake_github.mutating_calls())

    await cycle(bot)

    calls = fake_github.call_log[start:]
    per_installation = [c for c in calls if c.path != "/app/installations"]
    assert len(per_installation) <= 2 * 3, [(c.method, c.path) for c in calls]
    assert not [c for c in calls if c.path == "/installation/repositories"]  # kept from the first cycle
    assert len(fake_github.mutating_calls()) == writes
    assert len(searches(fake_arxiv)) == 2  # one per cycle


async def test_a_repository_added_to_an_installation_is_updated_at_the_next_cycle(bot, fake_github, fake_arxiv):
    first = add_list(fake_github, "octo-org/first", terms="jailbreak", newest="2026-11-10")
    jailbreak(fake_arxiv, "2611.00021", 21)
    assert [run.repository for run in await cycle(bot)] == [first]
    second = add_list(fake_github, "octo-org/second", terms="jailbreak", newest="2026-11-10")

    event = load_webhook("installation_repositories.added")
    [event["installation"]["id"]] = [i.id for i in fake_github.installations.values() if i.account == "octo-org"]
    assert await bot.deliver("installation_repositories", event) == 202

    assert sorted(run.repository for run in await cycle(bot)) == [first, second]
    assert table_ids(fake_github.file(second, "README.md", LATEST_BRANCH)) == ["2611.00021", "2611.00001"]


async def test_only_a_repository_installed_since_the_last_listing(bot, fake_github, fake_arxiv):
    first = add_list(fake_github, "octo-org/first", terms="jailbreak", newest="2026-11-10")
    await cycle(bot)
    second = add_list(fake_github, "octo-org/second", terms="jailbreak", newest="2026-11-10")
    assert [run.repository for run in await cycle(bot, only=second)] == [second]
    assert first != second
