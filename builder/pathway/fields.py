"""The values a pathway's fields hold, each with its check and its message: ids, text, Markdown,
web addresses, dates, times. Nothing here reads files.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from .. import catalogue
from ..errors import invisible, short, shown

_SLUG = catalogue.ID
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
# Bounds that no real pathway meets, so that a careless or hostile file cannot make a build crawl:
# an id names a folder; a line of text is a title, not a page; Markdown is a few paragraphs; a web
# address must fit in a QR code (at most 2,331 bytes at the level printed).
SLUG_MOST, TEXT_MOST, MARKDOWN_MOST, URL_MOST = catalogue.ID_MOST, 1_000, 5_000, 2_000


def _visible(value: str, what: str) -> None:
    """Refuses an id, address or file name that holds a character no reader would see."""
    if (found := invisible(value)) is not None:
        raise PydanticCustomError("invisible", "'{value}' is not {what}: it holds an invisible character {code}",
                                  {"value": shown(value), "what": what, "code": found})


def _slug(value: str) -> str:
    _visible(value, "a valid id")
    if not _SLUG.fullmatch(value):
        raise PydanticCustomError(
            "slug", "'{value}' is not a valid id: use lower-case letters, digits and single "
                    "hyphens, like 'five-myths'", {"value": short(value)})
    return _at_most(value, SLUG_MOST, "an id")


def _text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty")
    return _at_most(value, TEXT_MOST, "a line of text")


# One level of list or quote at the start of a Markdown line: "- ", "1. ", "> " or an indent.
_NESTING = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+| {0,3}>[ \t]?| {4}|\t")
MARKDOWN_DEPTH = 50  # the Markdown library recurses once a level, and fails near 250
# It looks for the end of a link from every '[', so that 5,000 of them take seconds: links are few.
MARKDOWN_BRACKETS = 200


def _markdown(value: str) -> str:
    deepest = max(_nesting(line) for line in value.splitlines()) if value else 0
    if deepest > MARKDOWN_DEPTH:
        raise PydanticCustomError("too_deep", "a Markdown text may put lists and quotes at most {most} deep "
                                              "inside each other; a line of this one goes {depth} deep: "
                                              "flatten it", {"most": MARKDOWN_DEPTH, "depth": deepest})
    if (brackets := value.count("[")) > MARKDOWN_BRACKETS:
        raise PydanticCustomError("too_many_links", "a Markdown text may hold at most {most} '[' (each may "
                                                    "start a link); this one has {count}: use fewer",
                                  {"most": MARKDOWN_BRACKETS, "count": f"{brackets:,}"})
    return _at_most(value, MARKDOWN_MOST, "a Markdown text")


def _nesting(line: str) -> int:
    depth, position = 0, 0
    while (found := _NESTING.match(line, position)) and found.end() > position:
        depth, position = depth + 1, found.end()
    return depth


def _at_most(value: str, most: int, what: str) -> str:
    if len(value) > most:
        raise PydanticCustomError("too_long", "{what} may be at most {most} characters; this one has {length}: "
                                              "shorten it", {"what": what, "most": f"{most:,}",
                                                             "length": f"{len(value):,}"})
    return value


def _url(value: str) -> str:
    _visible(value, "a web address")
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
    except ValueError:  # e.g. an unclosed [ in an IPv6 address
        parts, hostname = None, None
    if parts is None:
        problem = "it cannot be read as one"
    elif parts.scheme not in ("http", "https"):
        problem = "a url must start with https:// or http://"
    elif not hostname or "." not in hostname:
        problem = "it has no site name, like www.england.nhs.uk, after the https://"
    elif any(character.isspace() for character in value):
        problem = "a url cannot contain spaces: write each as %20"
    elif len(value.encode()) > URL_MOST:
        problem = f"it is longer than {URL_MOST:,} bytes, too long for a QR code: use a shorter link"
    else:
        return value
    raise PydanticCustomError("url", "'{value}' is not a web address: {problem}",
                              {"value": short(value), "problem": problem})


def _not_a_number(value: object) -> object:
    if isinstance(value, (int, float)):  # lax dates would read 0 as 1970-01-01
        raise PydanticCustomError("date_type", "not a date")
    return value


_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def parse_time(value: object) -> object:
    """A time of day as people type it, 09:30 or 9.30, on the 24-hour clock (the loader keeps it as text)."""
    if isinstance(value, float):
        value = str(value)  # 9.30 as written (see load.Written), not 9.3
    found = _TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        raise PydanticCustomError("time", "'{value}' is not a time: write it on the 24-hour clock, like 09:30 "
                                          "or 14:00", {"value": short(str(value))})
    hours, minutes = int(found.group(1)), int(found.group(2))
    if hours > 23 or minutes > 59:
        raise PydanticCustomError("time", "'{value}' is not a time: the 24-hour clock runs from 00:00 to 23:59",
                                  {"value": short(value)})
    return datetime.time(hours, minutes)


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _file_name(value: str) -> str:
    _visible(value, "a file name")
    return value


def _email(value: str) -> str:
    _visible(value, "an email address")
    if not _EMAIL.fullmatch(value):
        raise PydanticCustomError("email", "'{value}' is not an email address: write one like "
                                           "jo.bloggs@nhs.net", {"value": short(value)})
    return _at_most(value, 254, "an email address")


def _language(value: str) -> str:
    if not _LANGUAGE.fullmatch(value):
        raise PydanticCustomError(
            "language", "'{value}' is not a language tag: use one like 'en-GB' or 'cy'",
            {"value": short(value)})
    return value



def _schema(**keywords) -> Field:
    """JSON Schema keywords only: validation stays with our validators and their messages."""
    return Field(json_schema_extra=keywords)


Slug = Annotated[str, AfterValidator(_slug),
                 _schema(pattern=f"^{_SLUG.pattern}$", maxLength=SLUG_MOST,
                         description="lower-case letters, digits, hyphens")]
Text = Annotated[str, AfterValidator(_text), _schema(minLength=1, maxLength=TEXT_MOST)]
Markdown = Annotated[str, AfterValidator(_markdown), _schema(maxLength=MARKDOWN_MOST, description="Markdown text")]
Url = Annotated[str, AfterValidator(_url), _schema(pattern=r"^https?://\S+$", maxLength=URL_MOST)]
Language = Annotated[str, AfterValidator(_language),
                     _schema(pattern=f"^{_LANGUAGE.pattern}$", description="a BCP 47 language tag")]
Date = Annotated[datetime.date, BeforeValidator(_not_a_number),
                 Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 12, 31))]
Time = Annotated[datetime.time, BeforeValidator(parse_time),
                 _schema(description="24-hour clock, like 09:30")]
FileName = Annotated[str, AfterValidator(_text), AfterValidator(_file_name), _schema(minLength=1, maxLength=TEXT_MOST)]
Email = Annotated[str, AfterValidator(_email), _schema(format="email", maxLength=254)]
