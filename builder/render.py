"""Render a Programme to HTML strings with Jinja2. Writes nothing.

Template folders are searched in order, the built-in one last; `builtin/NAME` always names the
built-in template, so an override can extend the template it replaces.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import markdown as markdown_lib
import nh3
from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined,
                    TemplateError, TemplateNotFound, TemplateSyntaxError)
from jinja2.loaders import split_template_path
from markupsafe import Markup

from . import catalogue
from .errors import Location, Problem, UserError
from .sequence import Programme

if TYPE_CHECKING:
    from .cohort import Learner

_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote", "br"}
_INLINE_TAGS = {"em", "strong", "a", "code", "br"}
_LINK_SCHEMES = {"http", "https", "mailto"}


class Renderer:
    def __init__(self, template_folders: Iterable[Path] = ()):
        builtin = catalogue.builtin("templates")
        self.user_folders = [folder.resolve() for folder in template_folders]
        # A user's templates may come from anywhere, so they run in Jinja's sandbox, where a template
        # cannot reach Python's insides; the built-in ones are ours, and render faster without it.
        environment = Environment
        if self.user_folders:
            from jinja2.sandbox import SandboxedEnvironment as environment
        self.env = environment(
            loader=ChoiceLoader([
                _Confined([*template_folders, builtin]),
                PrefixLoader({"builtin": _Confined(builtin)}),
            ]),
            autoescape=True,  # every template, whatever its name: text from input is never markup
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._markdown = markdown_lib.Markdown(output_format="html")
        self.env.filters.update(markdown=self.markdown, inline=self.inline, minutes=format_minutes,
                                date=format_date, when=when, time_of_day=time_of_day, about=about, count=count,
                                sentence=sentence, words=join_words, clock=clock, qr_code=qr_code, qr_svg=qr_svg,
                                svg_uri=self.svg_uri, csp_hash=csp_hash, long_word=long_word,
                                lang=lang_attribute)
        self.env.globals["asset"] = self.asset

    def screen(self, programme: Programme) -> str:
        """The HTML workbook a learner opens in a browser."""
        return self._render("screen/workbook.html", programme=programme, pathway=programme.pathway)

    def printed(self, programme: Programme, edition: str, *, fillable: bool = False) -> str:
        """The document handed to the PDF engine for an edition (options.EDITIONS): print/<edition>.html."""
        return self._render(f"print/{edition}.html", programme=programme, pathway=programme.pathway,
                            edition=edition, fillable=fillable)

    def covers(self, programme: Programme, learners: Sequence[Learner], *, fillable: bool = False) -> str:
        """Each learner's own cover of the learner workbook, a page each, to be spliced into copies of it."""
        return self._render("print/covers.html", programme=programme, pathway=programme.pathway,
                            edition="learner", fillable=fillable, learners=learners)

    def cover(self, programme: Programme, learner: Learner, *, fillable: bool = False) -> str:
        """One learner's cover alone, as print/covers.html includes it: what their copy's key is made of."""
        return self._render("print/cover.html", programme=programme, pathway=programme.pathway,
                            edition="learner", fillable=fillable, learner=learner)

    def _render(self, name: str, **context) -> str:
        try:
            return self.env.get_template(name).render(**context)
        except UserError:
            raise
        except Exception as error:  # {{ 1/0 }} in a user's template is theirs to fix, as a syntax error is
            where = self._user_template_line(error)
            if where is None:
                raise  # a fault in a built-in template is our bug, and shows a traceback
            if isinstance(error, TemplateNotFound):
                text = f"there is no template '{error.name}'"
            elif isinstance(error, TemplateError):
                text = (error.message or type(error).__name__).rstrip(".")
            else:
                text = f"{str(error).rstrip('.')} ({type(error).__name__})"
            raise UserError(Problem(where, "", f"template error: {text}; fix the template, or leave "
                                               "its folder out of --templates")) from None

    def _user_template_line(self, error: Exception) -> Location | None:
        """Where in the user's own templates the error is, if it is in one of them."""
        places = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(error.__traceback__)]
        if isinstance(error, TemplateSyntaxError) and error.filename:
            places.append((error.filename, error.lineno))
        for filename, line in reversed(places):
            path = Path(filename).resolve()
            if any(path.is_relative_to(folder) for folder in self.user_folders):
                return Location(catalogue.display(path), line, None)
        return None

    def asset(self, name: str) -> Markup:
        """A template folder's file as it is (a style sheet, a script), not read as a template."""
        source, _, _ = self.env.loader.get_source(self.env, name)
        return Markup(source)

    def svg_uri(self, name: str, colour: str) -> str:
        """A template folder's SVG icon as a data: URI, drawn in `colour` (for use as a CSS background)."""
        svg = str(self.asset(name)).replace("currentColor", colour).encode()
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")

    def markdown(self, text: str | None) -> Markup:
        """Markdown blocks, sanitised: no raw HTML, scripts or styles survive.

        Links keep their address only when it is http, https, mailto or an in-page anchor.
        """
        return self._sanitised(text, _TAGS)

    def inline(self, text: str | None) -> Markup:
        """Markdown for one line (a question, a prompt): emphasis and links, no paragraphs."""
        return self._sanitised(text, _INLINE_TAGS)

    def _sanitised(self, text: str | None, tags: set[str]) -> Markup:
        if not text:
            return Markup("")
        html = self._markdown.reset().convert(text)
        # "*": no attribute on every tag either; nh3 would otherwise keep title and lang.
        return Markup(nh3.clean(html, tags=tags, attributes={"a": {"href"}, "*": set()},
                                url_schemes=_LINK_SCHEMES, url_relative=_anchor_only,
                                link_rel="noopener noreferrer").strip())


def _anchor_only(url: str) -> str | None:
    """A relative link survives only as an in-page anchor: '../x' or 'x.pdf' would name local files."""
    return url if url.startswith("#") else None


class _Confined(FileSystemLoader):
    """Templates from a list of folders, read as UTF-8, and never through a link that leads out of them."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for root in self.searchpath:
            path = Path(root, *pieces)
            if not path.is_file():
                continue
            if not path.resolve().is_relative_to(Path(root).resolve()):
                link = Path(catalogue.display(path.parent), path.name)  # the link's own name, not its target's
                raise UserError(Problem(Location(str(link), 1, None), "", (
                    f"this template is a link to '{path.resolve()}', outside its folder: copy the file "
                    "itself into the folder")))
            data = path.read_bytes()
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError as error:
                line = data[: error.start].count(b"\n") + 1
                raise UserError(Problem(Location(catalogue.display(path), line, None), "",
                                        "this template is not UTF-8 text: save it as UTF-8")) from None
            modified = path.stat().st_mtime

            def unchanged() -> bool:
                try:
                    return path.stat().st_mtime == modified
                except OSError:
                    return False

            return source, str(path), unchanged
        raise TemplateNotFound(template)


def qr_code(url: str, title: str) -> Markup:
    """A QR code for a printed web address: a vector image whose alternative text names the item."""
    # A four-module quiet zone around the code, as the standard asks, so that any reader finds it.
    source = _qr(url).svg_data_uri(scale=1, border=4, dark="#212b32", light=None, xmldecl=False,
                                   svgns=True, nl=False)
    return Markup('<img class="qr" src="{}" alt="{}">').format(
        source, f"QR code for the web address of “{title}”, which is printed beside it")


def qr_svg(url: str, title: str) -> Markup:
    """The same for a screen, as an inline SVG image: smaller than a data: URI, and as sharp.

    The screen's code takes mask 0 rather than the best of eight: the search is four-fifths of the
    work, and the HTML build must be quick. Readers read any mask (the tests read every code back).
    """
    svg = _qr(url, mask=0).svg_inline(scale=1, border=4, dark="#212b32", light=None, omitsize=True,
                                      svgclass="qr", lineclass=None)
    label = Markup(' role="img" aria-label="{}"').format(
        f"QR code for the web address of “{title}”, which is shown beside it")
    return Markup(svg.replace("<svg", f"<svg{label}", 1))


def _qr(url: str, mask: int | None = None):
    import segno  # only the outputs with codes need it

    return segno.make(url, error="m", micro=False, mask=mask)


def csp_hash(source: str) -> str:
    """A Content-Security-Policy source that allows exactly this inline script or style."""
    digest = hashlib.sha256(str(source).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def lang_attribute(language: str | None) -> Markup:
    """` lang="cy"` for an element in another language than the one around it (sequence.py decides it):
    nothing for None."""
    return Markup(' lang="{}"').format(language) if language else Markup()


def format_minutes(minutes: int) -> str:
    """75 -> '1 h 15 min'; 0 -> 'not estimated'."""
    if not minutes:
        return "not estimated"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def clock(minutes: int) -> str:
    """Minutes into a session as hours and minutes: 75 -> '1:15'."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def about(minutes: int) -> str:
    """75 -> 'about 1 h 15 min'; 0 -> 'time not estimated'."""
    return f"about {format_minutes(minutes)}" if minutes else "time not estimated"


def count(number: int, noun: str) -> str:
    """(1, 'resource') -> '1 resource'; (3, 'resource') -> '3 resources'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def long_word(text: str) -> str:
    """' long-word', the class print.css leaves unhyphenated, for a text with a word of over 60
    letters: no language has one, and the engine would take minutes to hyphenate it."""
    return " long-word" if max(map(len, text.split()), default=0) > 60 else ""


def sentence(text: str) -> str:
    """End with a full stop unless the text already ends with . ? or !"""
    return text if text.rstrip().endswith((".", "?", "!")) else f"{text}."


def join_words(words: Iterable[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    words = list(words)
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def when(stage, short: bool = False) -> str:
    """A level's session, as much of it as is known: 'Monday 1 March 2027, 09:30 to 12:00'."""
    details = stage.details
    start, end = (details.start, details.end) if details else (None, None)
    times = f"{start:%H:%M} to {end:%H:%M}" if start and end else f"from {start:%H:%M}" if start else ""
    return ", ".join(part for part in (format_date(stage.session, short), times) if part)


def time_of_day(minutes: int) -> str:
    """Minutes after midnight as a 24-hour time: 570 -> '09:30'."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def format_date(day: datetime.date | None, short: bool = False) -> str:
    """2027-03-01 -> 'Monday 1 March 2027' (British order), or 'Mon 1 Mar 2027' when short."""
    if not day:
        return ""
    return f"{day:%a} {day.day} {day:%b %Y}" if short else f"{day:%A} {day.day} {day:%B %Y}"
