"""A pathway in more than one language: each part is marked with the language it is written in.

languages/mixed-languages.yaml is an en-GB pathway whose second level is in Welsh (cy), with an
item in German (de) in its first level and one back in English in the Welsh level. The HTML marks
an element only where its language differs from the one around it; the PDF gives those elements'
structure elements /Lang, and nothing else one.
"""

import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from builder.pathway.assemble import load_pathway
from builder.printing import worker
from builder.reflection import default_questions
from builder.sequence import sequence
from conftest import ROOT, problems_of, run_pathway, write
from pdfread import _marked_text, fold

LANGUAGES = Path(__file__).parent / "languages"
MIXED, CHANGED = "mixed-languages", "mixed-languages-changed"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# German has no catalogue: the German item's interface stays English, and a build says so at its key.
NO_GERMAN = ("mixed-languages.yaml:12:82: levels[0].items[1].language: there is no interface in 'de': its "
             "headings, buttons and default questions stay in English; the languages there are cy (Cymraeg) "
             "and en-GB (English)")


@pytest.fixture(scope="module")
def html_built(tmp_path_factory):
    """Both pathways' HTML workbooks and print HTML, built as a user builds them."""
    folder = tmp_path_factory.mktemp("languages-html")
    for path in LANGUAGES.glob("*.yaml"):
        shutil.copy(path, folder)
    result = run_pathway("build", f"{MIXED}.yaml", "in-welsh.yaml", "--format", "html,print-html",
                         "--out", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out"


@pytest.fixture(scope="module")
def pdf_built(tmp_path_factory):
    """The mixed pathway's PDFs, with a personalised copy of the workbook for one learner."""
    folder = tmp_path_factory.mktemp("languages-pdf")
    shutil.copy(LANGUAGES / f"{MIXED}.yaml", folder)
    write(folder, "cohort.csv", "name\nSiân Evans\n")
    result = run_pathway("build", f"{MIXED}.yaml", "--learners", "cohort.csv", "--format", "pdf,print-html",
                         "--out", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"warning: {NO_GERMAN}\n"
    return folder / "out" / MIXED


def test_an_item_in_a_language_without_a_catalogue_is_a_warning_at_its_key_and_strict_refuses_it(tmp_path):
    shutil.copy(LANGUAGES / f"{MIXED}.yaml", tmp_path)
    result = run_pathway("validate", f"{MIXED}.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, f"warning: {NO_GERMAN}\n")
    result = run_pathway("build", f"{MIXED}.yaml", "--format", "html", "--strict", cwd=tmp_path)
    assert result.returncode == 2 and f"error: {NO_GERMAN}\n" in result.stderr
    assert not (tmp_path / "output").exists()
    # Written through `change:` in a file that extends it, the warning is at that file's key, naming the item
    # by its place in the merged pathway.
    write(tmp_path, "changed.yaml", f"extends: {MIXED}.yaml\nid: changed\nchange:\n  sgwrs: {{language: fr}}\n")
    result = run_pathway("validate", "changed.yaml", cwd=tmp_path)
    assert result.returncode == 0
    assert "warning: changed.yaml:4:11: levels[1].items[0].language: there is no interface in 'fr': its headings, " \
           "buttons and default questions stay in English;" in result.stderr


def test_an_item_takes_its_own_language_else_its_levels_else_the_pathways():
    programme = sequence(load_pathway(str(LANGUAGES / f"{MIXED}.yaml")))
    assert [(stage.level.id, stage.language, stage.lang) for stage in programme.stages] == [
        ("ourselves", "en-GB", None), ("arwain", "cy", "cy")]
    assert [(step.item.id, step.language, step.lang, step.lang_in_level) for step in programme.steps] == [
        ("a-quiet-hour", "en-GB", None, None),
        ("ein-gespraech", "de", "de", "de"),
        ("sgwrs", "cy", "cy", None),
        ("back-in-english", "en-GB", None, "en-GB")]


def test_an_extension_changes_an_items_and_a_levels_language(workdir):
    shutil.copy(LANGUAGES / f"{MIXED}.yaml", workdir)
    write(workdir, "changed.yaml", """\
        extends: mixed-languages.yaml
        id: changed
        change:
          ein-gespraech: {language: null}
          arwain: {language: de}
          sgwrs: {language: cy}
        """)
    programme = sequence(load_pathway("changed.yaml"))
    assert [(step.item.id, step.language) for step in programme.steps] == [
        ("a-quiet-hour", "en-GB"), ("ein-gespraech", "en-GB"), ("sgwrs", "cy"), ("back-in-english", "en-GB")]
    assert [stage.language for stage in programme.stages] == ["en-GB", "de"]


def test_default_questions_are_asked_for_in_the_items_language(monkeypatch):
    asked = []

    def recording(*arguments, language):
        asked.append((arguments[1], language))
        return default_questions(*arguments, language=language)

    monkeypatch.setattr("builder.sequence.default_questions", recording)
    sequence(load_pathway(str(LANGUAGES / f"{MIXED}.yaml")))
    assert asked == [("A quiet hour to think", "en-GB"), ("Ein Gespräch mit dem Team", "de"),
                     ("Sgwrs gyda’r tîm", "cy"), ("A conversation in English", "en-GB")]


@pytest.mark.parametrize("where, line, column", [("levels[1].language", 15, 13),
                                                 ("levels[0].items[1].language", 12, 92)])
def test_a_bad_language_tag_is_refused_where_it_is_written(workdir, where, line, column):
    text = (LANGUAGES / f"{MIXED}.yaml").read_text(encoding="utf-8")
    text = text.replace("language: cy", "language: xx_YY!") if "levels[1]" in where else \
        text.replace("language: de}", "language: xx_YY!}")
    (workdir / "bad.yaml").write_text(text, encoding="utf-8")
    assert problems_of("bad.yaml") == [f"bad.yaml:{line}:{column}: {where}: 'xx_YY!' is not a language tag: "
                                       "use one like 'en-GB' or 'cy'"]


def test_a_bad_language_in_change_is_refused_where_it_is_written_and_nothing_is_built(workdir):
    shutil.copy(LANGUAGES / f"{MIXED}.yaml", workdir)
    write(workdir, "changed.yaml", """\
        extends: mixed-languages.yaml
        id: changed
        change:
          sgwrs: {language: xx_YY!}
        """)
    result = run_pathway("build", "changed.yaml", "--format", "html", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.startswith("error: changed.yaml:4:21: change.sgwrs.language: 'xx_YY!' is not a "
                                    "language tag: use one like 'en-GB' or 'cy'\n")
    assert not (workdir / "output").exists()


class _Marked(HTMLParser):
    """Every element with a lang attribute, as (tag, its id or class, lang), in document order."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "lang" in attributes:
            self.found.append((tag, attributes.get("id") or attributes.get("data-item") or attributes.get("class"),
                               attributes["lang"]))


def marked(path: Path) -> list[tuple[str, str | None, str]]:
    parser = _Marked()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def test_the_html_workbook_marks_exactly_the_parts_in_another_language(html_built):
    assert marked(html_built / MIXED / "workbook.html") == [
        ("html", None, "en-GB"),
        ("li", "ein-gespraech", "de"),  # the contents
        ("li", "contents-level", "cy"),
        ("li", "back-in-english", "en-GB"),  # in the Welsh level's entry
        ("article", "item-ein-gespraech", "de"),
        ("section", "level-arwain", "cy"),
        ("article", "item-back-in-english", "en-GB")]


@pytest.mark.parametrize("name", ["workbook", "facilitator"])
def test_the_print_html_marks_exactly_the_parts_in_another_language(html_built, name):
    contents = [("li", "toc-item", "de"), ("li", "toc-level", "cy"), ("li", "toc-item", "en-GB")]
    # Items follow their level's opener in print, so an English item in the Welsh level needs no mark.
    # An entry of a level's list in another language says its kind and time in the level's.
    levels = [("li", None, "de"), ("span", "step-facts", "en-GB"), ("section", "item-ein-gespraech", "de"),
              ("section", "level-arwain", "cy"), ("li", None, "en-GB"), ("span", "step-facts", "cy"),
              ("section", "item-sgwrs", "cy")]
    resources = [("cite", None, "de"), ("cite", None, "cy")]
    if name == "workbook":
        expected = contents + [("td", None, "de"), ("td", None, "cy")] + levels + resources
    else:
        expected = contents + [("td", None, "cy")] + levels + resources
    assert marked(html_built / MIXED / f"{name}.print.html") == [("html", None, "en-GB"), *expected]


def test_an_item_changed_to_welsh_is_marked_welsh(html_built):
    found = marked(html_built / CHANGED / "workbook.html")
    assert ("article", "item-a-quiet-hour", "cy") in found
    assert ("section", "item-a-quiet-hour", "cy") in marked(html_built / CHANGED / "workbook.print.html")


_LEADERS = re.compile(r"(?:\s*\.){3,}\s*\d*")  # a contents entry's dot leader and page number


def languages(data: bytes | Path) -> list[tuple[str, str, str]]:
    """Every structure element with a /Lang, as (its type, /Lang, the start of its text), in order,
    and the document's own /Lang first. The structure is read with pikepdf, the text with pypdf."""
    pdf = pikepdf.open(io.BytesIO(data) if isinstance(data, bytes) else data)
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    texts = {}

    def text(element) -> list[str]:
        parts = []
        page = pages.get(element.Pg.objgen) if "/Pg" in element else None
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int) and page is not None:
                if page not in texts:
                    texts[page] = _marked_text(reader.pages[page])
                parts.append(texts[page].get(kid, ""))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                parts.extend(text(kid))
        return parts

    found = [("Catalog", str(pdf.Root.Lang), "")]

    def walk(element):
        if "/Lang" in element:
            found.append((str(element.S), str(element.Lang), fold(_LEADERS.sub(" ", " ".join(text(element))))[:40]))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


# The mixed workbook's structure elements that have a /Lang: entries of the contents (with their page
# numbers) and the overview, the first level's list (the German title's kind and time in the level's
# English), the German item (on two pages), the Welsh level with its list's English entry (its kind
# and time in Welsh), the Welsh item (two pages), and the resources' titles. Nothing else has one.
def contents(*pages: int) -> list[tuple[str, str, str]]:
    return [("/LI", "de", f"1.2 Ein Gespräch mit dem Team {pages[0]}"),
            ("/LI", "cy", f"2. Arwain ein timau {pages[1]} 2.1 Sgwrs gyda’r tîm"[:40]),
            ("/LI", "en-GB", f"2.2 A conversation in English {pages[2]}")]


FIRST_LEVEL = [("/LI", "de", "1.2 Ein Gespräch mit dem Team Do · 30 mi"), ("/Span", "en-GB", "Do · 30 min"),
               ("/Sect", "de", "1.2 · Do Ein Gespräch mit dem Team About")]
WELSH_LEVEL = [("/Sect", "cy", "LEFEL 2 O 2 Arwain ein timau Yn y lefel "),
               ("/LI", "en-GB", "2.2 A conversation in English Gwneud · 2"), ("/Span", "cy", "Gwneud · 20 mun"),
               ("/Sect", "cy", "2.1 · Gwneud Sgwrs gyda’r tîm Tua 30 mun")]
RESOURCES = [("/NonStruct", "de", "Ein Gespräch mit dem Team."), ("/NonStruct", "cy", "Sgwrs gyda’r tîm.")]
WORKBOOK = [("Catalog", "en-GB", ""), *contents(8, 10, 13), ("/TD", "de", "Ein Gespräch mit dem Team"),
            ("/TD", "cy", "Sgwrs gyda’r tîm"), *FIRST_LEVEL, ("/Sect", "de", "Key insight How my action went"),
            *WELSH_LEVEL, ("/Sect", "cy", "Mewnwelediad allweddol Sut aeth fy ngham"), *RESOURCES]


@pytest.mark.pdf
def test_the_workbook_gives_lang_to_exactly_the_parts_in_another_language(pdf_built):
    assert languages(pdf_built / "workbook.pdf") == WORKBOOK


@pytest.mark.pdf
def test_the_facilitator_guide_gives_lang_to_exactly_the_parts_in_another_language(pdf_built):
    # The session plan names the level, not its items; each item is on a page of its own.
    assert languages(pdf_built / "facilitator.pdf") == [
        ("Catalog", "en-GB", ""), *contents(4, 5, 6), ("/TD", "cy", "Arwain ein timau"), *FIRST_LEVEL, *WELSH_LEVEL,
        *RESOURCES]


@pytest.mark.pdf
def test_a_personalised_copy_keeps_every_lang(pdf_built):
    (copy,) = (pdf_built / "learners" / "cohort").iterdir()
    assert copy.name == "sian-evans.pdf"
    assert languages(copy) == WORKBOOK


@pytest.mark.pdf
def test_a_workbook_laid_out_in_parts_and_joined_keeps_every_lang(pdf_built):
    html = (pdf_built / "workbook.print.html").read_text(encoding="utf-8")
    data, _, left_out, _, _ = worker.lay_out(html, str(LANGUAGES), [str(ROOT / "templates"), str(LANGUAGES)],
                                             forms=False, part_bytes=8_000)
    assert left_out == []
    assert isinstance(data, bytes) and languages(data) == WORKBOOK


@pytest.mark.slow
def test_axe_finds_no_wcag_22_aa_violations_in_the_mixed_workbook(browser, html_built):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.goto((html_built / MIXED / "workbook.html").as_uri())
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, results.generate_report()
    # axe checked each lang it met: three languages on one page.
    assert page.eval_on_selector_all("[lang]", "found => found.map(element => element.lang)") == [
        "en-GB", "de", "cy", "en-GB", "de", "cy", "en-GB"]
    page.close()
