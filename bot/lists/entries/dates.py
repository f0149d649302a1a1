"""Dates as lists write them, read from their digits and separators, and written back the same way.

A date is a run of two or three parts (digit groups or a month's name) joined by `-`, `.`, `/` or a
space, with one part a four-digit year: `2025-08`, `2025.08.27`, `08/27, 2025`, `Aug. 27, 2025`,
`27 Aug 2025`, `[2025/08]`; or a bare year. Each part's role follows from its value and place (a
number above 12 is a day; of two small numbers the first is the month after a `/`, the day after a
`.` or `-`), so a form no list has used yet is read and written like the others. `25.08` (two-digit
year, month) is a date only where it is a whole table cell. The result is a format string such as
`MM/DD, YYYY` whose tokens `format_date` fills. Pure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MONTH_NAME = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_PART = rf"(?:\d{{1,4}}|{_MONTH_NAME})"
_SEP = r"(?:[-./]|,?[ \t])"
_CANDIDATE = re.compile(rf"(?<![\w./-]){_PART}(?:{_SEP}{_PART}){{1,2}}(?![\w/-]|\.\d)", re.IGNORECASE)
_BARE_YEAR = re.compile(r"(?<![\w./-])((?:19|20)\d{2})(?![\w/-]|\.\d)")
_PIECE = re.compile(rf"{_MONTH_NAME}|\d{{1,4}}|{_SEP}", re.IGNORECASE)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
SHORT_DATE = re.compile(r"^(?P<yy>\d{2})\.(?P<mm>\d{2})$")  # `25.02`, only where a whole cell is one
DATE_TOKEN = re.compile(r"YYYY|YY|MMMM|MMM|MM|M|DD|D")


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    fmt: str  # e.g. "YYYY/MM", "YYYY.MM.DD", "MM/DD, YYYY", "MMM YYYY", "YY.MM", "YYYY"
    key: int  # yyyymm for ordering, month 0 when unknown
    day: int = 0  # the day it shows, 0 when none


def find_dates(text: str) -> list[DateSpan]:
    """Every date the text shows, in order; a year alone is a date too (month 0)."""
    spans: list[DateSpan] = []
    for match in _CANDIDATE.finditer(text):
        read = _read(match[0])
        if read is not None:
            length, fmt, key, day = read
            spans.append(DateSpan(match.start(), match.start() + length, fmt, key, day))
    taken = [(s.start, s.end) for s in spans]
    for match in _BARE_YEAR.finditer(text):
        if not any(a <= match.start() < b for a, b in taken):
            spans.append(DateSpan(match.start(), match.end(), "YYYY", int(match[1]) * 100))
    return sorted(spans, key=lambda s: s.start)


def short_date(text: str) -> DateSpan | None:
    """A whole-cell `YY.MM` date such as `23.07`."""
    m = SHORT_DATE.match(text.strip())
    if not m or not 1 <= int(m["mm"]) <= 12:
        return None
    offset = len(text) - len(text.lstrip())
    return DateSpan(offset, offset + 5, "YY.MM", (2000 + int(m["yy"])) * 100 + int(m["mm"]))


def format_date(day: date, fmt: str) -> str:
    """`day` written in `fmt` (the tokens of `DateSpan.fmt`)."""
    name = MONTHS[day.month - 1]
    tokens = {"YYYY": f"{day.year:04d}", "YY": f"{day.year % 100:02d}", "MMMM": name, "MMM": name[:3],
              "MM": f"{day.month:02d}", "M": str(day.month), "DD": f"{day.day:02d}", "D": str(day.day)}
    return DATE_TOKEN.sub(lambda m: tokens[m[0]], fmt)


NEAR_DATES = 5  # how many of the siblings nearest in date settle a width they disagree on


def settle_widths(fmt: str, samples: Sequence[DateSpan], near: int = 0) -> str:
    """`fmt` with the width of its month and day taken from the samples that show it: `2024.12` alone
    cannot tell `2024.9` from `2024.09`, a sibling dated in September can. With `near` (a yyyymm), the
    siblings nearest in date decide: a list that wrote `2023.5` and now writes `2024.02` is followed
    as it wrote papers of that time."""
    same = [s for s in samples if _loose(s.fmt) == _loose(fmt)]
    for token, value in (("M", lambda s: s.key % 100), ("D", lambda s: s.day)):
        showing = [s for s in same if 0 < value(s) < 10]
        if near:
            showing = sorted(showing, key=lambda s: abs(_months(s.key) - _months(near)))[:NEAR_DATES]
        shown = Counter(_width(s.fmt, token) for s in showing)
        if shown:
            fmt = re.sub(rf"(?<![A-Z]){token}{{1,2}}(?![A-Z])", shown.most_common(1)[0][0], fmt)
    return fmt


def _months(key: int) -> int:
    return key // 100 * 12 + key % 100


def _loose(fmt: str) -> str:
    return re.sub(r"(?<![A-Z])(M|D)\1?(?![A-Z])", r"\1", fmt)


def _width(fmt: str, token: str) -> str:
    match = re.search(rf"(?<![A-Z]){token}{{1,2}}(?![A-Z])", fmt)
    return match[0] if match else token


def _read(run: str) -> tuple[int, str, int, int] | None:
    """(length used, format, yyyymm) of the longest date at the start of `run`, None when none."""
    pieces = _PIECE.findall(run)  # part, sep, part, sep, part
    for count in (5, 3):
        if len(pieces) >= count:
            read = _roles(pieces[:count])
            if read is not None:
                return len("".join(pieces[:count])), *read
    return None


def _roles(pieces: list[str]) -> tuple[str, int, int] | None:
    parts, seps = pieces[0::2], pieces[1::2]
    years = [i for i, p in enumerate(parts) if _YEAR.match(p)]
    names = [i for i, p in enumerate(parts) if p[:1].isalpha()]
    if len(years) != 1 or len(names) > 1 or (0 < years[0] < len(parts) - 1):
        return None  # one year, at one end: `2025-08-27`, `08/27, 2025`
    if any(s.strip(", \t") == "" for s in seps) and not names and not seps[-1].startswith(","):
        return None  # `GPT 4 2024`: numbers apart are not a date unless a month's name or `, ` joins them
    if len({s for s in seps if s in ("-", ".", "/")}) > 1:
        return None  # `2024.9/1`: not one date
    rest = [i for i in range(len(parts)) if i != years[0]]
    roles: dict[int, str] = {years[0]: "YYYY"}
    if names:
        month = _month_number(parts[names[0]])
        if month is None:
            return None
        full = parts[names[0]].rstrip(".").lower() == MONTHS[month - 1].lower() and month != 5
        roles[names[0]] = "MMMM" if full else "MMM"
        small = [i for i in rest if i != names[0]]
    else:
        small, month = rest, None
    if any(len(parts[i]) > 2 or not parts[i].isdigit() for i in small):
        return None
    values = {i: int(parts[i]) for i in small}
    if month is None:
        month_at = _month_position(small, values, seps, years[0])
        if month_at is None:
            return None
        month = values[month_at]
        roles[month_at] = "MM" if len(parts[month_at]) == 2 else "M"
        small = [i for i in small if i != month_at]
    if len(small) > 1 or not 1 <= month <= 12:
        return None
    for i in small:
        if not 1 <= values[i] <= 31:
            return None
        roles[i] = "DD" if len(parts[i]) == 2 else "D"
    fmt = "".join(_token(roles[k], parts[k]) + (seps[k] if k < len(seps) else "") for k in range(len(parts)))
    return fmt, int(parts[years[0]]) * 100 + month, values[small[0]] if small else 0


def _token(role: str, part: str) -> str:
    """The role's token, with the period a month's abbreviation may carry (`Aug.`)."""
    return role + "." if role in ("MMM", "MMMM") and part.endswith(".") else role


def _month_position(small: list[int], values: dict[int, int], seps: list[str], year_at: int) -> int | None:
    """Which of the small numbers is the month: the only one; one above 12 is a day; else the first
    after a `/` or before `, ` (`08/27, 2025`), the second after `.` or `-` (`27.08.2025`); the one
    next to the year when the year comes first (`2025-08-27`)."""
    if len(small) == 1:
        return small[0]
    if len(small) != 2:
        return None
    first, second = small
    if year_at == 0:
        return first if values[first] <= 12 else None
    if values[first] > 12:
        return second
    if values[second] > 12:
        return first
    return first if seps[0] == "/" or seps[-1].startswith(",") else second


def _month_number(name: str) -> int | None:
    head = name.rstrip(".")[:3].lower()
    return next((k + 1 for k, m in enumerate(MONTHS) if m[:3].lower() == head), None)
