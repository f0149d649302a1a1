"""Labelled lines of a multi-line entry (`  - Keyword: RLHF, PPO`, `  - **Code:** [official](url)`): the
label is the list's own word, written as the siblings write it; only the value after it is the
paper's (a slot, or the placeholder where metadata gives nothing). A line that only links the paper's
code (`  - Code: [official](url)`) is written when the paper names its code and left out otherwise,
as the siblings without code leave it out. Pure."""

from __future__ import annotations

import re

# `Keyword: `, `**Keywords:** `, `_Code_: `: one to three words, emphasised with or without their colon.
LINE_LABEL = re.compile(
    r"^(?P<em>\*{1,2}|_{1,2}|)(?P<label>[^\W\d_][^\W_]*(?:[ /&-][^\W\d_][^\W_]*){0,2})"
    r"(?::(?P=em)|(?P=em):)(?=\s|$)[ \t]*")
_CODE_WORD = re.compile(r"^(?:official\s+|source\s+)*(?:code|github|repo|repository|implementation)s?$",
                        re.IGNORECASE)
# A value made of links only (`[official](url)`, `[official]()`, `[A](u), [B](v)`).
_LINKS_ONLY = re.compile(r"^(?:\[(?P<text>[^\[\]]*)\]\([^()]*\)[ \t,;]*)+$")
# A template line (not the first) whose only slot is the code link: left out when the paper has no code.
CODE_LINE = re.compile(r"\n[^\n⟦]*⟦codelink:[^⟧]*⟧[ \t]*(?=\n|$)")


def split_label(text: str) -> tuple[str, str]:
    """(`Keyword: `, the value) for a labelled line's text after its marker; ("", text) otherwise."""
    match = LINE_LABEL.match(text)
    return (match[0], text[match.end():]) if match else ("", text)


def label_name(text: str) -> str:
    """The label's words (`Keyword`), "" when the line has none."""
    match = LINE_LABEL.match(text)
    return match["label"] if match else ""


def code_value(label: str, value: str) -> str | None:
    """The link text of a code line's value (`official` in `Code: [official](url)`), None when the line
    does not only link code."""
    links = _LINKS_ONLY.match(value.strip())
    if not _CODE_WORD.match(label_name(label)) or not links:
        return None
    return re.match(r"\[([^\[\]]*)\]", value.strip())[1]
