"""The learners of a cohort, read from a CSV file, each with a safe and unique file name.

The file is CSV as RFC 4180 and spreadsheets write it: fields may be quoted with '"', a '""'
inside quotes is a quote, and a quoted field may hold the delimiter and line breaks (its row then
spans lines). Lines end with '\\n' or '\\r\\n'. The delimiter is ',', unless the header line has
no comma but has a ';' (Excel saves so in many European locales) or, failing that, a tab.

Leniencies, each for something spreadsheets and people do: spaces around a quoted field are
ignored; a '"' inside an unquoted field is kept as text; a row whose fields are all empty
(',,,') is skipped like a blank line; empty columns at the end of the header, and empty fields
beyond the header's columns, are ignored (Excel writes them for columns that once held
something).

A row with a problem is left out of the learners and reported once, with the first problem found
in it: a byte that is not UTF-8, then text after a closing quote, then too many fields, then
each field in file order, then a duplicate. Problems with the file as a whole raise UserError.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import catalogue
from .errors import Location, Problem, UserError, did_you_mean, short

MAX_BYTES = 1_000_000  # a cohort of 10,000 learners with long names and emails is a few hundred KB
MAX_LEARNERS = 10_000
COLUMNS = ("name", "email", "cohort", "group")
MAX_COLUMNS = 20  # each unknown one is named, up to this many
LIMITS = {"name": 80, "email": 254, "cohort": 100, "group": 100}  # they must fit on a printed cover
STEM_LENGTH = 60  # 60 characters of 4 bytes, "-10000" and ".pdf" still fit Linux's 255 bytes

# Control characters, and the invisible ones that change how text around them reads: bidirectional
# controls can make a name print reversed, or two names look alike. Not U+200C/U+200D, which
# Persian and Indic names need. A line break inside a quoted field ('\n') is allowed.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\u2028\u2029\ufeff]")
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_APOSTROPHES = set("'\u2019\u2018\u02bc\u02bb`\u00b4\u2032")  # O'Brien, O’Brien, Oʼ Brien...
_JOINERS = set("\u200c\u200d")  # invisible: no place in a file name
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAVE_AS = "save it as 'CSV UTF-8 (comma delimited)' in Excel, or as UTF-8 text in another program"


@dataclass(frozen=True)
class Learner:
    name: str          # as written, stripped of surrounding white space, NFC-normalised
    email: str = ""
    cohort: str = ""
    group: str = ""
    line: int = 0      # the line of the file where the learner's row starts (1-based)
    stem: str = ""     # the file name, without ".pdf": safe and unique in the cohort


@dataclass(frozen=True)
class Cohort:
    learners: tuple[Learner, ...]       # the good rows, in file order
    bad_rows: tuple[Problem, ...]       # one Problem per bad row (the first found in it), in file order


def read_cohort(path: Path) -> Cohort:
    """The cohort in a CSV file, named in messages as catalogue.display() names it.

    At most MAX_BYTES + 1 bytes are read, whatever the file's size. A file that cannot be read
    (missing, a folder, not allowed) is a UserError that says so and what to do.
    """
    name = catalogue.display(path)
    try:
        data, size = catalogue.read_at_most(path, MAX_BYTES)
    except OSError as error:
        if _is_folder(path):  # Linux says IsADirectoryError, Windows PermissionError
            raise UserError(f"'{name}' is a folder, not a file: give the path of the learners' CSV file") from None
        if isinstance(error, FileNotFoundError):
            raise UserError(f"there is no file '{name}': check the name and folder of the learners' "
                            "CSV file") from None
        if isinstance(error, PermissionError):
            raise UserError(f"cannot read '{name}': permission denied; check that you may open it, "
                            "or copy it to a folder of your own") from None
        raise UserError(f"cannot read '{name}': {error.strerror}") from None
    return _parse(data, name, size)


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a folder on the way that may not be read: the error of open() says it
        return False


def parse_cohort(data: bytes, file: str) -> Cohort:
    """Pure: the bytes of a CSV file -> Cohort. `file` is how messages name the file.
    Raises UserError for problems with the file as a whole."""
    return _parse(data, file, len(data))


def _parse(data: bytes, file: str, size: int) -> Cohort:
    start = Location(file, 1, 1)
    if size > MAX_BYTES:
        raise UserError(Problem(start, "", f"the file is {size:,} bytes; a learners file may be at most "
                                           f"{MAX_BYTES:,} bytes: split the cohort into several files"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(Problem(start, "", f"the file is UTF-16 text: {_SAVE_AS}"))
    if data.startswith(b"PK\x03\x04"):  # a zip: what .xlsx and .ods files are
        raise UserError(Problem(start, "", "the file is a spreadsheet workbook, not CSV text: open it and "
                                           "save it as 'CSV UTF-8 (comma delimited)'"))
    lines, undecodable = _lines(data.removeprefix(b"\xef\xbb\xbf"), file)
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise UserError(Problem(start, "", "the file has no learners: it is empty; write a header line "
                                           "such as 'name,email,cohort,group', then one learner a line"))
    header_start = Location(file, first + 1, 1)
    if first + 1 in undecodable:
        raise UserError(undecodable[first + 1])
    if "\x00" in lines[first]:
        raise UserError(Problem(header_start, "", f"the header line holds NUL characters, so this is not "
                                                  f"UTF-8 text: {_SAVE_AS}"))
    if "\r" in lines[first]:
        raise UserError(Problem(header_start, "", "the lines end with a carriage return alone (an old Mac "
                                                  f"format): {_SAVE_AS}"))
    delimiter = next((mark for mark in ",;\t" if mark in lines[first]), ",")
    rows = _rows(lines, first, delimiter, file)
    columns = _columns(next(rows), delimiter, file, undecodable)
    # ',,,' is a blank line as a spreadsheet writes it. All rows are found before any is checked,
    # so that a problem with the whole file is said alone, and a file too long costs no more.
    rows = [row for row in rows if any(field.text.strip() for field in row.fields)]
    if len(rows) > MAX_LEARNERS:
        raise UserError(Problem(Location(file, rows[MAX_LEARNERS].line, 1), "", (
            f"the file has more than {MAX_LEARNERS:,} learners: split the cohort into files of at most "
            f"{MAX_LEARNERS:,}")))
    if not rows:
        raise UserError(Problem(header_start, "", "the file has no learners, only a header line: add a line "
                                                  "for each learner below it"))
    learners, bad_rows = [], []
    first_lines: dict[tuple[str, str], int] = {}  # each learner's identity -> the line it was first on
    stems = _Stems()
    for row in rows:
        values, problem = _check(row, columns, delimiter, undecodable, file)
        if problem is None:
            problem = _duplicate(row, values, first_lines)
        if problem is not None:
            bad_rows.append(problem)
            continue
        plain = {key: value for key, (value, _) in values.items()}
        learners.append(Learner(**plain, line=row.line, stem=stems.unique(file_stem(plain["name"], row.line))))
    return Cohort(tuple(learners), tuple(bad_rows))


def _lines(data: bytes, file: str) -> tuple[list[str], dict[int, Problem]]:
    """The file's lines, and the problem of each that is not UTF-8 (by line number).

    Decoded one by one, so that one row saved in another encoding spoils only itself; it is kept
    with replacement characters, so that the rows after it are still found.
    """
    lines, undecodable = [], {}
    for number, raw in enumerate(data.split(b"\n"), 1):
        raw = raw.removesuffix(b"\r")
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            column = len(raw[: error.start].decode("utf-8")) + 1
            undecodable[number] = Problem(Location(file, number, column), "", (
                f"byte 0x{raw[error.start]:02x} is not UTF-8 text: save the file as UTF-8 (in Excel, "
                "as 'CSV UTF-8 (comma delimited)')"))
            lines.append(raw.decode("utf-8", "replace"))
    return lines, undecodable


@dataclass
class _Field:
    text: str  # as in the file, quotes undone
    line: int
    column: int


@dataclass
class _Row:
    line: int
    last_line: int
    fields: list[_Field]
    problem: Problem | None = None  # text after a closing quote


def _rows(lines: list[str], index: int, delimiter: str, file: str) -> Iterator[_Row]:
    """The rows from lines[index] on, blank lines skipped; each field knows where it starts."""
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            pass
        elif '"' not in line:  # most rows: no field is quoted, so none goes on to the next line
            row, column = _Row(index + 1, index + 1, []), 1
            for text in line.split(delimiter):
                row.fields.append(_Field(text, index + 1, column))
                column += len(text) + 1
            yield row
        else:
            row = _quoted_row(lines, index, delimiter, file)
            index = row.last_line - 1
            yield row
        index += 1


def _quoted_row(lines: list[str], index: int, delimiter: str, file: str) -> _Row:
    """The row that starts at lines[index], whose quoted fields may hold line breaks."""
    row, line, position = _Row(index + 1, index + 1, []), lines[index], 0
    while True:
        field_line, field_column = index + 1, position + 1
        opening = position
        while line.startswith(" ", opening):
            opening += 1
        if line.startswith('"', opening):
            parts, position = [], opening + 1
            while (end := line.find('"', position)) < 0 or line.startswith('"', end + 1):
                if end >= 0:  # '""': one quote, and the field goes on
                    parts.append(line[position:end + 1])
                    position = end + 2
                    continue
                parts.append(line[position:] + "\n")
                index += 1
                if index == len(lines):
                    raise UserError(Problem(
                        Location(file, field_line, opening + 1), "",
                        "this quote is never closed, so the rest of the file would be one field: add "
                        "the closing '\"' (a quote inside a quoted field is written twice: '\"\"')"))
                line, position = lines[index], 0
            parts.append(line[position:end])
            stop = _find(line, delimiter, end + 1)
            if line[end + 1:stop].strip(" "):
                parts.append(line[end + 1:stop])  # kept, though the row is not
                row.problem = row.problem or Problem(Location(file, field_line, field_column), "", (
                    "text follows the closing quote of this field: a quote inside a quoted field is "
                    "written twice, e.g. \"Dwayne \"\"The Rock\"\" Johnson\""))
            text = "".join(parts)
        else:
            stop = _find(line, delimiter, position)
            text = line[position:stop]
        row.fields.append(_Field(text, field_line, field_column))
        if stop == len(line):
            row.last_line = index + 1
            return row
        position = stop + 1


def _find(line: str, delimiter: str, start: int) -> int:
    found = line.find(delimiter, start)
    return len(line) if found < 0 else found


def _columns(header: _Row, delimiter: str, file: str, undecodable: dict[int, Problem]) -> list[str]:
    """The column of each field, or a UserError naming every problem with the header."""
    problems = [undecodable[number] for number in range(header.line, header.last_line + 1)
                if number in undecodable][:1] + ([header.problem] if header.problem else [])
    keys = [field.text.strip().casefold() for field in header.fields]
    while keys and not keys[-1]:
        keys.pop()  # Excel writes a delimiter for each column that once held something
    allowed = ", ".join(f"'{column}'" for column in COLUMNS[:-1]) + f" and '{COLUMNS[-1]}'"
    if len(keys) > MAX_COLUMNS:  # not a learners file, or one with far more: one message, not thousands
        raise UserError(Problem(Location(file, header.line, 1), "", (
            f"the header has {len(keys):,} columns: a learners file has only {allowed}; delete the others")))
    seen: set[str] = set()
    for field, key in zip(header.fields, keys):
        where = Location(file, field.line, field.column)
        if not key:
            problems.append(Problem(where, "", f"this column has no name: name it ({allowed}) or delete it"))
        elif key not in COLUMNS:
            problems.append(Problem(where, "", f"unknown column '{short(field.text.strip())}'"
                                               f"{did_you_mean(key, COLUMNS)}: the columns may be {allowed}"))
        elif key in seen:
            problems.append(Problem(where, "", f"the column '{key}' comes twice in the header: delete one of "
                                               "the two"))
        seen.add(key)
    if "name" not in seen:
        example = delimiter.join(COLUMNS) if delimiter != "\t" else "name, email, cohort and group"
        problems.append(Problem(Location(file, header.line, 1), "", (
            f"the header has no 'name' column: the first line names the columns, e.g. '{example}', and "
            "'name' is needed")))
    if problems:
        raise UserError(problems)
    return keys


def _check(row: _Row, columns: list[str], delimiter: str, undecodable: dict[int, Problem],
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


def _duplicate(row: _Row, values: dict[str, tuple[str, Location]],
               first_lines: dict[tuple[str, str], int]) -> Problem | None:
    """The same learner twice: the same name, ignoring case and spacing, and the same email, or none.

    Two people may share a name; their emails tell them apart.
    """
    name, where = values["name"]
    email = values["email"][0] if "email" in values else ""
    identity = (" ".join(unicodedata.normalize("NFC", name.casefold()).split()), email.casefold())
    if identity not in first_lines:
        first_lines[identity] = row.line
        return None
    also, forward = (f" ({short(email)})", "") if email else \
        ("", ", or give each their email if they are two people")
    return Problem(where, "", f"the learner '{short(name)}'{also} is already on line {first_lines[identity]}: "
                              f"delete one of the two rows{forward}")


def _kind(character: str) -> str:
    if character == "\t":
        return "a tab"
    if character in _BIDI:
        return "an invisible text direction mark"
    if character == "\ufeff":
        return "an invisible byte order mark"
    return "a line separator" if character in "\u2028\u2029" else "a control character"


def file_stem(name: str, line: int) -> str:
    """A file name for the learner, without '.pdf': the same on Windows, macOS and Linux.

    Lower-case letters and digits of any script, and single '-' between words: 'Zoë O'Brien' ->
    'zoe-obrien'. A letter that is ASCII once its accents are gone loses them; others stay as they
    are, with their marks (Hebrew points, Indic vowel signs), which belong to the word before them.
    """
    if name.isascii():  # most names: the same result, ten times faster
        words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"['`]", "", name.lower())).split()
        stem = "-".join(words)[:STEM_LENGTH].rstrip("-")
        return _not_reserved(stem) if stem else f"learner-{line}"
    folded = []
    for character in unicodedata.normalize("NFC", name):
        plain = "".join(part for part in unicodedata.normalize("NFKD", character)
                        if not unicodedata.category(part).startswith("M"))
        if character in _APOSTROPHES or plain in _APOSTROPHES or character in _JOINERS:
            continue  # O'Brien -> obrien, not o-brien
        folded.append(plain if plain and plain.isascii() else character)
    text = unicodedata.normalize("NFC", "".join(folded).casefold())
    words: list[str] = []
    gap = False
    for character in text:
        category = unicodedata.category(character)
        if category[0] in "LN" or (category[0] == "M" and words and not gap):
            if gap and words:
                words.append("-")
            words.append(character)
            gap = False
        else:
            gap = True
    stem = "".join(words)[:STEM_LENGTH].rstrip("-")
    return _not_reserved(stem) if stem else f"learner-{line}"


def _not_reserved(stem: str) -> str:
    return f"{stem}-learner" if stem in _RESERVED else stem  # Windows can make no con.pdf, com1.pdf...


class _Stems:
    """Hands out stems unique in the cohort, ignoring case: 'ann-lee', 'ann-lee-2', 'ann-lee-3'."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}  # so that 10,000 namesakes take linear time, not quadratic

    def unique(self, stem: str) -> str:
        key = stem.casefold()
        if key in self.taken:
            number = self.next.get(key, 2)
            while f"{key}-{number}" in self.taken:
                number += 1
            self.next[key] = number + 1
            stem, key = f"{stem}-{number}", f"{key}-{number}"
        self.taken.add(key)
        return stem
