"""sessions.ics: the group sessions as calendar events (RFC 5545), for Outlook and every other calendar.

One event per dated session. Its UID is made of the pathway's id and the level's, so that a file
built again after a change of time or place updates the events a learner imported, not adds to
them. Times are the facilitator's, on the clock of Europe/London (every nation whose bank holidays
a pathway can avoid keeps it), with the zone's rules in the file; a session with no start time is
an all-day event, and one with a start but no end lasts as long as its running order.
"""

from __future__ import annotations

import datetime
import re

from .. import __version__, i18n
from ..output.write import Document
from ..sequence import Programme, Stage
from ..wording import about, kind_name
from .format import Format, Job

ZONE = "Europe/London"
# The zone's rules since 1996: summer time from 01:00 GMT on the last Sunday of March to 01:00 GMT
# (02:00 BST) on the last Sunday of October. Calendars read the zone from here, not from a name.
TIME_ZONE = (
    "BEGIN:VTIMEZONE", f"TZID:{ZONE}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE")
LINE_OCTETS = 75  # RFC 5545 3.1: longer lines are folded
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # control characters a TEXT value may not hold


class SessionsCalendar(Format):
    option = "ics"
    help = "sessions.ics, when a session has a date"

    def files(self, job: Job) -> list[str]:
        return ["sessions.ics"] if dated(job.programme) else []

    def nothing(self, job: Job) -> str:
        return ("" if dated(job.programme) else
                "no session has a date, so there is no calendar to write: give the pathway a 'schedule:' "
                "with a start date, or a level's session a 'date:' under 'sessions:'")

    def make(self, job: Job) -> list[Document]:
        now = datetime.datetime.now(datetime.timezone.utc)
        return [Document(name, calendar(job.programme, now).encode()) for name in self.files(job)]


def dated(programme: Programme) -> list[Stage]:
    return [stage for stage in programme.stages if stage.session is not None]


def calendar(programme: Programme, stamp: datetime.datetime) -> str:
    """The whole file, its lines folded and ended with CRLF; `stamp` is when it was made (its DTSTAMP)."""
    pathway = programme.pathway
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//pathway builder//{__version__}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(pathway.title)}",
             f"X-WR-TIMEZONE:{ZONE}"]
    stages = dated(programme)
    if any(stage.starts_at is not None for stage in stages):
        lines += TIME_ZONE
    for stage in stages:
        lines += _event(programme, stage, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _event(programme: Programme, stage: Stage, stamp: datetime.datetime) -> list[str]:
    pathway, details = programme.pathway, stage.details
    _ = i18n.translations(pathway.language).gettext
    language = f";LANGUAGE={pathway.language}"
    lines = ["BEGIN:VEVENT", f"UID:{stage.level.id}.{pathway.id}@pathway-builder",
             f"DTSTAMP:{stamp.astimezone(datetime.timezone.utc):%Y%m%dT%H%M%SZ}"]
    if stage.starts_at is None:  # a whole day, which leaves the learner free for other things
        lines += [f"DTSTART;VALUE=DATE:{stage.session:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{stage.session + datetime.timedelta(days=1):%Y%m%d}", "TRANSP:TRANSPARENT"]
    else:
        start = datetime.datetime.combine(stage.session, details.start)
        end = (datetime.datetime.combine(stage.session, details.end) if details.end else
               start + datetime.timedelta(minutes=stage.session_minutes))
        lines += [f"DTSTART;TZID={ZONE}:{start:%Y%m%dT%H%M%S}", f"DTEND;TZID={ZONE}:{end:%Y%m%dT%H%M%S}",
                  "TRANSP:OPAQUE"]
    summary = _("Session {number}: {level} ({pathway})").format(
        number=stage.number, level=stage.level.title, pathway=pathway.title)
    lines.append(f"SUMMARY{language}:{_text(summary)}")
    where = (details.place or details.online) if details else None
    if where:
        lines.append(f"LOCATION{language}:{_text(where)}")
    if details and details.online:
        lines.append(f"URL:{_text(details.online)}")
    lines += [f"DESCRIPTION{language}:{_text(description(programme, stage))}", "END:VEVENT"]
    return lines


def description(programme: Programme, stage: Stage) -> str:
    """What the event says: which level it is, the resources to work through first, how to join, the notes."""
    pathway, details = programme.pathway, stage.details
    language = pathway.language
    _ = i18n.translations(language).gettext
    parts = [_("Level {number} of {levels} of {pathway}.").format(
                 number=stage.number, levels=len(programme.stages), pathway=pathway.title),
             "\n".join([_("Before the session, work through:"), *(_resource(step, language) for step in stage.steps)])]
    if details and details.online:
        parts.append(_("Join online: {link}").format(link=details.online))
    if details and details.notes:
        parts.append(details.notes.strip())
    if pathway.contact:
        contact = pathway.contact
        parts.append(_("Questions: {contact}").format(
            contact=f"{contact.name} ({contact.email})" if contact.email else contact.name))
    return "\n\n".join(parts)


def _resource(step, language: str) -> str:
    """A resource as the event lists it, with the builder's words in the pathway's language."""
    item = step.item
    line = f"{step.number} {item.title} ({kind_name(item.kind, language)}, {about(step.minutes, language)})"
    return f"{line}\n{item.url}" if item.url else line


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslashes, semicolons, commas and line breaks escaped."""
    value = _UNSAFE.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """A content line cut into lines of at most 75 octets, each after the first starting with a space,
    never inside a character's UTF-8 bytes."""
    pieces, piece, size, room = [], [], 0, LINE_OCTETS
    for character in line:
        octets = len(character.encode())
        if size + octets > room:
            pieces.append("".join(piece))
            piece, size, room = [], 0, LINE_OCTETS - 1
        piece.append(character)
        size += octets
    pieces.append("".join(piece))
    return "\r\n ".join(pieces)


FORMAT = SessionsCalendar()
