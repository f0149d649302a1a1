"""The pure parts of the shared harvest: which queries are one, windows, the store and its values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.config import LatestConfig
from bot.jobs.harvest import Harvest, Harvester, HarvestNeed, decode_harvest, encode_harvest, widest
from bot.jobs.updates import default_query, harvest_key, in_window
from bot.papers.references import Paper
from bot.shared_cache import MemoryCache


def paper(arxiv_id: str, published: date) -> Paper:
    return Paper(arxiv_id, 2, "A title", ("A. One", "B. Two"), "An abstract.", published, published,
                 ("cs.CL", "cs.CR"), "cs.CL", "12 pages", "", "10.1000/x", {"pdf": "https://arxiv.org/pdf/x"})


@pytest.mark.parametrize(("one", "other"), [
    (LatestConfig(include=("jailbreak", "LLM safety")), LatestConfig(include=("llm  SAFETY", "Jailbreak"))),
    (LatestConfig(include=("a",), categories=("cs.CR", "cs.CL")),
     LatestConfig(include=("a", "A"), categories=("cs.CL", "cs.CR", "cs.CL"))),
])
def test_lists_asking_the_same_thing_share_one_query(one, other):
    assert harvest_key(default_query(one, "")) == harvest_key(default_query(other, ""))


def test_different_topics_or_categories_are_different_queries():
    base = default_query(LatestConfig(include=("jailbreak",), categories=("cs.CL",)), "")
    assert default_query(LatestConfig(include=("alignment",), categories=("cs.CL",)), "") != base
    assert default_query(LatestConfig(include=("jailbreak",), categories=("cs.cl",)), "") != base  # as given


def test_a_custom_query_is_one_harvest_whatever_its_spacing():
    assert harvest_key("  cat:cs.CL   AND\n all:jailbreak ") == "cat:cs.CL AND all:jailbreak"


def test_each_list_keeps_its_own_window_of_a_wider_harvest():
    papers = [paper("2611.00030", date(2026, 11, 30)), paper("2611.00018", date(2026, 11, 18)),
              paper("2611.00017", date(2026, 11, 17))]
    assert [p.arxiv_id for p in in_window(papers, date(2026, 11, 20))] == ["2611.00030", "2611.00018"]
    assert in_window(papers, None) == papers


def test_the_widest_need_covers_every_list_of_the_group():
    needs = [HarvestNeed("q", date(2026, 11, 20), 9), HarvestNeed("q", date(2026, 11, 10), 15),
             HarvestNeed("q", date(2026, 11, 25), 300)]
    assert widest(needs) == HarvestNeed("q", date(2026, 11, 10), 100)
    assert widest([*needs, HarvestNeed("q", None, 3)]).since is None


def test_harvest_values_survive_the_store_as_text():
    harvest = Harvest(date(2026, 11, 10), 15, (paper("2611.00030", date(2026, 11, 30)),))
    assert decode_harvest(encode_harvest(harvest)) == harvest
    assert decode_harvest(encode_harvest(harvest)).papers[0].links == harvest.papers[0].links


async def test_memory_store_forgets_after_the_ttl():
    now = [0.0]
    store = MemoryCache(timer=lambda: now[0])
    await store.set("k", b"v", ttl=10)
    assert await store.get("k") == b"v"
    now[0] = 10.5
    assert await store.get("k") is None
    await store.set("k", b"v", ttl=10)
    await store.delete("k")
    assert await store.get("k") is None


class CountingArxiv:
    def __init__(self, papers: list[Paper]) -> None:
        self.papers, self.queries = papers, []

    async def search(self, query):
        self.queries.append(query)
        return self.papers


async def test_a_need_the_cycle_did_not_foresee_is_asked_once_more_then_shared():
    papers = [paper("2611.00030", date(2026, 11, 30)), paper("2611.00012", date(2026, 11, 12))]
    arxiv, store = CountingArxiv(papers), MemoryCache()
    harvester = Harvester(arxiv, store, cycle="c1", now=datetime(2026, 12, 1, tzinfo=UTC))
    await harvester.prefetch([HarvestNeed("q", date(2026, 11, 28), 9), HarvestNeed(" q ", date(2026, 11, 26), 9)])
    assert len(arxiv.queries) == 1 and "202611240000" in arxiv.queries[0].query
    assert [p.arxiv_id for p in await harvester.papers(HarvestNeed("q", date(2026, 11, 28), 9))] == ["2611.00030"]
    assert len(arxiv.queries) == 1
    await harvester.papers(HarvestNeed("q", date(2026, 11, 14), 9))  # older than the harvest: ask again
    assert len(arxiv.queries) == 2 and "202611120000" in arxiv.queries[1].query
    # Another process of the same cycle finds the harvest in the shared store.
    other = Harvester(arxiv, store, cycle="c1", now=datetime(2026, 12, 1, tzinfo=UTC))
    assert len(await other.papers(HarvestNeed("q", date(2026, 11, 14), 9))) == 2
    assert len(arxiv.queries) == 2
