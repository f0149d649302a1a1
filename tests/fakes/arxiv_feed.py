"""arXiv Atom feeds for the fake arXiv: read the recorded responses, render new ones.

Two dialects, both recorded in tests/fixtures/arxiv (see SOURCE.md there). `current` is what
export.arxiv.org sends since 2026 (recorded by arxiv.py); `classic` is the older one (arxiv2bib,
ewan-m, the user manual). Element order, namespaces, link attributes and text layout of each
dialect follow those recordings; the error feed is the recorded 400 body with the id swapped.
"""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

ARXIV_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "arxiv"
ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NS = {"atom": ATOM, "arxiv": ARXIV, "opensearch": OPENSEARCH}
CURRENT, CLASSIC = "current", "classic"
ERROR_TEMPLATES = {
    CURRENT: "arxivpy.id_list.error-malformed-id.http400.xml",
    CLASSIC: "arxiv-user-manual.classic.error-malformed-id.xml",
}
_ERROR_RECORDED_ID = {CURRENT: "abc", CLASSIC: "1234.12345"}
_ERROR_RECORDED_TIME = {CURRENT: "2026-04-12T22:59:06Z", CLASSIC: "2007-10-12T00:00:00-04:00"}


@dataclass
class FakePaper:
    """One arXiv paper as the fake stores it (text exactly as it should appear in the feed)."""

    arxiv_id: str  # without version
    version: int  # the latest version
    title: str
    abstract: str
    authors: list[tuple[str, list[str]]]  # (name, affiliations)
    published: datetime
    updated: datetime
    categories: list[str]
    primary_category: str
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None


def parse_feed_papers(xml: bytes) -> list[FakePaper]:
    """Every paper entry of a recorded feed (error entries have no arxiv.org/abs id)."""
    root = etree.fromstring(xml)
    papers = []
    for entry in root.iterfind("atom:entry", NS):
        entry_id = entry.findtext("atom:id", namespaces=NS) or ""
        match = re.match(r"https?://arxiv\.org/abs/(.+?)(?:v(\d+))?$", entry_id)
        if not match:
            continue
        primary = entry.find("arxiv:primary_category", NS)
        papers.append(
            FakePaper(
                arxiv_id=match[1],
                version=int(match[2] or 1),
                title=entry.findtext("atom:title", namespaces=NS) or "",
                abstract=entry.findtext("atom:summary", namespaces=NS) or "",
                authors=[
                    (
                        a.findtext("atom:name", namespaces=NS) or "",
                        [x.text or "" for x in a.iterfind("arxiv:affiliation", NS)],
                    )
                    for a in entry.iterfind("atom:author", NS)
                ],
                published=_parse_time(entry.findtext("atom:published", namespaces=NS)),
                updated=_parse_time(entry.findtext("atom:updated", namespaces=NS)),
                categories=[c.get("term", "") for c in entry.iterfind("atom:category", NS)],
                primary_category=primary.get("term", "") if primary is not None else "",
                comment=entry.findtext("arxiv:comment", namespaces=NS),
                journal_ref=entry.findtext("arxiv:journal_ref", namespaces=NS),
                doi=entry.findtext("arxiv:doi", namespaces=NS),
            )
        )
    return papers


def _parse_time(text: str | None) -> datetime:
    return datetime.fromisoformat((text or "1970-01-01T00:00:00Z").replace("Z", "+00:00")).astimezone(UTC)


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_text(text: str) -> str:
    """The current API sends metadata on one line (the recorded old abstracts kept their
    leading spaces but lost their line breaks)."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text.rstrip())


def classic_title(text: str) -> str:
    if "\n" in text:
        return text
    return "\n  ".join(textwrap.wrap(text, 78, break_long_words=False, break_on_hyphens=False)) or text


def classic_summary(text: str) -> str:
    if "\n" in text:
        return text
    lines = textwrap.wrap("  " + text.lstrip(), 79, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, nsmap: dict | None = None, **attrs: str
) -> etree._Element:
    child = etree.SubElement(parent, tag, nsmap=nsmap)
    for name, value in attrs.items():
        child.set(name, value)
    if text is not None:
        child.text = text
    return child


def _entry_current(feed: etree._Element, paper: FakePaper, version: int) -> None:
    entry = _sub(feed, f"{{{ATOM}}}entry")
    vid = f"{paper.arxiv_id}v{version}"
    _sub(entry, f"{{{ATOM}}}id", f"http://arxiv.org/abs/{vid}")
    _sub(entry, f"{{{ATOM}}}title", current_text(paper.title))
    _sub(entry, f"{{{ATOM}}}updated", _z(_version_time(paper, version)))
    _sub(entry, f"{{{ATOM}}}link", href=f"https://arxiv.org/abs/{vid}", rel="alternate", type="text/html")
    _sub(
        entry,
        f"{{{ATOM}}}link",
        href=f"https://arxiv.org/pdf/{vid}",
        rel="related",
        type="application/pdf",
        title="pdf",
    )
    _sub(entry, f"{{{ATOM}}}summary", current_text(paper.abstract))
    for term in paper.categories:
        _sub(entry, f"{{{ATOM}}}category", term=term, scheme=ARXIV)
    _sub(entry, f"{{{ATOM}}}published", _z(paper.published))
    if paper.comment:
        _sub(entry, f"{{{ARXIV}}}comment", current_text(paper.comment))
    _sub(entry, f"{{{ARXIV}}}primary_category", term=paper.primary_category)
    if paper.journal_ref:
        _sub(entry, f"{{{ARXIV}}}journal_ref", current_text(paper.journal_ref))
    _authors(entry, paper, None)
    if paper.doi:
        _sub(entry, f"{{{ARXIV}}}doi", paper.doi)
        _sub(entry, f"{{{ATOM}}}link", rel="related", href=f"https://doi.org/{paper.doi}", title="doi")


def _entry_classic(feed: etree._Element, paper: FakePaper, version: int) -> None:
    entry = _sub(feed, f"{{{ATOM}}}entry")
    vid = f"{paper.arxiv_id}v{version}"
    arxiv_ns = {"arxiv": ARXIV}
    _sub(entry, f"{{{ATOM}}}id", f"http://arxiv.org/abs/{vid}")
    _sub(entry, f"{{{ATOM}}}updated", _z(_version_time(paper, version)))
    _sub(entry, f"{{{ATOM}}}published", _z(paper.published))
    _sub(entry, f"{{{ATOM}}}title", classic_title(paper.title))
    _sub(entry, f"{{{ATOM}}}summary", classic_summary(paper.abstract))
    _authors(entry, paper, arxiv_ns)
    if paper.doi:
        _sub(entry, f"{{{ARXIV}}}doi", paper.doi, nsmap=arxiv_ns)
        _sub(entry, f"{{{ATOM}}}link", title="doi", href=f"http://dx.doi.org/{paper.doi}", rel="related")
    if paper.comment:
        _sub(entry, f"{{{ARXIV}}}comment", paper.comment, nsmap=arxiv_ns)
    if paper.journal_ref:
        _sub(entry, f"{{{ARXIV}}}journal_ref", paper.journal_ref, nsmap=arxiv_ns)
    _sub(entry, f"{{{ATOM}}}link", href=f"http://arxiv.org/abs/{vid}", rel="alternate", type="text/html")
    _sub(
        entry,
        f"{{{ATOM}}}link",
        title="pdf",
        href=f"http://arxiv.org/pdf/{vid}",
        rel="related",
        type="application/pdf",
    )
    _sub(entry, f"{{{ARXIV}}}primary_category", nsmap=arxiv_ns, term=paper.primary_category, scheme=ARXIV)
    for term in paper.categories:
        _sub(entry, f"{{{ATOM}}}category", term=term, scheme=ARXIV)


def _authors(entry: etree._Element, paper: FakePaper, arxiv_ns: dict | None) -> None:
    for name, affiliations in paper.authors:
        author = _sub(entry, f"{{{ATOM}}}author")
        _sub(author, f"{{{ATOM}}}name", name)
        for affiliation in affiliations:
            _sub(author, f"{{{ARXIV}}}affiliation", affiliation, nsmap=arxiv_ns)


def _version_time(paper: FakePaper, version: int) -> datetime:
    """Older versions than the latest were updated when first published (good enough)."""
    return paper.updated if version >= paper.version else paper.published + timedelta(days=version - 1)


def render_feed(
    dialect: str,
    query_title: str,
    link_query: str,
    entries: list[tuple[FakePaper, int]],
    total: int,
    start: int,
    per_page: int,
) -> bytes:
    """A whole response feed; `entries` are (paper, version) pairs already paged."""
    digest = base64.b64encode(hashlib.sha1(query_title.encode(), usedforsecurity=False).digest()).decode()
    now = datetime.now(UTC)
    if dialect == CURRENT:
        feed = etree.Element(f"{{{ATOM}}}feed", nsmap={"opensearch": OPENSEARCH, "arxiv": ARXIV, None: ATOM})
        _sub(feed, f"{{{ATOM}}}id", f"https://arxiv.org/api/{digest.rstrip('=')}")
        _sub(feed, f"{{{ATOM}}}title", f"arXiv Query: {query_title}")
        _sub(feed, f"{{{ATOM}}}updated", _z(now))
        _sub(
            feed,
            f"{{{ATOM}}}link",
            href=f"https://arxiv.org/api/query?{link_query}",
            type="application/atom+xml",
        )
        _sub(feed, f"{{{OPENSEARCH}}}itemsPerPage", str(per_page))
        _sub(feed, f"{{{OPENSEARCH}}}totalResults", str(total))
        _sub(feed, f"{{{OPENSEARCH}}}startIndex", str(start))
        for paper, version in entries:
            _entry_current(feed, paper, version)
        etree.indent(feed, "  ")
        return etree.tostring(feed, xml_declaration=True, encoding="UTF-8") + b"\n"
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    opensearch_ns = {"opensearch": OPENSEARCH}
    _sub(
        feed,
        f"{{{ATOM}}}link",
        href=f"http://arxiv.org/api/query?{link_query}",
        rel="self",
        type="application/atom+xml",
    )
    _sub(feed, f"{{{ATOM}}}title", f"ArXiv Query: {query_title}", type="html")
    _sub(feed, f"{{{ATOM}}}id", f"http://arxiv.org/api/{digest.rstrip('=')}")
    midnight = now.astimezone(UTC).strftime("%Y-%m-%dT00:00:00-04:00")
    _sub(feed, f"{{{ATOM}}}updated", midnight)
    _sub(feed, f"{{{OPENSEARCH}}}totalResults", str(total), nsmap=opensearch_ns)
    _sub(feed, f"{{{OPENSEARCH}}}startIndex", str(start), nsmap=opensearch_ns)
    _sub(feed, f"{{{OPENSEARCH}}}itemsPerPage", str(per_page), nsmap=opensearch_ns)
    for paper, version in entries:
        _entry_classic(feed, paper, version)
    etree.indent(feed, "  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(feed, encoding="UTF-8") + b"\n"


def render_error(dialect: str, bad_value: str, message: str | None = None) -> bytes:
    """The recorded error feed with our offending value (and an optional other message)."""
    text = (ARXIV_DIR / ERROR_TEMPLATES[dialect]).read_text(encoding="utf-8")
    recorded = _ERROR_RECORDED_ID[dialect]
    fragment = f"incorrect_id_format_for_{recorded}"
    slug = (
        re.sub(r"\W+", "_", message.lower()).strip("_") if message else f"incorrect_id_format_for_{bad_value}"
    )
    summary = message or f"incorrect id format for {bad_value}"
    now = (
        _z(datetime.now(UTC)) if dialect == CURRENT else datetime.now(UTC).strftime("%Y-%m-%dT00:00:00-04:00")
    )
    text = text.replace(_ERROR_RECORDED_TIME[dialect], now)
    text = text.replace(f'#{fragment}"', "#" + escape(slug, {'"': "&quot;"}) + '"')
    text = text.replace(f"#{fragment}<", f"#{escape(slug)}<")
    text = text.replace(f"incorrect id format for {recorded}", escape(summary))
    text = text.replace(f"id_list={recorded}", f"id_list={escape(bad_value)}")
    return text.encode("utf-8")
