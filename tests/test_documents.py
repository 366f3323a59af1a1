"""The learner's reflections as documents they can use: the Word download of a filled workbook, read back
by LibreOffice (headless, as Debian packages it) from the PDF it makes of it; and each level's action plan,
which gathers the one action written at each of its items."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import load, run_pathway

pytestmark = pytest.mark.browser

DEFAULT_ID = "compassionate-inclusive-leadership"
# Items of 2 and 6 questions, a level of one item, and titles that wrap: not the default's shape.
OTHER = """\
id: other-shape
title: A pathway of another shape, whose title is long enough to wrap onto a second line in Word
version: "3"
language: en-GB
levels:
  - id: only
    title: A level with a single item and a long title that goes on for a while
    items:
      - id: two
        kind: do
        title: Two questions
        questions: ["First of two?", "Second of two?"]
  - id: many
    title: Six questions
    items:
      - id: six
        kind: read
        title: Six questions, and a web address
        url: https://example.org/six
        questions: ["One?", "Two?", "Three?", "Four?", "Five?", "Six?"]
      - id: plain
        kind: watch
        title: Default questions
"""


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("documents")
    (folder / "other.yaml").write_text(OTHER, encoding="utf-8")
    for reference in ([], ["other.yaml"]):
        result = run_pathway("build", *reference, "--format", "html", "--out", ".", cwd=folder)
        assert result.returncode == 0, result.stderr
    return {name: folder / name / "workbook.html" for name in (DEFAULT_ID, "other-shape")}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def open_workbook(page, path: Path) -> None:
    load(page, lambda: page.goto(path.as_uri()))


def fill_everything(page) -> dict[str, str]:
    """A different answer in every field, with the characters a document must keep; what was typed."""
    names = page.locator("main textarea[name]").evaluate_all("fields => fields.map(field => field.name)")
    typed = {}
    for index, name in enumerate(names):
        text = f"Answer {index} to {name}: Siân’s “care” & <safety> > 50%,\nsecond line {index}."
        page.locator(f"textarea[name='{name}']").fill(text)
        typed[name] = text
    return typed


def word_download(page) -> Path:
    with page.expect_download() as info:
        page.click("#export-word")
    path = Path(info.value.path())
    assert info.value.suggested_filename.endswith(".docx")
    return path


def libreoffice_text(document: Path, folder: Path) -> str:
    """The document as LibreOffice opens it, printed to PDF, and read back from the PDF: its words, with
    white space folded (the PDF breaks lines where the page does)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.fail("LibreOffice is not installed: apt-get install libreoffice-writer-nogui (CI does)")
    source = folder / "document.docx"
    shutil.copyfile(document, source)
    profile = folder / "libreoffice-profile"  # one of its own, so that two tests never share one
    result = subprocess.run([office, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(folder), str(source)], capture_output=True, text=True, timeout=180,
                            env={**os.environ, "HOME": str(folder)})
    pdf = folder / "document.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", text)


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", [DEFAULT_ID, "other-shape"])
def test_the_word_document_of_a_filled_workbook_opens_in_libreoffice_with_every_answer(
        page, workbooks, name, tmp_path):
    open_workbook(page, workbooks[name])
    typed = fill_everything(page)
    page.locator("main input[type=checkbox][name$='.done']").first.check()
    path = word_download(page)
    expect_status = "Your answers were downloaded as a Word document."
    page.wait_for_function("text => document.getElementById('status').textContent === text", arg=expect_status)
    text = libreoffice_text(path, tmp_path)
    for field, answer in typed.items():
        assert folded(answer) in text, field
    titles = page.locator("article.item").evaluate_all(
        "items => items.map(item => item.dataset.number + ' ' + item.querySelector('h3').textContent.trim())")
    for title in titles:
        assert folded(title) in text
    assert "Done." in text and "Not done yet." in text
    # Word's own headings: the document's outline is the workbook's.
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode()
        assert archive.namelist()[0] == "[Content_Types].xml"
    assert body.count('<w:pStyle w:val="Heading2"/>') == len(titles) + len(
        page.locator("#action-plan .gathered:not([hidden])").all())
    assert body.count('<w:pStyle w:val="Title"/>') == 1


def test_each_levels_action_plan_gathers_the_one_action_of_each_of_its_items(page, workbooks, tmp_path):
    open_workbook(page, workbooks["other-shape"])
    plan = page.locator("#action-plan .gathered[data-gathers='many']")
    assert plan.is_hidden()
    page.fill("#six-one-action", "Ask one colleague how they are, really.")
    assert plan.is_visible()
    assert plan.locator("li").all_inner_texts() == ["2.1 Six questions, and a web address: Ask one colleague how "
                                                   "they are, really."]
    assert plan.locator("li a").get_attribute("href") == "#six-one-action"
    page.fill("#plain-one-action", "Watch it with the team.")
    page.fill("#action-plan-many", "Keep a weekly huddle going.")  # and one of their own
    assert plan.locator("li").all_inner_texts() == [
        "2.1 Six questions, and a web address: Ask one colleague how they are, really.",
        "2.2 Default questions: Watch it with the team."]
    assert page.locator("#action-plan .gathered[data-gathers='only']").is_hidden()
    load(page, lambda: page.reload())  # gathered again from the answers kept in the browser
    assert plan.locator("li").count() == 2
    text = libreoffice_text(word_download(page), tmp_path)
    assert ("My action plan Six questions 2.1 Six questions, and a web address: Ask one colleague how they are, "
            "really. 2.2 Default questions: Watch it with the team. Keep a weekly huddle going.") in text
    page.fill("#six-one-action", "")
    assert plan.locator("li").all_inner_texts() == ["2.2 Default questions: Watch it with the team."]


def test_an_empty_workbooks_document_says_there_is_nothing_yet(page, workbooks, tmp_path):
    open_workbook(page, workbooks["other-shape"])
    text = libreoffice_text(word_download(page), tmp_path)
    assert text.startswith("A pathway of another shape, whose title is long enough to wrap onto a second line "
                           "in Word: my answers Version 3. Downloaded on ")
    assert "1.1 Two questions Not done yet. No answers yet." in text
    assert text.rstrip().endswith("My action plan No actions written yet.")



def test_an_items_answers_make_an_nmc_reflective_account_for_word(page, workbooks, tmp_path):
    open_workbook(page, workbooks[DEFAULT_ID])
    page.fill("#culture-is-leadership-q1", "Culture follows what leaders attend to.")
    page.fill("#culture-is-leadership-q2", "My attention signals what matters.")
    page.fill("#culture-is-leadership-q4", "I will ask one question at each handover.")
    page.fill("#culture-is-leadership-insight", "Attention is a signal.")
    page.fill("#culture-is-leadership-one-action", "Pause at handover.")
    page.click("#item-culture-is-leadership [data-account]")
    dialog = page.locator("#account")
    assert dialog.is_visible()
    assert page.inner_text("#account-for") == ("From 1.1 If it’s about NHS culture, it’s about leadership, in "
                                               "Compassionate and inclusive leadership.")
    assert page.inner_text("#account .account-reminder") == (
        "Be careful not to record any information which may identify another person.")
    # The nature of the activity, from the resource; what was learned, from the insight and the answers but the
    # last; what changed, from the last answer and the one action.
    assert page.input_value("#account-nature") == (
        "Read: “If it’s about NHS culture, it’s about leadership” (Michael West · The King’s Fund · 2016), a "
        "resource of the programme Compassionate and inclusive leadership.")
    assert page.input_value("#account-learned") == (
        "Attention is a signal.\n\nCulture follows what leaders attend to.\n\nMy attention signals what matters.")
    assert page.input_value("#account-changed") == "I will ask one question at each handover.\n\nPause at handover."
    assert page.input_value("#account-code") == ""
    page.fill("#account-code", "It is about listening to people: prioritising them.")
    page.check("#account-theme-1")
    page.check("#account-theme-4")
    with page.expect_download() as info:
        page.click("#account-word")
    assert re.fullmatch(rf"{DEFAULT_ID}-culture-is-leadership-reflective-account-\d{{4}}-\d\d-\d\d\.docx",
                        info.value.suggested_filename)
    text = libreoffice_text(Path(info.value.path()), tmp_path)
    themes = text.split("Select one or more themes: ")[1].strip()
    assert sorted(themes.replace("☒", " ").replace("☐", " ").split()) == sorted(
        "Prioritise people Practise effectively Preserve safety Promote professionalism and trust".split())
    assert text.strip() == folded(
        "Reflective account From 1.1 If it’s about NHS culture, it’s about leadership, in Compassionate and "
        "inclusive leadership. Be careful not to record any information which may identify another person. "
        "What was the nature of the CPD activity and/or practice-related feedback and/or event or experience in "
        "your practice? Read: “If it’s about NHS culture, it’s about leadership” (Michael West · The King’s Fund · "
        "2016), a resource of the programme Compassionate and inclusive leadership. "
        "What did you learn from the CPD activity and/or feedback and/or event or experience in your practice? "
        "Attention is a signal. Culture follows what leaders attend to. My attention signals what matters. "
        "How did you change or improve your practice as a result? I will ask one question at each handover. "
        "Pause at handover. How is this relevant to the Code? It is about listening to people: prioritising them. "
        "Select one or more themes:") + " " + themes
    with zipfile.ZipFile(info.value.path()) as archive:  # which boxes are ticked: the PDF's text puts a box after
        body = archive.read("word/document.xml").decode()  # its theme, where the font it falls back to is drawn
    assert [theme for theme in re.findall(r"<w:t xml:space=\"preserve\">([☒☐] [^<]+)</w:t>", body)] == [
        "☒ Prioritise people", "☐ Practise effectively", "☐ Preserve safety", "☒ Promote professionalism and trust"]
    # Closed and opened again, it is as the learner left it while the page is open.
    page.click("#account-close")
    assert not dialog.is_visible()
    page.click("#item-culture-is-leadership [data-account]")
    assert page.input_value("#account-code") == "It is about listening to people: prioritising them."
    assert page.is_checked("#account-theme-4") and not page.is_checked("#account-theme-2")


def test_a_reflective_account_prints_alone_on_its_own_page(page, workbooks):
    # The print dialog is the browser's own, which headless Chromium cannot show: it is noted instead.
    page.add_init_script("window.print = function () { window.printed = (window.printed || 0) + 1; };")
    open_workbook(page, workbooks["other-shape"])
    page.fill("#six-q1", "One answer.")
    page.fill("#six-q6", "The last answer.")
    page.click("#item-six [data-account]")
    page.click("#account-print")
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    printed = page.pdf(format="A4")
    reader = PdfReader(io.BytesIO(printed))
    assert len(reader.pages) == 1
    text = folded(reader.pages[0].extract_text())
    assert text.startswith("Page 1 of 1 Reflective account From 2.1 Six questions, and a web address, in A pathway "
                           "of another shape")  # the page's foot is read first
    assert ("What did you learn from the CPD activity and/or feedback and/or event or experience in your practice? "
            "One answer.") in text
    assert "How did you change or improve your practice as a result? The last answer." in text
    assert "My action plan" not in text and "About this pathway" not in text  # the account alone
    page.emulate_media(media="screen")
    page.click("#account-close")
    page.wait_for_function("() => !document.body.classList.contains('printing-account')")  # its close event
    page.emulate_media(media="print")
    assert "About this pathway" in folded(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[0].extract_text())
