"""What a model's validation error means, in plain English, at its place in the file."""

from __future__ import annotations

import calendar
import datetime
import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, did_you_mean, format_path, short
from .load import locate
from .model import CHANGE_KEYS, LINES_LEAST, LINES_MOST, QUESTION_TAGS, Extension, Pathway


# Words people reach for that the format spells another way.
_SAME_MEANING = {"link": "url", "address": "url", "href": "url", "web": "url", "description": "summary",
                 "notes": "facilitator_notes", "duration": "minutes", "time": "minutes", "author": "authors",
                 "room": "place", "location": "place", "venue": "place", "finish": "end", "begin": "start"}


def model_problems(raw: Any, model: type[BaseModel], error: ValidationError) -> list[Problem]:
    problems, seen = [], set()
    for detail in error.errors(include_url=False):
        about_key = detail["type"] == "extra_forbidden" or "[key]" in detail["loc"]
        # "[key]" is pydantic's mark for dict keys; the tags name which form of a question it tried.
        path = tuple(part for part in detail["loc"] if part != "[key]" and part not in QUESTION_TAGS)
        if path in seen or _is_echo(detail):
            continue
        seen.add(path)
        location = locate(raw, path, key=about_key, character=detail["type"] == "invisible")
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
        hint = did_you_mean(path[-1], known)
        if not hint and _SAME_MEANING.get(str(path[-1]).lower()) in known:
            hint = f" (did you mean '{_SAME_MEANING[str(path[-1]).lower()]}'?)"
        return f"unknown key '{short(str(path[-1]))}'{hint}"
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
        # An item's source is a line of text; the pathway's own names a title and an address.
        hint = (": write it as {title: ..., url: https://...}"
                if path == ("source",) and isinstance(value, str) else "")
        return f"expected a mapping of keys, found {_describe(value)}{hint}"
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
    if key in ("writing_lines", "lines"):
        more = ": more do not fit on a page with the question" if "le" in context else ""
        return f"a question gets {LINES_LEAST} to {LINES_MOST} writing lines, found {value}{more}"
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
