"""Personalised workbooks for a cohort: each learner's copy is the workbook, page for page, with their own cover.

Every copy is checked as the printed workbook itself is: the same pages, contents, outline and
links, tagged PDF/UA-1 that passes the checker, and in the fillable edition the same fields, with
the learner's name filled in. Each copy holds its own learner's name and nobody else's.
"""

import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import page as pdf_checker
import pytest
from pypdf import PdfReader

from conftest import ROOT, run_pathway, write
from pdfread import font_programs, outline, page_texts, structure, widgets

OUT = "compassionate-inclusive-leadership"
COHORT = """\
name,email,cohort,group
Zoë O'Brien,zoe.obrien@nhs.net,Ward managers spring 2027,Set 1
"محمد عبد الله",m.abdullah@nhs.net,,Set 2
דוד כהן,,,
Siobhán Ní Bhriain,,Ward managers spring 2027,"Set 3, Tuesdays"
"Adé Okonkwo-Smith",,,
"""
# name -> (file stem, the cohort and group its cover shows)
LEARNERS = {
    "Zoë O'Brien": ("zoe-obrien", "Ward managers spring 2027", "Set 1"),
    "محمد عبد الله": ("محمد-عبد-الله", "", "Set 2"),
    "דוד כהן": ("דוד-כהן", "", ""),
    "Siobhán Ní Bhriain": ("siobhan-ni-bhriain", "Ward managers spring 2027", "Set 3, Tuesdays"),
    "Adé Okonkwo-Smith": ("ade-okonkwo-smith", "", ""),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    write(folder, "cohort.csv", COHORT)
    result = run_pathway("build", "--learners", "cohort.csv", "--edition", "learner", "--format", "pdf",
                         "--fillable", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return folder / "output" / OUT, result


@pytest.fixture(scope="module")
def workbook(built):
    reader = PdfReader(built[0] / "workbook.pdf")
    return reader, page_texts(reader)


def copies(folder, edition="learners"):
    return {name: folder / edition / "cohort" / f"{stem}.pdf" for name, (stem, _, _) in LEARNERS.items()}


@pytest.mark.pdf
def test_each_learner_gets_a_copy_under_a_safe_name_and_the_build_says_so(built):
    folder, result = built
    assert sorted(path.name for path in (folder / "learners" / "cohort").iterdir()) == sorted(
        f"{stem}.pdf" for stem, _, _ in LEARNERS.values())
    assert sorted(path.name for path in (folder / "learners-fillable" / "cohort").iterdir()) == sorted(
        f"{stem}.pdf" for stem, _, _ in LEARNERS.values())

    def size(files):
        total = sum(path.stat().st_size for path in files)
        return f"{total / 1024:.0f} KB" if total < 1024 * 1024 else f"{total / 1024 / 1024:.1f} MB"

    pages = len(PdfReader(folder / "workbook.pdf").pages)
    lines = result.stdout.splitlines()
    assert lines[0] == f"Built {OUT}: 4 levels, 11 items"
    assert re.fullmatch(rf"  output/{OUT}/workbook\.pdf  \({pages} pages, \d+ KB\)", lines[1])
    assert re.fullmatch(rf"  output/{OUT}/workbook-fillable\.pdf  \({pages} pages, \d+ KB\)", lines[2])
    assert lines[3] == (f"  output/{OUT}/learners/cohort/  (5 workbooks, {pages} pages each, "
                        f"{size(copies(folder).values())})")
    assert lines[4] == (f"  output/{OUT}/learners-fillable/cohort/  (5 workbooks, {pages} pages each, "
                        f"{size(copies(folder, 'learners-fillable').values())})")
    assert re.fullmatch(r"Done in \d+\.\d s\.", lines[5]) and len(lines) == 6


@pytest.mark.pdf
@pytest.mark.slow
def test_a_copy_is_the_workbook_page_for_page_but_for_its_own_cover(built, workbook):
    reader, pages = workbook
    assert pages[0] == ("LEARNER WORKBOOK Compassionate and inclusive leadership From self to system "
                        "Levels 4 Resources 11 Time 5 h 45 min Name Version 2026.1")
    for name, path in copies(built[0]).items():
        _, cohort, group = LEARNERS[name]
        copy = PdfReader(path)
        texts = page_texts(copy)
        assert len(texts) == len(pages)
        assert texts[1:] == pages[1:], name  # contents with its page numbers, every item, every footer's text
        assert texts[0] == ("LEARNER WORKBOOK Compassionate and inclusive leadership From self to system "
                            + (f"{cohort} " if cohort else "")
                            + "Levels 4 Resources 11 Time 5 h 45 min "
                            + (f"Group {group} " if group else "")
                            + f"Name {name} Version 2026.1"), name
        assert outline(copy) == outline(reader)
        assert copy.metadata.title == reader.metadata.title


def links(reader):
    """Every link as (page it is on, page it leads to), both from 1, in page order."""
    numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    named = {name: numbers[dest.page.idnum] for name, dest in reader.named_destinations.items()}
    found = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation["/Subtype"] == "/Link" and "/Dest" in annotation:
                found.append((number, named[annotation["/Dest"]]))
    return found


@pytest.mark.pdf
def test_every_link_in_a_copy_leads_to_the_page_it_does_in_the_workbook(built, workbook):
    expected = links(workbook[0])
    assert len(expected) == 21 and (3, 2) in expected  # one a contents entry; the first: how to use, on page 2
    for path in copies(built[0]).values():
        assert links(PdfReader(path)) == expected


@pytest.mark.pdf
@pytest.mark.parametrize("edition", ["learners", "learners-fillable"])
def test_every_copy_is_tagged_pdf_ua_1_and_passes_the_checker(built, edition):
    for name, path in copies(built[0], edition).items():
        report = pdf_checker.validate_pdf(str(path), profile="ua1")
        assert [(failure.rule_id, failure.message) for failure in report.failures] == [], name
        assert report.is_compliant
        reader = PdfReader(path)
        assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"].value is True
        assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


@pytest.mark.pdf
@pytest.mark.slow
def test_a_copy_has_the_workbooks_structure_with_its_cover_in_the_reading_order(built, workbook):
    def after_cover(reader):
        """The structure elements' kinds from the second section on: all but the cover's."""
        kinds = [kind for kind, _ in structure(reader)]
        assert kinds[:2] == ["/Document", "/Sect"]
        return kinds[kinds.index("/Sect", 2):]

    expected = after_cover(workbook[0])
    assert len(expected) > 500
    for name, path in copies(built[0]).items():
        reader = PdfReader(path)
        assert after_cover(reader) == expected
        assert page_texts(reader)[0].endswith(f"Name {name} Version 2026.1")


@pytest.mark.pdf
def test_the_fillable_copy_has_every_field_with_the_learners_name_filled_in(built):
    plain = PdfReader(built[0] / "workbook-fillable.pdf")
    expected = {name: field.get("/V") for name, field in plain.get_fields().items()}
    assert expected["name"] == ""
    for name, path in copies(built[0], "learners-fillable").items():
        reader = PdfReader(path)
        values = {key: field.get("/V") for key, field in reader.get_fields().items()}
        assert values == {**expected, "name": name}
        page, widget = widgets(reader)["name"]
        assert page == 1 and widget["/TU"] == "Your name"
        # The field is in the structure tree, as a form the screen reader reaches from its place.
        forms = [element for kind, element in structure(reader) if kind == "/Form"]
        owners = [element for element in forms if [kid.get_object().raw_get("/Obj").idnum for kid in element["/K"]]
                  == [widget.indirect_reference.idnum]]
        assert len(owners) == 1
        parents = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
        entry = dict(zip(parents[::2], parents[1::2]))[widget["/StructParent"]]
        assert entry.idnum == owners[0].indirect_reference.idnum


@pytest.mark.pdf
@pytest.mark.slow
def test_a_copy_holds_its_own_learners_name_and_nobody_elses(built):
    for edition in ("learners", "learners-fillable"):
        for name, path in copies(built[0], edition).items():
            reader = PdfReader(path)
            text = " ".join(page_texts(reader))
            values = " ".join(str(field.get("/V", "")) for field in (reader.get_fields() or {}).values())
            for other in LEARNERS:
                assert (other in text or other in values) == (other == name), (path.name, other)
            for stem, _, _ in LEARNERS.values():
                assert stem.encode() not in path.read_bytes() or stem == LEARNERS[name][0]


@pytest.mark.pdf
def test_no_two_different_fonts_in_a_copy_share_a_subset_name(built):
    for path in [*copies(built[0]).values(), *copies(built[0], "learners-fillable").values()]:
        programs = font_programs(path)
        assert programs and all(len(found) == 1 for found in programs.values()), (path.name, programs)


@pytest.mark.pdf
def test_copies_are_byte_identical_from_one_build_to_the_next(built, tmp_path):
    write(tmp_path, "cohort.csv", COHORT)
    again = run_pathway("build", "--learners", "cohort.csv", "--edition", "learner", "--format", "pdf",
                        "--fillable", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for edition in ("learners", "learners-fillable"):
        for path in copies(built[0], edition).values():
            assert (tmp_path / "output" / OUT / edition / "cohort" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.pdf
def test_the_longest_name_cohort_and_group_allowed_still_fit_on_one_cover(tmp_path):
    name, cohort, group = "Bartholomew " * 6 + "Anstruther", "Cohort " * 13 + "end", "W" * 100
    assert (len(name), len(cohort), len(group)) == (82, 94, 100)
    name = name[:80]
    write(tmp_path, "cohort.csv", f'name,cohort,group\n"{name}","{cohort}",{group}\n')
    result = run_pathway("build", "--learners", "cohort.csv", "--edition", "learner", "--format", "pdf",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "output" / OUT / "learners" / "cohort").iterdir()
    texts = page_texts(PdfReader(path))
    assert len(texts) == len(PdfReader(tmp_path / "output" / OUT / "workbook.pdf").pages)
    assert " ".join(name.split()) in texts[0] and cohort in texts[0]


BAD_COHORT = """\
name,email,cohort,group
Ada Lovelace,ada@nhs.net,,
,nobody@nhs.net,,
Ada Lovelace,ADA@nhs.net,,
Grace Hopper,grace.nhs.net,,
Alan Turing,,,
"""


def test_bad_rows_stop_the_build_with_their_lines_and_nothing_is_written(tmp_path):
    write(tmp_path, "cohort.csv", BAD_COHORT)
    result = run_pathway("build", "--learners", "cohort.csv", "--edition", "learner", "--format", "pdf",
                         cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: cohort.csv:3:1: the name is empty: fill it in, or delete the row",
        "error: cohort.csv:4:1: the learner 'Ada Lovelace' (ADA@nhs.net) is already on line 2: delete one "
        "of the two rows",
        "error: cohort.csv:5:14: 'grace.nhs.net' is not an email address (one '@' with text on each side, "
        "and no spaces): correct it, or leave it empty",
        "3 problems found: nothing was written: correct the rows, or add --skip-bad-rows to build the "
        "workbooks of the others.",
    ]
    assert not (tmp_path / "output").exists()


@pytest.mark.pdf
def test_skip_bad_rows_builds_the_good_ones_and_lists_those_it_left_out(tmp_path):
    write(tmp_path, "cohort.csv", BAD_COHORT)
    result = run_pathway("build", "--learners", "cohort.csv", "--skip-bad-rows", "--edition", "learner",
                         "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "warning: cohort.csv:3:1: the name is empty: fill it in, or delete the row",
        "warning: cohort.csv:4:1: the learner 'Ada Lovelace' (ADA@nhs.net) is already on line 2: delete one "
        "of the two rows",
        "warning: cohort.csv:5:14: 'grace.nhs.net' is not an email address (one '@' with text on each side, "
        "and no spaces): correct it, or leave it empty",
        "Skipped 3 bad rows of the cohort file: no workbook for them.",
    ]
    assert sorted(path.name for path in (tmp_path / "output" / OUT / "learners" / "cohort").iterdir()) == [
        "ada-lovelace.pdf", "alan-turing.pdf"]
    assert "(2 workbooks, " in result.stdout


@pytest.mark.parametrize("arguments, message", [
    (["--format", "html"], "Error: Invalid value for '--learners': personalised workbooks are PDFs of the "
                           "learner edition, in standard print: add 'pdf' to --format, and learner to --edition"),
    (["--edition", "facilitator,large-print"], "Error: Invalid value for '--learners': personalised workbooks are "
                                               "PDFs of the learner edition, in standard print: add 'pdf' to "
                                               "--format, and learner to --edition"),
])
def test_learners_without_the_learners_pdf_is_a_usage_error(tmp_path, arguments, message):
    write(tmp_path, "cohort.csv", "name\nAda\n")
    result = run_pathway("build", "--learners", "cohort.csv", *arguments, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == message
    assert not (tmp_path / "output").exists()


def test_skip_bad_rows_without_a_cohort_is_a_usage_error(tmp_path):
    result = run_pathway("build", "--skip-bad-rows", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == ("Error: Invalid value for '--skip-bad-rows': there are rows to "
                                              "skip only in a cohort file: add --learners CSV")


def test_a_missing_cohort_file_and_a_bad_pathway_are_reported_together(tmp_path):
    write(tmp_path, "broken.yaml", "id: broken\ntitle: Broken\nlevels: []\n")
    result = run_pathway("build", "broken.yaml", "--learners", "nowhere.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: broken.yaml:3:9: levels: a pathway needs at least one level",
        "error: there is no file 'nowhere.csv': check the name and folder of the learners' CSV file",
        "2 problems found: nothing was written.",
    ]


# Several cohorts, and changes to one: a small pathway, so that each build is quick.
TINY = ("build", "one-item.yaml", "--out", "o", "--edition", "learner", "--format", "pdf")
SPRING = "name,email,group\nAda Lovelace,,A\nGrace Hopper,,B\nAlan Turing,,A\n"


def tiny_build(folder: Path, cohort: str, *more: str) -> subprocess.CompletedProcess:
    if not (folder / "one-item.yaml").exists():
        shutil.copy(ROOT / "tests" / "shapes" / "one-item.yaml", folder)
    result = run_pathway(*TINY, "--learners", cohort, *more, cwd=folder)
    assert result.returncode == 0, result.stderr
    return result


def stamped(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Each copy under the folder: its bytes and its modification time."""
    return {str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*.pdf"))}


@pytest.mark.pdf
def test_each_cohort_file_keeps_its_own_copies_and_a_build_names_every_file_it_removes(tmp_path):
    write(tmp_path, "spring.csv", SPRING)
    write(tmp_path, "autumn.csv", "name\nEdsger Dijkstra\n")
    tiny_build(tmp_path, "spring.csv")
    spring = stamped(tmp_path / "o" / "one-item" / "learners")
    assert sorted(spring) == ["spring/ada-lovelace.pdf", "spring/alan-turing.pdf", "spring/grace-hopper.pdf"]
    result = tiny_build(tmp_path, "autumn.csv")
    assert "  o/one-item/learners/autumn/  (1 workbook, 11 pages each, " in result.stdout
    after = stamped(tmp_path / "o" / "one-item" / "learners")
    assert {name: after[name] for name in spring} == spring  # the other cohort's copies, untouched
    assert sorted(after) == sorted([*spring, "autumn/edsger-dijkstra.pdf"])
    # Two learners leave spring.csv: their copies go, and the summary names each of them.
    write(tmp_path, "spring.csv", "name,email,group\nAlan Turing,,A\n")
    lines = tiny_build(tmp_path, "spring.csv").stdout.splitlines()
    assert lines[2].startswith("  o/one-item/learners/spring/  (1 workbook, 11 pages each, ")
    assert lines[2].endswith(", unchanged)")
    assert lines[3] == ("  o/one-item/learners/spring/: removed 2 workbooks of learners no longer in spring.csv: "
                        "ada-lovelace.pdf, grace-hopper.pdf")
    assert sorted(stamped(tmp_path / "o" / "one-item" / "learners")) == [
        "autumn/edsger-dijkstra.pdf", "spring/alan-turing.pdf"]


@pytest.mark.pdf
def test_a_cohort_file_of_the_same_name_in_another_folder_is_refused_before_it_touches_the_first(tmp_path):
    write(tmp_path, "spring.csv", SPRING)
    write(tmp_path, "2028/spring.csv", "name\nEdsger Dijkstra\n")
    tiny_build(tmp_path, "spring.csv")
    before = stamped(tmp_path / "o")
    result = run_pathway(*TINY, "--learners", "2028/spring.csv", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "error: 'o/one-item/learners/spring/' holds the workbooks of another cohort file of that name, "
        "'spring.csv', not of '2028/spring.csv': rename one of the two files, or choose another --out (if the "
        "file has only moved, delete that folder, and the next build makes its workbooks again)\n"
        "Nothing was written.\n")
    assert stamped(tmp_path / "o") == before


@pytest.mark.pdf
def test_a_copy_depends_on_its_own_row_alone(tmp_path):
    """A group changed, a latecomer added, the file sorted: only what changed is made again, and the
    bytes of each copy are those a first build of that row gives, whatever the rows around it."""
    rows = ["Ada Lovelace,ada@x.org,A", "Sam Lee,sam.b@x.org,B", "Grace Hopper,,B", "Sam Lee,sam.a@x.org,A"]
    write(tmp_path, "cohort.csv", "name,email,group\n" + "\n".join(rows) + "\n")
    tiny_build(tmp_path, "cohort.csv")
    learners = tmp_path / "o" / "one-item" / "learners" / "cohort"
    first = stamped(learners)
    assert sorted(first) == ["ada-lovelace.pdf", "grace-hopper.pdf", "sam-lee-2.pdf", "sam-lee.pdf"]

    rows[2] = "Grace Hopper,,C"  # one group changed
    write(tmp_path, "cohort.csv", "name,email,group\n" + "\n".join(rows) + "\n")
    result = tiny_build(tmp_path, "cohort.csv")
    assert re.search(r"learners/cohort/  \(4 workbooks, 11 pages each, \d+ KB, 3 unchanged\)", result.stdout)
    second = stamped(learners)
    assert [name for name in first if second[name] != first[name]] == ["grace-hopper.pdf"]

    rows = sorted(rows, reverse=True) + ["Chidi Okafor,,D"]  # sorted, and a latecomer
    write(tmp_path, "cohort.csv", "name,email,group\n" + "\n".join(rows) + "\n")
    result = tiny_build(tmp_path, "cohort.csv")
    assert re.search(r"learners/cohort/  \(5 workbooks, 11 pages each, \d+ KB, 4 unchanged\)", result.stdout)
    third = stamped(learners)
    assert {name: third[name] for name in second} == second
    # Namesakes keep their names in any order: numbered by email, sam.a@ first.
    assert "Group A" in page_texts(PdfReader(learners / "sam-lee.pdf"))[0]
    assert "Group B" in page_texts(PdfReader(learners / "sam-lee-2.pdf"))[0]

    # A first build of the same learners, in another order, gives each copy the same bytes.
    fresh = tmp_path / "fresh"
    write(fresh, "cohort.csv", "name,email,group\n" + "\n".join(reversed(rows)) + "\n")
    tiny_build(fresh, "cohort.csv")
    assert {name: data for name, (data, _) in stamped(fresh / "o" / "one-item" / "learners" / "cohort").items()} \
        == {name: data for name, (data, _) in third.items()}


LONG = "\U00020000" * 62  # a CJK extension letter: four bytes in UTF-8


@pytest.mark.pdf
def test_names_of_four_byte_letters_fit_every_file_and_temporary_name(tmp_path):
    write(tmp_path, f"{LONG}.csv", f"name,email\n{LONG},a@x.org\n{LONG},b@x.org\n")
    tiny_build(tmp_path, f"{LONG}.csv", "--fillable")
    stem = LONG[:60]  # cut to 60 letters, 240 bytes: with '-2' and '.pdf' it fits 255
    for copies in ("learners", "learners-fillable"):
        folder = tmp_path / "o" / "one-item" / copies / stem
        assert sorted(path.name for path in folder.iterdir()) == [f"{stem}-2.pdf", f"{stem}.pdf"]
        assert all(len(path.name.encode()) <= 255 for path in folder.iterdir())


@pytest.mark.pdf
def test_a_file_that_cannot_be_written_is_the_one_the_message_names(tmp_path):
    write(tmp_path, "cohort.csv", "name\nAda Lovelace\n")
    tiny_build(tmp_path, "cohort.csv")
    built = tmp_path / "o" / "one-item"
    workbook = (built / "workbook.pdf").stat().st_size
    copy = (built / "learners" / "cohort" / "ada-lovelace.pdf").stat().st_size
    assert workbook < copy
    shutil.rmtree(tmp_path / "o")
    # Files may grow no larger than between the two: the workbook is written, the copy cannot be.
    limit = (workbook + copy) // 2
    result = subprocess.run(
        [sys.executable, "-m", "builder", *TINY, "--learners", "cohort.csv"], cwd=tmp_path, capture_output=True,
        text=True, timeout=300, env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("error: cannot write 'o/one-item/learners/cohort/ada-lovelace.pdf': File too large; "
                             "choose another --out\nNothing was written.\n")
    assert not (tmp_path / "o").exists()
