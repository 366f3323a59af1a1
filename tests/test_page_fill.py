"""No near-empty page in either PDF, whatever the pathway's shape (the pathways in shapes/).

The measure (pagefill.py): rendered at 30 dpi, no page but the cover and the notes pages has its
content ending in the top 30% of the area between the running header and the footer.
"""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.printing import relay, worker
from conftest import ROOT, shared
from pagefill import near_empty
from pdfread import broken_tables, page_texts, widgets

pytestmark = pytest.mark.pdf

SHAPES = Path(__file__).parent / "shapes"
PDFS = ("workbook.pdf", "workbook-fillable.pdf", "facilitator.pdf")
MM = 72 / 25.4  # PDF points in a millimetre
# A group a shape: the shapes are laid out on as many workers as there are, not one after another on one.
SHAPE_NAMES = [pytest.param(path.stem, marks=pytest.mark.xdist_group(f"shape-{path.stem}"))
               for path in sorted(SHAPES.glob("*.yaml"))]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A pathway of shapes/ by name, built as a user builds it: each PDF, and its print HTML. Each is
    built once for the run, by the first worker to need it."""
    def folder(shape: str) -> Path:
        made, result = shared(tmp_path_factory, f"shape-{shape}", "build", str(SHAPES / f"{shape}.yaml"),
                              "--fillable", "--format", "pdf,print-html", "--out", "out")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        return made / "out" / shape
    return folder


def exempt(pdf: Path) -> set[int]:
    """The cover and the two notes pages, which are the learner's to fill."""
    texts = page_texts(PdfReader(pdf))
    notes = [number for number, text in enumerate(texts, start=1) if text == "Notes"]
    return {1} | {page for first in notes for page in (first, first + 1)}


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPE_NAMES)
@pytest.mark.parametrize("name", PDFS)
def test_no_page_of_any_shape_of_pathway_is_near_empty(built, shape, name):
    pdf = built(shape) / name
    assert near_empty(pdf, exempt(pdf)) == {}


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPE_NAMES)
@pytest.mark.parametrize("name", PDFS)
def test_no_table_row_of_any_shape_of_pathway_is_cut_across_pages(built, shape, name):
    # A section the fitter joins to the page before may break between its blocks, never inside a row.
    assert broken_tables(PdfReader(built(shape) / name)) == []


@pytest.mark.parametrize("name", PDFS)
def test_no_page_of_the_default_pathway_is_near_empty(default_printed, name):
    pdf = default_printed / name
    assert near_empty(pdf, exempt(pdf)) == {}


def test_the_default_workbook_is_laid_out_once_and_the_guide_gets_one_notes_box(default_printed):
    import weasyprint

    from builder.printing import fit

    found = {}
    for name in ("workbook", "workbook-fillable", "facilitator"):
        html = (default_printed / f"{name}.print.html").read_text(encoding="utf-8")
        document = weasyprint.HTML(string=html, base_url=str(ROOT / "templates")).render(
            pdf_variant="pdf/ua-1", pdf_forms=name == "workbook-fillable")
        found[name] = fit.needed(document)
    assert not found["workbook"] and not found["workbook-fillable"]  # so no second layout
    # The guide's page 15 held the organisation level's last question alone: a Notes box takes the rest.
    notes = found["facilitator"]
    assert (notes.shown, notes.joined, set(notes.rules)) == ({"notes.level-organisation"}, set(),
                                                              {"notes.level-organisation"})
    assert 25 < notes.rules["notes.level-organisation"] < 30  # 7.25 mm each, in a box nearly a page tall


def test_a_short_contents_shares_its_page_with_the_overview_and_a_lone_box_takes_the_page(built):
    texts = page_texts(PdfReader(built("one-item") / "workbook.pdf"))
    assert texts[2].startswith("Contents How to use this workbook")
    assert "Programme overview 1. The only level" in texts[2]
    assert texts[6] == "My action plan Bring together the actions you chose at each level. What will you keep " \
                       "doing after the programme? The only level"
    assert texts[-2] == "All resources 1.1 The only item. [Activity] Notes"
    assert texts[-1].startswith("Reflective account Nurses, midwives and nursing associates write five reflective "
                                "accounts for NMC revalidation.")
    assert texts[-1].endswith("Select one or more themes: Prioritise people Practise effectively Preserve safety "
                              "Promote professionalism and trust")
    fields = widgets(PdfReader(built("one-item") / "workbook-fillable.pdf"))
    # The action plan's one box, and the Notes box after the one reference, reach to the foot of their page.
    for field, page in [("action-plan.only", 7), ("notes.resources", 10)]:
        number, widget = fields[field]
        assert number == page and 190 * MM < abs(float(widget["/Rect"][3]) - float(widget["/Rect"][1])) < 253 * MM


def test_a_fields_height_follows_its_writing_lines(built):
    fields = widgets(PdfReader(built("writing-lines") / "workbook-fillable.pdf"))

    def lines(name):
        """The field's box is 8.25 mm a line (a rule and its line); the field itself is 2 mm less, inside
        its border and padding."""
        rect = fields[name][1]["/Rect"]
        return round((abs(float(rect[3]) - float(rect[1])) / MM + 2) / 8.25, 2)

    assert [lines(f"lines-3.q{n}") for n in (1, 2, 3)] == [12, 20, 1]  # its item's, then its own two
    assert (lines("lines-1.q1"), lines("lines-10.q1"), lines("lines-12.q1")) == (1, 14, 3)  # item, level, pathway


@pytest.mark.slow
def test_a_document_laid_out_in_parts_fills_its_pages_as_the_whole_one(built, tmp_path, monkeypatch):
    html = (built("question-counts") / "workbook.print.html").read_text(encoding="utf-8")
    monkeypatch.setattr(relay, "WHOLE_BYTES", 0)  # each part counted on its own, then laid out in place
    data, pages, left_out, _, _ = worker.lay_out(html, str(SHAPES), [str(ROOT / "templates"), str(SHAPES)],
                                                 forms=False, part_bytes=40_000)
    whole = PdfReader(built("question-counts") / "workbook.pdf")
    joined = PdfReader(io.BytesIO(data))
    assert left_out == [] and pages == len(whole.pages)
    assert page_texts(joined) == page_texts(whole)
    (tmp_path / "joined.pdf").write_bytes(data)
    assert near_empty(tmp_path / "joined.pdf", exempt(tmp_path / "joined.pdf")) == {}
