"""Reading a PDF back as its reader would: the text in the structure tree's reading order (what a
screen reader follows, without running headers and footers), the margins, the outline, and the
form fields with their pages."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from collections import defaultdict

import pikepdf
from pypdf import PdfReader

# A4 in points, and the print margins (22 mm) in which the running header and footer sit.
PAGE_HEIGHT, MARGIN = 841.89, 22 / 25.4 * 72


def fold(text: str) -> str:
    """White space folded, and a line break after a hyphen undone ('long- term' -> 'long-term')."""
    # A link's text and the text around it are runs of their own, joined by a space: none is read
    # after an opening bracket or before a closing one ("(https://...):").
    folded = re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(text.split()))
    return folded.replace("( ", "(").replace(" )", ")")


def margin_text(page) -> str:
    """A page's running header and footer: the text drawn within its top and bottom margins."""
    parts = []

    def keep(text, matrix, text_matrix, font, size):
        y = matrix[5] + text_matrix[5] * matrix[3]
        if not MARGIN < y < PAGE_HEIGHT - MARGIN:
            parts.append(text)

    page.extract_text(visitor_text=keep)
    return fold(" ".join(parts))


def pagination_and_content(page) -> tuple[str, str]:
    """A page's text inside pagination artifacts (its running heads and page number, as the finished PDF
    marks them), and the text marked as content (with an MCID)."""
    stack, artifact, content = [], [], []

    def operator(op, operands, *_):
        if op == b"BDC":
            properties = operands[1] if len(operands) > 1 else {}
            stack.append("pagination" if operands[0] == "/Artifact" and properties.get("/Type") == "/Pagination"
                         else "content" if "/MCID" in properties else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(part, *_):
        if stack and stack[-1] == "pagination":
            artifact.append(part)
        elif stack and stack[-1] == "content":
            content.append(part)

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return " ".join(" ".join(artifact).split()), " ".join(" ".join(content).split())


def _marked_text(page) -> dict[int, str]:
    """The text of each marked-content id (MCID) on a page, from its content stream."""
    open_ids, texts = [], {}

    def operator(op, operands, matrix, text_matrix):
        if op == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            open_ids.append(properties.get("/MCID") if hasattr(properties, "get") else None)
        elif op == b"BMC":
            open_ids.append(None)
        elif op == b"EMC" and open_ids:
            open_ids.pop()

    def text(part, *_):
        if open_ids and open_ids[-1] is not None:
            texts[open_ids[-1]] = texts.get(open_ids[-1], "") + part

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return texts


def reading_order(reader: PdfReader) -> list[tuple[int, str]]:
    """(page number from 1, text) for every tagged run of text, in the structure tree's order:
    the order a screen reader follows. Running headers and footers are not in the tree."""
    numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    marked = {}
    found = []

    def text_of(page_ref, mcid):
        number = numbers[page_ref.idnum]
        if number not in marked:
            marked[number] = _marked_text(reader.pages[number - 1])
        found.append((number, marked[number].get(mcid, "")))

    for kind, element in structure(reader):
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                text_of(element.raw_get("/Pg"), kid)
            else:
                kid = kid.get_object() if hasattr(kid, "get_object") else kid
                if isinstance(kid, dict) and kid.get("/Type") == "/MCR":
                    text_of(kid.raw_get("/Pg") if "/Pg" in kid else element.raw_get("/Pg"), kid["/MCID"])
    return found


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's tagged text, in reading order: no running header or footer."""
    pages = [[] for _ in reader.pages]
    for number, text in reading_order(reader):
        pages[number - 1].append(text)
    return [fold(" ".join(parts)) for parts in pages]


def pdf_text(path) -> str:
    """The tagged text of a whole PDF in reading order, pages run on: what a screen reader reads."""
    return fold(" ".join(text for _, text in reading_order(PdfReader(path))))


def outline(reader: PdfReader, entries=None) -> list:
    """The bookmarks as (title, page number from 1) pairs, nested lists for children."""
    result = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            result.append(outline(reader, entry))
        else:
            result.append((entry.title, reader.get_destination_page_number(entry) + 1))
    return result


def structure(reader: PdfReader) -> list[tuple[str, dict]]:
    """The structure elements in reading order, as (type, element) pairs: /H1, /P, /Figure ..."""
    found = []

    def walk(element):
        found.append((element["/S"], element))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem" and "/S" in kid:
                walk(kid)

    for top in reader.trailer["/Root"]["/StructTreeRoot"]["/K"]:
        walk(top.get_object())
    return found


def widgets(reader: PdfReader) -> dict[str, tuple[int, dict]]:
    """Each form field's name -> (page number from 1, its widget annotation)."""
    found = {}
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Widget":
                found[annotation["/T"]] = (number, annotation)
    return found


def font_programs(source) -> dict[str, set[str]]:
    """Each embedded font's name -> the digests of the font programs under that name (one, if all is well)."""
    programs = defaultdict(set)
    with pikepdf.open(source) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    if key in obj:
                        programs[str(obj.FontName)].add(hashlib.sha256(obj[key].read_raw_bytes()).hexdigest())
    return dict(programs)


def word_boxes(path) -> list[tuple[int, str, float, float, float, float]]:
    """(page number from 1, word, left, top, right, bottom) of every word drawn, in points from the
    page's top left: the union of its glyphs' boxes, as poppler's pdftotext measures them."""
    listing = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                             check=True).stdout
    found, page = [], 0
    for line in listing.splitlines():
        page += "<page " in line
        if word := _WORD.search(line):
            left, top, right, bottom, text = word.groups()
            found.append((page, html.unescape(text), float(left), float(top), float(right), float(bottom)))
    return found


_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*)</word>')



def broken_tables(reader: PdfReader) -> list[tuple[int, str]]:
    """Each table row printed partly on one page and partly on the next, and each table's total (its
    footer) printed on a page without a row of the table: (the page, the text).
    The engine tags a table that goes on over a page as a table a page, the later ones without a
    caption; a row cut in two is the last row of one and the first of the next, each with an empty cell."""
    numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    marked: dict[int, dict[int, str]] = {}

    def kids(element):
        found = element.get("/K")
        return [kid.get_object() if hasattr(kid, "get_object") else kid
                for kid in (found if isinstance(found, list) else [found]) if kid is not None]

    def text(element, page: int) -> str:
        page = numbers[element.raw_get("/Pg").idnum] if "/Pg" in element else page
        parts = []
        for kid in kids(element):
            if isinstance(kid, int):
                marked.setdefault(page, _marked_text(reader.pages[page - 1]))
                parts.append(marked[page].get(kid, ""))
            elif isinstance(kid, dict) and "/S" in kid:
                parts.append(text(kid, page))
        return fold(" ".join(parts))

    def body_rows(table):
        return [(numbers[row.raw_get("/Pg").idnum], row) for group in kids(table) if group.get("/S") == "/TBody"
                for row in kids(group) if row.get("/S") == "/TR"]

    def cut(page: int, row) -> bool:
        return any(not text(cell, page) for cell in kids(row))

    tables = [element for kind, element in structure(reader) if kind == "/Table"]
    found = []
    for table in tables:  # a total (the footer) on a page of its own, with none of the rows it adds up
        groups = [group.get("/S") for group in kids(table)]
        if "/TFoot" in groups and "/TBody" not in groups:
            found.append((numbers[table.raw_get("/Pg").idnum], text(table, numbers[table.raw_get("/Pg").idnum])))
    for table, following in zip(tables, tables[1:]):
        if any(part.get("/S") == "/Caption" for part in kids(following)):
            continue
        before, after = body_rows(table), body_rows(following)
        if before and after and after[0][0] == before[-1][0] + 1 and cut(*before[-1]) and cut(*after[0]):
            (page, row), (next_page, next_row) = before[-1], after[0]
            found.append((page, f"{text(row, page)} | {text(next_row, next_page)}"))
    return found
