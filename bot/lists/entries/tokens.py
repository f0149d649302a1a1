"""Joining the tokens of an entry template: what the bot cannot know is dropped together with the
brackets, emphasis and separators that only served it. Pure."""

from __future__ import annotations

import re

from bot.lists.entries.pieces import strip_emoji

_WORD = re.compile(r"[^\W_]+(?:['’.\-&][^\W_]+)*\.?")


def residue_tokens(text: str, tokens: list[tuple[str, str]]) -> None:
    """Words and emoji in a literal run are residue (dropped); punctuation and spaces stay."""
    position = 0
    for word in _WORD.finditer(text):
        if word.start() > position:
            _emoji_tokens(text[position : word.start()], tokens)
        tokens.append(("drop", word[0]))
        position = word.end()
    if position < len(text):
        _emoji_tokens(text[position:], tokens)


def _emoji_tokens(text: str, tokens: list[tuple[str, str]]) -> None:
    kept = strip_emoji(text)
    if kept == text:
        tokens.append(("lit", text))
        return
    for run in re.split(r"(\s+)", text):
        if run and strip_emoji(run) != run:
            tokens.append(("drop", run))
        elif run:
            tokens.append(("lit", run))


_DROP = "\x00"
_SEP = r"[ \t\u00a0,;|·–—:]*"  # separators, a no-break space among them
# Emphasis left holding nothing once what it wrapped was dropped (`*Ann Lee (MIT) et al.*` -> `**`).
_EMPTY_EMPHASIS = re.compile(r"(?:^|(?<=[ \t]))(\*{1,3}|_{1,3})[ \t.,;:]*\1(?=[ \t]|$)")
_WRAPPED_DROP = re.compile(r"\[\s*\x00\s*\]|\(\s*\x00\s*\)|\*\*\s*\x00\s*\*\*|(?<!\*)\*\s*\x00\s*\*(?!\*)")
# Brackets or parentheses left holding only the punctuation between dropped words (`(MLM + NSP)` ->
# `(+)`, `[**AAAI, 2024**]` -> `[**/**]`): the punctuation served the words, it goes with them.
_PUNCTUATION_GROUP = re.compile(r"\[(?=[^\[\]]*\x00)[^\w\[\]⟦⟧]*\](?!\()|\((?=[^()]*\x00)[^\w()⟦⟧]*\)")
# Symbols joining two dropped words (`Challenges & Perspectives`, `MLM + NSP`): dropped with them.
_JOINED_DROPS = re.compile(r"\x00(?:[ \t\u00a0,;|·–—:&+/=]*\x00)+")


def assemble(tokens: list[tuple[str, str]]) -> str:
    """Join tokens, removing dropped ones together with the wrappers and separators that only served them."""
    out = "".join(_DROP if kind == "drop" else value for kind, value in tokens)
    if _DROP not in out:
        return out
    for _ in range(2):
        out = _WRAPPED_DROP.sub(_DROP, out)
        out = _JOINED_DROPS.sub(_DROP, out)
        out = _PUNCTUATION_GROUP.sub(_DROP, out)
    out = re.sub(r"^(\s*)\x00" + _SEP, r"\1", out)
    out = re.sub(r"([(\[])\s*\x00" + _SEP, r"\1", out)
    out = re.sub(_SEP + r"\x00", "", out)
    out = _EMPTY_EMPHASIS.sub("", out)
    return re.sub(r"(\S)[ \t]{2,}(?=\S)", r"\1 ", out)
