"""Check located raw data against the models; say every problem in plain English, where it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from ..errors import Problem, UserError, did_you_mean, format_path, in_file_order, short
from .fields import parse_time
from .load import LocatedList, LocatedMap, locate
from .messages import model_problems
from .model import Addition, Change, Extension, Pathway, Questions, SequenceEntry, Slug

M = TypeVar("M", bound=BaseModel)



def validate_pathway(raw: LocatedMap) -> Pathway:
    """A whole pathway, or a UserError naming every problem: the model's and duplicate ids alike."""
    return _validate(raw, Pathway, _duplicate_ids(raw) + _session_problems(raw))


@dataclass(frozen=True)
class Changes:
    """The entries of a file's change keys that are valid on their own, each with its index or key.

    The merge checks what these refer to even when other entries, or other keys, are wrong, so
    that one run reports every problem.
    """

    add: list[tuple[int, Addition]]
    change: list[tuple[str, Change]]
    questions: list[tuple[str, tuple]]
    omit: list[tuple[int, str]]
    sequence: list[tuple[int, SequenceEntry]]


_ENTRIES = {name: TypeAdapter(kind) for name, kind in
            (("add", Addition), ("change", Change), ("questions", Questions), ("omit", Slug),
             ("sequence", SequenceEntry))}
_ID = TypeAdapter(Slug)


def validate_extension(raw: LocatedMap) -> tuple[Changes, list[Problem]]:
    """What a file that extends another changes, and every problem with it (its references are checked on merge)."""
    problems = []
    if "levels" in raw:
        problems.append(Problem(locate(raw, ("levels",), key=True), "levels",
                                "'levels' cannot be given in a file that extends another: change the "
                                "levels with 'sequence', 'omit' and 'add', and their title and intro with 'change'"))
        raw = raw.without("levels")
    try:
        Extension.model_validate(raw)
    except ValidationError as error:
        problems += model_problems(raw, Extension, error)
    return Changes(**{name: _valid(raw.get(name), adapter) for name, adapter in _ENTRIES.items()}), problems


def _valid(given: Any, adapter: TypeAdapter) -> list:
    """The entries of a list as (index, value), or of a mapping as (key, value), that are valid alone."""
    if isinstance(given, LocatedList):
        entries = list(enumerate(given))
    elif isinstance(given, LocatedMap):
        entries = list(given.items())
    else:
        return []
    if adapter is _ENTRIES["change"]:  # each field on its own: one wrong field leaves the others to check
        entries = [(key, {name: value for name, value in fields.items() if _is_valid(adapter, {name: value})}
                         if isinstance(fields, dict) else fields) for key, fields in entries]
    valid = []
    for place, value in entries:
        if isinstance(place, str) and not _is_valid(_ID, place):
            continue
        try:
            valid.append((place, adapter.validate_python(value)))
        except ValidationError:
            pass  # reported by the model's check
    return valid


def _is_valid(adapter: TypeAdapter, value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False  # reported by the model's check
    return True


def _validate(raw: LocatedMap, model: type[M], problems: list[Problem]) -> M:
    try:
        result = model.model_validate(raw)
    except ValidationError as error:
        problems = problems + model_problems(raw, model, error)
    if problems:
        raise UserError(in_file_order(problems))
    return result


def _duplicate_ids(raw: LocatedMap) -> list[Problem]:
    """Level ids unique, item ids unique across the pathway, and never shared by a level and an item."""
    problems, first_use = [], {}
    for level_index, level in enumerate(_mappings(raw.get("levels"))):
        entries = [(("levels", level_index), "level", level)]
        entries += [(("levels", level_index, "items", item_index), "item", item)
                    for item_index, item in enumerate(_mappings(level.get("items")))]
        for path, what, node in entries:
            key = node.get("id")
            if not isinstance(key, str):
                continue  # the model reports a missing or malformed id
            if key in first_use:
                other_path, other_what = first_use[key]
                other = locate(raw, other_path + ("id",))
                problems.append(Problem(
                    locate(raw, path + ("id",)), format_path(path + ("id",)),
                    f"the id '{key}' is already used by the {other_what} at {other}: "
                    f"every {what} needs its own id"))
            else:
                first_use[key] = (path, what)
    return problems


def _mappings(value: Any) -> list:
    """The entries of a list that are mappings (the checks that run before the model's may meet anything)."""
    return [entry if isinstance(entry, dict) else {} for entry in value] if isinstance(value, list) else []


def _session_problems(raw: LocatedMap) -> list[Problem]:
    """Each session is of a level the pathway has, and ends after it starts."""
    sessions = raw.get("sessions")
    if not isinstance(sessions, LocatedMap):
        return []  # the model says what is wrong
    levels = [level.get("id") for level in _mappings(raw.get("levels"))]
    problems = []
    for level_id, session in sessions.items():
        if level_id not in levels:
            problems.append(Problem(locate(raw, ("sessions", level_id), key=True), format_path(("sessions", level_id)),
                                    f"the pathway has no level '{short(level_id)}'"
                                    f"{did_you_mean(level_id, [level for level in levels if isinstance(level, str)])}"))
        times = [_time_or_none(session.get(key)) if isinstance(session, dict) else None for key in ("start", "end")]
        if None not in times and times[1] <= times[0]:
            end = ("sessions", level_id, "end")
            problems.append(Problem(locate(raw, end), format_path(end), f"the session ends at {times[1]:%H:%M}, "
                                                                        f"not after it starts at {times[0]:%H:%M}"))
    return problems


def _time_or_none(value: Any) -> datetime.time | None:
    try:
        return parse_time(value)
    except PydanticCustomError:
        return None  # no time, or not one: the model says so
