"""A long print document laid out in parts, so that the engine's memory follows a part, not the whole.

WeasyPrint keeps every page of a document in memory until the PDF is written, about a megabyte
a page. A pathway of hundreds of items is therefore laid out a part at a time, and the parts'
PDFs are joined (see join.py).

The print templates mark each top-level element that always starts a new page with
`data-part-start`: "level" for a level's opener, "item" for an item. A part may begin only there,
so each part's pages are the pages the whole document would have. Every part is laid out within
the whole document's run of pages: the cover and the current level's opener are laid out again
on their own pages (they set the running headers), and each other page is an empty stand-in
holding the anchors that page has. Page numbers, "of N", the contents' page numbers and the
running headers therefore come out as in one layout. That needs each part's page count first, so
each part is laid out once on its own to count its pages, then once more in place.

Strings in, strings and page lists out: no file is read or written here.
"""

from __future__ import annotations

import ctypes
import gc
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable, Sequence

MARK = "data-part-start"
LEVEL = "level"
WHOLE_BYTES = 1_000_000  # of HTML: up to about 300 pages (some 400 MB), a document is laid out whole
PART_BYTES = 400_000  # and over that, in parts of about 125 pages each
GHOST = "pathway-builder-stand-in"
_MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top",
                 "right-middle", "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center",
                 "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top")
# A stand-in page draws nothing: it is never written, and its margin boxes would cost layout time.
_GHOST_STYLE = ("<style>@page " + GHOST + " { " + " ".join(f"@{box} {{ content: none }}" for box in _MARGIN_BOXES)
                + " } ." + GHOST + " { page: " + GHOST + "; break-before: page }</style>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr"}
_ROUNDS = 3


@dataclass(frozen=True)
class Element:
    """One top-level element of the body: where its source starts and ends, its id and its mark."""
    start: int
    end: int
    id: str | None
    mark: str | None


@dataclass(frozen=True)
class Source:
    html: str
    head_end: int  # where </head> starts
    body_start: int  # just after <body ...>
    body_end: int  # where </body> starts
    elements: tuple[Element, ...]

    def document(self, body: str) -> str:
        return (self.html[:self.head_end] + _GHOST_STYLE + self.html[self.head_end:self.body_start] + body
                + self.html[self.body_end:])

    def source_of(self, indexes: Sequence[int]) -> str:
        return "".join(self.html[self.elements[i].start:self.elements[i].end] for i in indexes)


class Unsettled(RuntimeError):
    """The parts' page counts kept changing when laid out in place: lay the document out whole."""


@dataclass
class Laid:
    """What one part's own pages hold, for the join."""
    data: bytes
    anchors: set[str]  # the anchors really on these pages, not stand-ins
    levels: list[int]  # the bookmark level of each outline entry, in order


def split(html: str, budget: int = PART_BYTES, whole: int = WHOLE_BYTES
          ) -> tuple[Source, list[list[int]]] | None:
    """The document and its parts (lists of element indexes), or None to lay it out whole.

    Whole when it is no larger than `whole` (laying out in parts takes twice the time), or when
    its body is not a run of elements that can be told apart.
    """
    source = _scan(html)
    if source is None or source.body_end - source.body_start <= max(budget, whole):
        return None
    parts: list[list[int]] = [[]]
    size = 0
    for index, element in enumerate(source.elements):
        length = element.end - element.start
        if element.mark and element.id and parts[-1] and size + length > budget and index > 0:
            parts.append([])
            size = 0
        parts[-1].append(index)
        size += length
    if len(parts) == 1:
        return None
    # A carried element needs the next element's anchor to know where its pages end.
    for part in parts[1:]:
        for carried in _carried(source, part[0]):
            if carried + 1 >= len(source.elements) or (carried > 0 and not source.elements[carried].id) \
                    or not source.elements[carried + 1].id:
                return None
    return source, parts


def lay_out(source: Source, parts: list[list[int]], render: Callable, write: Callable) -> tuple[list[Laid], int]:
    """Each part's PDF and what the join needs, and the whole document's page count.

    `render(html)` lays out a document and returns WeasyPrint's Document; `write(document, pages)`
    returns the PDF of those of its pages.
    """
    counts, anchors = [], []  # per part: its page count; (anchor, page within the part) on its pages
    for part in parts:
        document = render(source.document(source.source_of(part)))
        counts.append(len(document.pages))
        anchors.append(_anchors(document.pages))
        del document
        _give_back()
    for _ in range(_ROUNDS):
        laid, settled = [], True
        starts, total = [sum(counts[:k]) for k in range(len(parts))], sum(counts)
        for number, part in enumerate(parts):
            body = _in_place(source, parts, number, starts, counts, anchors)
            document = render(source.document(body))
            own = len(document.pages) - (total - counts[number])
            first = source.elements[part[0]].id
            if own != counts[number] or (number and _page_of(document.pages, first) != starts[number]):
                # Its page count changed once laid out in place (contents with page numbers do): again.
                counts[number] = max(own, 1)
                anchors[number] = _anchors(document.pages[starts[number]:starts[number] + counts[number]])
                settled = False
                break
            pages = document.pages[starts[number]:starts[number] + own]
            anchors[number] = _anchors(pages)
            laid.append(_written(document, pages, write))
            del document, pages
            _give_back()
        if settled:
            return laid, sum(counts)
    raise Unsettled(f"the parts' page counts did not settle in {_ROUNDS} rounds: {counts}")


def _give_back() -> None:
    """Free one part's layout before the next: its boxes hold cycles, and glibc keeps freed memory
    unless asked to return it."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused all the same
        pass


def _written(document, pages, write) -> Laid:
    real = {name for page in pages for name in page.anchors}
    levels = [level for page in pages for level, *_ in page.bookmarks]
    # A link to another part's page is kept by WeasyPrint only if its anchor is among the pages
    # written; a stand-in anchor is added for it here, and the join points it at the real page.
    missing = {target for page in pages for kind, target, *_ in page.links
               if kind == "internal" and target not in real}
    for name in sorted(missing):
        pages[0].anchors[name] = (0, 0, 0, 0)
    return Laid(write(document, pages), real, levels)


def _anchors(pages) -> list[tuple[str, int]]:
    """Each anchor and the page it starts on (an element split over pages has its anchor on each)."""
    first: dict[str, int] = {}
    for number, page in enumerate(pages):
        for name in page.anchors:
            first.setdefault(name, number)
    return list(first.items())


def _page_of(pages, anchor: str | None) -> int | None:
    return next((number for number, page in enumerate(pages) if anchor in page.anchors), None)


def _carried(source: Source, first: int) -> list[int]:
    """The elements laid out again before a part: the first (the cover) and the current level's opener."""
    carried = [0]
    level = next((i for i in range(first - 1, 0, -1) if source.elements[i].mark == LEVEL), None)
    if level is not None and source.elements[first].mark != LEVEL:
        carried.append(level)
    return carried


def _in_place(source: Source, parts, number: int, starts, counts, anchors) -> str:
    """Part `number`'s body, laid among the whole document's pages."""
    own = parts[number]
    total = sum(counts)
    where = {name: starts[k] + page for k in range(len(parts)) for name, page in anchors[k]}
    slots: dict[int, str] = {}  # page -> source that starts there
    covered: set[int] = set(range(starts[number], starts[number] + counts[number]))
    slots[starts[number]] = source.source_of(own)
    if number:
        for carried in _carried(source, own[0]):
            first = 0 if carried == 0 else where[source.elements[carried].id]
            end = where[source.elements[carried + 1].id]
            slots[first] = source.source_of([carried])
            covered.update(range(first, max(end, first + 1)))
    on_page: dict[int, list[str]] = {}
    for k in range(len(parts)):
        for name, page in anchors[k] if k != number else ():
            on_page.setdefault(starts[k] + page, []).append(name)
    body = []
    for page in range(total):
        if page in slots:
            body.append(slots[page])
        elif page not in covered:
            marks = "".join(f'<div id="{_escape(name)}"></div>' for name in on_page.get(page, ()))
            body.append(f'<div class="{GHOST}">{marks}</div>')
    return "".join(body)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


class _Scanner(HTMLParser):
    """Finds the body's top-level elements; `broken` if the body is not a clean run of them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.lines, at = [], 0
        for line in html.splitlines(keepends=True):
            self.lines.append(at)
            at += len(line)
        self.depth = -1  # -1 before the body, -2 after it
        self.head_end = self.body_start = self.body_end = None
        self.elements: list[Element] = []
        self.opened: tuple | None = None
        self.broken = False

    def _here(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag == "body" and self.depth == -1:
            self.body_start = self.html.index(">", self._here()) + 1
            self.depth = 0
            return
        if self.depth < 0:
            return
        if self.depth == 0:
            named = dict(attrs)
            self.opened = (self._here(), tag, named.get("id"), named.get(MARK))
        if tag not in _VOID:
            self.depth += 1
        elif self.depth == 0:
            self._close(self.html.index(">", self._here()) + 1)

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.broken = True  # a top-level element written as <tag/>: rare enough not to split

    def handle_endtag(self, tag):
        if tag == "head" and self.head_end is None:
            self.head_end = self._here()
        if self.depth < 0 or tag in _VOID:
            return
        if tag == "body" and self.depth == 0:
            self.body_end = self._here()
            self.depth = -2
            return
        self.depth -= 1
        if self.depth < 0:
            self.broken = True
        elif self.depth == 0:
            if self.opened is None or self.opened[1] != tag:
                self.broken = True
            else:
                self._close(self.html.index(">", self._here()) + 1)

    def _close(self, end: int) -> None:
        start, _, ident, mark = self.opened
        self.elements.append(Element(start, end, ident, mark))
        self.opened = None

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            self.broken = True  # text outside any element


def _scan(html: str) -> Source | None:
    scanner = _Scanner(html)
    scanner.feed(html)
    scanner.close()
    if scanner.broken or None in (scanner.head_end, scanner.body_start, scanner.body_end) or not scanner.elements:
        return None
    return Source(html, scanner.head_end, scanner.body_start, scanner.body_end, tuple(scanner.elements))
