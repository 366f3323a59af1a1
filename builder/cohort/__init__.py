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

import os
from dataclasses import dataclass
from pathlib import Path

from .. import catalogue
from ..errors import Location, Problem, UserError
from . import table
from .names import file_stem, unique_stems
from .rows import check, duplicate, identity

__all__ = ["MAX_BYTES", "MAX_LEARNERS", "Cohort", "Learner", "cohort_folder", "cohort_source", "file_stem",
           "parse_cohort", "read_cohort"]

MAX_BYTES = 1_000_000  # a cohort of 10,000 learners with long names and emails is a few hundred KB
MAX_LEARNERS = 10_000
_SAVE_AS = "save it as 'CSV UTF-8 (comma delimited)' in Excel, or as UTF-8 text in another program"


@dataclass(frozen=True)
class Learner:
    name: str          # as written, stripped of surrounding white space, NFC-normalised
    email: str = ""
    cohort: str = ""
    group: str = ""
    line: int = 0      # the line of the file where the learner's row starts (1-based); not on the cover
    stem: str = ""     # the file name, without ".pdf": safe and unique in the cohort, whatever the order


@dataclass(frozen=True)
class Cohort:
    learners: tuple[Learner, ...]       # the good rows, in file order
    bad_rows: tuple[Problem, ...]       # one Problem per bad row (the first found in it), in file order


def cohort_folder(path: Path) -> str:
    """The folder of a cohort file's copies (learners/<this>/): its name, made safe as learners' names are.

    Two cohort files of one name would share it: the build refuses the second (see build._claim).
    """
    return file_stem(path.stem, fallback="cohort")


def cohort_source(path: Path, out: Path) -> str:
    """Which cohort file this is, as the output folder `out` sees it: its path from there, so that a
    project moved whole (its cohort files and outputs together) is still the same cohort."""
    try:
        return os.path.relpath(path.resolve(), out.resolve())
    except ValueError:  # on another drive, on Windows
        return str(path.resolve())


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
    lines, undecodable = table.lines(data.removeprefix(b"\xef\xbb\xbf"), file)
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
    rows = table.rows(lines, first, delimiter, file)
    columns = table.columns(next(rows), delimiter, file, undecodable)
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
    good, bad_rows = [], []
    first_lines: dict[tuple[str, str], int] = {}  # each learner's identity -> the line it was first on
    for row in rows:
        values, problem = check(row, columns, delimiter, undecodable, file)
        if problem is None:
            problem = duplicate(row, values, first_lines)
        if problem is not None:
            bad_rows.append(problem)
            continue
        good.append(({key: value for key, (value, _) in values.items()}, row.line))
    # A learner's file name comes from their row alone, and from namesakes' rows: never from the order.
    stems = unique_stems([(file_stem(plain["name"]), identity(plain["name"], plain.get("email", "")))
                          for plain, _ in good])
    learners = [Learner(**plain, line=line, stem=stem) for (plain, line), stem in zip(good, stems)]
    return Cohort(tuple(learners), tuple(bad_rows))
