"""Render a Programme to HTML strings with Jinja2. Writes nothing.

Template folders are searched in order, the built-in one last; `builtin/NAME` always names the
built-in template, so an override can extend the template it replaces.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Iterable, Literal

import markdown as markdown_lib
import nh3
from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined,
                    select_autoescape)
from markupsafe import Markup

from . import catalogue
from .sequence import Programme

Edition = Literal["learner", "facilitator"]

_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote", "br"}
_INLINE_TAGS = {"em", "strong", "a", "code", "br"}
_LINK_SCHEMES = {"http", "https", "mailto"}


class Renderer:
    def __init__(self, template_folders: Iterable[Path] = ()):
        builtin = catalogue.builtin("templates")
        self.env = Environment(
            loader=ChoiceLoader([
                FileSystemLoader([*template_folders, builtin]),
                PrefixLoader({"builtin": FileSystemLoader(builtin)}),
            ]),
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._markdown = markdown_lib.Markdown(output_format="html")
        self.env.filters.update(markdown=self.markdown, inline=self.inline, minutes=format_minutes,
                                date=format_date)

    def screen(self, programme: Programme) -> str:
        """The HTML workbook a learner opens in a browser."""
        return self.env.get_template("screen/workbook.html").render(
            programme=programme, pathway=programme.pathway)

    def print(self, programme: Programme, edition: Edition, *, fillable: bool = False) -> str:
        """The document handed to the PDF engine: the learner workbook or the facilitator guide."""
        return self.env.get_template(f"print/{edition}.html").render(
            programme=programme, pathway=programme.pathway, edition=edition, fillable=fillable)

    def markdown(self, text: str | None) -> Markup:
        """Markdown blocks, sanitised: no raw HTML, scripts or styles survive, only safe links."""
        if not text:
            return Markup("")
        html = self._markdown.reset().convert(text)
        return Markup(nh3.clean(html, tags=_TAGS, attributes={"a": {"href"}},
                                url_schemes=_LINK_SCHEMES, link_rel="noopener noreferrer"))

    def inline(self, text: str | None) -> Markup:
        """Markdown for one line (a question, a title): emphasis and links, no paragraphs."""
        if not text:
            return Markup("")
        html = self._markdown.reset().convert(text)
        return Markup(nh3.clean(html, tags=_INLINE_TAGS, attributes={"a": {"href"}},
                                url_schemes=_LINK_SCHEMES, link_rel="noopener noreferrer").strip())


def format_minutes(minutes: int) -> str:
    """75 -> '1 h 15 min'; 0 -> 'not estimated'."""
    if not minutes:
        return "not estimated"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def format_date(day: datetime.date | None) -> str:
    """2027-03-01 -> 'Monday 1 March 2027' (British order)."""
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""
