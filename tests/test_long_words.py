"""Long words and long text never leave the page: in both PDFs, a learner's own cover, and the HTML
workbook on a 320 px phone. The pathway is shapes/long-words.yaml: a 41-letter German compound in
every title and name, and titles, names and a web address as long as the format allows."""

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_pathway, write
from pdfread import page_texts, word_boxes

pytestmark = pytest.mark.pdf  # the HTML test too: it reads the build that makes the PDFs

SHAPES = Path(__file__).parent / "shapes"
MM = 72 / 25.4  # points
# A4 with 20 mm side margins and 22 mm top and bottom ones, in which the running header and footer sit.
LEFT, RIGHT, TOP, BOTTOM = 20 * MM, 190 * MM, 22 * MM, 275 * MM
SLACK = 1  # point: a glyph's box is its font's, a hair taller than its line
NAME = "Maximilianegesundheitsversorgungsqualitätsmanagementbeauftragtevonschwarzenberg"[:80]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The long-words pathway, every edition, with a learner whose name is one word of 80 letters."""
    folder = tmp_path_factory.mktemp("long")
    shutil.copy(SHAPES / "long-words.yaml", folder)
    write(folder, "cohort.csv", f"name,cohort,group\n{NAME},{'Kohorte' * 14},{'Gruppe' * 16}\n")
    result = run_pathway("build", "long-words.yaml", "--fillable", "--learners", "cohort.csv", "--out", "out",
                         cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out" / "long-words"


def outside(pdf: Path) -> list[tuple]:
    """The words that leave the text area: within its width, and between the margins unless they are
    the running header or footer, which must keep to their margins."""
    found = []
    for page, word, left, top, right, bottom in word_boxes(pdf):
        middle = (top + bottom) / 2
        if middle < TOP:
            inside = bottom <= TOP + SLACK
        elif middle > BOTTOM:
            inside = top >= BOTTOM - SLACK
        else:
            inside = top >= TOP - SLACK and bottom <= BOTTOM + SLACK
        if not (inside and left >= LEFT - SLACK and right <= RIGHT + SLACK):
            found.append((page, word[:20], round(left / MM), round(top / MM), round(right / MM), round(bottom / MM)))
    return found


@pytest.mark.parametrize("name", ["workbook.pdf", "workbook-fillable.pdf", "facilitator.pdf", "learners"])
def test_every_word_of_a_long_title_name_or_address_stays_inside_the_text_area(built, name):
    (pdf,) = (built / name / "cohort").iterdir() if name == "learners" else [built / name]
    assert outside(pdf) == []


def test_the_longest_texts_wrap_rather_than_being_cut(built):
    texts = page_texts(PdfReader(built / "workbook.pdf"))
    # Broken where it must, hyphenated where it is very long: read back without the breaks, it is whole.
    whole = " ".join(texts).replace("‐ ", "").replace(" ", "")
    pathway = (SHAPES / "long-words.yaml").read_text(encoding="utf-8")
    level_title = next(line for line in pathway.splitlines() if "Führungskräfteentwicklungsprogramm" in line)
    assert level_title.split("title: ")[1].strip() in whole
    assert "GesundheitsversorgungsqualitätsmanagementimKrankenhausalltag" in whole
    (copy,) = (built / "learners" / "cohort").iterdir()
    assert len(PdfReader(copy).pages) == len(texts)  # the learner's cover is still one page
    assert NAME in page_texts(PdfReader(copy))[0].replace("‐ ", "").replace(" ", "")


@pytest.mark.parametrize("name", ["workbook.pdf", "facilitator.pdf"])
def test_every_word_of_the_default_pathway_stays_inside_the_text_area(default_printed, name):
    assert outside(default_printed / name) == []


OVERFLOWING_TEXT = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // Text that is not shown, or shown only to screen readers (clipped to a pixel), takes no room.
    if (!node.textContent.trim() || node.parentElement.closest(
        '.visually-hidden, .skip, script, style, noscript, dialog:not([open]), [hidden]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width && (box.left < -0.5 || box.right > width + 0.5)) {
        found.push([node.textContent.trim().slice(0, 40), Math.round(box.left), Math.round(box.right)]);
        break;
      }
    }
  }
  return {width, scrolls: document.documentElement.scrollWidth > width, found};
}"""


@pytest.mark.parametrize("pathway", ["long-words", "default"])
def test_no_text_on_a_320_px_phone_extends_past_the_screen(browser, built, default_build, pathway):
    folder, _ = default_build
    page = browser.new_page(viewport={"width": 320, "height": 640})
    path = built / "workbook.html" if pathway == "long-words" else \
        folder / "output" / "compassionate-inclusive-leadership" / "workbook.html"
    page.goto(path.as_uri())
    assert page.evaluate(OVERFLOWING_TEXT) == {"width": 320, "scrolls": False, "found": []}
    page.close()
