"""The pathway format as typed, frozen models: the public contract, and the source of its JSON Schema.

Nothing here reads files or knows about templates.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal, Optional, Union
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag, TypeAdapter
from pydantic_core import PydanticCustomError

from .. import catalogue
from ..errors import short
from ..reflection import MODELS

_SLUG = catalogue.ID
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
# Bounds that no real pathway meets, so that a careless or hostile file cannot make a build crawl:
# an id names a folder; a line of text is a title, not a page; Markdown is a few paragraphs; a web
# address must fit in a QR code (at most 2,331 bytes at the level printed).
SLUG_MOST, TEXT_MOST, MARKDOWN_MOST, URL_MOST = catalogue.ID_MOST, 1_000, 5_000, 2_000


def _slug(value: str) -> str:
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
Kind = Literal["read", "watch", "listen", "do"]
ReflectionModel = Literal[tuple(MODELS)]  # type: ignore[valid-type]  # the names, set once in reflection.py
# Strict: YAML already gives numbers as numbers, and lax mode would read `yes` as 1.
Minutes = Annotated[int, Field(strict=True, gt=0, le=6000)]  # 100 hours: more is a slip of the keys
SessionMinutes = Annotated[int, Field(strict=True, gt=0, le=240)]  # a group session is a few hours at most
Year = Annotated[int, Field(strict=True, ge=1800, le=2200)]
Days = Annotated[int, Field(strict=True, gt=0, le=365)]
Date = Annotated[datetime.date, BeforeValidator(_not_a_number),
                 Field(ge=datetime.date(2000, 1, 1), le=datetime.date(2100, 12, 31))]
# Ruled lines under a printed question: 20 with the question fill two-thirds of a page, so that a
# question that must move to the next page whole never leaves its page near-empty.
LINES_LEAST, LINES_MOST = 1, 20
WritingLines = Annotated[int, Field(strict=True, ge=LINES_LEAST, le=LINES_MOST,
                                    description="ruled lines under each question in print")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Question(_Strict):
    """A question written as a mapping, to give it its own writing space."""

    text: Markdown
    lines: Optional[WritingLines] = None


# A question is text, or a mapping with its text. Pydantic names the form it tried in an error's
# location with these tags, which validate.py leaves out of the messages.
QUESTION_TAGS = ("question text", "question mapping")


def _question_form(value: object) -> str:
    return QUESTION_TAGS[isinstance(value, dict)]


QuestionEntry = Annotated[Union[Annotated[Markdown, Tag(QUESTION_TAGS[0])], Annotated[Question, Tag(QUESTION_TAGS[1])]],
                          Discriminator(_question_form)]
Questions = Annotated[tuple[QuestionEntry, ...], Field(min_length=1)]


class Item(_Strict):
    """One resource to read, watch, listen to or do, with its reflection questions."""

    id: Slug
    kind: Kind
    title: Text
    source: Optional[Text] = None
    authors: tuple[Text, ...] = ()
    year: Optional[Year] = None
    url: Optional[Url] = None
    minutes: Optional[Minutes] = Field(None, description="estimated minutes for the learner")
    summary: Optional[Markdown] = None
    questions: Optional[Questions] = Field(
        None, description="reflection questions; items without them get the reflection model's")
    writing_lines: Optional[WritingLines] = None
    discussion_prompts: tuple[Markdown, ...] = Field((), description="for the facilitator guide")
    facilitator_notes: Optional[Markdown] = Field(None, description="facilitator guide only")
    discussion_minutes: Optional[SessionMinutes] = Field(
        None, description="minutes for this item in the group session; default 15 with discussion "
                          "prompts, 10 without")


class Level(_Strict):
    """A stage of the pathway (individual, team, organisation, system); their order is the sequence."""

    id: Slug
    title: Text
    intro: Optional[Markdown] = None
    writing_lines: Optional[WritingLines] = None
    items: tuple[Item, ...] = Field(min_length=1)


class Schedule(_Strict):
    """Dated sessions: one per level, the first on `start`, then every `every_days` days."""

    start: Date
    every_days: Days = 14


class _Common(_Strict):
    """Top-level keys a pathway may set and an extending file may override."""

    subtitle: Optional[Text] = None
    summary: Optional[Markdown] = None
    language: Language = "en-GB"
    reflection_model: ReflectionModel = "what-so-what-now-what"
    version: Optional[Text] = Field(None, description="shown on the cover; keys saved answers")
    author: Optional[Text] = Field(None, description="the PDF's author metadata")
    cohort: Optional[Text] = Field(None, description="who this edition is for")
    schedule: Optional[Schedule] = None
    writing_lines: Optional[WritingLines] = None


class Pathway(_Common):
    """A whole pathway: the sequence of levels and their items."""

    id: Slug
    title: Text
    levels: tuple[Level, ...] = Field(min_length=1)

    @property
    def item_count(self) -> int:
        return sum(len(level.items) for level in self.levels)


class SequenceEntry(_Strict):
    level: Slug
    items: Optional[tuple[Slug, ...]] = Field(
        None, description="items first, in this order; the level's others follow")


class Addition(_Strict):
    level: Slug
    after: Optional[Slug] = Field(None, description="default: the end of the level")
    item: Item


class Extension(_Common):
    """A file that extends another pathway and says only what changes."""

    extends: Text = Field(description="a path relative to this file, or a pathway id")
    id: Slug
    # Absent means inherited; these three cannot be emptied, so null is refused.
    title: Text = None
    language: Language = None
    reflection_model: ReflectionModel = None
    sequence: tuple[SequenceEntry, ...] = ()
    omit: tuple[Slug, ...] = Field((), description="item or level ids to drop")
    add: tuple[Addition, ...] = ()
    questions: dict[Slug, Questions] = Field(
        {}, description="replace the questions of the named items")


def json_schema() -> dict:
    """The JSON Schema of a pathway file: a whole pathway, or one that extends another."""
    schema = TypeAdapter(Union[Pathway, Extension]).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Pathway builder: pathway file",
        **schema,
    }
