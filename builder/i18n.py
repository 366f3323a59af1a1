"""The interface's languages: every string the builder prints into a workbook, from a gettext catalogue.

The msgids are the en-GB text. Catalogues are the .po files in builder/locale/<locale>/LC_MESSAGES/,
compiled by `pybabel compile` into the .mo beside each, which a build reads: the standard library reads
one in a millisecond, where Babel takes a tenth of a second to import and parse a .po (a test keeps
each .mo the compiled form of its .po).
"""

from __future__ import annotations

import datetime
import gettext
from functools import lru_cache
from pathlib import Path

# The catalogues shipped: each tag, with its language's name in that language.
LANGUAGES = {"cy": "Cymraeg", "en-GB": "English"}
SOURCE = "en-GB"  # the language of the msgids, and of every workbook whose language has no catalogue
LOCALE = Path(__file__).parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; it is translated where it is used."""
    return message


def available(tag: str) -> str | None:
    """The catalogue for a language tag, matched without regard to case: 'cy-GB' falls back to 'cy',
    and every English ('en', 'en-US') to en-GB. None when there is none."""
    wanted = tag.lower()
    by_lower = {known.lower(): known for known in LANGUAGES}
    primary = wanted.split("-")[0]
    return by_lower.get(wanted) or by_lower.get(primary) or (SOURCE if primary == "en" else None)


def catalogue_tag(tag: str) -> str:
    """The tag of the catalogue a workbook in `tag` is written from: en-GB when there is none."""
    return available(tag) or SOURCE


@lru_cache(maxsize=None)
def translations(tag: str) -> gettext.GNUTranslations:
    """The interface in a language, plural-aware (ngettext), from its compiled catalogue."""
    with open(catalogue_file(catalogue_tag(tag), ".mo"), "rb") as compiled:
        return gettext.GNUTranslations(compiled)


def catalogue_file(tag: str, suffix: str = ".po") -> Path:
    """A catalogue's file, in gettext's folder for its locale: en-GB's in en_GB."""
    return LOCALE / tag.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def plural_index(tag: str, number: int) -> int:
    """Which of the language's plural forms a count takes (Welsh has six)."""
    return translations(tag).plural(number)


def plural_table(tag: str, size: int = 200) -> list[int]:
    """The plural form of every count below `size`, for the workbook's script, which may not evaluate
    the catalogue's rule: gettext's rules turn on n, n % 10 and n % 100, so a count of `size` or more
    takes the form of 100 + n % 100."""
    return [plural_index(tag, number) for number in range(size)]


def format_date(day: datetime.date, tag: str, short: bool = False) -> str:
    """'Monday 1 March 2027', 'Dydd Llun 1 Mawrth 2027'; 'Mon 1 Mar 2027' when short. Babel's, at build time:
    a browser cannot be trusted to know Welsh month names."""
    from babel.dates import format_date as babel_date

    return babel_date(day, "EEE d MMM y" if short else "EEEE d MMMM y", locale=_babel_locale(tag))


def month_names(tag: str) -> list[str]:
    """January to December as a date names them, for the script's dates of the learner's own day."""
    from babel.dates import get_month_names

    names = get_month_names("wide", context="format", locale=_babel_locale(tag))
    return [names[month] for month in range(1, 13)]


def _babel_locale(tag: str) -> str:
    return catalogue_tag(tag).replace("-", "_")


def unknown_language(tag: str, whole: bool = True) -> str | None:
    """The warning for a language with no catalogue, naming those there are; None when it has one.
    `whole`: the pathway's language, not a level's or an item's."""
    if available(tag):
        return None
    there = " and ".join(", ".join(f"{known} ({name})" for known, name in sorted(LANGUAGES.items()))
                         .rsplit(", ", 1))
    what = "the workbook's headings and buttons stay" if whole else \
        "its headings, buttons and default questions stay"
    return f"there is no interface in '{tag}': {what} in English; the languages there are {there}"
