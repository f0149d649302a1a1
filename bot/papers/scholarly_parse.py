"""Scholarly metadata as `Paper`s: Crossref works, OpenAlex works, Semantic Scholar papers, OpenReview
notes and ACL Anthology landing pages, each read from the shape its API documents. Pure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any

from bot.papers.references import Paper, normalise_id
from bot.papers.refs import acl_id_of_doi, normalise_acl_id, normalise_doi
from bot.papers.venues import VENUE_WORD

_TAG = re.compile(r"<[^>]+>")
_JATS_TITLE = re.compile(r"<jats:title>.*?</jats:title>", re.DOTALL)  # "Abstract", a heading
# Proceedings and journals that lists write by their short name.
_LONG_VENUES = (
    (r"findings of the association for computational linguistics:?\s*(?P<of>acl|emnlp|naacl|eacl)",
     "Findings of {of}"),
    (r"annual meeting of the association for computational linguistics", "ACL"),
    (r"north american chapter of the association for computational linguistics", "NAACL"),
    (r"european chapter of the association for computational linguistics", "EACL"),
    (r"empirical methods in natural language processing", "EMNLP"),
    (r"international conference on computational linguistics", "COLING"),
    (r"transactions of the association for computational linguistics", "TACL"),
    (r"international conference on learning representations", "ICLR"),
    (r"neural information processing systems", "NeurIPS"),
    (r"international conference on machine learning", "ICML"),
    (r"aaai conference on artificial intelligence", "AAAI"),
    (r"international joint conference on artificial intelligence", "IJCAI"),
    (r"computer vision and pattern recognition", "CVPR"),
    (r"knowledge discovery and data mining", "KDD"),
    (r"research and development in information retrieval", "SIGIR"),
)
# Old-style Anthology ids name their venue by letter (`P19-1001`: ACL 2019).
_ACL_LETTERS = {"P": "ACL", "N": "NAACL", "D": "EMNLP", "E": "EACL", "C": "COLING", "Q": "TACL", "J": "CL"}
_ACL_VOLUMES = {"acl": "ACL", "naacl": "NAACL", "emnlp": "EMNLP", "eacl": "EACL", "coling": "COLING",
                "tacl": "TACL", "cl": "CL", "aacl": "AACL", "conll": "CoNLL", "lrec": "LREC"}


def one_line(text: Any) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", str(text or ""))).split())


def short_venue(name: str, year: int | None) -> str:
    """`Proceedings of the 2021 Conference of the North American Chapter …` -> `NAACL 2021`; a venue
    no list abbreviates (a journal) keeps its name; `ICLR 2024 poster` -> `ICLR 2024`."""
    name = one_line(name)
    if not name:
        return ""
    for pattern, short in _LONG_VENUES:
        if match := re.search(pattern, name, re.IGNORECASE):
            short = short.format(of=match.groupdict().get("of", "").upper())
            return f"{short} {year}" if year else short
    words = name.split()
    if len(words) <= 3 and (match := VENUE_WORD.match(name)) and not match["rest"]:
        found = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", name)
        year_text = found[0] if found else (str(year) if year else "")
        return f"{match['venue'].upper() if match['venue'].islower() else match['venue']} {year_text}".strip()
    return name


def acl_venue(anthology_id: str, conference: str, year: int | None) -> str:
    """The venue an Anthology id names (`2021.naacl-main.208`, `N04-1001`), else its proceedings'."""
    if match := re.fullmatch(r"(\d{4})\.(findings-)?([a-z]+)[\w-]*\.\d+", anthology_id):
        name = _ACL_VOLUMES.get(match[3])
        if name:
            return f"Findings of {name} {match[1]}" if match[2] else f"{name} {match[1]}"
    elif match := re.fullmatch(r"([A-Z])(\d{2})-\d{4}", anthology_id):
        name = _ACL_LETTERS.get(match[1])
        if name:
            yy = int(match[2])
            return f"{name} {(1900 if yy > 50 else 2000) + yy}"
    return short_venue(conference, year)


def _date_parts(record: Mapping[str, Any], *fields: str) -> date | None:
    for name in fields:
        parts = ((record.get(name) or {}).get("date-parts") or [[None]])[0]
        if parts and parts[0]:
            year, month, day = [*parts, 1, 1][:3]
            return date(int(year), int(month or 1), int(day or 1))
    return None


def _iso_date(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)[:10])
    except ValueError:
        return None


def _paper(title: str, authors: list[str], published: date | None, **extra: Any) -> Paper | None:
    if not title or published is None:
        return None
    return Paper(arxiv_id=extra.pop("arxiv_id", ""), version=1, title=title, authors=tuple(authors),
                 abstract=extra.pop("abstract", ""), published=published, updated=published, **extra)


def crossref_paper(body: Mapping[str, Any]) -> Paper | None:
    """A Crossref `/works/{doi}` answer (`{"status": "ok", "message": {...}}`)."""
    work = body.get("message") or {}
    published = _date_parts(work, "published", "issued", "published-print", "published-online", "created")
    authors = [one_line(f"{a.get('given', '')} {a.get('family', '')}") or one_line(a.get("name"))
               for a in work.get("author") or []]
    container = (work.get("container-title") or [""])[0] or (work.get("event") or {}).get("name", "")
    doi = normalise_doi(work.get("DOI", ""))
    return _paper(one_line((work.get("title") or [""])[0]), [a for a in authors if a], published,
                  abstract=one_line(_JATS_TITLE.sub("", work.get("abstract") or "")), doi=doi,
                  acl_id=acl_id_of_doi(doi),
                  venue=short_venue(container, published.year if published else None))


def openalex_paper(work: Mapping[str, Any]) -> Paper | None:
    """An OpenAlex work object (`/works/{id}`)."""
    published = _iso_date(work.get("publication_date")) or (
        date(int(work["publication_year"]), 1, 1) if work.get("publication_year") else None)
    authors = [one_line((a.get("author") or {}).get("display_name")) for a in work.get("authorships") or []]
    source = ((work.get("primary_location") or {}).get("source") or {}).get("display_name") or ""
    doi = normalise_doi(re.sub(r"^https?://doi\.org/", "", work.get("doi") or ""))
    return _paper(one_line(work.get("display_name") or work.get("title")), [a for a in authors if a],
                  published, abstract=_inverted_abstract(work.get("abstract_inverted_index")), doi=doi,
                  acl_id=acl_id_of_doi(doi), venue=short_venue(source, published.year if published else None))


def _inverted_abstract(index: Mapping[str, list[int]] | None) -> str:
    if not index:
        return ""
    positions = sorted((at, word) for word, ats in index.items() for at in ats)
    return one_line(" ".join(word for _, word in positions))


def s2_ids(body: Mapping[str, Any]) -> dict[str, str]:
    """The ids a Semantic Scholar paper maps to: `arxiv`, `doi`, `acl` (absent when unknown)."""
    external = body.get("externalIds") or {}
    ids = {}
    if external.get("ArXiv"):
        ids["arxiv"] = normalise_id(str(external["ArXiv"]))
    if external.get("DOI") and not str(external["DOI"]).lower().startswith("10.48550/"):
        ids["doi"] = normalise_doi(str(external["DOI"]))
    if external.get("ACL"):
        ids["acl"] = normalise_acl_id(str(external["ACL"]))
    return ids


def s2_paper(body: Mapping[str, Any]) -> Paper | None:
    """A Semantic Scholar Graph API paper (`/graph/v1/paper/{id}`)."""
    published = _iso_date(body.get("publicationDate")) or (
        date(int(body["year"]), 1, 1) if body.get("year") else None)
    ids = s2_ids(body)
    venue = (body.get("journal") or {}).get("name") or body.get("venue") or ""
    return _paper(one_line(body.get("title")), [one_line(a.get("name")) for a in body.get("authors") or []],
                  published, abstract=one_line(body.get("abstract")), arxiv_id=ids.get("arxiv", ""),
                  doi=ids.get("doi", ""), acl_id=ids.get("acl", ""),
                  venue="" if venue.lower().startswith("arxiv") else
                  short_venue(venue, published.year if published else None))


def _content(note: Mapping[str, Any], name: str) -> Any:
    """API 2 wraps each field as `{"value": ...}`; API 1 gives the value itself."""
    value = (note.get("content") or {}).get(name)
    return value.get("value") if isinstance(value, dict) else value


def openreview_paper(body: Mapping[str, Any], note_id: str) -> Paper | None:
    """The note (or the forum's submission note) in an OpenReview `/notes?id=` answer."""
    notes = [n for n in body.get("notes") or [] if n.get("id") == note_id or n.get("forum") == note_id]
    note = next((n for n in notes if n.get("id") == n.get("forum")), notes[0] if notes else None)
    if note is None:
        return None
    stamp = note.get("pdate") or note.get("odate") or note.get("cdate") or note.get("tcdate")
    published = datetime.fromtimestamp(stamp / 1000, UTC).date() if isinstance(stamp, int | float) else None
    venue = one_line(_content(note, "venue"))
    if re.search(r"\bsubmitted to\b|\bwithdrawn\b|\brejected\b", venue, re.IGNORECASE):
        venue = ""  # not published there
    return _paper(one_line(_content(note, "title")), [one_line(a) for a in _content(note, "authors") or []],
                  published, abstract=one_line(_content(note, "abstract")),
                  openreview_id=str(note.get("forum") or note_id),
                  venue=short_venue(venue, published.year if published else None))


class _CitationMeta(HTMLParser):
    """Highwire `citation_*` meta tags (what Google Scholar reads), in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = dict(attrs)
            name = values.get("name") or ""
            if name.startswith("citation_"):
                self.meta.append((name, values.get("content") or ""))


_ACL_ABSTRACT = re.compile(r'class="?card-body acl-abstract"?>.*?<span>(?P<text>.*?)</span>', re.DOTALL)


def acl_paper(page: str, anthology_id: str) -> Paper | None:
    """An ACL Anthology landing page (`https://aclanthology.org/{id}/`)."""
    parser = _CitationMeta()
    parser.feed(page)
    meta: dict[str, list[str]] = {}
    for name, value in parser.meta:
        meta.setdefault(name, []).append(value)
    first = {name: values[0] for name, values in meta.items()}
    found = re.match(r"(\d{4})(?:/(\d{1,2}))?", first.get("citation_publication_date", ""))
    published = date(int(found[1]), int(found[2] or 1), 1) if found else None
    conference = first.get("citation_conference_title") or first.get("citation_journal_title", "")
    abstract = _ACL_ABSTRACT.search(page)
    authors = [one_line(a) for a in meta.get("citation_author", [])]
    return _paper(one_line(first.get("citation_title")), authors,
                  published, abstract=one_line(abstract["text"]) if abstract else "",
                  doi=normalise_doi(first.get("citation_doi", "")), acl_id=anthology_id,
                  venue=acl_venue(anthology_id, conference, published.year if published else None))
