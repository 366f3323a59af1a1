"""The large-print and booklet editions, read back from their PDFs: every glyph's size, every font,
the tags of large print, and the booklet's sheets half by half."""

import math
import re
import shutil
import subprocess
from pathlib import Path

import page as pdf_checker
import pytest
from pypdf import PdfReader

from builder.printing.impose import order
from builder.render import Renderer
from conftest import ROOT, run_pathway
from pagefill import near_empty
from pdfread import page_texts, widgets


SHAPES = ROOT / "tests" / "shapes"


@pytest.fixture(scope="module")
def default(default_editions):
    return default_editions


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    """An odd shape (one item: an 11-page booklet, not a multiple of four) in large print at 24 pt, and its
    booklet. Items of 1 to 8 questions would take minutes more: the default covers those."""
    folder = tmp_path_factory.mktemp("editions-shapes")
    shutil.copy(SHAPES / "one-item.yaml", folder)
    arguments = ("build", "one-item.yaml", "--edition", "large-print,booklet",
                 "--large-print-size", "24", "--format", "pdf", "--out", "o")
    result = run_pathway(*arguments, cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder, arguments


def glyphs(path: Path):
    """(page number, font name, size in points, text) of each run of text drawn, margins and all."""
    runs = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        def visit(text, cm, tm, font, size, number=number):
            if not text.strip() or font is None:
                return
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            runs.append((number, str(font["/BaseFont"]), round(size * math.sqrt(abs(a * d - b * c)), 2), text))
        page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.pdf
@pytest.mark.parametrize("name", ["workbook-large-print.pdf", "workbook-large-print-fillable.pdf"])
def test_no_glyph_of_large_print_is_under_18_pt_and_none_is_italic(default, name):
    runs = glyphs(default[0] / name)
    assert len({number for number, *_ in runs}) == len(PdfReader(default[0] / name).pages)  # every page read
    assert [run for run in runs if run[2] < 18] == []
    assert {font.partition("+")[2] for _, font, _, _ in runs} == {"Liberation-Sans", "Liberation-Sans-Bold"}
    sizes = {size for _, _, size, _ in runs}
    assert min(sizes) == 18  # the body, and the running heads and page numbers with it
    headings = {size for _, _, size, text in runs if text.strip() in ("Contents", "Programme overview")}
    assert headings == {28.8, 18}  # h1, larger than the body; and the running head, at its size


@pytest.mark.pdf
def test_running_heads_and_page_numbers_are_the_body_size(default):
    runs = glyphs(default[0] / "workbook-large-print.pdf")
    footers = [(number, size) for number, _, size, text in runs if re.fullmatch(r"Page \d+ of \d+", text.strip())]
    pages = len(PdfReader(default[0] / "workbook-large-print.pdf").pages)
    assert footers == [(number, 18) for number in range(2, pages + 1)]


@pytest.mark.pdf
def test_a_24_pt_build_is_24_pt(shapes):
    folder, _ = shapes
    for shape in ("one-item",):
        runs = glyphs(folder / "o" / shape / "workbook-large-print.pdf")
        assert min(size for _, _, size, _ in runs) == 24, shape
        body = [size for _, _, size, text in runs if text.startswith("Page ")]
        assert set(body) == {24}


@pytest.mark.pdf
def test_large_print_is_tagged_pdf_ua_1_and_passes_the_checker(default):
    for name in ("workbook-large-print.pdf", "workbook-large-print-fillable.pdf"):
        report = pdf_checker.validate_pdf(str(default[0] / name), profile="ua1")
        assert [(failure.rule_id, failure.message) for failure in report.failures] == [], name
        assert report.is_compliant
        reader = PdfReader(default[0] / name)
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"].value is True
        assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()
        assert reader.metadata.title == "Compassionate and inclusive leadership: learner workbook"


@pytest.mark.pdf
def test_large_print_reads_as_the_workbook_and_its_fields_are_the_standard_ones(default, default_printed):
    large = page_texts(PdfReader(default[0] / "workbook-large-print.pdf"))
    assert large[0] == ("LEARNER WORKBOOK Compassionate and inclusive leadership From self to system "
                        "Levels 4 Resources 11 Time 5 h 45 min Name Version 2026.1")
    fields = widgets(PdfReader(default[0] / "workbook-large-print-fillable.pdf"))
    standard = widgets(PdfReader(default_printed / "workbook-fillable.pdf"))
    notes = {"notes.1", "notes.2"}  # Notes boxes aside, which are shown only on a page that would be near-empty
    assert {name for name in fields if not name.startswith("notes.")} | notes == \
        {name for name in standard if not name.startswith("notes.")} | notes
    assert notes <= set(fields)


@pytest.mark.parametrize("fillable", [False, True])
def test_writing_lines_are_half_as_tall_again_and_fields_as_tall_as_their_lines(programme, fillable):
    standard = Renderer().printed(programme, "learner", fillable=fillable)
    large = Renderer().printed(programme, "large-print", fillable=fillable, size=18)
    if fillable:
        heights = [float(height) for height in re.findall(r'data-fill="[^"]+"(?: data-fill-first)? style="height: '
                                                          r'([\d.]+)mm"', standard)]
        large_heights = [float(height) for height in re.findall(r'data-fill="[^"]+"(?: data-fill-first)? '
                                                                r'style="height: ([\d.]+)mm"', large)]
        assert len(heights) == len(large_heights) > 40
        assert [height / 8.25 if height % 8.25 == 0 else height / 7.25 for height in heights] == \
            [height / 12.25 if height % 12.25 == 0 else height / 11.25 for height in large_heights]
    else:
        rules = standard.count('<div class="rule"></div>'), large.count('<div class="rule"></div>')
        assert rules[0] - rules[1] == (26 + 29) - (18 + 20)  # the same, but the Notes pages' fewer
        assert ".lines .rule { height: 12mm; }" in large and ".lines.short .rule { height: 11mm; }" in large
    assert '<body class="learner large-print">' in large and '<body class="learner">' in standard


@pytest.mark.pdf
def test_no_page_of_large_print_is_near_empty(default, shapes):
    notes = lambda pdf: {1} | {number for number, text in enumerate(page_texts(PdfReader(pdf)), start=1)  # noqa: E731
                                if text.startswith("Notes")}
    for pdf in (default[0] / "workbook-large-print.pdf", shapes[0] / "o" / "one-item" / "workbook-large-print.pdf"):
        assert near_empty(pdf, notes(pdf)) == {}, pdf


def halves(path: Path, side: int) -> tuple[str, str]:
    """The text of the left and the right A5 page of an A4 side (from 1), as pdftotext reads them."""
    def read(x: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(side), "-l", str(side), "-x", str(x), "-y", "0",
                               "-W", "421", "-H", "595", "-r", "72", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout.strip()
    return read(0), read(421)


def page_number(text: str) -> int | None:
    """The A5 page a half holds: its footer's number, 1 for the cover, None for a blank."""
    if not text:
        return None
    if text.startswith("LEARNER WORKBOOK"):
        return 1
    return int(re.search(r"Page (\d+) of \d+", text)[1])


def test_saddle_stitch_order_with_blank_pages_to_a_multiple_of_four():
    assert order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]  # pages 7 and 8 are blank
    assert order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert order(1) == [(None, 1), (None, None)]


@pytest.mark.pdf
@pytest.mark.parametrize("where", ["default", "one-item"])
def test_each_booklet_side_holds_its_pages_in_saddle_stitch_order(default, shapes, where):
    path = default[0] / "workbook-booklet.pdf" if where == "default" else shapes[0] / "o" / where / \
        "workbook-booklet.pdf"
    reader = PdfReader(path)
    pages = int(re.search(r"Page \d+ of (\d+)", halves(path, 2)[0] + halves(path, 2)[1])[1])
    padded = -(-pages // 4) * 4
    assert len(reader.pages) == padded // 2
    assert pages == {"default": 50, "one-item": 13}[where]  # 13: pages are added
    found = [tuple(map(page_number, halves(path, side))) for side in range(1, len(reader.pages) + 1)]
    expected = []
    for sheet in range(padded // 4):
        expected += [(padded - 2 * sheet, 1 + 2 * sheet), (2 + 2 * sheet, padded - 1 - 2 * sheet)]
    assert found == [tuple(number if number <= pages else None for number in side) for side in expected]
    for page in reader.pages:
        assert [float(value) for value in page.mediabox] == [0, 0, pytest.approx(841.89, abs=0.1),
                                                              pytest.approx(595.28, abs=0.1)]
    assert all("/TrimBox" not in page and "/BleedBox" not in page for page in reader.pages)  # no crop marks


@pytest.mark.pdf
def test_the_booklet_says_it_is_for_printing_and_untagged(default):
    reader = PdfReader(default[0] / "workbook-booklet.pdf")
    assert reader.metadata.title == ("Compassionate and inclusive leadership: learner workbook "
                                     "(booklet for printing, untagged)")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" not in root and "/MarkInfo" not in root
    assert root["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"
    assert root["/Lang"] == "en-GB"


@pytest.mark.pdf
@pytest.mark.slow  # two more builds
def test_a_second_build_changes_nothing_and_a_forced_one_gives_the_same_bytes(shapes, tmp_path):
    folder, arguments = shapes
    again = run_pathway(*arguments, cwd=folder)
    assert again.returncode == 0, again.stderr
    for shape in ("one-item",):
        for name in ("workbook-large-print.pdf", "workbook-booklet.pdf"):
            assert re.search(rf"o/{shape}/{name}  \(\d+ pages, \d+ KB, unchanged\)", again.stdout), again.stdout
    shutil.copy(folder / "one-item.yaml", tmp_path)  # one shape, made anew elsewhere, gives the same bytes
    forced = run_pathway(*arguments, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    for shape in ("one-item",):
        for name in ("workbook-large-print.pdf", "workbook-booklet.pdf"):
            assert (tmp_path / "o" / shape / name).read_bytes() == (folder / "o" / shape / name).read_bytes()


@pytest.mark.parametrize("arguments, message", [
    (["--edition", "learner,large_print"], "Error: Invalid value for '--edition': unknown edition 'large_print' (did "
                                           "you mean 'large-print'?): choose from learner, facilitator, large-print, "
                                           "booklet, all"),
    (["--edition", "large-print", "--large-print-size", "14"],
     "Error: Invalid value for '--large-print-size': '14' is not a size for large print: give a whole number of "
     "points from 16 to 28 (large print is 16 pt at least; 18 pt is usual)"),
    (["--large-print-size", "20"], "Error: Invalid value for '--large-print-size': only the large-print edition has "
                                   "a size to set: add large-print to --edition"),
])
def test_a_bad_edition_or_size_is_a_usage_error_that_writes_nothing(tmp_path, arguments, message):
    result = run_pathway("build", *arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == message
    assert not (tmp_path / "output").exists()
