"""The links of a tagged PDF, for a screen reader (see finish.py): one Link element and one annotation a
link, a contents entry's leader dots an artifact, and each link described in words.

Bytes are not read or written here: finish.py opens and saves the PDF.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tagged import elements, is_element, kids

# The print document says how a link within it is described: the words are the template's, to translate.
LINK_TO_PAGE = "pathway-builder:link-to-page"
LAYOUT = b"/Artifact <</Type /Layout>> BDC"
_PRINT = 4  # the annotation flag


def leaders(pdf: pikepdf.Pdf, numbers: dict, artifacts: dict[int, dict[int, bytes]]) -> None:
    """A link's marked content that shows only dots (a contents entry's leader) becomes a layout artifact.

    Only links within the document can have leaders (they come with a page number): a page's
    content is read only if it has one, as reading it is the slowest part of finishing a PDF."""
    for page in pdf.pages:
        links = [numbers.get(int(a.StructParent)) for a in page.obj.get("/Annots", Array())
                 if a.get("/Subtype") == Name("/Link") and "/StructParent" in a and "/Dest" in a]
        if "/StructParents" not in page.obj or not links:
            continue
        dots = _dot_only(page)
        chosen = artifacts.setdefault(int(page.obj.StructParents), {})
        for link in filter(None, links):
            children = kids(link)
            leader = [kid for kid in children if isinstance(kid, int) and kid in dots]
            if leader:
                link.K = Array([kid for kid in children if not (isinstance(kid, int) and kid in dots)])
                chosen.update(dict.fromkeys(leader, LAYOUT))


def _dot_only(page: pikepdf.Page) -> set[int]:
    """The marked-content ids on `page` whose text is only dots and spaces (at least one dot)."""
    codes: dict[str, tuple[set[bytes], set[bytes]]] = {}
    fonts = page.obj.Resources.get("/Font", Dictionary())
    shown: dict[int, list[bytes]] = {}
    fonts_of: dict[int, str] = {}
    open_ids: list[int | None] = []
    font = None
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "BDC":
            properties = operands[1] if len(operands) > 1 else None
            open_ids.append(int(properties.MCID) if isinstance(properties, Dictionary) and "/MCID" in properties
                            else None)
        elif name == "BMC":
            open_ids.append(None)
        elif name == "EMC" and open_ids:
            open_ids.pop()
        elif name == "Tf":
            font = str(operands[0])
        elif name in ("Tj", "TJ") and open_ids and open_ids[-1] is not None:
            strings = [operands[0]] if name == "Tj" else [part for part in operands[0] if isinstance(part, String)]
            shown.setdefault(open_ids[-1], []).extend(bytes(part) for part in strings)
            if fonts_of.setdefault(open_ids[-1], font) != font:
                fonts_of[open_ids[-1]] = None
    found = set()
    for mcid, strings in shown.items():
        name = fonts_of.get(mcid)
        if name is None or name not in fonts:
            continue
        if name not in codes:
            codes[name] = _codes_of(fonts[name])
        dot, space = codes[name]
        glyphs = [string[at:at + 2] for string in strings for at in range(0, len(string), 2)]
        if glyphs and any(glyph in dot for glyph in glyphs) and all(glyph in dot | space for glyph in glyphs):
            found.add(mcid)
    return found


def _codes_of(font) -> tuple[set[bytes], set[bytes]]:
    """The two-byte codes that a font's ToUnicode map reads as "." and as " "."""
    dot, space = set(), set()
    if "/ToUnicode" not in font:
        return dot, space
    for line in font.ToUnicode.read_bytes().decode("latin-1").splitlines():
        single = re.fullmatch(r"\s*<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>\s*", line)  # bfchar: code, text
        spanned = re.fullmatch(r"\s*<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>\s*", line)  # bfrange
        pairs = [single.groups()] if single else []
        if spanned:
            first, last, text = (int(value, 16) for value in spanned.groups())
            pairs = [(f"{code:04x}", f"{text + code - first:04x}") for code in range(first, last + 1)]
        for code, text in pairs:
            if text.lower() == "002e":
                dot.add(bytes.fromhex(code))
            elif text.lower() == "0020":
                space.add(bytes.fromhex(code))
    return dot, space


def _annotation_of(kid) -> Dictionary | None:
    if isinstance(kid, Dictionary) and kid.get("/Type") == Name("/OBJR"):
        return kid.Obj
    return None


def one_link_each(pdf: pikepdf.Pdf, numbers: dict) -> None:
    """A Link element inside another is spliced into it, its annotations merged into the outer one's."""
    pages = {page.obj.objgen: page.obj for page in pdf.pages}
    for link in [e for e in elements(pdf.Root.StructTreeRoot) if e.get("/S") == Name("/Link")]:
        if "/P" not in link or _inside_link(link):
            continue
        kept = _target_annotation(link)
        link.K = Array(_flattened(link, link, kept, pages, numbers))
    # A link broken over lines is a Link element a line: one element, one annotation over its lines.
    for parent in {link.P.objgen: link.P for link in elements(pdf.Root.StructTreeRoot)
                   if link.get("/S") == Name("/Link") and "/P" in link}.values():
        children, out = kids(parent), []
        for kid in children:
            before = out[-1] if out else None
            if is_element(kid) and is_element(before) and _same_link(before, kid):
                merged = _flattened(kid, before, _target_annotation(before), pages, numbers)
                before.K = Array(kids(before) + merged)
                continue
            out.append(kid)
        if len(out) != len(children):
            parent.K = Array(out)


def _target_annotation(link) -> Dictionary | None:
    return next((_annotation_of(kid) for kid in kids(link) if _annotation_of(kid) is not None), None)


def _same_link(one, other) -> bool:
    """Two Link elements of one page that lead to the same place."""
    if one.get("/S") != Name("/Link") or other.get("/S") != Name("/Link") or "/Pg" not in one or "/Pg" not in other:
        return False
    first, second = _target_annotation(one), _target_annotation(other)
    return (one.Pg.objgen == other.Pg.objgen and first is not None and second is not None
            and _target(first) is not None and _target(first) == _target(second))


def _target(annotation) -> str | None:
    if "/Dest" in annotation:
        return "#" + str(annotation.Dest)
    if "/A" in annotation and "/URI" in annotation.A:
        return str(annotation.A.URI)
    return None


def _inside_link(element) -> bool:
    parent = element.get("/P")
    while isinstance(parent, Dictionary) and parent.get("/Type") == Name("/StructElem"):
        if parent.get("/S") == Name("/Link"):
            return True
        parent = parent.get("/P")
    return False


def _flattened(element, link, kept, pages, numbers) -> list:
    """`element`'s kids with every Link inside it spliced in, and their annotations merged into `kept`."""
    out = []
    for kid in kids(element):
        annotation = _annotation_of(kid)
        if annotation is not None and kept is not None and annotation.objgen != kept.objgen:
            _merge(kept, annotation, pages.get(kid.Pg.objgen) if "/Pg" in kid else None, numbers)
            continue
        if is_element(kid) and kid.get("/S") == Name("/Link"):
            out.extend(_flattened(kid, link, kept, pages, numbers))
            continue
        if isinstance(kid, int) and element is not link:
            # A marked-content id of the spliced element: it now belongs to the outer link.
            numbers[int(pages[element.Pg.objgen].StructParents)][kid] = link
        elif is_element(kid):
            kid.P = link
        out.append(kid)
    return out


def _merge(kept: Dictionary, annotation: Dictionary, page: Dictionary | None, numbers) -> None:
    """`annotation` leaves its page; `kept` grows over where it was, when they share a page."""
    if page is not None and "/Annots" in page:
        page.Annots = Array([a for a in page.Annots if a.objgen != annotation.objgen])
    if "/StructParent" in annotation:
        numbers.pop(int(annotation.StructParent), None)
    if page is not None and any(a.objgen == kept.objgen for a in page.get("/Annots", Array())):
        old, new = _box(kept.Rect), _box(annotation.Rect)  # the engine writes a Rect top edge first
        # The areas it was, each a quadrilateral, so that a link over two lines is not one box over both.
        quads = list(kept.QuadPoints) if "/QuadPoints" in kept else _quad(old)
        kept.QuadPoints = Array(quads + _quad(new))
        kept.Rect = Array([min(old[0], new[0]), min(old[1], new[1]), max(old[2], new[2]), max(old[3], new[3])])


def _box(rect) -> list[float]:
    """A rectangle as lower-left and upper-right corners."""
    x1, y1, x2, y2 = (float(value) for value in rect)
    return [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]


def _quad(box: list[float]) -> list[float]:
    x1, y1, x2, y2 = box
    return [x1, y2, x2, y2, x1, y1, x2, y1]


def describe(pdf: pikepdf.Pdf, words: Words, pages: dict[str, int] | None = None) -> None:
    """Each link's /Contents in words; a link within the document names its target's page, from
    `pages` (anchor -> page number) for a part of a document."""
    page_of = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    dests = {}
    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        flat = pdf.Root.Names.Dests.Names
        dests = {str(flat[at]): flat[at + 1] for at in range(0, len(flat), 2)}
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            annotation.F = int(annotation.get("/F", 0)) | _PRINT
            if annotation.get("/Subtype") != Name("/Link"):
                continue
            if "/Dest" in annotation:
                name = str(annotation.Dest)
                dest = dests.get(name)
                number = page_of.get(dest[0].objgen) if dest is not None else None
                if pages is not None:
                    number = pages.get(name)
                heading = words.headings.get(name)
                if heading and number:
                    annotation.Contents = String(words.link_to_page.format(title=heading, page=number))
            elif "/A" in annotation and "/URI" in annotation.A:
                address = str(annotation.A.URI)
                annotation.Contents = String(words.external.get(address) or address.removeprefix("mailto:"))


class Words(HTMLParser):
    """From the print document: each id's heading (its own text if it is a heading, or its first
    heading's), each external link's title, and how a link to a page is described."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.headings: dict[str, str] = {}
        self.external: dict[str, str] = {}
        self.link_to_page = "{title}, page {page}"
        self._open: list[tuple[str, str | None]] = []  # (tag, id) of each element open
        self._waiting: list[str] = []  # ids whose heading is still to come
        self._heading: list[str] | None = None
        self._for: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "meta" and named.get("name") == LINK_TO_PAGE and named.get("content"):
            self.link_to_page = named["content"]
        if tag == "a" and named.get("href") and named.get("title") and not named["href"].startswith("#"):
            self.external.setdefault(named["href"], f"{named['title']}: {named['href'].removeprefix('mailto:')}")
        if tag in {"meta", "br", "img", "input", "link", "hr", "wbr", "col", "source"}:
            return
        self._open.append((tag, named.get("id")))
        if named.get("id"):
            self._waiting.append(named["id"])
        if re.fullmatch(r"h[1-6]", tag) and self._waiting and self._heading is None:
            self._heading, self._for, self._waiting = [], self._waiting, []

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _ in self._open):
            return
        while self._open:
            open_tag, ident = self._open.pop()
            if ident in self._waiting:
                self._waiting.remove(ident)  # closed with no heading inside
            if open_tag == tag:
                break
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            text = " ".join("".join(self._heading).split())
            for ident in self._for:
                self.headings.setdefault(ident, text)
            self._heading, self._for = None, []

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)
