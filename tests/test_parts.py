"""A document laid out in parts reads, page for page, as the same document laid out whole.

Here the default pathway is split with a larger part size than a build's and laid out as a
500-item pathway is, each part on its own and then in place: every part boundary, carried cover
and level opener, stand-in page and join is exercised as it is there. Laid out in place, each
part is byte for byte what the whole layout cut into parts gives.
"""

import io
import re
from types import SimpleNamespace

import page as pdf_checker
import pytest
from pypdf import PdfReader

from builder.printing import fit, parts, relay, worker
from builder.printing.pool import Pool
from conftest import DEFAULT, ROOT
from pdfread import font_programs, margin_text, outline, page_texts, reading_order, structure, widgets

OUT = "compassionate-inclusive-leadership"
TINY = 16_000  # bytes of HTML a part: the default workbook comes out in seven parts


@pytest.fixture(scope="module")
def folder(default_printed):
    return default_printed


def lay_out(folder, name: str, part_bytes: int) -> tuple[bytes, int]:
    html = (folder / f"{name}.print.html").read_text(encoding="utf-8")
    data, pages, left_out, _, _ = worker.lay_out(html, str(DEFAULT.parent), [str(ROOT / "templates"),
                                                                               str(DEFAULT.parent)],
                                                 forms="fillable" in name, part_bytes=part_bytes)
    assert left_out == []
    return data, pages


def in_parts(folder, name: str) -> tuple[bytes, int]:
    """Laid out as a document too long to lay out whole: each part counted on its own, then in place."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(relay, "WHOLE_BYTES", 0)
        return lay_out(folder, name, TINY)


@pytest.fixture(scope="module")
def laid_out(folder):
    """Each document laid out in parts once for the tests that read it: {name: (PDF, page count)}."""
    found = {}

    def of(name: str) -> tuple[bytes, int]:
        if name not in found:
            found[name] = in_parts(folder, name)
        return found[name]
    return of


def links(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(page, named destination, the page it leads to) of each internal link, pages from 1."""
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation["/Subtype"] == "/Link" and "/Dest" in annotation:
                target = reader.named_destinations[str(annotation["/Dest"])].page
                found.append((number, str(annotation["/Dest"]), reader.get_page_number(target) + 1))
    return found


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.parametrize("name, count", [("workbook", 7), ("workbook-fillable", 9), ("facilitator", 4)])
def test_a_document_laid_out_in_parts_reads_as_the_whole_one(folder, laid_out, name, count, tmp_path):
    html = (folder / f"{name}.print.html").read_text(encoding="utf-8")
    assert len(parts.split(html, TINY).parts) == count
    data, pages = laid_out(name)
    whole_data = lay_out(folder, name, 10 ** 9)[0]
    whole, joined = PdfReader(io.BytesIO(whole_data)), PdfReader(io.BytesIO(data))
    assert page_texts(PdfReader(folder / f"{name}.pdf")) == page_texts(whole)  # as a build lays it out

    assert pages == len(whole.pages) == len(joined.pages)
    assert page_texts(joined) == page_texts(whole)
    assert [margin_text(page) for page in joined.pages] == [margin_text(page) for page in whole.pages]
    assert outline(joined) == outline(whole)
    assert links(joined) == links(whole) and len(links(whole)) >= 17  # one a contents entry
    assert reading_order(joined) == reading_order(whole)
    assert [kind for kind, _ in structure(joined)] == [kind for kind, _ in structure(whole)]
    fields = {key: (page, annotation["/TU"]) for key, (page, annotation) in widgets(joined).items()}
    assert fields == {key: (page, annotation["/TU"]) for key, (page, annotation) in widgets(whole).items()}
    (tmp_path / "joined.pdf").write_bytes(data)
    # Each part embeds its own subsets of the same fonts: none may share another's name.
    programs = font_programs(tmp_path / "joined.pdf")
    (tmp_path / "whole.pdf").write_bytes(whole_data)
    assert len(programs) > len(font_programs(tmp_path / "whole.pdf"))
    assert all(len(found) == 1 for found in programs.values()), programs
    report = pdf_checker.validate_pdf(str(tmp_path / "joined.pdf"), profile="ua1")
    assert [(failure.rule_id, failure.message) for failure in report.failures] == []


@pytest.mark.pdf
@pytest.mark.slow
def test_the_same_parts_give_the_same_bytes(folder, laid_out):
    assert in_parts(folder, "workbook") == laid_out("workbook")


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.parametrize("name", ["workbook", "workbook-fillable"])
def test_each_part_laid_out_in_place_is_the_whole_layout_cut_there_byte_for_byte(folder, laid_out, name):
    assert lay_out(folder, name, TINY) == laid_out(name)


@pytest.mark.pdf
def test_a_part_starts_only_where_the_templates_mark_a_new_page(folder):
    html = (folder / "facilitator.print.html").read_text(encoding="utf-8")
    plan = parts.split(html, TINY)
    starts = [plan.source.elements[part[0]] for part in plan.parts[1:]]
    # The facilitator guide runs items on from one another: only its levels start a page.
    assert [element.id for element in starts] == ["level-team", "level-organisation", "level-system"]
    assert {element.mark for element in starts} == {"level"}


BODY = '<section id="a" data-part-start="item">{}</section><section id="b" data-part-start="item">{}</section>'


@pytest.mark.parametrize("body, why", [
    (BODY.format("x" * 50, "y" * 50), "small enough to make one part"),
    (BODY.format("x" * 500, "y" * 500) + "stray words", "text outside any element"),
    ('<section id="a">' + "x" * 500 + '</section><section id="b">' + "y" * 500 + "</section>", "no marks"),
    (BODY.format("<div>" + "x" * 500, "y" * 500), "an element left open"),
])
def test_a_document_is_laid_out_whole_when_it_cannot_or_need_not_be_split(body, why):
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
    assert parts.split(html, 400) is None, why


def test_a_document_splits_before_a_marked_element_once_a_part_is_full():
    html = ("<!DOCTYPE html><html><head><title>T</title></head><body><section class='cover'>c</section>"
            + BODY.format("x" * 500, "y" * 500) + "</body></html>")
    plan = parts.split(html, 400)
    assert plan.parts == [[0], [1], [2]]
    assert [(element.id, element.mark) for element in plan.source.elements] == [(None, None), ("a", "item"),
                                                                                ("b", "item")]


def test_a_long_document_makes_longer_parts_not_more_of_them():
    items = "".join(f'<section id="i{n}" data-part-start="item">{"x" * 1000}</section>' for n in range(400))
    html = f"<!DOCTYPE html><html><head><title>T</title></head><body>{items}</body></html>"
    plan = parts.split(html, 400)
    # Each part embeds its own font subsets: 400 one-item parts would carry 400 copies of each.
    assert len(plan.parts) == 44 and max(len(part) for part in plan.parts) == 10


class FakePage:
    """Just what parts.py reads of a WeasyPrint page."""

    def __init__(self, anchors=()):
        self.anchors = dict.fromkeys(anchors, (0, 0, 0, 0))
        self.bookmarks, self.links = [], []


def test_parts_whose_page_counts_never_settle_are_given_up(monkeypatch):
    html = ("<!DOCTYPE html><html><head><title>T</title></head><body><section class='cover'>c</section>"
            + BODY.format("x" * 500, "y" * 500) + "</body></html>")
    plan = parts.split(html, 400)
    in_place = []

    def render(document):  # laid out on its own, each part is one page
        ids = [name for name in ("a", "b") if f'id="{name}"' in document]
        return SimpleNamespace(pages=[FakePage(ids)])

    def another_count(plan, number, *_):  # and in place, a page longer each time: a count that never settles
        in_place.append(number)
        return plan.counts[number] + 1, plan.anchors[number]

    monkeypatch.setattr(fit, "needed", lambda document, done=(): fit.Edits())  # no page here to fill
    monkeypatch.setattr(relay, "_in_place", another_count)
    with pytest.raises(parts.Unsettled) as caught:
        relay.counted(plan, render, lambda *_: b"", lambda number, html: html, Pool(workers=1))
    assert str(caught.value) == "the parts' page counts did not settle in 4 rounds: [5, 5, 5]"
    assert in_place == [0, 1, 2] * 4


@pytest.mark.pdf
def test_the_engine_lays_a_document_out_whole_when_its_parts_do_not_settle(folder, monkeypatch):
    def unsettled(*_):
        raise parts.Unsettled("never")

    monkeypatch.setattr(relay, "cut", unsettled)
    data, pages = lay_out(folder, "workbook", TINY)
    assert pages == 35 and page_texts(PdfReader(io.BytesIO(data))) == page_texts(PdfReader(folder / "workbook.pdf"))



def stand_ins(document: str) -> list[str]:
    """The stand-in pages of an in-place document, each as the pages it counts and the anchors it holds."""
    return [f"{pages or 1}:{anchors}" for pages, anchors in
            re.findall(rf'<div class="{parts.GHOST}-?(\d*)">((?:<div id="[^"]*"></div>)*)</div>', document)]


C = '<div id="c"></div>'


@pytest.mark.parametrize("style, expected, start, of", [
    ("", [f"7:{C}"], 2, '"of " "9"'),  # the six empty pages and c's are one, counting seven
    ("@page :left { margin-left: 30mm }", ["5:", "1:", f"1:{C}"], 4, '"of " "9"'),  # each later page keeps its side
    ("section { break-before: right }", ["5:", "1:", f"1:{C}"], 4, '"of " "9"'),
    ("@page :nth(3) { margin-top: 30mm }", ["1:"] * 6 + [f"1:{C}"], 8, '"of " counter(pages)'),  # a page each
])
def test_a_run_of_stand_ins_is_one_page_unless_the_styles_set_pages_by_their_side_or_number(style, expected, start,
                                                                                             of):
    """Part d (page 9 of 9) links to part c's anchor on page 8: pages 2 to 7 are other parts'."""
    items = "".join(f'<section id="{name}" data-part-start="item">{name * 500}</section>' for name in "abcd")
    html = (f'<!DOCTYPE html><html><head><title>T</title><style>{style} @page {{ @bottom-right {{ content: "of " '
            f'counter(pages) }} }}</style></head><body><section class="cover">c</section>{items}'
            '<p><a href="#c">c</a></p></body></html>')
    plan = parts.split(html, 400)
    assert plan.parts == [[0], [1], [2], [3], [4, 5]]
    plan.counts = [1, 3, 3, 1, 1]
    plan.anchors = [[], [("a", 0)], [("b", 0)], [("c", 0)], [("d", 0)]]
    placed = plan.document(4)
    assert stand_ins(placed.html) == expected
    assert (placed.start, placed.pages) == (start, start + 1)
    assert f"content: {of} }}" in placed.html
