"""The two kinds of failure: a user's mistake (a message, exit 2) and our bug (a traceback, exit 1)."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Location:
    """Where a node of a pathway file starts: 1-based line and column."""

    file: str
    line: int
    column: int | None  # None where only the line is known (templates)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")

    @classmethod
    def after(cls, file: str, before: str | bytes) -> Location:
        """Where the text (or bytes) that follows `before` starts."""
        newline = b"\n" if isinstance(before, bytes) else "\n"
        line_start = before.rfind(newline) + 1
        return cls(file, before.count(newline) + 1, len(before) - line_start + 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, said the way the user will read it."""

    location: Location | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        what = f"{self.path}: " if self.path else ""
        # One line, whatever the file held: a line break in a value it echoes shows as \n.
        return f"{where}{what}{self.message}".translate(_ESCAPES)


# Control characters and the line separators YAML and terminals know, as Python would write them.
_ESCAPES = {code: repr(chr(code))[1:-1] for code in (*range(32), *range(127, 160), 0x2028, 0x2029)}


def short(text: str, limit: int = 60) -> str:
    """A value echoed in a message, but not a page of it."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Characters that show as nothing: every format character (Unicode's category Cf: zero-width spaces and
# joiners, direction marks, the byte-order mark, soft hyphens, tags), and the fillers and selectors that
# draw no mark of their own. tests/test_hostile.py checks the list against this Python's Unicode.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000e0100-\U000e01ef]")


def shown(value: str) -> str:
    """A value as a message echoes it: short, and each invisible character written as its escape."""
    return INVISIBLE.sub(lambda found: found.group().encode("unicode_escape").decode(), short(value))


def invisible(value: str) -> str | None:
    """The first invisible character in `value`, as 'U+200B ZERO WIDTH SPACE'; None if it has none."""
    if (found := INVISIBLE.search(value)) is None:
        return None
    name = unicodedata.name(found.group(), "")
    return f"U+{ord(found.group()):04X}" + (f" {name}" if name else "")


def in_file_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems as a reader meets them: by file, line and column."""
    def place(problem: Problem) -> tuple:
        where = problem.location
        return (where.file, where.line, where.column or 0) if where else ("", 0, 0)
    return sorted(problems, key=place)


class UserError(Exception):
    """Bad input or usage: every problem found, reported together, without a traceback."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(None, "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.outcome = ""  # what the command did about it, e.g. "nothing was written"
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """What the user is told: a line for each problem, then how many and what was done about them."""
        lines = [f"error: {problem}" for problem in self.problems]
        count = len(self.problems)
        if count > 1 or self.outcome:
            found = f"{count} problems found" if count > 1 else ""
            lines.append(": ".join(part for part in (found, self.outcome) if part).capitalize() + ".")
        return lines


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when a close match exists, else ''.

    Close means similar overall, the start of just one name, or one or two slips of the finger away
    (a swapped pair counts as one).
    """
    word, choices = str(word), list(choices)
    if len(word) > 100:  # no name is that long; comparing would only take time
        return ""
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    if not matches and len(word) >= 3:  # the start of a longer name: 'every' for 'every_days'
        starting = [choice for choice in choices if choice.startswith(word)]
        matches = starting if len(starting) == 1 else []
    if not matches:
        allowed = max(1, len(word) // 4)
        # No fewer edits than the lengths differ by: most names are not worth the count.
        near = sorted((_typos(word, choice), choice) for choice in choices if abs(len(choice) - len(word)) <= allowed)
        matches = [choice for distance, choice in near[:1] if distance <= allowed and distance < len(word)]
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _typos(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn a into b."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def format_path(parts: Iterable[str | int]) -> str:
    """('levels', 0, 'items', 2, 'title') -> 'levels[0].items[2].title'."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{short(str(part))}" if text else short(str(part))
    return text


class EngineUnavailable(Exception):
    """WeasyPrint cannot start here: the machine lacks something, which the message names."""
