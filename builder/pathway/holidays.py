"""A session on a bank holiday: a warning, with the holiday's name, from a maintained calendar.

The `holidays` library is kept up to date with each nation's announced bank holidays, including
the one-off ones (a coronation, a jubilee), which a hand-written list would miss.
"""

from __future__ import annotations

from ..errors import Problem, format_path
from ..sequence import session_dates
from .load import LocatedMap, locate
from .model import NATIONS, Pathway


def on_bank_holidays(pathway: Pathway, raw: LocatedMap) -> list[Problem]:
    """A warning for each session on a bank holiday of the pathway's `holidays_in` nation."""
    dates = session_dates(pathway)
    if not any(dates):
        return []
    import holidays

    calendar = holidays.country_holidays("GB", subdiv=NATIONS[pathway.holidays_in],
                                         years=sorted({day.year for day in dates if day}))
    problems = []
    for number, (level, day) in enumerate(zip(pathway.levels, dates), start=1):
        if day is None or day not in calendar:
            continue
        given = level.id in pathway.sessions and pathway.sessions[level.id].date is not None
        path = ("sessions", level.id, "date") if given else ("schedule", "start")
        problems.append(Problem(locate(raw, path), format_path(path),
                                f"session {number} is on {day:%A} {day.day} {day:%B %Y}, {calendar.get(day)}: "
                                "move it with sessions:"))
    return problems
