"""A Welsh build says nothing of its interface in English: not in the HTML workbook (its text, its
attributes, its script's words), nor in workbook.pdf, workbook-fillable.pdf or facilitator.pdf. The
pathway's own content (titles, summaries, questions, notes) stays as written, in English."""

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect
from pypdf import PdfReader

from builder import i18n
from builder.pathway.assemble import load_pathway
from builder.render import Renderer
from builder.sequence import sequence
from conftest import WELSH, WELSH_ID, run_pathway, shared
from pdfread import fold, margin_text, pagination_and_content, pdf_text

FIRST, FIRST_TITLE = "culture-is-leadership", "If it’s about NHS culture, it’s about leadership"
# Between the words of a msgid: its placeholders, Markdown emphasis and tags.
_BETWEEN = re.compile(r"%\(\w+\)s|\{\w+\}|\*\*|<[^>]+>")


def english_interface() -> set[str]:
    """Every run of words of the en-GB msgids that the Welsh catalogue does not keep as it is."""
    with open(i18n.catalogue_file("cy"), "rb") as source:
        catalog = read_po(source)
    runs = set()
    for message in catalog:
        if not message.id:
            continue
        welsh = " ".join(message.string) if isinstance(message.string, tuple) else message.string
        for english in message.id if isinstance(message.id, tuple) else (message.id,):
            for run in _BETWEEN.split(english):
                run = run.strip(" .,:;()“”?!·–-")
                if len(re.findall(r"[A-Za-z]", run)) >= 2 and run not in welsh:  # "JSON", "QR" stay
                    runs.add(run)
    return runs


ENGLISH = english_interface()


@pytest.fixture(scope="module")
def content():
    """The pathway's own text, as a page shows it: taken out of a page before it is searched."""
    programme = sequence(load_pathway(str(WELSH)))
    renderer = Renderer()
    pathway = programme.pathway
    plain = [pathway.title, pathway.subtitle, pathway.cohort, pathway.version]
    marked = [pathway.summary]
    if pathway.source:
        plain += [pathway.source.title, pathway.source.url]
    for stage in programme.stages:
        plain.append(stage.level.title)
        marked.append(stage.level.intro)
        for step in stage.steps:
            item = step.item
            plain += [item.title, item.source, item.url, *item.authors]
            marked += [item.summary, item.facilitator_notes, *step.questions, *item.discussion_prompts]
    texts = [fold(text) for text in plain if text]
    texts += [fold(html.unescape(re.sub(r"<[^>]+>", " ", str(renderer.markdown(text))))) for text in marked if text]
    return sorted(set(texts), key=len, reverse=True)


def english_left(text: str, content: list[str]) -> list[str]:
    """The English interface strings in a text, once the pathway's own text is taken out of it."""
    text = fold(text)
    # An address that wraps at a slash (as large print's do) is one address again.
    while (joined := re.sub(r"(https?://\S*/) (?=\S)", r"\1", text)) != text:
        text = joined
    for own in content:
        text = text.replace(own, " ¶ ")
    return sorted(run for run in ENGLISH if re.search(rf"(?<![\w’']){re.escape(run)}(?![\w’'])", text))


class _Visible(HTMLParser):
    """What a reader meets in a page: its text, alternative text, labels and titles; not its code."""

    def __init__(self):
        super().__init__()
        self.parts, self.script, self._in = [], [], None

    def handle_starttag(self, tag, attributes):
        self._in = tag
        for name, value in attributes:
            if name in ("alt", "title", "aria-label", "placeholder", "data-session", "content") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        (self.script if self._in == "script" else self.parts if self._in != "style" else []).append(data)


@pytest.fixture(scope="module")
def welsh_html(tmp_path_factory) -> Path:
    folder, result = shared(tmp_path_factory, "welsh-html", "build", str(WELSH), "--format", "html", "--out", ".")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return folder / WELSH_ID / "workbook.html"


def test_the_english_strings_searched_for_are_the_interfaces():
    assert {"Key insight", "How my action went", "I have finished this item", "Page", "Nothing saved yet",
            "Reflection", "Download a backup (JSON", "Level total"} <= ENGLISH
    assert "Gibbs 1988" not in ENGLISH and "JSON" not in ENGLISH


def test_the_welsh_html_workbook_has_no_english_interface(welsh_html, content):
    page = _Visible()
    page.feed(welsh_html.read_text(encoding="utf-8"))
    assert english_left(" ".join(page.parts), content) == []
    words, script = page.script
    text = json.loads(words)

    def strings(value):
        if isinstance(value, (dict, list)):
            return [part for each in (value.values() if isinstance(value, dict) else value) for part in strings(each)]
        return [value] if isinstance(value, str) else []
    assert english_left(_BETWEEN.sub(" ", " ".join(strings(text))), content) == []  # {names} are not words
    # The script's own strings hold no words for the reader (its comments may): it takes the page's.
    literals = " ".join(token[1:-1] for token in re.findall(
        r"//[^\n]*|/\*.*?\*/|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", script, re.S) if token[0] in "'\"")
    assert [run for run in ENGLISH if " " in run and run in literals] == []
    assert text["months"][2] == "Mawrth" and text["pluralForm"][:7] == [0, 1, 2, 3, 5, 5, 4]
    assert text["plurals"]["itemsDone"][5] == "{done} o {count} o eitemau wedi’u gorffen."


def test_the_welsh_html_workbook_says_its_facts_and_dates_in_welsh(welsh_html):
    source = welsh_html.read_text(encoding="utf-8")
    assert '<html lang="cy">' in source
    assert '<p class="facts">4 o lefelau · 11 o adnoddau · <span class="nowrap">tua 5 awr 45 mun</span></p>' in source
    assert 'data-session="Dydd Mawrth 2 Mawrth 2027"' in source
    assert f'>Rwyf wedi gorffen yr eitem hon<span class="visually-hidden">: {FIRST_TITLE}</span>' in source


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.parametrize("name", ["workbook.pdf", "workbook-fillable.pdf", "facilitator.pdf",
                                  "workbook-large-print.pdf", "workbook-large-print-fillable.pdf"])
def test_the_welsh_pdfs_have_no_english_interface(welsh_printed, content, name):
    path = welsh_printed / name
    reader = PdfReader(path)
    said = [pdf_text(path), *(pagination_and_content(page)[0] for page in reader.pages), str(reader.metadata.title)]
    with pikepdf.open(path) as pdf:  # alternative text, and the form fields' names for a screen reader
        said += [str(thing[key]) for thing in pdf.objects if isinstance(thing, pikepdf.Dictionary)
                 for key in ("/Alt", "/TU") if key in thing]
    assert english_left(" ".join(said), content) == []


@pytest.mark.pdf
@pytest.mark.slow
def test_the_welsh_pdfs_say_pages_levels_and_dates_in_welsh(welsh_printed):
    reader = PdfReader(welsh_printed / "workbook.pdf")
    assert margin_text(reader.pages[2]) == "Cynnwys Compassionate and inclusive leadership Tudalen 3 o 35"
    assert reader.metadata.title == "Compassionate and inclusive leadership: gweithlyfr y dysgwr"
    text = pdf_text(welsh_printed / "workbook.pdf")
    for words in ("Yn dechrau Dydd Mawrth 2 Mawrth 2027", "LEFEL 1 O 4",  # upper case by print.css
                  "1. Leading ourselves: sesiwn ar Dydd Mawrth 2 Mawrth 2027",
                  "Mae gan y llwybr 4 o lefelau, o “Leading ourselves” i “Leading across the system”.",
                  "Mewnwelediad allweddol", "Sut aeth fy ngham gweithredu"):
        assert words in text
    guide = pdf_text(welsh_printed / "facilitator.pdf")
    assert "Sesiwn 1: trefn y sesiwn" in guide
    assert "Croeso a chyflwyniadau; cytuno sut mae’r grŵp yn gweithio, gan gynnwys cyfrinachedd" in guide
    with pikepdf.open(welsh_printed / "workbook-fillable.pdf") as pdf:
        tips = {str(field.get("/T")): str(field.get("/TU")) for field in pdf.Root.AcroForm.Fields}
    assert tips[f"{FIRST}.insight"] == f"Mewnwelediad allweddol: {FIRST_TITLE}"


def test_the_welsh_workbooks_script_speaks_welsh(browser, welsh_html, tmp_path):
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(welsh_html.as_uri())
        expect(page.locator("#saved")).to_have_text("Dim wedi’i gadw eto.")
        assert page.inner_text(".masthead .progress-text") == "0 o 11 o eitemau wedi’u gorffen"
        assert page.inner_text("#continue") == f"Dechrau gyda 1.1 {FIRST_TITLE}"
        page.check(f"#{FIRST}-done")
        expect(page.locator("#status")).to_have_text(
            f"Wedi nodi bod “{FIRST_TITLE}” wedi’i gorffen. 1 o 11 o eitemau wedi’u gorffen.")
        expect(page.locator("#saved")).to_have_text(re.compile(r"Wedi’i gadw yn y porwr hwn am \d\d:\d\d\."))
        day, month, year = page.evaluate("[new Date().getDate(), new Date().getMonth(), new Date().getFullYear()]")
        with page.expect_download() as info:
            page.click("#export-markdown")
        text = Path(info.value.path()).read_text(encoding="utf-8")
        months = i18n.month_names("cy")
        assert text.startswith(f"# Compassionate and inclusive leadership: fy atebion\n\nFersiwn 2026.1. "
                               f"Llwythwyd i lawr ar {day} {months[month]} {year}. "
                               "1 o 11 o eitemau wedi’u gorffen.\n\n## Lefel 1: Leading ourselves\n\n")
        assert f"### 1.1 {FIRST_TITLE}\n\nWedi gorffen. Dim atebion eto. Adnodd: <https://" in text
        assert problems == []
    finally:
        context.close()


def test_the_search_finds_the_interface_in_an_english_build_of_the_same_pathway(tmp_path, content):
    """The control for the searches above: with the same content, in English, they find the interface."""
    english = tmp_path / "english.yaml"
    english.write_text(WELSH.read_text(encoding="utf-8").replace("language: cy", "language: en-GB"),
                       encoding="utf-8")
    result = run_pathway("build", str(english), "--format", "html", "--out", ".", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = _Visible()
    page.feed((tmp_path / WELSH_ID / "workbook.html").read_text(encoding="utf-8"))
    found = english_left(" ".join(page.parts), content)
    assert {"Key insight", "I have finished this item", "Your answers", "Clear all answers"} <= set(found)
