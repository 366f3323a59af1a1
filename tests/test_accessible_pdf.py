"""The tagged PDFs, checked by two checkers the rest of the suite does not use (outloud and pdfua, from
PyPI), and each of builder/printing/finish.py's repairs read back with pikepdf and pypdf; and their
tables read whole, row by row."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from builder import i18n
from conftest import plain
from pdfread import broken_tables, pagination_and_content

pytestmark = pytest.mark.pdf  # every test here lays out a PDF

NAMES = ["workbook.pdf", "workbook-fillable.pdf", "facilitator.pdf"]
LARGE_PRINT = ["workbook-large-print.pdf", "workbook-large-print-fillable.pdf"]
# Every tagged PDF of the default and example pathways, and of the default in Welsh; large print in
# both languages. (The booklet is for printing only, and untagged.)
# A group a build: the four builds and their checks are spread over the workers.
CASES = [pytest.param(built, name, marks=pytest.mark.xdist_group(f"checkers-{built}"))
         for built, names in [("default", NAMES), ("example", NAMES), ("large print", LARGE_PRINT),
                              ("welsh", NAMES + LARGE_PRINT)] for name in names]
LANGUAGE = {"default": "en-GB", "example": "en-GB", "large print": "en-GB", "welsh": "cy"}
BIN = Path(sys.executable).parent
# The kinds of finding issue 17 names; none may come back.
NAMED = {"LNK-010", "LNK-004", "TAG-020", "UA-15-003"}


def page_top_content(tag: str) -> re.Pattern:
    """PAG-001 guesses a running head from text repeated in the top or bottom eighth of three pages. The
    only lines it may take for one are real content at the top of a page, in the workbook's language:
    an item's number, kind and Done box, a level opener's "Level 1 of 4" (upper case in print), and
    in large print an item's headings where its page breaks (Reflection, Key insight). Anything else
    (a running head, a page number) is a regression."""
    words = i18n.translations(tag).gettext
    kinds = "|".join(re.escape(words(kind)) for kind in ("Read", "Watch", "Listen", "Do"))
    level = re.escape(words("Level %(number)s of %(levels)s") % {"number": "0", "levels": "0"}).replace("0", r"\d+")
    headings = "|".join(re.escape(words(heading)) for heading in ("Reflection", "Key insight", "How my action went"))
    return re.compile(rf"(\d+\.\d+ · ({kinds})( {re.escape(words('Done'))})?|{level}|{headings})", re.IGNORECASE)


@pytest.fixture
def printed(request):
    """The folder of a build by its name here, built when a test first needs it."""
    def folder(built: str) -> Path:
        if built == "large print":
            return request.getfixturevalue("default_editions")[0]
        return request.getfixturevalue({"default": "default_printed", "example": "example_printed",
                                        "welsh": "welsh_printed"}[built])
    return folder


@pytest.mark.parametrize("built, name", CASES)
def test_outloud_finds_no_error_and_none_of_the_named_kinds(printed, built, name):
    result = subprocess.run([str(BIN / "outloud"), "--no-info", "--json", "-", str(printed(built) / name)],
                            capture_output=True, text=True, timeout=300)
    report, = json.loads(result.stdout)["results"]
    findings = report["findings"]
    assert report["counts"]["error"] == 0, [f for f in findings if f["severity"] == "error"]
    assert [f for f in findings if f["rule"] in NAMED] == []
    page_top = page_top_content(LANGUAGE[built])
    for finding in (f for f in findings if f["rule"] == "PAG-001"):
        assert not finding["message"].startswith("page numbers"), finding
        for line in finding["evidence"].split("; "):
            assert page_top.fullmatch(line), finding


@pytest.mark.parametrize("built, name", CASES)
def test_no_table_row_is_cut_across_pages_and_no_total_is_parted_from_its_rows(printed, built, name):
    # Welsh large print cut row 2.3 of the programme overview: its number, kind and time at the foot
    # of page 5, its title alone at the top of page 6, and the level's total on both pages.
    assert broken_tables(PdfReader(printed(built) / name)) == []


@pytest.mark.parametrize("built, name", CASES)
def test_pdfua_finds_nothing(printed, built, name):
    result = subprocess.run([str(BIN / "pdfua"), "check", "-f", "json", str(printed(built) / name)],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0
    assert report["findings"] == []


@pytest.fixture(scope="module")
def workbook(default_printed):
    return pikepdf.open(default_printed / "workbook.pdf")


def test_running_header_title_and_page_number_are_pagination_artifacts(default_printed, programme):
    reader = PdfReader(default_printed / "workbook.pdf")
    level = programme.stages[0].level.title
    for index in (2, 5):  # the contents page, and the first item's
        artifact, content = pagination_and_content(reader.pages[index])
        head = "Contents" if index == 2 else level
        assert sorted([head, "Compassionate and inclusive leadership", f"Page {index + 1} of 35"],
                      key=artifact.find) == [head, "Compassionate and inclusive leadership",
                                             f"Page {index + 1} of 35"]
        assert artifact == f"{head} Compassionate and inclusive leadership Page {index + 1} of 35"
        assert f"Page {index + 1} of 35" not in content
    cover_artifact, _ = pagination_and_content(reader.pages[0])
    assert cover_artifact == ""  # the cover has no header or footer


def test_every_marked_content_id_leads_into_the_structure_tree(workbook):
    reached, stack = set(), [workbook.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        if element.objgen in reached:
            continue
        reached.add(element.objgen)
        kids = element.get("/K")
        stack.extend(kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                     if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
    nums = workbook.Root.StructTreeRoot.ParentTree.Nums
    tree = {int(nums[at]): nums[at + 1] for at in range(0, len(nums), 2)}
    for page in workbook.pages:
        used = {int(m) for m in re.findall(rb"/MCID (\d+)", page.Contents.read_bytes())}
        entries = tree[int(page.StructParents)]
        assert all(isinstance(entries[mcid], pikepdf.Dictionary) and entries[mcid].objgen in reached
                   for mcid in used)


def test_contents_has_one_link_an_entry_described_by_its_target_and_page(workbook, programme):
    links = [a for a in workbook.pages[2].Annots if a.Subtype == "/Link"]
    expected = (["How to use this workbook, page 2", "Programme overview, page 4"]
                + [f"{stage.level.title}, page" for stage in programme.stages]
                + [f"{step.item.title}, page" for step in programme.steps]
                + ["My action plan, page 31", "Notes, page 32", "All resources, page 34",
                   "Reflective account, page 35"])
    contents = [str(a.Contents) for a in links]
    assert len(links) == 21 == len(expected)
    assert sorted(set(str(a.Dest) for a in links)) == sorted(
        ["how-to-use", "overview", "action-plan", "notes", "resources", "reflective-account"]
        + [f"level-{stage.level.id}" for stage in programme.stages]
        + [f"item-{step.item.id}" for step in programme.steps])
    assert "Leading ourselves, page 5" in contents
    assert "If it’s about NHS culture, it’s about leadership, page 6" in contents
    for description in expected:
        assert any(c == description or (description.endswith(", page") and c.startswith(description + " "))
                   for c in contents), description
    assert all(int(a.F) & 4 for page in workbook.pages for a in page.get("/Annots", []))  # the Print flag


def test_contents_leaders_are_artifacts_not_link_text(default_printed):
    """The page reads as its entries and their page numbers: no leader dots left in the tagged text."""
    _, content = pagination_and_content(PdfReader(default_printed / "workbook.pdf").pages[2])
    assert ". ." not in content and ".." not in content
    assert content.startswith("Contents How to use this workbook 2 Programme overview 4 1. Leading ourselves 5 ")
    assert content.endswith(" My action plan 31 Notes 32 All resources 34 Reflective account 35")


def _elements(pdf):
    stack, found = [pdf.Root.StructTreeRoot.K[0]], []
    while stack:
        element = stack.pop()
        found.append(element)
        kids = element.get("/K")
        stack.extend(kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                     if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
    return found


@pytest.mark.parametrize("name", ["workbook.pdf", "facilitator.pdf"])
def test_header_cells_have_scope_and_every_headers_id_is_in_the_id_tree(default_printed, name):
    pdf = pikepdf.open(default_printed / name)
    flat = pdf.Root.StructTreeRoot.IDTree.Names
    ids = {bytes(flat[at]): flat[at + 1] for at in range(0, len(flat), 2)}
    assert [bytes(flat[at]) for at in range(0, len(flat), 2)] == sorted(ids)  # a name tree is sorted
    elements = _elements(pdf)
    headers = [e for e in elements if e.S == "/TH"]
    assert headers and all(str(e.A.Scope) in ("/Column", "/Row") for e in headers)
    # The tables' header rows are columns; "Level total" or "Whole programme" heads its row.
    assert {str(e.A.Scope) for e in headers} == {"/Column", "/Row"}
    referred = [bytes(h) for e in elements if "/A" in e and "/Headers" in e.A for h in e.A.Headers]
    assert referred
    for key in referred:
        assert ids[key].S == "/TH" and bytes(ids[key].ID) == key
    assert len({bytes(e.ID) for e in headers}) == len(headers)  # unique in the document


@pytest.mark.parametrize("name", NAMES)
def test_each_printed_web_address_is_a_link_to_it(default_printed, programme, name):
    pdf = pikepdf.open(default_printed / name)
    uris = {}
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            if "/A" in annotation and "/URI" in annotation.A:
                uris.setdefault(str(annotation.A.URI), set()).add(str(annotation.Contents))
    for step in programme.steps:
        if step.item.url:
            assert f"Web address of “{plain(step.item.title)}”: {step.item.url}" in uris[step.item.url]
