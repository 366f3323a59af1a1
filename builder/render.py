"""Render a Programme to HTML strings with Jinja2. Writes nothing.

Template folders are searched in order, the built-in one last; `builtin/NAME` always names the
built-in template, so an override can extend the template it replaces.
"""

from __future__ import annotations

import base64
import hashlib
import re
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import markdown as markdown_lib
import nh3
from jinja2 import (ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined,
                    TemplateError, TemplateNotFound, TemplateSyntaxError, pass_context)
from jinja2.loaders import split_template_path
from markupsafe import Markup

from . import catalogue, i18n
from .errors import Location, Problem, UserError
from .script_text import script_text
from .wording import _, about, clock, format_date, format_minutes, kind_name, time_of_day, when
from .sequence import Programme

if TYPE_CHECKING:
    from .cohort import Learner

_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "code", "blockquote", "br"}
_INLINE_TAGS = {"em", "strong", "a", "code", "br"}
_LINK_SCHEMES = {"http", "https", "mailto"}

# The editions laid out afresh from the learner workbook's templates, with a stylesheet of their own
# (print/<edition>.css) and their word as a class of <body>.
RESET = ("large-print", "booklet")
# Each ruled line under a question, and in a box, with its 0.25 mm line, in mm: a field is as tall as
# its lines. Large print's are half as tall again, for large handwriting.
RULES = {"large-print": (12.25, 11.25)}
STANDARD_RULES = (8.25, 7.25)
# The ruled lines of the two Notes pages, as many as fill each (fewer on the first, under its heading).
NOTES_LINES = {"large-print": (18, 20), "booklet": (19, 21)}
STANDARD_NOTES_LINES = (26, 29)


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
            extensions=["jinja2.ext.i18n"],
        )
        # {% trans %} blocks read as one line of text, however the template wraps them, so that a
        # msgid is the same text wherever the template breaks its lines.
        self.env.policies["ext.i18n.trimmed"] = True
        # The catalogue is the `language` of the context a string is rendered in: the pathway's.
        self.env.install_gettext_callables(gettext=_gettext, ngettext=_ngettext, newstyle=True)
        self._markdown = markdown_lib.Markdown(output_format="html")
        self.env.filters.update(markdown=self.markdown, inline=self.inline, minutes=_in_language(format_minutes),
                                date=_in_language(format_date), when=_in_language(when), time_of_day=time_of_day,
                                about=_in_language(about), sentence=sentence, clock=clock,
                                qr_code=_in_language(qr_code), qr_svg=_in_language(qr_svg),
                                svg_uri=self.svg_uri, csp_hash=csp_hash, long_word=long_word,
                                css_string=css_string, lang=lang_attribute)
        self.env.globals.update(asset=self.asset, script_text=_in_language(script_text),
                                kind_name=_in_language(kind_name))

    def screen(self, programme: Programme, platform: bool = False) -> str:
        """The HTML workbook a learner opens in a browser; `platform`: inside a learning platform (SCORM 1.2),
        saving there as well as in the browser."""
        return self._render("screen/workbook.html", programme=programme, pathway=programme.pathway,
                            platform=platform)

    def printed(self, programme: Programme, edition: str, *, fillable: bool = False, size: int = 18) -> str:
        """The document handed to the PDF engine for an edition (options.EDITIONS): print/<edition>.html,
        or the learner's for an edition in RESET. `size` is large print's body text, in points."""
        layout = edition if edition in RESET else ""
        rule, short_rule = RULES.get(layout, STANDARD_RULES)
        # A Notes box shown on a near-empty page (fit.py): its frame grows with its heading's size.
        frame = 24 + max(0, size * 1.2 - 11) * 1.2 * 25.4 / 72 if layout == "large-print" else 24
        return self._render(f"print/{'learner' if layout else edition}.html", programme=programme,
                            pathway=programme.pathway, edition="learner" if layout else edition, fillable=fillable,
                            layout=layout, size=size, rule=rule, short_rule=short_rule, filler_frame=round(frame, 2),
                            notes_lines=NOTES_LINES.get(layout, STANDARD_NOTES_LINES))

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
            return self.env.get_template(name).render(language=context["pathway"].language, **context)
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


@pass_context
def _gettext(context, message: str) -> str:
    return i18n.translations(context["language"]).gettext(message)


@pass_context
def _ngettext(context, singular: str, plural: str, number: int) -> str:
    return i18n.translations(context["language"]).ngettext(singular, plural, number)


def _in_language(function: Callable) -> Callable:
    """A filter that says its words in the language of the context it is used in."""
    @pass_context
    def in_language(context, *arguments, **options):
        return function(*arguments, language=context["language"], **options)
    return in_language


def qr_code(url: str, title: str, language: str = i18n.SOURCE) -> Markup:
    """A QR code for a printed web address: a vector image whose alternative text names the item."""
    # A four-module quiet zone around the code, as the standard asks, so that any reader finds it.
    source = _qr(url).svg_data_uri(scale=1, border=4, dark="#212b32", light=None, xmldecl=False,
                                   svgns=True, nl=False)
    return Markup('<img class="qr" src="{}" alt="{}">').format(
        source, _("QR code for the web address of “{title}”, which is printed beside it", language).format(title=title))


def qr_svg(url: str, title: str, language: str = i18n.SOURCE) -> Markup:
    """The same for a screen, as an inline SVG image: smaller than a data: URI, and as sharp.

    The screen's code takes mask 0 rather than the best of eight: the search is four-fifths of the
    work, and the HTML build must be quick. Readers read any mask (the tests read every code back).
    """
    svg = _qr(url, mask=0).svg_inline(scale=1, border=4, dark="#212b32", light=None, omitsize=True,
                                      svgclass="qr", lineclass=None)
    label = Markup(' role="img" aria-label="{}"').format(
        _("QR code for the web address of “{title}”, which is shown beside it", language).format(title=title))
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


def long_word(text: str) -> str:
    """' long-word', the class print.css leaves unhyphenated, for a text with a word of over 60
    letters: no language has one, and the engine would take minutes to hyphenate it."""
    return " long-word" if max(map(len, text.split()), default=0) > 60 else ""


def sentence(text: str) -> str:
    """End with a full stop unless the text already ends with . ? or !"""
    return text if text.rstrip().endswith((".", "?", "!")) else f"{text}."


def css_string(text: str, **counters: str) -> Markup:
    """A text for CSS `content`, its {names} replaced by counters: ("Page {page} of {pages}", page="page",
    pages="pages") -> '"Page " counter(page) " of " counter(pages)'."""
    parts = re.split(r"\{(\w+)\}", text)
    quoted = ['"' + re.sub(r'([\\"<])', lambda m: f"\\{ord(m.group(1)):x} ", part) + '"' if index % 2 == 0
              else f"counter({counters[part]})" for index, part in enumerate(parts)]
    return Markup(" ".join(part for part in quoted if part != '""'))


