"""Short summaries of arXiv abstracts: the first sentence or two, for a table cell.

Pure and plain text in, plain text out: escaping for Markdown is the caller's job. Sentences end
at `.`, `!` or `?` followed by a space and a capital, a digit or an opening mark, except after the
abbreviations and initials that abstracts are full of (`e.g.`, `et al.`, `Fig. 2`, `J. Smith`), and
never inside LaTeX math. Decimals (`3.5`) and URLs hold no space after their dots, so they never
end a sentence.
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

# Words after which a period does not end the sentence, compared lowercased without the period.
_ABBREVIATIONS = frozenset(
    """
    al approx ca cf dr e.g eg esp i.e ie incl jr mr mrs ms prof resp sr st viz vs w.r.t wrt
    chap eq eqn eqns eqs fig figs lem sec secs sect thm
    """.split()
)
# Words that are abbreviations only before a number ("No. 5", "Ref. [3]") and plain words elsewhere.
_NUMBERING = frozenset("alg app ch cor def no nos pp prop ref refs tab vol".split())
# Dotted abbreviations written in full ("U.S.", "Ph.D.", "i.e.") are recognised by their shape.
_DOTTED = re.compile(r"^(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}$")
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$]+?\$|\\\(.+?\\\)|\\\[.+?\\\]")
_OPENERS = "\"'“‘([$\\"
_LEADING_MARKS = "\"'“‘([{"
# Left dangling at a cut, these read as an error rather than an abbreviation of the rest.
_DANGLING = " ,;:-–—([{/&"


def summarize(abstract: str, *, max_sentences: int = 2, max_chars: int = 280) -> str:
    """The first `max_sentences` sentences of `abstract` that fit in `max_chars` characters.

    Always at least part of the first sentence; a first sentence longer than `max_chars` is cut at
    a word boundary (never inside `$...$` math) and ends with an ellipsis. Whitespace, including
    the line breaks of the arXiv API, collapses to single spaces.
    """
    if max_sentences < 1 or max_chars < 1:
        raise ValueError("summarize needs max_sentences >= 1 and max_chars >= 1")
    text = " ".join(abstract.split())
    sentences = split_sentences(text)
    if not sentences:
        return ""
    summary = sentences[0]
    if len(summary) > max_chars:
        return _cut(summary, max_chars)
    for sentence in sentences[1:max_sentences]:
        if len(summary) + 1 + len(sentence) > max_chars:
            break
        summary = f"{summary} {sentence}"
    return summary


def split_sentences(text: str) -> list[str]:
    """`text` (whitespace already collapsed) split into sentences, each stripped."""
    math = [m.span() for m in _MATH.finditer(text)]
    sentences: list[str] = []
    begin = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if _inside(end - 1, math) or not _ends_sentence(text, match.start(), end):
            continue
        sentences.append(text[begin:end].strip())
        begin = end
    rest = text[begin:].strip()
    if rest:
        sentences.append(rest)
    return [s for s in sentences if s]


def _ends_sentence(text: str, punct_at: int, after: int) -> bool:
    following = text[after:].lstrip()[:1]
    if not following or not (following.isupper() or following.isdigit() or following in _OPENERS):
        return False
    if text[punct_at] != ".":
        return True
    token_at = text.rfind(" ", 0, punct_at) + 1
    token = text[token_at:punct_at].lstrip(_LEADING_MARKS)
    if token.lower() in _ABBREVIATIONS or _DOTTED.match(token):
        return False
    if token.lower() in _NUMBERING and (following.isdigit() or following in "(["):
        return False
    if len(token) == 1 and token.isupper():
        # An initial follows a name or opens the text ("John F. Kennedy", "J. Smith showed"); after
        # a lowercase word the capital is a variable ending the sentence ("of size N. We").
        space_before = max(token_at - 1, 0)
        previous = text[text.rfind(" ", 0, space_before) + 1 : space_before]
        return previous[:1].islower()
    return True


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _cut(sentence: str, max_chars: int) -> str:
    room = max_chars - len(ELLIPSIS)
    cut = sentence.rfind(" ", 0, room + 1)
    for math in _MATH.finditer(sentence):
        if math.start() < cut < math.end():
            cut = math.start()
    if cut <= 0:
        cut = room
    return sentence[:cut].rstrip(_DANGLING) + ELLIPSIS
