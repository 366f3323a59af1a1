"""What WeasyPrint's tagged PDF lacks for a screen reader, put right once the PDF is laid out.

Run in the engine's process on every PDF it hands back: a whole document, one joined from parts
(after the join, so that page numbers and ids are the whole document's) and each learner's cover.

- Margin boxes (the running header, the title and "Page N of M"): WeasyPrint 70 gives their text
  marked-content ids but hangs them on no structure element, so they read as content outside the
  tree. Here they become `/Artifact <</Type /Pagination>>` and leave the parent tree.
- A link whose box holds other boxes (a pseudo-element, a flex item) is one annotation a box:
  several tab stops for one link. Here it is one Link element with one annotation over all of it.
- Each link's /Contents is its target's id or address: here it is the words a listener needs, the
  target's heading and page for a link within the document.
- Header cells get /Scope, and every /ID that /Headers name is in the structure tree's /IDTree,
  unique across the document (a joined document's parts numbered theirs alike).
- Empty /Span and /NonStruct elements (an icon, a ruled line) are dropped, and annotations get
  the Print flag, so that print and screen agree.

Bytes in, bytes out: no file is read or written here.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tagged import parent_tree, write_parent_tree

# The print document says how a link within it is described: the words are the template's, to translate.
LINK_TO_PAGE = "pathway-builder:link-to-page"
_MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"
_LAYOUT = b"/Artifact <</Type /Layout>> BDC"
_EMPTY_KINDS = {"/Span", "/NonStruct"}
_PRINT = 4  # the annotation flag


def finish(data: bytes, html: str) -> bytes:
    """The PDF `data` of the print document `html`, put right as the module says."""
    pdf = pikepdf.open(io.BytesIO(data))
    if "/StructTreeRoot" not in pdf.Root:
        return data
    words = _Words(html)
    # The parent tree's page entries as lists while they change: an Array is rebuilt on each write.
    numbers = {key: list(value) if isinstance(value, Array) else value for key, value in parent_tree(pdf).items()}
    artifacts = _margins(pdf, numbers)
    _one_link_each(pdf, numbers)
    _leaders(pdf, numbers, artifacts)
    _as_artifacts(pdf, numbers, artifacts)
    _describe_links(pdf, words)
    _drop_empty(pdf.Root.StructTreeRoot)
    _table_headers(pdf)
    write_parent_tree(pdf, {key: Array(value) if isinstance(value, list) else value for key, value in numbers.items()})
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _elements(top) -> list[Dictionary]:
    """Every structure element under `top`, parents before children, in reading order."""
    found, stack, seen = [], [top], set()
    while stack:
        element = stack.pop()
        if element.objgen in seen:
            continue
        seen.add(element.objgen)
        found.append(element)
        stack.extend(reversed([kid for kid in _kids(element) if _is_element(kid)]))
    return found


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


def _margins(pdf: pikepdf.Pdf, numbers: dict) -> dict[int, dict[int, bytes]]:
    """Per page (its parent-tree key), the marked-content ids that lead to no element in the tree: a
    margin box's text, to become a pagination artifact."""
    reached = {element.objgen for element in _elements(pdf.Root.StructTreeRoot)}
    artifacts = {}
    for page in pdf.pages:
        if "/StructParents" in page.obj:
            key = int(page.obj.StructParents)
            artifacts[key] = {mcid: _PAGINATION for mcid, element in enumerate(numbers.get(key, []))
                              if isinstance(element, Dictionary) and element.objgen not in reached}
    return artifacts


def _as_artifacts(pdf: pikepdf.Pdf, numbers: dict, artifacts: dict[int, dict[int, bytes]]) -> None:
    """Each marked-content id in `artifacts` becomes the artifact given, and leaves the parent tree."""
    for page in pdf.pages:
        chosen = artifacts.get(int(page.obj.get("/StructParents", -1)))
        if not chosen:
            continue
        contents = page.obj.Contents
        for stream in list(contents) if isinstance(contents, Array) else [contents]:
            source = stream.read_bytes()
            changed = _MARKED.sub(lambda m: chosen.get(int(m.group(1)), m.group(0)), source)
            if changed != source:
                stream.write(changed)
        marked = numbers[int(page.obj.StructParents)]
        for mcid in chosen:
            marked[mcid] = None


def _leaders(pdf: pikepdf.Pdf, numbers: dict, artifacts: dict[int, dict[int, bytes]]) -> None:
    """A link's marked content that shows only dots (a contents entry's leader) becomes a layout artifact."""
    for page in pdf.pages:
        links = [numbers.get(int(a.StructParent)) for a in page.obj.get("/Annots", Array())
                 if a.get("/Subtype") == Name("/Link") and "/StructParent" in a]
        if "/StructParents" not in page.obj or not links:
            continue
        dots = _dot_only(page)
        chosen = artifacts.setdefault(int(page.obj.StructParents), {})
        for link in filter(None, links):
            kids = _kids(link)
            leader = [kid for kid in kids if isinstance(kid, int) and kid in dots]
            if leader:
                link.K = Array([kid for kid in kids if not (isinstance(kid, int) and kid in dots)])
                chosen.update(dict.fromkeys(leader, _LAYOUT))


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


def _one_link_each(pdf: pikepdf.Pdf, numbers: dict) -> None:
    """A Link element inside another is spliced into it, its annotations merged into the outer one's."""
    pages = {page.obj.objgen: page.obj for page in pdf.pages}
    for link in [e for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == Name("/Link")]:
        if "/P" not in link or _inside_link(link):
            continue
        kept = _target_annotation(link)
        link.K = Array(_flattened(link, link, kept, pages, numbers))
    # A link broken over lines is a Link element a line: one element, one annotation over its lines.
    for parent in {link.P.objgen: link.P for link in _elements(pdf.Root.StructTreeRoot)
                   if link.get("/S") == Name("/Link") and "/P" in link}.values():
        kids, out = _kids(parent), []
        for kid in kids:
            before = out[-1] if out else None
            if _is_element(kid) and _is_element(before) and _same_link(before, kid):
                merged = _flattened(kid, before, _target_annotation(before), pages, numbers)
                before.K = Array(_kids(before) + merged)
                continue
            out.append(kid)
        if len(out) != len(kids):
            parent.K = Array(out)


def _target_annotation(link) -> Dictionary | None:
    return next((_annotation_of(kid) for kid in _kids(link) if _annotation_of(kid) is not None), None)


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
    for kid in _kids(element):
        annotation = _annotation_of(kid)
        if annotation is not None and kept is not None and annotation.objgen != kept.objgen:
            _merge(kept, annotation, pages.get(kid.Pg.objgen) if "/Pg" in kid else None, numbers)
            continue
        if _is_element(kid) and kid.get("/S") == Name("/Link"):
            out.extend(_flattened(kid, link, kept, pages, numbers))
            continue
        if isinstance(kid, int) and element is not link:
            # A marked-content id of the spliced element: it now belongs to the outer link.
            numbers[int(pages[element.Pg.objgen].StructParents)][kid] = link
        elif _is_element(kid):
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


def _describe_links(pdf: pikepdf.Pdf, words: _Words) -> None:
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
                heading = words.headings.get(name)
                if heading and number:
                    annotation.Contents = String(words.link_to_page.format(title=heading, page=number))
            elif "/A" in annotation and "/URI" in annotation.A:
                address = str(annotation.A.URI)
                annotation.Contents = String(words.external.get(address) or address.removeprefix("mailto:"))


def _drop_empty(top) -> None:
    """Spans and non-structure elements with nothing in them, from the deepest up."""
    for element in reversed(_elements(top)):
        kids = element.get("/K")
        if kids is None or not isinstance(kids, Array):
            continue
        kept = [kid for kid in kids if not (_is_element(kid) and kid.get("/S") in _EMPTY_KINDS and _empty(kid))]
        if len(kept) != len(kids):
            element.K = Array(kept)


def _empty(element) -> bool:
    return not _kids(element) and "/Alt" not in element and "/ActualText" not in element


def _table_headers(pdf: pikepdf.Pdf) -> None:
    """Scope on every header cell; ids unique across the document, each in the /IDTree."""
    ids = {}
    for table in [e for e in _elements(pdf.Root.StructTreeRoot) if e.get("/S") == Name("/Table")]:
        renamed = {}
        cells = _elements(table)
        for row in (e for e in cells if e.get("/S") == Name("/TR")):
            row_cells = [kid for kid in _kids(row) if _is_element(kid)]
            only_headers = all(cell.get("/S") == Name("/TH") for cell in row_cells)
            for cell in row_cells:
                if cell.get("/S") != Name("/TH"):
                    continue
                attributes = cell.get("/A")
                if not isinstance(attributes, Dictionary):
                    attributes = cell.A = Dictionary(O=Name("/Table"))
                attributes.Scope = Name("/Column" if only_headers else "/Row")
                if "/ID" in cell:
                    new = f"th-{len(ids) + 1}"
                    renamed[bytes(cell.ID)] = new
                    cell.ID = String(new)
                    ids[new] = cell
        for cell in cells:
            attributes = cell.get("/A")
            if isinstance(attributes, Dictionary) and "/Headers" in attributes:
                attributes.Headers = Array([String(renamed[bytes(h)]) for h in attributes.Headers
                                            if bytes(h) in renamed])
    root = pdf.Root.StructTreeRoot
    if ids:
        flat = Array()
        for key in sorted(ids):  # a name tree is sorted by its keys' bytes
            flat.extend([String(key), ids[key]])
        root.IDTree = pdf.make_indirect(Dictionary(Names=flat))
    elif "/IDTree" in root:
        del root["/IDTree"]


class _Words(HTMLParser):
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
