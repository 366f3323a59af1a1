"""The tagged PDFs, checked by two checkers the rest of the suite does not use (outloud and pdfua, from
PyPI), and each of builder/printing/finish.py's repairs read back with pikepdf and pypdf."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import plain

pytestmark = pytest.mark.pdf  # every test here lays out a PDF

NAMES = ["workbook.pdf", "workbook-fillable.pdf", "facilitator.pdf"]
BIN = Path(sys.executable).parent
# The kinds of finding issue 17 names; none may come back.
NAMED = {"LNK-010", "LNK-004", "TAG-020", "UA-15-003"}
# PAG-001 guesses a running head from text repeated in the top or bottom eighth of three pages. The
# only lines it still takes for one are real content at the top of a page: an item's number, kind
# and Done box, and a level opener's "Level 1 of 4". Anything else (a running head, a page number)
# is a regression.
PAGE_TOP_CONTENT = re.compile(r"(\d+\.\d+ · (Read|Watch|Listen|Do)( Done)?|LEVEL \d+ OF \d+)")


@pytest.fixture(scope="module", params=["default", "example"])
def built(request, default_printed, example_printed):
    return default_printed if request.param == "default" else example_printed


@pytest.mark.parametrize("name", NAMES)
def test_outloud_finds_no_error_and_none_of_the_named_kinds(built, name):
    result = subprocess.run([str(BIN / "outloud"), "--no-info", "--json", "-", str(built / name)],
                            capture_output=True, text=True, timeout=300)
    report, = json.loads(result.stdout)["results"]
    findings = report["findings"]
    assert report["counts"]["error"] == 0, [f for f in findings if f["severity"] == "error"]
    assert [f for f in findings if f["rule"] in NAMED] == []
    for finding in (f for f in findings if f["rule"] == "PAG-001"):
        assert not finding["message"].startswith("page numbers"), finding
        for line in finding["evidence"].split("; "):
            assert PAGE_TOP_CONTENT.fullmatch(line), finding


@pytest.mark.parametrize("name", NAMES)
def test_pdfua_finds_nothing(built, name):
    result = subprocess.run([str(BIN / "pdfua"), "check", "-f", "json", str(built / name)],
                            capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0
    assert report["findings"] == []


@pytest.fixture(scope="module")
def workbook(default_printed):
    return pikepdf.open(default_printed / "workbook.pdf")


def _texts_by_artifact(reader: PdfReader, index: int) -> tuple[str, str]:
    """A page's text inside pagination artifacts, and the text marked as content (with an MCID)."""
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

    reader.pages[index].extract_text(visitor_operand_before=operator, visitor_text=text)
    return " ".join(" ".join(artifact).split()), " ".join(" ".join(content).split())


def test_running_header_title_and_page_number_are_pagination_artifacts(default_printed, programme):
    reader = PdfReader(default_printed / "workbook.pdf")
    level = programme.stages[0].level.title
    for index in (2, 5):  # the contents page, and the first item's
        artifact, content = _texts_by_artifact(reader, index)
        head = "Contents" if index == 2 else level
        assert sorted([head, "Compassionate and inclusive leadership", f"Page {index + 1} of 34"],
                      key=artifact.find) == [head, "Compassionate and inclusive leadership",
                                             f"Page {index + 1} of 34"]
        assert artifact == f"{head} Compassionate and inclusive leadership Page {index + 1} of 34"
        assert f"Page {index + 1} of 34" not in content
    cover_artifact, _ = _texts_by_artifact(reader, 0)
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
                + ["My action plan, page 31", "Notes, page 32", "All resources, page 34"])
    contents = [str(a.Contents) for a in links]
    assert len(links) == 20 == len(expected)
    assert sorted(set(str(a.Dest) for a in links)) == sorted(
        ["how-to-use", "overview", "action-plan", "notes", "resources"]
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
    _, content = _texts_by_artifact(PdfReader(default_printed / "workbook.pdf"), 2)
    assert ". ." not in content and ".." not in content
    assert content.startswith("Contents How to use this workbook 2 Programme overview 4 1. Leading ourselves 5 ")
    assert content.endswith(" My action plan 31 Notes 32 All resources 34")


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
