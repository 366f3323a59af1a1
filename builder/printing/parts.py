"""A print document laid out in parts: for its memory to follow a part, and to lay out again only a changed part.

The print templates mark each top-level element that always starts a new page with
`data-part-start`: "level" for a level's opener, "item" for an item. A part may begin only there,
so each part's pages are the pages the whole document would have, and each part is written as a
PDF of its own (joined in join.py).

A part is laid out *in place*: within the whole document's run of pages, the cover and the
current level's opener laid out again on their own pages (they set the running headers), and
each other page an empty stand-in holding the anchors the part links to. Page numbers, "of N",
the contents' page numbers and the running headers therefore come out as in one layout, and a
part's layout in place is the same, byte for byte, as its pages cut from the whole layout. The
engine's time grows faster than a document's pages, even empty ones, so a run of stand-ins is
one page that adds the run to the page counter, its last page's anchors on it, and "of N" is
written as the number; where the styles may set a page by its side (_SIDED), an odd run before
an anchored page is one page and an even run two, to keep each later page's side; and where they
number pages some other way (see _counts_pages), each stand-in is a page.

So a part's in-place document decides its PDF: its hash is the part's key (relay.py). What is
kept of each part (Part) lets the next build lay out only the parts whose key changed.

Strings in, strings and page lists out: no file is read or written here.
"""

from __future__ import annotations

import html as markup
import re
from dataclasses import dataclass
from typing import Callable

from . import fit
from .scan import Source, scan

LEVEL = "level"
PART_BYTES = 12_000  # of HTML, about four pages: a part laid out again after an edit is quick
MOST_PARTS = 40  # a longer document has longer parts: each part embeds its own font subsets
GHOST = "pathway-builder-stand-in"
_MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top",
                 "right-middle", "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center",
                 "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top")
# A stand-in page draws nothing: it is never written, and its margin boxes would cost layout time.
# One that counts several pages adds them to the page counter (its own page included).
_STAND_IN_STYLE = ("@page {name} {{ counter-increment: page {pages}; "
                   + " ".join(f"@{box} {{{{ content: none }}}}" for box in _MARGIN_BOXES)
                   + " }} .{name} {{ page: {name}; break-before: page }}")
_LINKED = re.compile(r'href="#([^"]*)"')


class Unsettled(RuntimeError):
    """The parts' page counts kept changing when laid out in place: lay the document out whole."""


@dataclass
class Part:
    """One part as laid out, and as kept for the next build."""
    key: str  # the hash of its in-place document (relay.py)
    pages: int
    anchors: list[tuple[str, int]]  # each anchor on its pages, and the page within the part it starts on
    levels: list[int]  # the bookmark level of each outline entry, in order
    edits: fit.Edits  # what fit.py changed in its own marks
    data: bytes  # its PDF, finished (finish.py)


@dataclass
class Plan:
    """The document's parts (lists of element indexes) and, as far as known, each one's pages and anchors."""
    source: Source
    parts: list[list[int]]
    counts: list[int]
    anchors: list[list[tuple[str, int]]]
    compact: bool = True  # whether a stand-in may count several pages (see _counts_pages)
    sided: bool = True  # whether the styles may set a page by its side (see _SIDED)

    def starts(self) -> list[int]:
        return [sum(self.counts[:k]) for k in range(len(self.parts))]

    def first_id(self, number: int) -> str | None:
        return self.source.elements[self.parts[number][0]].id

    def carried(self, number: int) -> list[int]:
        """The elements laid out again before a part: the first (the cover) and the current level's opener."""
        if number == 0:
            return []
        first, elements = self.parts[number][0], self.source.elements
        carried = [0]
        level = next((i for i in range(first - 1, 0, -1) if elements[i].mark == LEVEL), None)
        if level is not None and elements[first].mark != LEVEL:
            carried.append(level)
        return carried

    def own_marks(self, number: int) -> set[str]:
        return fit.marks_in(self.source.source_of(self.parts[number]))

    def carried_marks(self, number: int) -> set[str]:
        return fit.marks_in(self.source.source_of(self.carried(number)))

    def where(self) -> dict[str, int]:
        """Each anchor's page in the whole document, from 1."""
        where: dict[str, int] = {}
        for start, anchors in zip(self.starts(), self.anchors):
            for name, page in anchors:
                where.setdefault(name, start + page + 1)
        return where

    def document(self, number: int) -> InPlace:
        """Part `number`'s in-place document."""
        source, own = self.source, self.parts[number]
        starts, total = self.starts(), sum(self.counts)
        where = {name: page - 1 for name, page in self.where().items()}
        slots = {starts[number]: (source.source_of(own), self.counts[number])}  # page -> (source, pages)
        for carried in self.carried(number):
            first = 0 if carried == 0 else where[source.elements[carried].id]
            end = where[source.elements[carried + 1].id]
            slots[first] = (source.source_of([carried]), max(end, first + 1) - first)
        # Stand-in anchors for what this part links to: a contents entry's page number, say.
        linked = {markup.unescape(name) for name in _LINKED.findall("".join(html for html, _ in slots.values()))}
        on_page: dict[int, list[str]] = {}
        for k in range(len(self.parts)):
            for name, page in self.anchors[k] if k != number else ():
                if name in linked:
                    on_page.setdefault(starts[k] + page, []).append(name)
        body: list[str] = []
        counted: set[int] = set()  # the runs a stand-in counts
        laid = start = run = page = 0  # `laid`: the in-place document's pages so far

        def stand_ins(count: int, marks: str = "") -> int:
            """Stand-ins for `count` pages, the anchors `marks` on the last: one page that counts them all,
            unless the styles number pages otherwise; where they may set a page by its side, left or
            right, a page for the anchors and one for an odd run before them (two for an even run)."""
            empty = count - 1 if marks else count
            if not self.compact:
                runs = [1] * count
            elif not self.sided:
                runs = [count] if count else []
            else:
                runs = ([] if not empty else [empty] if empty % 2 else [empty - 1, 1]) + [1] * bool(marks)
            counted.update(runs)
            body.extend(f'<div class="{_stand_in(pages)}">{marks * (last == len(runs) - 1)}</div>'
                        for last, pages in enumerate(runs))
            return len(runs)

        while page < total:
            if page in slots:
                laid += stand_ins(run)
                run = 0
                html, pages = slots[page]
                start = laid if page == starts[number] else start
                body.append(html)
                laid, page = laid + pages, page + pages
                continue
            run += 1
            if page in on_page:
                laid += stand_ins(run, "".join(f'<div id="{_escape(name)}"></div>' for name in on_page[page]))
                run = 0
            page += 1
        laid += stand_ins(run)
        style = "".join(_STAND_IN_STYLE.format(name=_stand_in(pages), pages=pages) for pages in sorted(counted))
        return InPlace(source.document("".join(body), f"<style>{style}</style>", total if self.compact else None),
                       start, laid)


@dataclass(frozen=True)
class InPlace:
    """A part's in-place document, the index of the part's first page in its layout, and how many pages
    that layout has (fewer than the whole document's, where stand-ins count several pages)."""
    html: str
    start: int
    pages: int


def split(html: str, budget: int = PART_BYTES) -> Plan | None:
    """The document's parts, their pages not yet known; or None to lay it out whole, when its body
    is not a run of elements that can be told apart, or makes one part."""
    source = scan(html)
    if source is None:
        return None
    budget = max(budget, (source.body_end - source.body_start) // MOST_PARTS)
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
    plan = Plan(source, parts, [], [], _counts_pages(source), bool(_SIDED.search(html)))
    # A carried element needs the next element's anchor to know where its pages end.
    for number in range(1, len(parts)):
        for carried in plan.carried(number):
            if carried + 1 >= len(source.elements) or (carried > 0 and not source.elements[carried].id) \
                    or not source.elements[carried + 1].id:
                return None
    return plan


def written(document, pages, write: Callable, number: int, where: dict[str, int]) \
        -> tuple[bytes, list[tuple[str, int]], list[int]]:
    """The PDF of these pages of a layout, with each anchor on them and the bookmark levels.

    `write(document, pages, where, number)` writes them, told where in the whole document each
    anchor is (`where`, page numbers from 1) and which part this is."""
    anchors = anchors_of(pages)
    real = {name for page in pages for name in page.anchors}
    levels = [level for page in pages for level, *_ in page.bookmarks]
    # A link to another part's page is kept by WeasyPrint only if its anchor is among the pages
    # written; a stand-in anchor is added for it here, and the join points it at the real page.
    missing = {target for page in pages for kind, target, *_ in page.links
               if kind == "internal" and target not in real}
    added = sorted(missing)
    for name in added:
        pages[0].anchors[name] = (0, 0, 0, 0)
    try:
        return write(document, pages, where, number), anchors, levels
    finally:
        for name in added:  # the layout may be cut again: its anchors stay its own
            del pages[0].anchors[name]


def anchors_of(pages) -> list[tuple[str, int]]:
    """Each anchor and the page it starts on (an element split over pages has its anchor on each)."""
    first: dict[str, int] = {}
    for number, page in enumerate(pages):
        for name in page.anchors:
            first.setdefault(name, number)
    return list(first.items())


def page_of(pages, anchor: str | None) -> int | None:
    return next((number for number, page in enumerate(pages) if anchor in page.anchors), None)


def _counts_pages(source: Source) -> bool:
    """Whether the document's styles are all in it, and number pages by the page counter and their side
    alone: then a stand-in may count several pages, with "of N" written as the number."""
    html = source.html
    if _INDEXED.search(html):
        return False
    return all(found.group() == "counter(pages)" and found.start() < source.head_end
               for found in _COUNTER.finditer(html) if re.search(r"\bpages\b", found.group()))


# What numbers pages otherwise: a page chosen by its index, or styles from elsewhere.
_INDEXED = re.compile(r":nth\(|@import|<link\b", re.IGNORECASE)
# What may give a page other styles by its side, or add a blank page to start on one.
_SIDED = re.compile(r":(?:left|right|recto|verso)\b|break-(?:before|after)\s*:\s*(?:left|right|recto|verso)",
                    re.IGNORECASE)
_COUNTER = re.compile(r"(?:target-)?counters?\((?:[^()]|\([^()]*\))*\)", re.IGNORECASE)


def _stand_in(pages: int) -> str:
    return GHOST if pages == 1 else f"{GHOST}-{pages}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
