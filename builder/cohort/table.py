"""The cohort file as CSV text: its lines, its rows and fields (each knowing where it starts), and its columns.

See __init__.py for the dialect and its leniencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..errors import Location, Problem, UserError, did_you_mean, short

COLUMNS = ("name", "email", "cohort", "group")
MAX_COLUMNS = 20  # each unknown one is named, up to this many


def lines(data: bytes, file: str) -> tuple[list[str], dict[int, Problem]]:
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
class Field:
    text: str  # as in the file, quotes undone
    line: int
    column: int


@dataclass
class Row:
    line: int
    last_line: int
    fields: list[Field]
    problem: Problem | None = None  # text after a closing quote


def rows(lines: list[str], index: int, delimiter: str, file: str) -> Iterator[Row]:
    """The rows from lines[index] on, blank lines skipped; each field knows where it starts."""
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            pass
        elif '"' not in line:  # most rows: no field is quoted, so none goes on to the next line
            row, column = Row(index + 1, index + 1, []), 1
            for text in line.split(delimiter):
                row.fields.append(Field(text, index + 1, column))
                column += len(text) + 1
            yield row
        else:
            row = _quoted_row(lines, index, delimiter, file)
            index = row.last_line - 1
            yield row
        index += 1


def _quoted_row(lines: list[str], index: int, delimiter: str, file: str) -> Row:
    """The row that starts at lines[index], whose quoted fields may hold line breaks."""
    row, line, position = Row(index + 1, index + 1, []), lines[index], 0
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
        row.fields.append(Field(text, field_line, field_column))
        if stop == len(line):
            row.last_line = index + 1
            return row
        position = stop + 1


def _find(line: str, delimiter: str, start: int) -> int:
    found = line.find(delimiter, start)
    return len(line) if found < 0 else found


def columns(header: Row, delimiter: str, file: str, undecodable: dict[int, Problem]) -> list[str]:
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
