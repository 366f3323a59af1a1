"""The builder's own words in a workbook, in the workbook's language: times, dates, kinds of item."""

from __future__ import annotations

import datetime

from . import i18n


def _(message: str, language: str) -> str:
    return i18n.translations(language).gettext(message)


_KINDS = {"read": i18n.N_("Read"), "watch": i18n.N_("Watch"), "listen": i18n.N_("Listen"), "do": i18n.N_("Do")}


def kind_name(kind: str, language: str = i18n.SOURCE) -> str:
    """An item's kind as a word: 'read' -> 'Read', 'Darllen'."""
    return _(_KINDS[kind], language)


def format_minutes(minutes: int, language: str = i18n.SOURCE) -> str:
    """75 -> '1 h 15 min'; 0 -> 'not estimated'."""
    if not minutes:
        return _("not estimated", language)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min", language).format(minutes=rest)
    return (_("{hours} h {minutes} min", language).format(hours=hours, minutes=rest) if rest else
            _("{hours} h", language).format(hours=hours))


def clock(minutes: int) -> str:
    """Minutes into a session as hours and minutes: 75 -> '1:15'."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def about(minutes: int, language: str = i18n.SOURCE) -> str:
    """75 -> 'about 1 h 15 min'; 0 -> 'time not estimated'."""
    return (_("about {time}", language).format(time=format_minutes(minutes, language)) if minutes else
            _("time not estimated", language))


def when(stage, short: bool = False, language: str = i18n.SOURCE) -> str:
    """A level's session, as much of it as is known: 'Monday 1 March 2027, 09:30 to 12:00'."""
    details = stage.details
    start, end = (details.start, details.end) if details else (None, None)
    times = (_("{start} to {end}", language).format(start=f"{start:%H:%M}", end=f"{end:%H:%M}") if start and end
             else _("from {start}", language).format(start=f"{start:%H:%M}") if start else "")
    return ", ".join(part for part in (format_date(stage.session, short, language), times) if part)


def time_of_day(minutes: int) -> str:
    """Minutes after midnight as a 24-hour time: 570 -> '09:30'."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def format_date(day: datetime.date | None, short: bool = False, language: str = i18n.SOURCE) -> str:
    """2027-03-01 -> 'Monday 1 March 2027' (British order), or 'Mon 1 Mar 2027' when short."""
    if not day:
        return ""
    return i18n.format_date(day, language, short)
