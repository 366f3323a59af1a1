"""Turn a Pathway into a Programme: numbered, timed, linked and dated, with questions for every item."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import accumulate

from . import i18n
from .pathway.model import Item, Level, Pathway, Session
from .reflection import MODELS, ReflectiveModel, default_questions


@dataclass(frozen=True)
class Ref:
    """A pointer to another step, for previous/next links."""

    id: str
    number: str
    title: str


@dataclass(frozen=True)
class Step:
    """An item in its place in the programme."""

    item: Item
    number: str  # "2.3": third item of the second level
    level_id: str
    questions: tuple[str, ...]  # their Markdown text
    writing_lines: tuple[int, ...]  # the ruled lines under each question in print
    default_questions: bool  # True when the reflective model supplied them
    minutes: int  # 0 when the item has no estimate
    minutes_so_far: int  # running total through this item, across the whole programme
    session: datetime.date | None
    # The item's language: its own, else its level's, else the pathway's. `lang` is the attribute
    # an element naming the item carries in the document's language, `lang_in_level` inside its
    # level's element: None where the language is the one around it already.
    language: str
    lang: str | None
    lang_in_level: str | None
    previous: Ref | None = None
    next: Ref | None = None


@dataclass(frozen=True)
class Slot:
    """One part of a group session, with its start in minutes from the session's start."""

    start: int
    minutes: int
    activity: str


WRITING_LINES = 6  # under a question, unless the question, its item, level or pathway says otherwise

# A suggested running order, in minutes: facilitators adjust it, but start from timings that add up.
OPENING, CHECK_IN, DISCUSSION, SHORT_DISCUSSION, ACTIONS, NEXT_TIME, CLOSE, LAST_CLOSE = 20, 10, 15, 10, 15, 5, 5, 15


def agenda(steps: tuple[Step, ...], number: int, next_level: str | None,
           language: str = i18n.SOURCE) -> tuple[Slot, ...]:
    """Open (the first session sets ground rules), discuss each item, share actions, look ahead, close.

    `next_level` is the title of the level after this one; None makes this the last session.
    """
    _ = i18n.translations(language).gettext
    if number == 1:
        parts = [(OPENING, _("Welcome and introductions; agree how the group works, confidentiality "
                             "included"))]
    else:
        parts = [(CHECK_IN, _("Welcome and check-in: how the level’s reading and reflection went"))]
    for step in steps:
        default = DISCUSSION if step.item.discussion_prompts else SHORT_DISCUSSION
        parts.append((step.item.discussion_minutes or default,
                      _("Discuss {number} {title}").format(number=step.number, title=step.item.title)))
    parts.append((ACTIONS, _("Share the actions each person chose, and agree how to follow them up")))
    if next_level:
        parts.append((NEXT_TIME, _("Before next time: the resources of level {number}, {title}").format(
            number=number + 1, title=next_level)))
        parts.append((CLOSE, _("Close: one word or phrase each to sum up the session")))
    else:
        parts.append((LAST_CLOSE, _("Close the programme: look back over the action plan, and give "
                                    "feedback on the programme")))
    starts = accumulate((minutes for minutes, _ in parts), initial=0)
    return tuple(Slot(start, minutes, activity) for start, (minutes, activity) in zip(starts, parts))


@dataclass(frozen=True)
class Stage:
    """A level in its place in the programme."""

    level: Level
    number: int
    steps: tuple[Step, ...]
    minutes: int
    minutes_so_far: int  # running total at the end of this level
    session: datetime.date | None
    agenda: tuple[Slot, ...]  # the group session's running order
    language: str  # the level's own, else the pathway's
    lang: str | None  # the attribute its elements carry: None in the pathway's language
    details: Session | None = None  # the pathway's `sessions:` entry for this level: times, place, notes

    @property
    def session_minutes(self) -> int:
        last = self.agenda[-1]
        return last.start + last.minutes

    @property
    def starts_at(self) -> int | None:
        """The session's start, in minutes after midnight, when it is given."""
        start = self.details.start if self.details else None
        return start.hour * 60 + start.minute if start else None

    @property
    def overrun(self) -> int:
        """How many minutes the running order goes past the session's given end: 0 if it does not."""
        end = self.details.end if self.details else None
        if end is None or self.starts_at is None:
            return 0
        return max(0, self.starts_at + self.session_minutes - (end.hour * 60 + end.minute))


@dataclass(frozen=True)
class Programme:
    pathway: Pathway
    model: ReflectiveModel
    stages: tuple[Stage, ...]
    minutes: int
    logo: str | None = None  # the organisation's logo, as a data: URI

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for stage in self.stages for step in stage.steps)


def session_dates(pathway: Pathway) -> list[datetime.date | None]:
    """One session per level: the date its `sessions:` entry gives, or else the schedule's, the first
    on the start date, then every `every_days` days."""
    schedule, given = pathway.schedule, pathway.sessions
    return [given[level.id].date if level.id in given and given[level.id].date else
            schedule.start + datetime.timedelta(days=schedule.every_days * index) if schedule else None
            for index, level in enumerate(pathway.levels)]


def sequence(pathway: Pathway, logo: str | None = None) -> Programme:
    items = [(level, item) for level in pathway.levels for item in level.items]
    numbers = [f"{level_number}.{item_number}"
               for level_number, level in enumerate(pathway.levels, start=1)
               for item_number in range(1, len(level.items) + 1)]
    totals = list(accumulate(item.minutes or 0 for _, item in items))
    refs = [Ref(item.id, number, item.title) for (_, item), number in zip(items, numbers)]
    dates = dict(zip((level.id for level in pathway.levels), session_dates(pathway)))
    steps = [_step(pathway, level, item, refs, index, totals[index], dates[level.id])
             for index, (level, item) in enumerate(items)]
    stages = []
    levels = pathway.levels
    for number, level in enumerate(levels, start=1):
        own = tuple(step for step in steps if step.level_id == level.id)
        following = levels[number].title if number < len(levels) else None
        language = _language(pathway, level)
        stages.append(Stage(level, number, own, sum(step.minutes for step in own),
                            own[-1].minutes_so_far, dates[level.id],
                            agenda(own, number, following, pathway.language), language,
                            _differing(language, pathway.language), pathway.sessions.get(level.id)))
    return Programme(pathway, MODELS[pathway.reflection_model].in_language(pathway.language), tuple(stages),
                     totals[-1] if totals else 0, logo)


def _step(pathway: Pathway, level: Level, item: Item, refs: list[Ref], index: int,
          minutes_so_far: int, session: datetime.date | None) -> Step:
    language = item.language or _language(pathway, level)
    questions = item.questions or default_questions(pathway.reflection_model, item.title, item.kind,
                                                    level.title, language=language)
    # The most specific wins: the question's own, then its item's, its level's, the pathway's.
    lines = item.writing_lines or level.writing_lines or pathway.writing_lines or WRITING_LINES
    return Step(
        item=item, number=refs[index].number, level_id=level.id,
        questions=tuple(question if isinstance(question, str) else question.text for question in questions),
        writing_lines=tuple(lines if isinstance(question, str) else question.lines or lines
                            for question in questions),
        default_questions=not item.questions, minutes=item.minutes or 0,
        minutes_so_far=minutes_so_far, session=session, language=language,
        lang=_differing(language, pathway.language), lang_in_level=_differing(language, _language(pathway, level)),
        previous=refs[index - 1] if index > 0 else None,
        next=refs[index + 1] if index + 1 < len(refs) else None)


def _language(pathway: Pathway, level: Level) -> str:
    return level.language or pathway.language


def _differing(language: str, around: str) -> str | None:
    """The lang attribute an element in `language` needs inside one in `around`: none for the same
    language (tags are case-insensitive, RFC 5646)."""
    return None if language.lower() == around.lower() else language
