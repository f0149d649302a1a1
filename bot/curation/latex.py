"""Titles and abstracts as prose: the LaTeX that authors leave in what arXiv serves, taken out.

arXiv returns titles and abstracts as their authors typed them, and some type LaTeX: citations
(`\\citep{hurst2024gpt}`), emphasis (`\\textbf{L}ocate`), math (`$\\pi_{n-1}$`, `$60\\%$`), macros
(`\\eg`, `\\mu`) and ties (`~`). Read as words, a citation key is a name and a topic word ("hurst",
"gpt"), the command names are words ("textbf", "citep"), and a word split by a command loses its
first letter ("ocate"). `latex_to_prose` keeps what a reader sees: the text inside formatting
commands, joined to its neighbours as printed, the text of math, and drops references and the
names of commands. Text with no LaTeX is returned unchanged.
"""

from __future__ import annotations

import re

# Commands whose argument is a key or an address, never prose: dropped with their arguments.
_REFERENCE = re.compile(
    r"\\(?:[a-z]*cite[a-z]*|ref|eqref|autoref|cref|Cref|label|url|unicode|footnotemark)\*?"
    r"(?:\s*\[[^\]]*\])*\s*\{[^{}]*\}"
)
# `\href{address}{text}`: the text stays.
_HREF = re.compile(r"\\href\s*\{[^{}]*\}")
# An accent over a letter (`\"{o}`, `\'e`): the letter stays.
_ACCENT = re.compile(r"\\[`'^\"~=.]\{?([A-Za-z])\}?")
# Escaped characters that print as themselves (`60\%`, `R\&D`).
_ESCAPED = re.compile(r"\\([%&_#$])")
# A command with one argument (`\textbf{...}`, `\emph{...}`, `\text{...}`): its argument stays,
# in place, so `\textbf{RE}\textbf{VAL}` reads "REVAL" and `\textbf{L}ocate` reads "Locate".
_WRAPPER = re.compile(r"\\[A-Za-z]+\*?\s*\{([^{}]*)\}")
# Any other command name (`\mu`, `\eg`, `\sim`, `\bf`), and math's own marks.
_COMMAND = re.compile(r"\\[A-Za-z]+\*?|\\[()\[\],;:!\\ ]")
_MATH_MARKS = re.compile(r"[$^_{}~]")
_LATEX = re.compile(r"[\\$~]")


def latex_to_prose(text: str) -> str:
    """`text` without LaTeX markup: references dropped, formatted text kept, math reduced to the
    letters and digits in it, command names gone."""
    if not _LATEX.search(text):
        return text
    text = _REFERENCE.sub(" ", text)
    text = _HREF.sub("", text)
    text = _ACCENT.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text)
    while True:  # nested wrappers unwrap from the inside out
        unwrapped = _WRAPPER.sub(r"\1", text)
        if unwrapped == text:
            break
        text = unwrapped
    text = _COMMAND.sub(" ", text)
    return _MATH_MARKS.sub(" ", text)
