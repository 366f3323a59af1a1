"""The pathway format as typed, frozen models: the public contract, and the source of its JSON Schema.

Nothing here reads files or knows about templates.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, create_model

from ..reflection import MODELS
from .fields import Date, Email, FileName, Language, Markdown, Slug, Text, Time, Url

Kind = Literal["read", "watch", "listen", "do"]
ReflectionModel = Literal[tuple(MODELS)]  # type: ignore[valid-type]  # the names, set once in reflection.py
# Strict: YAML already gives numbers as numbers, and lax mode would read `yes` as 1.
Minutes = Annotated[int, Field(strict=True, gt=0, le=6000)]  # 100 hours: more is a slip of the keys
SessionMinutes = Annotated[int, Field(strict=True, gt=0, le=240)]  # a group session is a few hours at most
Year = Annotated[int, Field(strict=True, ge=1800, le=2200)]
Days = Annotated[int, Field(strict=True, gt=0, le=365)]
# The nations whose bank holidays a session is checked against; England and Wales share theirs.
NATIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
Nation = Literal[tuple(NATIONS)]  # type: ignore[valid-type]
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
    language: Optional[Language] = Field(None, description="the language of its text; default its level's")


class Level(_Strict):
    """A stage of the pathway (individual, team, organisation, system); their order is the sequence."""

    id: Slug
    title: Text
    intro: Optional[Markdown] = None
    writing_lines: Optional[WritingLines] = None
    language: Optional[Language] = Field(None, description="the language of its text; default the pathway's")
    items: tuple[Item, ...] = Field(min_length=1)


class Schedule(_Strict):
    """Dated sessions: one per level, the first on `start`, then every `every_days` days."""

    start: Date
    every_days: Days = 14


class Session(_Strict):
    """One level's group session, where the schedule's date is not all there is to say."""

    date: Optional[Date] = Field(None, description="default: the schedule's date for the level")
    start: Optional[Time] = None
    end: Optional[Time] = None
    place: Optional[Text] = Field(None, description="a room or venue")
    online: Optional[Url] = Field(None, description="a joining link")
    notes: Optional[Markdown] = None


class Contact(_Strict):
    """Who learners ask: the facilitator."""

    name: Text
    email: Optional[Email] = None


class Source(_Strict):
    """What a pathway is built on, such as a web page that lists its resources: named to the learner."""

    title: Text
    url: Optional[Url] = None


class _Common(_Strict):
    """Top-level keys a pathway may set and an extending file may override."""

    subtitle: Optional[Text] = None
    summary: Optional[Markdown] = None
    source: Optional[Source] = Field(
        None, description="what the pathway is built on: named in the workbooks and under All resources")
    language: Language = "en-GB"
    reflection_model: ReflectionModel = "what-so-what-now-what"
    version: Optional[Text] = Field(None, description="shown on the cover; keys saved answers")
    author: Optional[Text] = Field(None, description="the PDF's author metadata")
    cohort: Optional[Text] = Field(None, description="who this edition is for")
    schedule: Optional[Schedule] = None
    sessions: dict[Slug, Session] = Field({}, description="by level id: its session's date, times and place")
    holidays_in: Nation = Field("england-and-wales", description="whose bank holidays a session must avoid")
    organisation: Optional[Text] = Field(None, description="the trust or body that runs the programme")
    contact: Optional[Contact] = None
    logo: Optional[FileName] = Field(None, description="a PNG, JPEG or SVG file beside the pathway file")
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


# What `change:` may give for an inherited item or level: an item's every field but its id, and a
# level's title, intro, writing lines and language. Made from the models themselves, so that a
# field added to Item can be changed.
ITEM_KEYS = tuple(name for name in Item.model_fields if name != "id")
LEVEL_KEYS = ("title", "intro", "writing_lines", "language")
REQUIRED_KEYS = {"item": ("kind", "title"), "level": ("title",)}


def _optional(name: str, model: type[BaseModel]) -> tuple[Any, Any]:
    field = model.model_fields[name]
    annotation = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return Optional[annotation], Field(None, description=field.description)


Change = create_model(
    "Change", __base__=_Strict,
    __doc__="Fields replacing an inherited item's or level's; null removes an optional one.",
    **{name: _optional(name, Item) for name in ITEM_KEYS},
    **{name: _optional(name, Level) for name in LEVEL_KEYS if name not in ITEM_KEYS})


class Extension(_Common):
    """A file that extends another pathway and says only what changes."""

    extends: FileName = Field(description="a path relative to this file, or a pathway id")
    id: Slug
    # Absent means inherited; these three cannot be emptied, so null is refused.
    title: Text = None
    language: Language = None
    reflection_model: ReflectionModel = None
    holidays_in: Nation = None
    sequence: tuple[SequenceEntry, ...] = ()
    omit: tuple[Slug, ...] = Field((), description="item or level ids to drop")
    add: tuple[Addition, ...] = ()
    questions: dict[Slug, Questions] = Field(
        {}, description="replace the questions of the named items")
    change: dict[Slug, Change] = Field(
        {}, description="by item or level id: the fields to replace; null removes an optional one")


# Keys that only a file that extends another may use: they change what it extends.
CHANGE_KEYS = tuple(key for key in Extension.model_fields if key not in Pathway.model_fields)


def json_schema() -> dict:
    """The JSON Schema of a pathway file: a whole pathway, or one that extends another."""
    schema = TypeAdapter(Union[Pathway, Extension]).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Pathway builder: pathway file",
        **schema,
    }
