"""Check located raw data against the models; say every problem in plain English, where it is."""

from __future__ import annotations

import calendar
import datetime
import re
import typing
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import Problem, UserError, did_you_mean, format_path, in_file_order, short
from .load import LocatedList, LocatedMap, locate
from .model import Addition, Change, Extension, Pathway, Questions, SequenceEntry, Slug

M = TypeVar("M", bound=BaseModel)

# Keys that only a file that extends another may use: they change what it extends.
CHANGE_KEYS = tuple(key for key in Extension.model_fields if key not in Pathway.model_fields)


def validate_pathway(raw: LocatedMap) -> Pathway:
    """A whole pathway, or a UserError naming every problem: the model's and duplicate ids alike."""
    return _validate(raw, Pathway, _duplicate_ids(raw))


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
        problems += _problems(raw, Extension, error)
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
    return [(place, adapter.validate_python(value)) for place, value in entries
            if _is_valid(adapter, value) and (not isinstance(place, str) or _is_valid(_ID, place))]


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
        problems = problems + _problems(raw, model, error)
    if problems:
        raise UserError(in_file_order(problems))
    return result


def _problems(raw: Any, model: type[BaseModel], error: ValidationError) -> list[Problem]:
    problems, seen = [], set()
    for detail in error.errors(include_url=False):
        about_key = detail["type"] == "extra_forbidden" or "[key]" in detail["loc"]
        path = tuple(part for part in detail["loc"] if part != "[key]")  # pydantic's mark for dict keys
        if path in seen or _is_echo(detail):
            continue
        seen.add(path)
        location = locate(raw, path, key=about_key)
        problems.append(Problem(location, format_path(path), _message(detail, model, path)))
    return problems


def _is_echo(detail: dict) -> bool:
    """A list whose entries all failed is then 'too short': the entries' own errors say enough."""
    return detail["type"] == "too_short" and bool(detail.get("input"))


def _message(detail: dict, model: type[BaseModel], path: tuple) -> str:
    kind, value, context = detail["type"], detail.get("input"), detail.get("ctx") or {}
    if kind == "missing":
        return f"missing required key '{path[-1]}'"
    if kind == "extra_forbidden":
        if model is Extension and len(path) == 3 and path[0] == "change" and path[2] in ("id", "items"):
            return ("an id cannot be changed: omit the item and add one with the new id" if path[2] == "id" else
                    "a level's items are changed with 'add', 'omit' and 'sequence', not 'change'")
        if model is Extension and path in (("items",), ("item",), ("level",)):
            return (f"unknown key '{path[0]}': to change an inherited item or level, give 'change:' and "
                    "its id, like 'change: {five-myths: {url: ...}}'")
        if model is Pathway and len(path) == 1 and path[0] in CHANGE_KEYS:
            return (f"'{path[0]}' works only in a file that extends another: add "
                    "'extends: <the pathway's id or file>' at the top")
        known = _known_keys(model, path[:-1]) + (["extends"] if model is Pathway and len(path) == 1 else [])
        return f"unknown key '{short(str(path[-1]))}'{did_you_mean(path[-1], known)}"
    if kind == "literal_error":
        choices = _literal_choices(context.get("expected", ""))
        return (f"'{short(str(value))}' is not one of {', '.join(choices)}"
                f"{did_you_mean(value, choices)}")
    if kind in ("string_type",):
        return f"expected text, found {_describe(value)}{_quote_hint(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float", "finite_number"):
        return f"expected a whole number, found {_describe(value)}"
    if kind in ("greater_than", "greater_than_equal", "less_than_equal"):
        return _out_of_range(path[-1], value, context)
    if kind in ("tuple_type", "list_type"):
        hint = f': write it as ["{short(value)}"]' if isinstance(value, str) else ""
        return f"expected a list, found {_describe(value)}{hint}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys, found {_describe(value)}"
    if kind == "too_short":
        return {"levels": "a pathway needs at least one level",
                "items": "a level needs at least one item",
                "questions": "give at least one question, or leave 'questions' out to use the "
                             "reflective model's"}.get(_last_name(path), "needs at least one entry")
    if kind.startswith("date"):
        return _not_a_date(value)
    return detail["msg"][0].lower() + detail["msg"][1:]


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_OTHER_ORDER = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")  # 01/03/2027: in the UK, 1 March


def _not_a_date(value: Any) -> str:
    """Why a value is not a date, where that can be told: a month 13, a 30 February, a day first."""
    text = value.strip() if isinstance(value, str) else ""
    if found := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in found.groups())
        if not 1 <= month <= 12:
            return f"'{text}' is not a date: there is no month {month}"
        if year >= 1:
            days = calendar.monthrange(year, month)[1]
            if not 1 <= day <= days:
                return (f"'{text}' is not a date: {calendar.month_name[month]} {year} has {days} days")
    if found := _OTHER_ORDER.fullmatch(text):
        day, month, year = (int(part) for part in found.groups())
        example = f"{year}-{month:02}-{day:02}" if 1 <= month <= 12 and 1 <= day <= 31 else "2027-03-01"
        return f"'{text}' is not a date as a pathway writes one: write dates as {example} (year, month, day)"
    return f"expected a date like 2027-03-01, found {_describe(value)}"


def _out_of_range(key: str, value: Any, context: dict) -> str:
    if "gt" in context:
        return f"must be a whole number greater than {context['gt']}, found {value}"
    if key == "minutes":
        return f"{value} minutes is more than {context['le'] // 60} hours: check the number, or split the item"
    if key == "year":
        return f"{value} is not a plausible year"
    if key == "start":
        return f"{value} is not a plausible start date: give one between 2000 and 2100"
    bound = f"at most {context['le']}" if "le" in context else f"at least {context['ge']}"
    return f"must be {bound}, found {value}"


def _last_name(path: tuple) -> str:
    return next((part for part in reversed(path) if isinstance(part, str)), "")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, datetime.datetime):
        return f"the date and time {value.isoformat(sep=' ')}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text '{short(value)}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _quote_hint(value: Any) -> str:
    return ": put it in quotes" if isinstance(value, (bool, int, float, datetime.date)) else ""


def _literal_choices(expected: str) -> list[str]:
    return [part.strip(" '") for part in expected.replace(" or ", ", ").split(",") if part.strip()]


def _known_keys(model: type[BaseModel], path: tuple) -> list[str]:
    """The keys allowed in the mapping at `path`, found by walking the model's annotations."""
    current: Any = model
    keyed = False  # the part after a dict's name is one of its keys, not a field
    for part in path:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) \
                or part not in current.model_fields:
            return []
        annotation = current.model_fields[part].annotation
        keyed = typing.get_origin(annotation) is dict
        current = _inner_model(annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None


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
