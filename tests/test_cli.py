"""The command line as a user meets it: exit codes, messages, nothing written on bad input, start-up."""

import json
import os
import subprocess
import sys

import pytest

from builder import __version__
from conftest import ROOT, run_pathway, write

BROKEN = ("id: broken\ntitle: Broken\nlevels:\n  - id: one\n    title: One\n    items:\n"
          "      - {id: a, kind: vidoe, title: A}\n")


def test_bad_pathway_exits_2_with_message_and_no_traceback(tmp_path):
    write(tmp_path, "broken.yaml", BROKEN)
    result = run_pathway("build", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: broken.yaml:7:23: levels[0].items[0].kind: 'vidoe' is not one of "
                             "read, watch, listen, do\nNothing was written.\n")
    assert result.stdout == ""
    assert not (tmp_path / "output").exists()


def test_bad_input_changes_nothing_already_in_the_output_folder(tmp_path):
    write(tmp_path, "broken.yaml", BROKEN.replace("id: broken", "id: compassionate-inclusive-leadership"))
    existing = write(tmp_path, "output/compassionate-inclusive-leadership/workbook.html", "earlier build")
    before = (existing.stat().st_mtime_ns, sorted(os.listdir(existing.parent)))
    result = run_pathway("build", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert existing.read_text() == "earlier build"
    assert (existing.stat().st_mtime_ns, sorted(os.listdir(existing.parent))) == before


def test_a_fault_of_our_own_exits_1_with_the_traceback_and_asks_for_a_report(tmp_path):
    # A stand-in for the QR code library that fails as a bug of ours would, found first.
    write(tmp_path, "fake/segno.py", "def make(*args, **keywords):\n    raise RuntimeError('a fault in a library')\n")
    result = run_pathway("build", "--format", "html", cwd=tmp_path, python_path=tmp_path / "fake")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith(f"RuntimeError: a fault in a library\n\nThis is a bug in pathway builder "
                                  f"{__version__}. Please report it with the text above and the pathway file "
                                  "you used.\n")
    assert not (tmp_path / "output").exists()


def test_several_problems_in_several_files_are_reported_together(tmp_path):
    write(tmp_path, "one.yaml", "id: One\ntitle: x\nlevels: []\n")
    write(tmp_path, "two.yaml", "extends: nowhere.yaml\nid: two\n")
    result = run_pathway("validate", "one.yaml", "two.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: one.yaml:1:5: id: 'One' is not a valid id: use lower-case letters, digits and single "
        "hyphens, like 'five-myths'",
        "error: one.yaml:3:9: levels: a pathway needs at least one level",
        "error: two.yaml:1:10: extends: cannot find the file 'nowhere.yaml' (looked beside this file)",
        "3 problems found.",
    ]


def test_validate_reports_ok_for_the_shipped_pathways():
    result = run_pathway("validate", "pathways/compassionate-inclusive-leadership.yaml",
                         "pathways/examples/ward-managers-spring-2027.yaml", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ok: pathways/compassionate-inclusive-leadership.yaml (compassionate-inclusive-leadership: "
        "4 levels, 11 items)",
        "ok: pathways/examples/ward-managers-spring-2027.yaml (ward-managers-spring-2027: 4 levels, 11 items)",
    ]


def test_list_shows_the_builtin_pathways(tmp_path):
    result = run_pathway("list", cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "compassionate-inclusive-leadership"
    assert lines[1] == "  Compassionate and inclusive leadership: 4 levels, 11 items"
    assert lines[3] == "ward-managers-spring-2027"


def test_unknown_format_is_a_usage_error(tmp_path):
    result = run_pathway("build", "--format", "htm", cwd=tmp_path)
    assert result.returncode == 2
    assert ("Invalid value for '--format': unknown format 'htm' (did you mean 'html'?): choose from "
            "html, html-zip, ics, pdf, print-html, scorm") in result.stderr
    assert not (tmp_path / "output").exists()


def test_out_that_is_a_file_is_refused(tmp_path):
    write(tmp_path, "taken", "a file")
    result = run_pathway("build", "--format", "html", "--out", "taken", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("error: cannot write into 'taken/compassionate-inclusive-leadership': "
                             "'taken' is a file, not a folder; choose another --out\nNothing was written.\n")


def test_schema_prints_json(tmp_path):
    result = run_pathway("schema", cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Pathway builder: pathway file"
    assert {ref["$ref"] for ref in schema["anyOf"]} == {"#/$defs/Pathway", "#/$defs/Extension"}


def imported_modules_after(tmp_path, *args) -> set:
    """Run the command in-process in a fresh interpreter and return the modules it imported."""
    code = ("import sys\nfrom builder.cli import main\nsys.argv = ['pathway', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(result.stderr.split())


def test_validate_and_html_builds_never_import_weasyprint(tmp_path):
    assert "weasyprint" not in imported_modules_after(tmp_path, "validate", "compassionate-inclusive-leadership")
    modules = imported_modules_after(tmp_path, "build", "--format", "html")
    assert "weasyprint" not in modules and "jinja2" in modules
    assert (tmp_path / "output" / "compassionate-inclusive-leadership" / "workbook.html").is_file()


def test_no_temporary_files_are_left_behind(tmp_path):
    result = run_pathway("build", "--format", "html,print-html", "--edition", "learner", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "output" / "compassionate-inclusive-leadership")) == [
        "workbook.html", "workbook.print.html"]


def test_a_mistake_in_an_override_template_is_a_user_error_at_its_line(tmp_path):
    write(tmp_path, "mine/screen/workbook.html", '{% extends "builtin/screen/workbook.html" %}\n'
                                                 "{% block colophon %}\n{{ pathway.titel.upper() }}"
                                                 "{% endblock %}\n")
    write(tmp_path, "typo/screen/workbook.html", "{% block colophon %}x{% endblok %}\n")
    for folder, expected in [
        ("mine", "error: mine/screen/workbook.html:3: template error: 'builder.pathway.model.Pathway object' "
                 "has no attribute 'titel'; fix the template, or leave its folder out of --templates\n"
                 "Nothing was written.\n"),
        ("typo", "error: typo/screen/workbook.html:1: template error: Encountered unknown tag 'endblok'. "
                 "Jinja was looking for the following tags: 'endblock'. The innermost block that needs "
                 "to be closed is 'block'; fix the template, or leave its folder out of --templates\n"
                 "Nothing was written.\n"),
    ]:
        result = run_pathway("build", "--format", "html", "--templates", folder, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (2, expected)
    assert not (tmp_path / "output").exists()


TEMPLATE_FAULTS = [
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}",
     "error: t/screen/workbook.html:2: template error: access to attribute '__init__' of 'type' object is unsafe; "
     "fix the template, or leave its folder out of --templates"),
    ("{{ 1 / 0 }}", "error: t/screen/workbook.html:2: template error: division by zero (ZeroDivisionError); fix "
                    "the template, or leave its folder out of --templates"),
    ('{% include "screen/secret.html" %}', "error: t/screen/secret.html:1: this template is a link to "
                                           "'{secret}', outside its folder: copy the file itself into the folder"),
    ("caf\xe9", "error: t/screen/workbook.html:2: this template is not UTF-8 text: save it as UTF-8"),
]


@pytest.mark.parametrize("body, expected", TEMPLATE_FAULTS, ids=["python's insides", "division by zero",
                                                                 "a link out of the folder", "not UTF-8"])
def test_a_users_template_cannot_reach_outside_and_its_faults_are_theirs_to_fix(tmp_path, body, expected):
    (tmp_path / "secret.txt").write_text("TOPSECRET", encoding="utf-8")
    (tmp_path / "t" / "screen").mkdir(parents=True)
    (tmp_path / "t" / "screen" / "secret.html").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "t" / "screen" / "workbook.html").write_bytes(
        ('{% extends "builtin/screen/workbook.html" %}\n{% block colophon %}' + body + "{% endblock %}\n")
        .encode("latin-1"))  # as an editor set to Latin-1 saves it: "café" is not UTF-8 then
    result = run_pathway("build", "--format", "html", "--templates", "t", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == expected.format(secret=tmp_path / "secret.txt") + "\nNothing was written.\n"
    assert not (tmp_path / "output").exists()


def test_two_pathways_with_one_id_are_refused_before_anything_is_built(tmp_path):
    write(tmp_path, "a.yaml", BROKEN.replace("vidoe", "read"))
    write(tmp_path, "b.yaml", BROKEN.replace("vidoe", "read"))
    result = run_pathway("build", "a.yaml", "b.yaml", "--format", "html", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "error: two of the pathways have the id 'broken', so "
                                                     "their outputs would overwrite each other: build them "
                                                     "one at a time\nNothing was written.\n")
    assert not (tmp_path / "output").exists()


def test_a_file_in_the_working_folder_does_not_shadow_the_builtin_pathway(tmp_path):
    write(tmp_path, "compassionate-inclusive-leadership.yaml", BROKEN)
    result = run_pathway("build", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built compassionate-inclusive-leadership: 4 levels, 11 items\n")


def test_an_html_build_renders_no_print_document(tmp_path):
    # A print template that cannot render proves it was never asked to.
    write(tmp_path, "broken/print/learner.html", "{{ no_such_value }}\n")
    result = run_pathway("build", "--format", "html", "--templates", "broken", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_pathway("build", "--format", "print-html", "--templates", "broken", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, "error: broken/print/learner.html:1: template error: 'no_such_value' is undefined; fix the "
           "template, or leave its folder out of --templates\nNothing was written.\n")


STALE_CHILD = "extends: compassionate-inclusive-leadership\nid: child\nomit: [system]\n"
STALE_WARNING = ("child.yaml:1:10: extends: this file omits levels, but inherits text that may say otherwise: "
                 "the subtitle, the summary and the intro of level 'individual'; review them, and give your own "
                 "with 'subtitle:', 'summary:' or 'change: {<level>: {intro: ...}}'")


def test_validate_says_a_warning_and_passes_and_strict_makes_it_an_error(tmp_path):
    write(tmp_path, "child.yaml", STALE_CHILD)
    result = run_pathway("validate", "child.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "ok: child.yaml (child: 3 levels, 8 items)\n", f"warning: {STALE_WARNING}\n")
    strict = run_pathway("validate", "--strict", "child.yaml", cwd=tmp_path)
    assert (strict.returncode, strict.stdout, strict.stderr) == (
        2, "", f"error: {STALE_WARNING}\nWith --strict, a warning is an error.\n")


def test_build_says_a_warning_each_time_and_strict_writes_nothing(tmp_path):
    write(tmp_path, "child.yaml", STALE_CHILD)
    strict = run_pathway("build", "--strict", "--format", "html", "child.yaml", cwd=tmp_path)
    assert (strict.returncode, strict.stderr) == (
        2, f"error: {STALE_WARNING}\nNothing was written: with --strict, a warning is an error.\n")
    assert not (tmp_path / "output").exists()
    for _ in range(2):  # the second build changes nothing, and says the warning again
        built = run_pathway("build", "--format", "html", "child.yaml", cwd=tmp_path)
        assert (built.returncode, built.stderr) == (0, f"warning: {STALE_WARNING}\n")
    assert "unchanged" in built.stdout
    again = run_pathway("build", "--strict", "--format", "html", "child.yaml", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (
        2, f"error: {STALE_WARNING}\nNothing was written: with --strict, a warning is an error.\n")


def test_a_character_no_installed_font_can_draw_is_a_warning_at_its_line(tmp_path):
    # Egyptian hieroglyphs are in none of the fonts CI installs; the unicorn is in Noto Color Emoji.
    write(tmp_path, "glyph.yaml", 'extends: compassionate-inclusive-leadership\nid: glyph\n'
                                  'title: "Leading \\U0001F984 well"\ncohort: "Ward \\U00013000"\n')
    result = run_pathway("validate", "glyph.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "ok: glyph.yaml (glyph: 4 levels, 11 items)\n",
        "warning: glyph.yaml:4:9: cohort: no installed font can draw '\U00013000' (U+13000): it would print as an "
        "empty box\n")
