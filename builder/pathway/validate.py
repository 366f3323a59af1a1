"""Check located raw data against the models; say every problem in plain English, where it is."""

from __future__ import annotations

import datetime
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem, UserError, did_you_mean, format_path, in_file_order, short
from .load import LocatedMap, locate
from .model import LINES_LEAST, LINES_MOST, QUESTION_TAGS, Extension, Pathway

M = TypeVar("M", bound=BaseModel)

# Keys that only a file that extends another may use: they change what it extends.
CHANGE_KEYS = tuple(key for key in Extension.model_fields if key not in Pathway.model_fields)


def validate_pathway(raw: LocatedMap) -> Pathway:
    """A whole pathway, or a UserError naming every problem: the model's and duplicate ids alike."""
    return _validate(raw, Pathway, _duplicate_ids(raw))


def validate_extension(raw: LocatedMap) -> Extension:
    """The changes a file makes to the pathway it extends (their references are checked on merge)."""
    problems = []
    if "levels" in raw:
        problems.append(Problem(locate(raw, ("levels",), key=True), "levels",
                                "'levels' cannot be given in a file that extends another: "
                                "change the levels with 'sequence', 'omit' and 'add'"))
        raw = raw.without("levels")
    return _validate(raw, Extension, problems)


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
        # "[key]" is pydantic's mark for dict keys; the tags name which form of a question it tried.
        path = tuple(part for part in detail["loc"] if part != "[key]" and part not in QUESTION_TAGS)
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
        return f"expected a date like 2027-03-01, found {_describe(value)}"
    return detail["msg"][0].lower() + detail["msg"][1:]


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
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) \
                or part not in current.model_fields:
            return []
        current = _inner_model(current.model_fields[part].annotation)
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
