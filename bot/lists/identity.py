"""One paper, one identity: a paper known by its arXiv id, its DOI and its venue page is one paper.

`listed_lines` finds a paper in a list whichever link the list used (arXiv, DOI, ACL Anthology,
OpenReview), and by its title when no link matches; `styled_for` picks the link a section uses for
papers like it. Pure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from urllib.parse import quote

from bot.lists.document import Entry, ListDocument, Section
from bot.lists.entries.pieces import PIECE_PATTERN, arxiv_ids_in
from bot.papers.references import Paper
from bot.papers.refs import (
    PaperRef,
    ScholarRef,
    identity_keys,
    identity_keys_in,
    ref_key,
    reference_url,
    title_key,
)

_HINTS = ("doi", "10.", "acl", "openreview")
LINK_KINDS = ("arxiv", "doi", "acl", "openreview")
_FALLBACK_ORDER = ("doi", "acl", "openreview", "arxiv")  # a paper with no link kind the section uses


def paper_keys(paper: Paper) -> set[str]:
    return identity_keys(arxiv_id=paper.arxiv_id, doi=paper.doi, acl_id=paper.acl_id,
                         openreview_id=paper.openreview_id)


def request_keys(ref: PaperRef, paper: Paper | None) -> set[str]:
    return {ref_key(ref)} | (paper_keys(paper) if paper else set()) | (
        identity_keys(doi=ref.value) if isinstance(ref, ScholarRef) and ref.kind == "doi" else set())


def listed_lines(doc: ListDocument, keys: set[str], title: str = "") -> list[int]:
    """1-based lines that name the paper by any of its `keys`, else entries with the same title."""
    lines = {line for key in keys if ":" not in key for line in doc.find_paper(key)}
    scholarly = {key for key in keys if ":" in key}
    if scholarly:
        for index, text in enumerate(doc.text.split("\n")):
            lowered = text.lower()
            if any(hint in lowered for hint in _HINTS) and scholarly & identity_keys_in(text):
                lines.add(index + 1)
    if lines or not (wanted := title_key(title)):
        return sorted(lines)
    return sorted(set(doc.title_lines.get(wanted, ())))


def listed_keys(doc: ListDocument) -> set[str]:
    """Every DOI / Anthology / OpenReview key and title key the list names (for the scheduled update)."""
    keys = identity_keys_in(doc.text)
    return keys | {f"title:{key}" for key in doc.title_lines}


def candidate_keys(paper: Paper) -> set[str]:
    """What `listed_keys` would hold if the list named this paper by DOI, venue page or title."""
    keys = paper_keys(paper) - {paper.arxiv_id}
    return keys | ({f"title:{k}"} if (k := title_key(paper.title)) else set())


def link_forms(entries: tuple[Entry, ...] | list[Entry]) -> Counter[tuple[str, str]]:
    """(kind, URL template with `{id}`) of the first paper link of each entry, counted."""
    forms: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        for match in PIECE_PATTERN.finditer(entry.text):
            url = match["link_url"] or match["url"] or match["hl_url"] or match["il_url"] or ""
            form = _link_form(url)
            if form:
                forms[form] += 1
                break
    return forms


def _link_form(url: str) -> tuple[str, str] | None:
    if arxiv_ids_in(url):
        return "arxiv", ""
    keys = identity_keys_in(url)
    for kind in ("acl", "openreview", "doi"):  # an ACL DOI link is a DOI link: checked last
        found = [k.split(":", 1)[1] for k in keys if k.startswith(f"{kind}:")]
        if not found:
            continue
        if kind == "acl" and "doi.org" in url:
            continue
        value = found[0]
        at = url.lower().find(value.lower())
        return (kind, url[:at] + "{id}" + url[at + len(value):]) if at >= 0 else (kind, "")
    return None


def styled_for(paper: Paper, section: Section) -> Paper:
    """`paper` with the link its entry in `section` should carry: the kind the section's entries use
    most among those the paper has (arXiv: the section's own arXiv form, so no `link`)."""
    ids = {"arxiv": paper.arxiv_id, "doi": paper.doi, "acl": paper.acl_id, "openreview": paper.openreview_id}
    if paper.arxiv_id and not (paper.doi or paper.acl_id or paper.openreview_id):
        return replace(paper, link="")  # arXiv is the one link it has: no need to read the section
    forms = link_forms([e for e in section.entries if e.is_paper])
    ranked = [kind for (kind, _), _ in forms.most_common()] + list(_FALLBACK_ORDER)
    for kind in dict.fromkeys(ranked):
        if not ids.get(kind):
            continue
        if kind == "arxiv":
            return replace(paper, link="")
        templates = [t for (k, t), _ in forms.most_common() if k == kind and _safe_template(t)]
        link = templates[0].format(id=ids[kind]) if templates else reference_url(kind, ids[kind])
        # A DOI may hold parentheses or `<`: escaped, so the Markdown link around it stays whole.
        return replace(paper, link=quote(link, safe=":/?#@!$&'*+,;=%~._-"))
    return paper


def _safe_template(template: str) -> bool:
    rest = template.replace("{id}", "", 1)
    return "{id}" in template and "{" not in rest and "}" not in rest
