"""The top-level elements of a print document's body, found without laying it out (see parts.py).

Strings in, strings out: no file is read or written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Sequence

MARK = "data-part-start"
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr"}


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

    def document(self, body: str, head: str = "", pages: int | None = None) -> str:
        """The document with `body` for its body's content, and `head` added to its head; with `pages`,
        its head's counter(pages) written out as that number."""
        before = self.html[:self.head_end]
        if pages is not None:
            before = before.replace("counter(pages)", f'"{pages}"')
        return before + head + self.html[self.head_end:self.body_start] + body + self.html[self.body_end:]

    def source_of(self, indexes: Sequence[int]) -> str:
        return "".join(self.html[self.elements[i].start:self.elements[i].end] for i in indexes)


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


def scan(html: str) -> Source | None:
    scanner = _Scanner(html)
    scanner.feed(html)
    scanner.close()
    if scanner.broken or None in (scanner.head_end, scanner.body_start, scanner.body_end) or not scanner.elements:
        return None
    return Source(html, scanner.head_end, scanner.body_start, scanner.body_end, tuple(scanner.elements))
