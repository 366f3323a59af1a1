"""The interface's catalogues: well-formed for gettext, in step with the strings the code and templates
use, Welsh complete with its six plural forms, and a language without one a located warning."""

import datetime
import io
import shutil
import subprocess
import sys

import pytest
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from builder import i18n
from builder.render import format_date, format_minutes
from conftest import ROOT, run_pathway, write

CATALOGUES = sorted(i18n.LOCALE.glob("*/LC_MESSAGES/messages.po"))


def read(path):
    with open(path, "rb") as source:
        return read_po(source)


def ids(catalog) -> set:
    return {message.id for message in catalog if message.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What `pybabel extract`, as the README runs it, finds in the code and templates today."""
    template = tmp_path_factory.mktemp("extract") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-o", str(template), "."], cwd=ROOT, check=True, timeout=120)
    return read(template)


def test_the_catalogues_shipped_are_the_languages_named():
    assert [path.parent.parent.name for path in CATALOGUES] == ["cy", "en_GB"]
    assert i18n.LANGUAGES == {"cy": "Cymraeg", "en-GB": "English"}


@pytest.mark.skipif(shutil.which("msgfmt") is None,
                    reason="msgfmt is missing: install gettext ('sudo apt-get install -y gettext'); CI has it")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_msgfmt_check_passes(path):
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_each_compiled_catalogue_is_its_po_file_compiled_and_babel_finds_no_error_in_it(path):
    catalog = read(path)
    assert [(message.id, errors) for message in catalog if (errors := list(message.check(catalog)))] == []
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    # If this fails, compile the catalogues again: pybabel compile -d builder/locale
    assert path.with_suffix(".mo").read_bytes() == compiled.getvalue()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_every_catalogue_holds_every_string_extraction_finds_and_no_other(path, extracted):
    shipped = ids(read(path))
    assert sorted(map(str, ids(extracted) - shipped)) == []  # missing: run pybabel update
    assert sorted(map(str, shipped - ids(extracted))) == []  # stale: no longer used anywhere


def test_the_welsh_catalogue_is_complete_with_six_plural_forms():
    catalog = read(i18n.catalogue_file("cy"))
    assert catalog.plural_forms == get_plural("cy").plural_forms
    assert catalog.plural_forms.startswith("nplurals=6;")
    untranslated = [message.id for message in catalog if message.id and (
        message.fuzzy or (len(message.string) != 6 or not all(message.string)
                          if isinstance(message.id, tuple) else not message.string))]
    assert untranslated == []


def test_the_english_catalogue_is_the_msgids_themselves():
    catalog = read(i18n.catalogue_file("en-GB"))
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    assert [message.id for message in catalog if message.id and any(
        message.string if isinstance(message.string, tuple) else [message.string])] == []


@pytest.mark.parametrize("tag, catalogue", [
    ("cy", "cy"), ("CY", "cy"), ("cy-GB", "cy"), ("en-GB", "en-GB"), ("en-gb", "en-GB"), ("en", "en-GB"),
    ("en-US", "en-GB"), ("fr", None), ("ga-IE", None)])
def test_a_tag_finds_its_catalogue_whatever_its_case_or_region(tag, catalogue):
    assert i18n.available(tag) == catalogue


def test_welsh_counts_take_their_six_forms():
    ngettext = i18n.translations("cy").ngettext
    assert [ngettext("%(num)s resource", "%(num)s resources", n) % {"num": n} for n in (0, 1, 2, 3, 6, 11)] == [
        "0 adnoddau", "1 adnodd", "2 adnodd", "3 adnodd", "6 adnodd", "11 o adnoddau"]
    assert [i18n.plural_index("cy", n) for n in (0, 1, 2, 3, 4, 5, 6, 7, 11, 100, 106)] == [
        0, 1, 2, 3, 5, 5, 4, 5, 5, 5, 5]
    english = i18n.translations("en-GB").ngettext
    assert [english("%(num)s resource", "%(num)s resources", n) % {"num": n} for n in (0, 1, 2)] == [
        "0 resources", "1 resource", "2 resources"]


def test_dates_and_times_are_said_in_the_workbooks_language():
    day = datetime.date(2027, 3, 2)
    assert [format_date(day, language="cy"), format_date(day, short=True, language="cy")] == [
        "Dydd Mawrth 2 Mawrth 2027", "Maw 2 Maw 2027"]
    assert [format_date(day), format_date(day, short=True)] == ["Tuesday 2 March 2027", "Tue 2 Mar 2027"]
    assert [format_minutes(m, "cy") for m in (0, 5, 60, 75)] == ["heb ei amcangyfrif", "5 mun", "1 awr",
                                                                 "1 awr 15 mun"]
    assert i18n.month_names("cy")[:3] == ["Ionawr", "Chwefror", "Mawrth"]


def test_default_questions_come_in_the_items_language():
    from builder.reflection import default_questions

    assert default_questions("what-so-what-now-what", "A walk", "do", "Leading our teams", "cy") == (
        "**Beth?** Beth ddigwyddodd pan wnaethoch chi “A walk”, a beth wnaeth eich taro fwyaf?",
        "**Felly beth?** Beth mae’n ei olygu o ran leading our teams: beth mae’n ei gadarnhau, ei herio neu ei "
        "newid yn y ffordd rydych chi’n gweithio?",
        "**Beth nesaf?** Pa un peth fyddwch chi’n ei wneud yr wythnos hon o’i herwydd, a gyda phwy?")
    assert default_questions("gibbs", "A walk", "read", "Leading our teams")[0] == (
        "**Description.** What does “A walk” describe, and where have you seen it in your work?")


FRENCH = """\
    extends: compassionate-inclusive-leadership
    id: leadership-fr
    language: fr
    """
NO_INTERFACE = ("french.yaml:3:1: language: there is no interface in 'fr': the workbook's headings and "
                "buttons stay in English; the languages there are cy (Cymraeg) and en-GB (English)")


def test_a_language_without_a_catalogue_is_a_warning_and_builds_in_english(tmp_path):
    write(tmp_path, "french.yaml", FRENCH)
    result = run_pathway("build", "french.yaml", "--format", "html", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"warning: {NO_INTERFACE}\n"
    page = (tmp_path / "output" / "leadership-fr" / "workbook.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "I have finished this item" in page


def test_strict_refuses_a_language_without_a_catalogue_and_writes_nothing(tmp_path):
    write(tmp_path, "french.yaml", FRENCH)
    result = run_pathway("build", "french.yaml", "--format", "html", "--strict", cwd=tmp_path)
    assert result.returncode == 2
    assert f"error: {NO_INTERFACE}\n" in result.stderr
    assert not (tmp_path / "output").exists()
