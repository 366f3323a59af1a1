"""The rules for one row of a cohort file: each value clean and within its limit, and no learner twice."""

from __future__ import annotations

import re
import unicodedata

from ..errors import Location, Problem, short
from .table import Row

LIMITS = {"name": 80, "email": 254, "cohort": 100, "group": 100}  # they must fit on a printed cover

# Control characters, and the invisible ones that change how text around them reads: bidirectional
# controls can make a name print reversed, or two names look alike. Not U+200C/U+200D, which
# Persian and Indic names need. A line break inside a quoted field ('\n') is allowed.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\u2028\u2029\ufeff]")
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def check(row: Row, columns: list[str], delimiter: str, undecodable: dict[int, Problem],
           file: str) -> tuple[dict[str, tuple[str, Location]], Problem | None]:
    """Each column's value (cleaned) and where it starts, or the row's first problem."""
    for number in range(row.line, row.last_line + 1):
        if number in undecodable:
            return {}, undecodable[number]
    if row.problem:
        return {}, row.problem
    used = max(index for index, field in enumerate(row.fields) if field.text.strip()) + 1
    if used > len(columns):
        word = _DELIMITER_NAMES[delimiter]
        return {}, Problem(Location(file, row.line, 1), "", (
            f"this row has {used} values but the header names {len(columns)} columns: put a name (or any value) "
            f"that holds a {word} in double quotes, e.g. \"Smith{delimiter} Alice\""))
    values = {}
    for field, key in zip(row.fields, columns):
        where = Location(file, field.line, field.column)
        if found := _CONTROL.search(field.text):
            return {}, Problem(where, "", f"the {key} holds U+{ord(found.group()):04X} ({_kind(found.group())}), "
                                          "which cannot be printed: remove it")
        value = unicodedata.normalize("NFC", field.text.strip())
        if len(value) > LIMITS[key]:
            reason = "that an email address may have" if key == "email" else "that fit on the cover"
            return {}, Problem(where, "", f"the {key} is {len(value):,} characters long, more than the "
                                          f"{LIMITS[key]} {reason}: shorten it")
        if key == "name" and not value:
            return {}, Problem(where, "", "the name is empty: fill it in, or delete the row")
        if key == "email" and value and not _EMAIL.fullmatch(value):
            return {}, Problem(where, "", f"'{short(value)}' is not an email address (one '@' with text on each "
                                          "side, and no spaces): correct it, or leave it empty")
        values[key] = (value, where)
    if "name" not in values:  # the row stops before its name column
        return {}, Problem(Location(file, row.line, 1), "", "the name is empty: fill it in, or delete the row")
    return values, None


def duplicate(row: Row, values: dict[str, tuple[str, Location]],
               first_lines: dict[tuple[str, str], int]) -> Problem | None:
    """The same learner twice: the same name, ignoring case and spacing, and the same email, or none.

    Two people may share a name; their emails tell them apart.
    """
    name, where = values["name"]
    email = values["email"][0] if "email" in values else ""
    same = identity(name, email)
    if same not in first_lines:
        first_lines[same] = row.line
        return None
    also, forward = (f" ({short(email)})", "") if email else \
        ("", ", or give each their email if they are two people")
    return Problem(where, "", f"the learner '{short(name)}'{also} is already on line {first_lines[same]}: "
                              f"delete one of the two rows{forward}")


def identity(name: str, email: str) -> tuple[str, str]:
    """Who a row is: its email, and its name ignoring case and spacing; no two good rows share one."""
    return email.casefold(), " ".join(unicodedata.normalize("NFC", name.casefold()).split())


def _kind(character: str) -> str:
    if character == "\t":
        return "a tab"
    if character in _BIDI:
        return "an invisible text direction mark"
    if character == "\ufeff":
        return "an invisible byte order mark"
    return "a line separator" if character in "\u2028\u2029" else "a control character"
