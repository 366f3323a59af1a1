"""Incremental builds: a PDF whose inputs have not changed is not laid out again, and any change is seen.

That the engine was not used is proved without a clock: the second build runs with a stand-in
for WeasyPrint that cannot start. The engine's process imports it at once but says so only when
it is sent a job, so a build that lays nothing out still succeeds, and one that needs the engine
fails with exit 1 and its message.
"""

import hashlib
import io
import json
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, run_pathway, write

OUT = "compassionate-inclusive-leadership"
MANIFEST = ".pathway-build.json"
PARTS = ".pathway-parts/{}.parts"  # what the build keeps of each PDF laid out in parts, for the next
LEARNER_PDF = ("--edition", "learner", "--format", "pdf")
ENGINE_CANNOT_START = (
    "error: cannot make PDFs: WeasyPrint, the PDF engine, could not start (a broken engine). It needs the Pango "
    "library: on Debian or Ubuntu, 'apt-get install libpango-1.0-0 libpangoft2-1.0-0'; or build the HTML "
    "workbook alone with '--format html'\nNothing was written.\n")
COHORT = "name,email,cohort,group\nZoë O'Brien,zoe@example.org,Spring 2027,A\nAda Lovelace,,,B\nSam Lee\n"
STEMS = ["ada-lovelace", "sam-lee", "zoe-obrien"]
# A pathway of one level and two items: quick to lay out, for the tests that build their own.
# Its own subtitle, summary and intro: the inherited ones speak of four levels (and warn of it).
WARD = ("extends: compassionate-inclusive-leadership\nid: ward\nomit: [team, organisation, system]\n"
        "subtitle: Leading ourselves\nsummary: One level.\nchange:\n  individual: {intro: About you.}\n")


@pytest.fixture
def broken_engine(tmp_path) -> Path:
    """A folder whose weasyprint.py, found first, fails on import: the engine can then make no PDF."""
    write(tmp_path, "broken-engine/weasyprint.py", 'raise ImportError("a broken engine")\n')
    return tmp_path / "broken-engine"


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under the folder, hidden ones too: its bytes and its modification time."""
    return {str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def outputs(found: dict[str, tuple[bytes, int]]) -> dict[str, tuple[bytes, int]]:
    """The files without the record of the build: the outputs a user sees."""
    return {name: kept for name, kept in found.items() if name != MANIFEST}


def size(*paths: Path) -> str:
    """The size of the files together, as the summary gives it."""
    total = sum(path.stat().st_size for path in paths)
    return f"{total / 1024:.0f} KB" if total < 1024 * 1024 else f"{total / 1024 / 1024:.1f} MB"


_PAGES: dict[str, int] = {}


def pages(path: Path) -> int:
    """The PDF's page count, read once for each content: most files here are copies of a few."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _PAGES:
        _PAGES[digest] = len(PdfReader(io.BytesIO(data)).pages)
    return _PAGES[digest]


def line(folder: Path, name: str, unchanged: bool = False) -> str:
    """The summary's line for one file, as it must read for the file now on disk."""
    path = folder / name
    pages_ = f"{pages(path)} pages, " if name.endswith(".pdf") else ""
    return f"  {path.relative_to(folder.parent.parent)}  ({pages_}{size(path)}{', unchanged' * unchanged})"


def assert_summary(result, pathway: str, expected: list[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    shape = "1 level, 2 items" if pathway == "ward" else "4 levels, 11 items"
    assert lines[0] == f"Built {pathway}: {shape}"
    assert lines[1:-1] == expected
    assert re.fullmatch(r"Done in \d+\.\d s\.", lines[-1])


def assert_engine_was_asked(result) -> None:
    assert (result.returncode, result.stdout, result.stderr) == (1, "", ENGINE_CANNOT_START)


def copy_of(built: Path, tmp_path: Path) -> Path:
    """The output of a shared build, copied into this test's own folder (pathways, templates and all)."""
    shutil.copytree(built, tmp_path, dirs_exist_ok=True)
    return tmp_path / "output" / OUT


@pytest.fixture(scope="module")
def full_build(default_build) -> Path:
    """A default build: workbook.html, workbook.pdf and facilitator.pdf."""
    folder, result = default_build
    out = folder / "output" / OUT
    assert_summary(result, OUT, [line(out, "workbook.html"), line(out, "workbook.pdf"),
                                 line(out, "facilitator.pdf")])
    return folder


# Nothing changed: nothing laid out, nothing written

@pytest.mark.pdf
def test_a_build_with_nothing_changed_lays_out_nothing_and_rewrites_nothing(full_build, tmp_path, broken_engine):
    out = copy_of(full_build, tmp_path)
    before = files(out)
    assert sorted(before) == [MANIFEST, PARTS.format("facilitator.pdf"), PARTS.format("workbook.pdf"),
                              "facilitator.pdf", "workbook.html", "workbook.pdf"]
    result = run_pathway("build", cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.html", unchanged=True), line(out, "workbook.pdf", unchanged=True),
                                 line(out, "facilitator.pdf", unchanged=True)])
    assert files(out) == before


@pytest.mark.pdf
@pytest.mark.parametrize("saved", ["windows line endings", "a byte-order mark"])
def test_a_pathway_saved_with_windows_line_endings_or_a_byte_order_mark_is_found_unchanged(
        saved, tmp_path):
    # The quick answer reads the files and hashes them, and neither validates nor renders: with a
    # Jinja that cannot be imported, only a build that took it succeeds.
    write(tmp_path, "no-render/jinja2.py", 'raise ImportError("the build rendered")\n')
    ward = "id: ward\n" + WARD.replace("id: ward\n", "")  # the id first, where a byte-order mark is
    text = ward.replace("\n", "\r\n") if saved == "windows line endings" else "\ufeff" + ward
    (tmp_path / "ward.yaml").write_bytes(text.encode("utf-8"))
    first = run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path)
    out = tmp_path / "output" / "ward"
    assert_summary(first, "ward", [line(out, "workbook.pdf")])
    before = files(out)
    again = run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path, python_path=tmp_path / "no-render")
    assert_summary(again, "ward", [line(out, "workbook.pdf", unchanged=True)])
    assert files(out) == before


@pytest.mark.pdf
def test_force_lays_out_every_pdf_again_but_rewrites_none_that_comes_out_the_same_and_keeps_every_record(
        full_build, tmp_path, broken_engine):
    out = copy_of(full_build, tmp_path)
    before = files(out)
    assert_engine_was_asked(run_pathway("build", "--force", cwd=tmp_path, python_path=broken_engine))
    assert files(out) == before
    result = run_pathway("build", "--force", *LEARNER_PDF, cwd=tmp_path)
    assert_summary(result, OUT, [line(out, "workbook.pdf", unchanged=True)])
    # The same bytes came out: the files stay as they were, times and all.
    assert {name: files(out)[name] for name in ("workbook.pdf", "facilitator.pdf")} == {
        name: before[name] for name in ("workbook.pdf", "facilitator.pdf")}
    # facilitator.pdf was neither made nor touched, and its inputs are as they were: its record stays,
    # and the next build need not make it again.
    result = run_pathway("build", cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.html", unchanged=True), line(out, "workbook.pdf", unchanged=True),
                                 line(out, "facilitator.pdf", unchanged=True)])


def test_an_html_build_that_comes_out_the_same_leaves_the_file_and_one_that_differs_replaces_it(tmp_path):
    result = run_pathway("build", "--format", "html", cwd=tmp_path)
    out = tmp_path / "output" / OUT
    assert_summary(result, OUT, [line(out, "workbook.html")])
    assert sorted(files(out)) == ["workbook.html"]  # no PDF made: nothing to record
    before = files(out)
    assert_summary(run_pathway("build", "--format", "html", cwd=tmp_path), OUT,
                   [line(out, "workbook.html", unchanged=True)])
    assert files(out) == before
    (out / "workbook.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    assert_summary(run_pathway("build", "--format", "html", cwd=tmp_path), OUT, [line(out, "workbook.html")])
    assert (out / "workbook.html").read_bytes() == before["workbook.html"][0]


# Builds of part of the outputs keep the records of the rest

@pytest.mark.pdf
def test_a_learner_build_leaves_the_facilitator_guide_and_a_full_build_then_reuses_it(full_build, tmp_path,
                                                                                      broken_engine):
    out = copy_of(full_build, tmp_path)
    before = files(out)
    result = run_pathway("build", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.pdf", unchanged=True)])
    # Every output as it was; the record now says what this last build was made from.
    assert outputs(files(out)) == outputs(before)
    assert json.loads((out / MANIFEST).read_text())["build"]["files"] == ["workbook.pdf"]
    result = run_pathway("build", cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.html", unchanged=True), line(out, "workbook.pdf", unchanged=True),
                                 line(out, "facilitator.pdf", unchanged=True)])
    assert outputs(files(out)) == outputs(before)
    assert json.loads((out / MANIFEST).read_text())["build"]["files"] == [
        "workbook.html", "workbook.pdf", "facilitator.pdf"]


@pytest.mark.pdf
def test_an_html_build_in_between_keeps_the_records_of_the_pdfs(full_build, tmp_path, broken_engine):
    out = copy_of(full_build, tmp_path)
    (out / "workbook.html").write_text("<p>an older workbook</p>", encoding="utf-8")
    result = run_pathway("build", "--format", "html", cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.html")])
    before = files(out)
    result = run_pathway("build", cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.html", unchanged=True), line(out, "workbook.pdf", unchanged=True),
                                 line(out, "facilitator.pdf", unchanged=True)])
    assert files(out) == before


# What the user did to the output folder

@pytest.mark.pdf
def test_a_pdf_the_user_edited_or_deleted_is_made_again(full_build, tmp_path, broken_engine):
    out = copy_of(full_build, tmp_path)
    original = (out / "workbook.pdf").read_bytes()
    (out / "workbook.pdf").write_bytes(original + b"%% a note added by a PDF editor\n")
    assert_engine_was_asked(run_pathway("build", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine))
    result = run_pathway("build", *LEARNER_PDF, cwd=tmp_path)
    assert_summary(result, OUT, [line(out, "workbook.pdf")])
    assert (out / "workbook.pdf").read_bytes() == original
    (out / "facilitator.pdf").unlink()
    assert_engine_was_asked(run_pathway("build", "--edition", "facilitator", "--format", "pdf", cwd=tmp_path,
                                        python_path=broken_engine))
    assert not (out / "facilitator.pdf").exists()


def with_format(manifest: bytes, number: int) -> bytes:
    """The manifest as it is, but for its format's number: as a builder of another version writes it."""
    return json.dumps({**json.loads(manifest), "format": number}).encode()


DAMAGED = {
    "missing": None,
    "not JSON": lambda manifest: manifest[: len(manifest) // 2],
    "another format": lambda manifest: with_format(manifest, 2),
    "records of the wrong shape": lambda manifest: b'{"format": 1, "files": {"workbook.pdf": "f97f3fcf"}}',
}


@pytest.mark.pdf
@pytest.mark.parametrize("damage", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_missing_damaged_or_foreign_manifest_means_every_pdf_is_made_again(full_build, tmp_path, broken_engine,
                                                                             damage):
    out = copy_of(full_build, tmp_path)
    if damage is None:
        (out / MANIFEST).unlink()
    else:
        (out / MANIFEST).write_bytes(damage((out / MANIFEST).read_bytes()))
    before = files(out)
    # The engine is asked for the PDF: the manifest was ignored, not a reason to stop with a traceback.
    assert_engine_was_asked(run_pathway("build", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine))
    assert files(out) == before


@pytest.mark.pdf
def test_a_build_after_a_damaged_manifest_succeeds_and_writes_a_good_one(full_build, tmp_path, broken_engine):
    out = copy_of(full_build, tmp_path)
    (out / MANIFEST).write_bytes(b"{\"format\": 1, \"files\": {\"workbook.pdf\": {\"key\": \"")
    result = run_pathway("build", *LEARNER_PDF, cwd=tmp_path)
    # Made again, to the same bytes: the file stays as it was.
    assert_summary(result, OUT, [line(out, "workbook.pdf", unchanged=True)])
    assert sorted(json.loads((out / MANIFEST).read_bytes())["files"]) == [PARTS.format("workbook.pdf"),
                                                                            "workbook.pdf"]
    assert_summary(run_pathway("build", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine), OUT,
                   [line(out, "workbook.pdf", unchanged=True)])


# Each kind of change to the inputs

@pytest.mark.pdf
def test_a_change_to_the_pathway_makes_its_pdf_again(tmp_path, broken_engine):
    ward = write(tmp_path, "ward.yaml", WARD + "title: Ward A\n")
    out = tmp_path / "output" / "ward"
    assert_summary(run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path), "ward", [line(out, "workbook.pdf")])
    assert_summary(run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine), "ward",
                   [line(out, "workbook.pdf", unchanged=True)])
    before = files(out)
    ward.write_text(ward.read_text(encoding="utf-8").replace("Ward A", "Ward B"), encoding="utf-8")
    assert_engine_was_asked(run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine))
    assert files(out) == before
    assert_summary(run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path), "ward", [line(out, "workbook.pdf")])
    cover = PdfReader(out / "workbook.pdf").pages[0].extract_text()
    assert "Ward B" in cover and "Ward A" not in cover


def builtin_cover_with(addition: str) -> str:
    """The built-in cover template, with `addition` at the top of the cover."""
    cover = (ROOT / "templates" / "print" / "cover.html").read_text(encoding="utf-8")
    opening = re.search(r'<section class="cover[^\n]*>\n', cover)
    assert opening and cover.count('<section class="cover') == 1
    return cover[:opening.end()] + f"  {addition}\n" + cover[opening.end():]


@pytest.mark.pdf
def test_any_change_in_a_users_template_folder_makes_the_pdfs_again(tmp_path, broken_engine):
    cover = write(tmp_path, "mine/print/cover.html",
                  builtin_cover_with('<p class="issued">Issued by the Learning Hub</p>'))
    write(tmp_path, "ward.yaml", WARD)
    build = ("build", "ward.yaml", "--templates", "mine", *LEARNER_PDF)
    out = tmp_path / "output" / "ward"
    assert_summary(run_pathway(*build, cwd=tmp_path), "ward", [line(out, "workbook.pdf")])
    assert "Issued by the Learning Hub" in PdfReader(out / "workbook.pdf").pages[0].extract_text()
    assert_summary(run_pathway(*build, cwd=tmp_path, python_path=broken_engine), "ward",
                   [line(out, "workbook.pdf", unchanged=True)])
    before = files(out)
    # A style sheet that no template names yet: the folder's contents are the input, every file of it.
    extra = write(tmp_path, "mine/print/extra.css", ".issued { color: navy }\n")
    assert_engine_was_asked(run_pathway(*build, cwd=tmp_path, python_path=broken_engine))
    extra.unlink()  # the folder as it was: the PDF as it was
    assert_summary(run_pathway(*build, cwd=tmp_path, python_path=broken_engine), "ward",
                   [line(out, "workbook.pdf", unchanged=True)])
    cover.write_text(cover.read_text(encoding="utf-8").replace("Learning Hub", "Leadership Academy"),
                     encoding="utf-8")
    assert_engine_was_asked(run_pathway(*build, cwd=tmp_path, python_path=broken_engine))
    assert files(out) == before
    assert_summary(run_pathway(*build, cwd=tmp_path), "ward", [line(out, "workbook.pdf")])
    assert "Issued by the Leadership Academy" in PdfReader(out / "workbook.pdf").pages[0].extract_text()


@pytest.mark.pdf
def test_a_template_folder_that_holds_the_output_folder_or_hidden_files_is_found_unchanged(tmp_path):
    # `--templates .` in the pathway's own folder: the outputs, and an editor's swap file, are in it.
    # As above, only a build that rendered would need Jinja.
    write(tmp_path, "no-render/jinja2.py", 'raise ImportError("the build rendered")\n')
    write(tmp_path, "ward.yaml", WARD)
    build = ("build", "ward.yaml", "--templates", ".", *LEARNER_PDF)
    out = tmp_path / "output" / "ward"
    assert_summary(run_pathway(*build, cwd=tmp_path), "ward", [line(out, "workbook.pdf")])
    before = files(out)
    write(tmp_path, ".ward.yaml.swp", "an editor's record of unsaved changes\n")
    write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")
    again = run_pathway(*build, cwd=tmp_path, python_path=tmp_path / "no-render")
    assert_summary(again, "ward", [line(out, "workbook.pdf", unchanged=True)])
    assert files(out) == before
    # A file the user writes there, not hidden, is still a template: the build renders again.
    write(tmp_path, "print/extra.css", ".issued { color: navy }\n")
    rendered = run_pathway(*build, cwd=tmp_path, python_path=tmp_path / "no-render")
    assert rendered.returncode == 1 and "the build rendered" in rendered.stderr, rendered.stderr


def png(colour: tuple[int, int, int], width: int = 8, height: int = 4) -> bytes:
    """A small PNG image of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.mark.pdf
def test_a_change_to_a_file_the_engine_read_makes_the_pdf_again(tmp_path, broken_engine):
    # The logo is named by a relative name in the user's cover, and found beside the pathway file:
    # it is in no template folder, so only the record of what the engine read can see it change.
    write(tmp_path, "mine/print/cover.html", builtin_cover_with('<img src="logo.png" alt="Trust logo">'))
    write(tmp_path, "ward/ward.yaml", WARD)
    logo = tmp_path / "ward" / "logo.png"
    logo.write_bytes(png((0, 94, 184)))
    build = ("build", "ward/ward.yaml", "--templates", "mine", *LEARNER_PDF)
    out = tmp_path / "output" / "ward"
    assert_summary(run_pathway(*build, cwd=tmp_path), "ward", [line(out, "workbook.pdf")])
    first = (out / "workbook.pdf").read_bytes()
    assert_summary(run_pathway(*build, cwd=tmp_path, python_path=broken_engine), "ward",
                   [line(out, "workbook.pdf", unchanged=True)])
    before = files(out)
    logo.write_bytes(png((218, 41, 28)))
    assert_engine_was_asked(run_pathway(*build, cwd=tmp_path, python_path=broken_engine))
    assert files(out) == before
    assert_summary(run_pathway(*build, cwd=tmp_path), "ward", [line(out, "workbook.pdf")])
    assert (out / "workbook.pdf").read_bytes() != first
    assert_summary(run_pathway(*build, cwd=tmp_path, python_path=broken_engine), "ward",
                   [line(out, "workbook.pdf", unchanged=True)])


# Cohorts: a personalised copy of the workbook for each learner

def cohort_lines(out: Path, learners: list[str], unchanged: str = "") -> list[str]:
    """The summary's lines for workbook.pdf and learners/, as they must read for the files on disk."""
    copies = [out / "learners" / "cohort" / f"{stem}.pdf" for stem in learners]
    counts = {pages(path) for path in copies}
    assert len(counts) == 1
    count = f"{len(copies)} workbook{'s' * (len(copies) != 1)}"
    return [line(out, "workbook.pdf", unchanged=True),
            f"  output/{OUT}/learners/cohort/  ({count}, {counts.pop()} pages each, {size(*copies)}{unchanged})"]


@pytest.fixture(scope="module")
def cohort_build(tmp_path_factory) -> Path:
    """A learner build for a cohort of three, one of them with a name that is not plain ASCII."""
    folder = tmp_path_factory.mktemp("cohort")
    write(folder, "cohort.csv", COHORT)
    result = run_pathway("build", "--learners", "cohort.csv", *LEARNER_PDF, cwd=folder)
    out = folder / "output" / OUT
    expected = cohort_lines(out, STEMS)
    expected[0] = line(out, "workbook.pdf")
    assert_summary(result, OUT, expected)
    assert sorted(files(out)) == [MANIFEST, PARTS.format("workbook.pdf")] + [
        f"learners/cohort/{stem}.pdf" for stem in STEMS] + ["workbook.pdf"]
    return folder


@pytest.mark.pdf
def test_a_cohort_build_with_nothing_changed_lays_out_nothing(cohort_build, tmp_path, broken_engine):
    out = copy_of(cohort_build, tmp_path)
    before = files(out)
    result = run_pathway("build", "--learners", "cohort.csv", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, cohort_lines(out, STEMS, ", unchanged"))
    assert files(out) == before


@pytest.mark.pdf
def test_a_build_without_learners_leaves_their_workbooks_and_their_records(cohort_build, tmp_path, broken_engine):
    out = copy_of(cohort_build, tmp_path)
    before = files(out)
    result = run_pathway("build", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.pdf", unchanged=True)])
    # Every output as it was; only the record of what the last build was made from has changed.
    assert outputs(files(out)) == outputs(before)
    result = run_pathway("build", "--learners", "cohort.csv", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, cohort_lines(out, STEMS, ", unchanged"))
    # The record, written twice, is back to its first bytes; no output was touched.
    assert outputs(files(out)) == outputs(before)
    assert (out / MANIFEST).read_bytes() == before[MANIFEST][0]


@pytest.mark.pdf
def test_a_new_learner_makes_the_covers_again(cohort_build, tmp_path, broken_engine):
    out = copy_of(cohort_build, tmp_path)
    before = files(out)
    write(tmp_path, "cohort.csv", COHORT + "Chidi Okafor,chidi@example.org\n")
    build = ("build", "--learners", "cohort.csv", *LEARNER_PDF)
    assert_engine_was_asked(run_pathway(*build, cwd=tmp_path, python_path=broken_engine))
    assert files(out) == before
    result = run_pathway(*build, cwd=tmp_path)
    stems = ["ada-lovelace", "chidi-okafor", "sam-lee", "zoe-obrien"]
    # Only the latecomer's cover is laid out: the others' copies stay as they were, time stamps and all.
    assert all(files(out)[f"learners/cohort/{stem}.pdf"] == before[f"learners/cohort/{stem}.pdf"] for stem in STEMS)
    assert_summary(result, OUT, cohort_lines(out, stems, ", 3 unchanged"))
    assert sorted(path.name for path in (out / "learners" / "cohort").iterdir()) == [f"{stem}.pdf" for stem in stems]
    assert "Chidi Okafor" in PdfReader(out / "learners" / "cohort" / "chidi-okafor.pdf").pages[0].extract_text()


@pytest.mark.pdf
def test_a_learner_who_left_loses_their_workbook_unless_the_user_changed_it(cohort_build, tmp_path, broken_engine):
    out = copy_of(cohort_build, tmp_path)
    edited = (out / "learners" / "cohort" / "ada-lovelace.pdf").read_bytes() + b"%% Ada's notes\n"
    (out / "learners" / "cohort" / "ada-lovelace.pdf").write_bytes(edited)
    zoe = files(out)["learners/cohort/zoe-obrien.pdf"]
    write(tmp_path, "cohort.csv", "name,email,cohort,group\nZoë O'Brien,zoe@example.org,Spring 2027,A\n")
    build = ("build", "--learners", "cohort.csv", *LEARNER_PDF)
    result = run_pathway(*build, cwd=tmp_path)
    assert files(out)["learners/cohort/zoe-obrien.pdf"] == zoe
    assert_summary(result, OUT, cohort_lines(out, ["zoe-obrien"], ", unchanged") + [
        f"  output/{OUT}/learners/cohort/: removed 1 workbook of learners no longer in cohort.csv: sam-lee.pdf"])
    # Sam's workbook was as the build wrote it: it goes. Ada's was changed since: it is the user's now.
    assert sorted(path.name for path in (out / "learners" / "cohort").iterdir()) == [
        "ada-lovelace.pdf", "zoe-obrien.pdf"]
    assert (out / "learners" / "cohort" / "ada-lovelace.pdf").read_bytes() == edited
    before = files(out)
    result = run_pathway(*build, cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, cohort_lines(out, ["zoe-obrien"], ", unchanged"))
    assert files(out) == before


@pytest.mark.pdf
def test_a_forced_build_also_removes_the_workbook_of_a_learner_who_left(cohort_build, tmp_path, broken_engine):
    out = copy_of(cohort_build, tmp_path)
    write(tmp_path, "cohort.csv", COHORT.replace("Sam Lee\n", ""))
    result = run_pathway("build", "--learners", "cohort.csv", "--force", *LEARNER_PDF, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # Sam's workbook is as the build wrote it, and Sam has left: --force makes files anew, and forgets none.
    assert sorted(path.name for path in (out / "learners" / "cohort").iterdir()) == [
        "ada-lovelace.pdf", "zoe-obrien.pdf"]


@pytest.mark.pdf
def test_names_in_a_tampered_manifest_that_lead_out_of_the_folder_are_ignored(cohort_build, tmp_path, broken_engine):
    out = copy_of(cohort_build, tmp_path)
    victims = [write(tmp_path, "output/victim.pdf", "someone else's file"),
               write(tmp_path, "victim.pdf", "someone else's file"),
               write(tmp_path, "elsewhere/victim.pdf", "someone else's file")]
    manifest = json.loads((out / MANIFEST).read_bytes())
    record = manifest["files"]["learners/cohort/sam-lee.pdf"]
    sha256 = {"sha256": hashlib.sha256(b"someone else's file").hexdigest()}
    # Each as a learner who has left, whose file is as it was written: what a build removes.
    for name in ["learners/cohort/../../../victim.pdf", "learners/cohort/../../../../victim.pdf", str(victims[2])]:
        manifest["files"][name] = {**record, **sha256}
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = run_pathway("build", "--learners", "cohort.csv", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, cohort_lines(out, STEMS, ", unchanged"))
    assert all(victim.read_text(encoding="utf-8") == "someone else's file" for victim in victims)
    # A build that writes the record again keeps none of those names.
    result = run_pathway("build", "--learners", "cohort.csv", "--force", *LEARNER_PDF, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert all(victim.read_text(encoding="utf-8") == "someone else's file" for victim in victims)
    assert sorted(json.loads((out / MANIFEST).read_bytes())["files"]) == [PARTS.format("workbook.pdf")] + [
        f"learners/cohort/{stem}.pdf" for stem in STEMS] + ["workbook.pdf"]


# The quick path: nothing changed means nothing is even parsed or rendered

@pytest.mark.pdf
def test_a_build_with_nothing_changed_renders_nothing_at_all(full_build, tmp_path, broken_engine):
    """Without Jinja, a build that had to render would fail: this one does not render."""
    out = copy_of(full_build, tmp_path)
    before = files(out)
    write(broken_engine, "jinja2.py", 'raise ImportError("no Jinja")\n')
    result = run_pathway("build", cwd=tmp_path, python_path=broken_engine)
    assert_summary(result, OUT, [line(out, "workbook.html", unchanged=True), line(out, "workbook.pdf", unchanged=True),
                                 line(out, "facilitator.pdf", unchanged=True)])
    assert files(out) == before
    # The same stand-in stops a build that has a change to render: the quick path is all that ran above.
    (out / "workbook.html").write_text("<p>edited by hand</p>", encoding="utf-8")
    result = run_pathway("build", cwd=tmp_path, python_path=broken_engine)
    assert result.returncode == 1 and result.stderr.endswith(
        "\nThis is a bug in pathway builder 0.1.0. Please report it with the text above and the pathway file "
        "you used.\n") and "ImportError: no Jinja" in result.stderr


@pytest.mark.pdf
def test_an_extends_that_now_finds_another_file_makes_the_pdfs_again(tmp_path, broken_engine):
    write(tmp_path, "ward.yaml", WARD)
    first = run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    # The same ward.yaml, but an id in `extends` is looked for beside the file first: now it is found there.
    default = (ROOT / "pathways" / f"{OUT}.yaml").read_text(encoding="utf-8")
    write(tmp_path, f"{OUT}.yaml", default.replace("title: Compassionate and inclusive leadership",
                                                   "title: Kind and fair leadership", 1))
    assert_engine_was_asked(run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path, python_path=broken_engine))
    again = run_pathway("build", "ward.yaml", *LEARNER_PDF, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    cover = PdfReader(tmp_path / "output" / "ward" / "workbook.pdf").pages[0].extract_text()
    assert "Kind and fair leadership" in cover


@pytest.mark.pdf
def test_a_build_with_nothing_changed_warns_again_of_the_rows_it_skips(tmp_path, broken_engine):
    write(tmp_path, "cohort.csv", "name,email\nAda Lovelace,ada@example.org\n,nobody@example.org\n")
    build = ("build", "--learners", "cohort.csv", "--skip-bad-rows", *LEARNER_PDF)
    first = run_pathway(*build, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    warnings = ("warning: cohort.csv:3:1: the name is empty: fill it in, or delete the row\n"
                "Skipped 1 bad row of the cohort file: no workbook for it.\n")
    assert first.stderr == warnings
    again = run_pathway(*build, cwd=tmp_path, python_path=broken_engine)
    assert (again.returncode, again.stderr) == (0, warnings)
    assert "(1 workbook, 35 pages each, " in again.stdout and again.stdout.count(", unchanged)") == 2
