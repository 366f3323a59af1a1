"""The HTML workbook in a real browser (Debian's Chromium, driven by Playwright): accessible, offline,
complete without scripts, usable by keyboard alone, and it keeps, exports and imports the answers."""

import json
import random
import re
import time
from pathlib import Path

import pytest
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import EXAMPLE, STORAGE_PROBE, load, plain, reload, run_pathway

DEFAULT_ID = "compassionate-inclusive-leadership"
EXAMPLE_ID = "ward-managers-spring-2027"
KEY = f"pathway-builder:{DEFAULT_ID}:2026.1"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FIRST = "culture-is-leadership"
FIRST_TITLE = "If it’s about NHS culture, it’s about leadership"
SECOND_TITLE = "What are the characteristics of a compassionate leader?"
SOURCE_TITLE = "What does compassionate and inclusive leadership mean to us?"
SOURCE_URL = "https://www.england.nhs.uk/culture/what-does-compassionate-and-inclusive-leadership-mean-to-us/"
NOT_KEPT = ("This browser is not keeping your answers (its storage is turned off or full). "
            "Download them before you close the page.")
CHOOSE = "Choose the file that “Download a backup (JSON)” saved."


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """The default and the example workbook, built as a user builds them."""
    folder = tmp_path_factory.mktemp("html")
    for reference in ([], [str(EXAMPLE)]):
        result = run_pathway("build", *reference, "--format", "html", cwd=folder)
        assert result.returncode == 0, result.stderr
    return {name: folder / "output" / name / "workbook.html" for name in (DEFAULT_ID, EXAMPLE_ID)}


@pytest.fixture
def context(browser):
    """A fresh browser profile: no stored answers, and every request the page makes recorded."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.requests = []
    context.on("request", lambda request: context.requests.append(request.url))
    yield context
    context.close()


def open_workbook(context, path: Path, scripts: bool = True, **options):
    """The workbook in a new page of `context`; `scripts=False` for a context with JavaScript turned off,
    where no script reads the storage, and the storage check could not wait: with JavaScript off, a
    Playwright wait evaluates its condition once and never again."""
    page = context.new_page(**options)
    page.problems = []
    page.on("console", lambda message: page.problems.append(message.text)
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    if scripts:
        load(page, lambda: page.goto(path.as_uri()))
    else:
        page.goto(path.as_uri())
    return page


def says(page, message: str):
    """The status line comes to say exactly this (it is set a moment after it is emptied)."""
    expect(page.locator("#status")).to_have_text(message)


def asks(page, title: str):
    """The confirmation opens with this title (an import opens it only once the file is read)."""
    expect(page.locator("#confirm")).to_be_visible()
    assert page.inner_text("#confirm-title") == title


def stored(page, key: str = KEY):
    return page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)


def fill_some_answers(page):
    page.fill(f"#{FIRST}-q1", "Leaders shape culture.\n# Not a heading\n- nor a list, <b>nor HTML</b>, A&E\n\n"
                              "See https://example.org/a_b_c. ~~Not struck~~")
    page.fill(f"#{FIRST}-insight", "Attention is a signal.")
    page.check(f"#{FIRST}-done")
    page.fill("#action-plan-team", "Hold a weekly huddle.")


def download(page, button: str) -> tuple[str, str]:
    with page.expect_download() as info:
        page.click(button)
    return info.value.suggested_filename, Path(info.value.path()).read_text(encoding="utf-8")


def choose_file(page, path: Path):
    with page.expect_file_chooser() as chooser:
        page.click("#import")
    chooser.value.set_files(str(path))


def backup(answers: dict, done: list, version: str = "2026.1", pathway_id: str = DEFAULT_ID) -> str:
    return json.dumps({"format": "pathway-builder-answers", "format_version": 1,
                       "pathway": {"id": pathway_id, "version": version,
                                   "title": "Compassionate and inclusive leadership"},
                       "answers": answers, "done": done})


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", [DEFAULT_ID, EXAMPLE_ID])
def test_axe_finds_no_wcag_22_aa_violations(browser, workbooks, name, viewport):
    context = browser.new_context(viewport=viewport)
    page = open_workbook(context, workbooks[name])
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG}}
    results = axe.run(page, options=options)
    assert results.violations_count == 0, results.generate_report()
    # And with answers in, an item done, and the confirmation open over the page.
    fill_some_answers(page) if name == DEFAULT_ID else page.check(f"#{FIRST}-done")
    page.click("#clear")
    results = axe.run(page, options=options)
    assert results.violations_count == 0, results.generate_report()
    assert page.problems == []
    context.close()


def test_landmarks_headings_and_language_are_in_order(context, workbooks, programme):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    assert page.get_attribute("html", "lang") == "en-GB"
    landmarks = page.evaluate("""[...document.querySelectorAll('header, nav, main, footer')]
        .map(e => [e.tagName.toLowerCase(), e.getAttribute('aria-labelledby')].filter(Boolean).join(':'))""")
    assert landmarks == ["header", "nav:contents-title", "main", "footer"]
    headings = page.evaluate("[...document.querySelectorAll('h1, h2, h3, h4')].filter(e => !e.closest('dialog'))"
                             ".map(e => [Number(e.tagName[1]), e.textContent.trim()])")
    assert [text for level, text in headings if level == 1] == ["Compassionate and inclusive leadership"]
    assert all(later - earlier <= 1 for (earlier, _), (later, _) in zip(headings, headings[1:]))
    assert [text for level, text in headings if level == 3] == [step.item.title for step in programme.steps]
    assert page.get_attribute("#status", "role") == "status"


def test_about_this_pathway_names_the_page_it_is_built_on_and_its_address(context, workbooks):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    source = page.locator("#main .intro .pathway-source")
    # Its words as a screen reader reads them; the address shows in full, for those who type it in.
    assert " ".join(source.text_content().split()) == (
        f"This pathway is built on “{SOURCE_TITLE}” (opens in a new tab). Web address: {SOURCE_URL}")
    assert source.locator(".url").inner_text() == SOURCE_URL
    link = source.locator("a")
    assert link.text_content() == f"“{SOURCE_TITLE}” (opens in a new tab)"
    assert [link.get_attribute("href"), link.get_attribute("target")] == [SOURCE_URL, "_blank"]
    # An item with no address of its own points to it.
    for item in ("compassionate-leader-characteristics", "teaming-in-health-and-care", "psychological-safety"):
        assert " ".join(page.text_content(f"#item-{item} .item-link").split()) == (
            f"No web address is given here. This pathway is built on “{SOURCE_TITLE}” (opens in a new tab): "
            "look for its title there, or search for it, or ask your facilitator.")
        assert page.get_attribute(f"#item-{item} .item-link a", "href") == SOURCE_URL
    # A pathway that extends it inherits its source.
    page = open_workbook(context, workbooks[EXAMPLE_ID])
    assert page.locator("#main .intro .pathway-source a").get_attribute("href") == SOURCE_URL


def test_the_page_makes_no_request_and_its_policy_allows_none(context, workbooks, tmp_path):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    fill_some_answers(page)
    _, text = download(page, "#export-json")
    download(page, "#export-markdown")
    (tmp_path / "answers.json").write_text(text, encoding="utf-8")
    page.click("#clear")
    page.click("#confirm-yes")
    choose_file(page, tmp_path / "answers.json")
    says(page, "Imported 3 answers and 1 finished item from “answers.json”.")
    reload(page)
    assert page.input_value(f"#{FIRST}-insight") == "Attention is a signal."
    # Downloads are made in the page, as blob: addresses; nothing else was asked of any network (the
    # tests' own storage probe aside: see conftest.reached_storage).
    def asked():
        return [url for url in context.requests if not url.startswith("blob:") and url != STORAGE_PROBE.as_uri()]
    page_itself = [workbooks[DEFAULT_ID].as_uri()] * 2
    assert asked() == page_itself
    assert page.evaluate("""[...document.querySelectorAll(
        'link, script[src], iframe, object, embed, video, audio, source, img')].length""") == 0
    # The page's policy refuses a request even if something tried one; its own style and script run.
    blocked = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', event => resolve(event.violatedDirective));
        fetch('https://example.org/').catch(() => {});
        setTimeout(() => resolve('no violation'), 3000);
    })""")
    assert blocked == "connect-src"
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == "rgb(0, 94, 184)"
    assert page.is_visible("#export-markdown")
    assert asked() == page_itself
    assert [problem for problem in page.problems if "example.org" not in problem] == []


def test_answers_survive_a_reload_and_two_pathways_never_mix(context, workbooks):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    assert page.inner_text("#saved") == "Nothing saved yet."
    page.fill(f"#{FIRST}-q2", "My attention signals what matters.")
    assert re.fullmatch(r"Saved in this browser at \d\d:\d\d\.", page.inner_text("#saved"))
    reload(page)
    assert page.input_value(f"#{FIRST}-q2") == "My attention signals what matters."
    assert re.fullmatch(r"Your answers are here, last saved in this browser at \d\d:\d\d "
                        r"on \d{1,2} [A-Z][a-z]+ \d{4}\.",
                        page.inner_text("#saved"))
    assert stored(page)["answers"] == {f"{FIRST}.q2": "My attention signals what matters."}

    # The example pathway has an item of the same id; it opens empty, and its answers stay its own.
    other = open_workbook(context, workbooks[EXAMPLE_ID])
    assert other.input_value(f"#{FIRST}-q2") == ""
    other.fill(f"#{FIRST}-q2", "On my ward, handovers.")
    # Another page's write reaches this one through the browser process, a moment later (1 run in
    # 100 reloaded before it had, and missed the example's key): wait for it to arrive.
    page.wait_for_function("key => localStorage.getItem(key) !== null", arg=f"pathway-builder:{EXAMPLE_ID}:2027.1")
    reload(page)
    assert page.input_value(f"#{FIRST}-q2") == "My attention signals what matters."
    keys = page.evaluate("Object.keys(localStorage).sort()")
    assert keys == [KEY, f"pathway-builder:{EXAMPLE_ID}:2027.1"]


REOPENED = re.compile(r"Your answers are here, last saved in this browser at \d\d:\d\d on \d{1,2} [A-Z][a-z]+ \d{4}\.")


@pytest.mark.slow
def test_no_answer_is_lost_when_the_page_is_reloaded_or_reopened_just_after_typing(context, workbooks):
    # 60 trials, each typing an answer and then, 0 to 50 ms later, reloading the page or closing it and
    # opening it again. Seeded, so that a trial that loses an answer loses it again on the next run.
    chance = random.Random(16)
    address = workbooks[DEFAULT_ID].as_uri()
    page = open_workbook(context, workbooks[DEFAULT_ID])
    fields = page.eval_on_selector_all("main textarea[name]", "fields => fields.map(field => field.id)")
    expected = dict.fromkeys(fields, "")
    lost, errors = [], []
    context.on("weberror", lambda error: errors.append(str(error.error)))  # in any page, the closing one too
    for trial in range(60):
        field, how, delay = chance.choice(fields), chance.choice(["reload", "reopen"]), chance.uniform(0, 0.05)
        expected[field] = f"Answer {trial}, typed just before the page went."
        page.fill(f"#{field}", expected[field])
        time.sleep(delay)  # the moment under test: no wait for anything
        if how == "reload":
            reload(page, wait_until="commit")
        else:  # the new tab is made first, as the slow part, but opens the workbook only once the old one is gone
            tab = context.new_page()
            page.close()
            page = tab
            load(page, lambda: page.goto(address, wait_until="commit"))
        # The page says this once it has put back what this browser holds.
        expect(page.locator("#saved")).to_have_text(REOPENED)
        shown = dict(zip(fields, page.eval_on_selector_all("main textarea[name]", "all => all.map(f => f.value)")))
        lost += [f"trial {trial} ({how} {delay * 1000:.0f} ms after typing in {field}): {name} holds {shown[name]!r}, "
                 f"not {text!r}" for name, text in expected.items() if shown[name] != text]
    assert lost == []
    assert errors == []


def test_a_late_write_of_older_answers_from_another_tab_never_replaces_newer_ones(context, workbooks):
    # One tab's write reaches another a moment late (up to 90 ms on a busy machine), so a record saved
    # before this page's own can land after it. Here the other tab writes one stamped a year earlier.
    page = open_workbook(context, workbooks[DEFAULT_ID])
    page.fill(f"#{FIRST}-q1", "Newer, typed here.")
    page.focus(f"#{FIRST}-q2")  # the field typed in is not the one being typed in any more
    other = open_workbook(context, workbooks[DEFAULT_ID])
    older = {"answers": {f"{FIRST}.q1": "Older, from the other tab."}, "done": [], "saved": "2025-12-01T09:00:00.000Z"}
    other.evaluate("([key, record]) => localStorage.setItem(key, JSON.stringify(record))", [KEY, older])
    # This page puts its newer answers back over the older ones, and the other tab comes to show them.
    expect(other.locator(f"#{FIRST}-q1")).to_have_value("Newer, typed here.")
    other.wait_for_function("key => JSON.parse(localStorage.getItem(key)).answers['culture-is-leadership.q1'] "
                            "=== 'Newer, typed here.'", arg=KEY, timeout=10_000)
    assert page.input_value(f"#{FIRST}-q1") == "Newer, typed here."
    reload(other)
    assert other.input_value(f"#{FIRST}-q1") == "Newer, typed here."
    assert page.problems == other.problems == []


def test_two_tabs_of_one_workbook_keep_in_step_without_losing_typing(context, workbooks):
    first = open_workbook(context, workbooks[DEFAULT_ID])
    second = open_workbook(context, workbooks[DEFAULT_ID])
    second.fill(f"#{FIRST}-q3", "Being typed in the second tab.")
    first.fill(f"#{FIRST}-q1", "Typed in the first tab.")
    first.check(f"#{FIRST}-done")
    expect(second.locator(f"#{FIRST}-q1")).to_have_value("Typed in the first tab.")
    expect(second.locator(f"#{FIRST}-done")).to_be_checked()
    assert second.input_value(f"#{FIRST}-q3") == "Being typed in the second tab."  # the field in use is left alone
    assert re.fullmatch(r"Brought up to date with another tab at \d\d:\d\d\.", second.inner_text("#saved"))


def test_done_boxes_update_progress_and_the_continue_link(context, workbooks, programme):
    total = len(programme.steps)
    page = open_workbook(context, workbooks[DEFAULT_ID])
    assert page.inner_text(".masthead .progress-text") == f"0 of {total} items done"
    assert page.inner_text("#level-individual .progress-text") == "0 of 2 items done"
    assert page.inner_text("#continue") == f"Start with 1.1 {FIRST_TITLE}"
    page.check(f"#{FIRST}-done")
    says(page, f"Marked “{FIRST_TITLE}” as done. 1 of {total} items done.")
    assert page.inner_text("#continue") == f"Continue with 1.2 {SECOND_TITLE}"
    assert page.get_attribute("#continue", "href") == "#item-compassionate-leader-characteristics"
    page.check("#compassionate-leader-characteristics-done")
    assert page.inner_text("#level-individual .progress-text") == "2 of 2 items done"
    assert page.inner_text("#level-team .progress-text") == "0 of 3 items done"
    assert page.inner_text(".contents [data-progress-of=individual]") == "2 of 2 done"
    assert page.inner_text(".masthead .progress-text") == f"2 of {total} items done"
    assert page.get_attribute("#level-individual .progress-fill", "style") == "width: 100%;"
    assert page.text_content(f".contents li[data-item={FIRST}]") == f"1.1 {FIRST_TITLE} (done)"
    page.uncheck(f"#{FIRST}-done")
    says(page, f"Marked “{FIRST_TITLE}” as not done. 1 of {total} items done.")
    reload(page)
    assert page.is_checked("#compassionate-leader-characteristics-done")
    assert not page.is_checked(f"#{FIRST}-done")
    assert page.inner_text(".masthead .progress-text") == f"1 of {total} items done"
    for step in programme.steps:
        page.check(f"#{step.item.id}-done")
    assert page.inner_text("#continue") == "Every item is done: go to My action plan"


def test_the_markdown_download_reads_well_with_the_questions(context, workbooks, programme):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    fill_some_answers(page)
    page.fill(f"#{FIRST}-action", "Paid attention at handover.")
    name, text = download(page, "#export-markdown")
    says(page, "Your answers were downloaded as a document.")
    assert re.fullmatch(rf"{DEFAULT_ID}-answers-\d{{4}}-\d\d-\d\d\.md", name)
    first = programme.steps[0]
    assert re.match(r"# Compassionate and inclusive leadership: my answers\n\nVersion 2026\.1\. Downloaded on "
                    rf"\d{{1,2}} [A-Z][a-z]+ \d{{4}}\. 1 of {len(programme.steps)} items done\.\n\n"
                    r"## Level 1: Leading ourselves\n\n", text)
    # The learner's lines are kept, in a quote where nothing they typed becomes Markdown.
    assert (f"### 1.1 {FIRST_TITLE}\n\nDone. Resource: <{first.item.url}>\n\n**{plain(first.questions[0])}**\n\n"
            "> Leaders shape culture.  \n> \\# Not a heading  \n> \\- nor a list, &lt;b>nor HTML&lt;/b>, A&E\n>\n"
            "> See <https://example.org/a_b_c>. \\~\\~Not struck\\~\\~\n\n"
            "**Key insight**\n\n> Attention is a signal.\n\n"
            "**How my action went**\n\n> Paid attention at handover.\n\n"
            f"### 1.2 {SECOND_TITLE}\n\nNot done yet. No answers yet.\n\n") in text
    assert plain(first.questions[1]) not in text  # unanswered questions are left out
    assert text.endswith("## My action plan\n\n**Leading our teams**\n\n> Hold a weekly huddle.\n")
    for step in programme.steps:
        assert f"### {step.number} {step.item.title}\n" in text


def test_the_json_backup_holds_the_answers_by_field_name(context, workbooks):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    fill_some_answers(page)
    name, text = download(page, "#export-json")
    says(page, "A backup of your answers was downloaded. Import it in another browser or on another device "
               "to carry on there.")
    assert re.fullmatch(rf"{DEFAULT_ID}-answers-\d{{4}}-\d\d-\d\d\.json", name)
    data = json.loads(text)
    assert {key: data[key] for key in ("format", "format_version", "pathway", "answers", "done")} == {
        "format": "pathway-builder-answers", "format_version": 1,
        "pathway": {"id": DEFAULT_ID, "version": "2026.1", "title": "Compassionate and inclusive leadership"},
        "answers": {f"{FIRST}.q1": "Leaders shape culture.\n# Not a heading\n- nor a list, <b>nor HTML</b>, A&E\n\n"
                                   "See https://example.org/a_b_c. ~~Not struck~~",
                    f"{FIRST}.insight": "Attention is a signal.", "action-plan.team": "Hold a weekly huddle."},
        "done": [FIRST]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", data["exported"])


def exported_answers(browser, workbook: Path, folder: Path) -> Path:
    """Answers typed in one browser profile and downloaded as JSON, as a learner would."""
    context = browser.new_context(accept_downloads=True)
    page = open_workbook(context, workbook)
    fill_some_answers(page)
    _, text = download(page, "#export-json")
    context.close()
    path = folder / "my-answers.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_restores_answers_in_a_fresh_profile(browser, context, workbooks, tmp_path):
    answers = exported_answers(browser, workbooks[DEFAULT_ID], tmp_path)
    page = open_workbook(context, workbooks[DEFAULT_ID])
    assert page.input_value(f"#{FIRST}-q1") == ""
    choose_file(page, answers)
    says(page, "Imported 3 answers and 1 finished item from “my-answers.json”.")
    assert page.input_value(f"#{FIRST}-q1").startswith("Leaders shape culture.\n# Not a heading\n")
    assert page.input_value("#action-plan-team") == "Hold a weekly huddle."
    assert page.is_checked(f"#{FIRST}-done")
    assert page.inner_text("#level-individual .progress-text") == "1 of 2 items done"
    reload(page)
    assert page.input_value(f"#{FIRST}-insight") == "Attention is a signal."


@pytest.mark.slow
def test_import_over_answers_asks_first(browser, context, workbooks, tmp_path):
    answers = exported_answers(browser, workbooks[DEFAULT_ID], tmp_path)
    page = open_workbook(context, workbooks[DEFAULT_ID])
    page.fill(f"#{FIRST}-q3", "Typed here first.")
    choose_file(page, answers)
    asks(page, "Replace your answers?")
    assert page.inner_text("#confirm-text") == ("The answers in “my-answers.json” will replace every answer and tick "
                                                "in this workbook.")
    page.click("#confirm-no")
    says(page, "Nothing was imported: your answers are as they were.")
    choose_file(page, answers)
    asks(page, "Replace your answers?")
    page.keyboard.press("Escape")  # Escape is a no too
    expect(page.locator("#confirm")).to_be_hidden()
    assert page.input_value(f"#{FIRST}-q3") == "Typed here first."
    choose_file(page, answers)
    asks(page, "Replace your answers?")
    page.click("#confirm-yes")
    says(page, "Imported 3 answers and 1 finished item from “my-answers.json”.")
    assert page.input_value(f"#{FIRST}-q3") == ""
    assert page.input_value(f"#{FIRST}-insight") == "Attention is a signal."


def test_import_from_another_version_keeps_what_fits_and_says_so(context, workbooks, tmp_path):
    path = tmp_path / "old.json"
    path.write_text(backup({f"{FIRST}.q1": "Kept.", "retired-item.q1": "Left out.", "toString": "Left out.",
                            "__proto__": "Left out."}, [FIRST, FIRST, "retired-item"], version="2025.2"),
                    encoding="utf-8")
    page = open_workbook(context, workbooks[DEFAULT_ID])
    choose_file(page, path)
    says(page, "Imported 1 answer and 1 finished item from “old.json”, which was saved from version 2025.2 of "
               "this pathway. 4 answers for items this workbook does not have were left out.")
    assert page.input_value(f"#{FIRST}-q1") == "Kept."
    assert stored(page)["answers"] == {f"{FIRST}.q1": "Kept."}


def test_answers_of_an_earlier_version_in_this_browser_are_offered(context, workbooks):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    earlier = {"answers": {f"{FIRST}.q1": "From last year."}, "done": [FIRST], "saved": "2025-11-01T10:00:00.000Z"}
    page.evaluate("record => localStorage.setItem('pathway-builder:compassionate-inclusive-leadership:2025.2', "
                  "JSON.stringify(record))", earlier)
    reload(page)
    assert page.input_value(f"#{FIRST}-q1") == ""
    assert page.inner_text("#earlier .earlier-text") == (
        "This browser holds 1 answer and 1 finished item from version 2025.2 of this pathway, last saved on "
        "1 November 2025. Bring them into this version to carry on.")
    page.click("#earlier button")
    says(page, "Brought over 1 answer and 1 finished item from version 2025.2.")
    assert page.input_value(f"#{FIRST}-q1") == "From last year."
    assert page.is_checked(f"#{FIRST}-done")
    assert not page.is_visible("#earlier")
    assert page.evaluate("document.activeElement.id") == "answers-title"
    assert page.evaluate("Object.keys(localStorage)") == [KEY]  # all of it came over, so the old copy went
    reload(page)
    assert not page.is_visible("#earlier")


def test_typing_hides_the_earlier_version_offer_and_clear_forgets_every_version(context, workbooks):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    earlier = {"answers": {f"{FIRST}.q1": "From last year.", "retired.q1": "Kept there."}, "done": []}
    page.evaluate("record => localStorage.setItem('pathway-builder:compassionate-inclusive-leadership:2025.2', "
                  "JSON.stringify(record))", earlier)
    reload(page)
    assert page.is_visible("#earlier")
    page.fill(f"#{FIRST}-q2", "Started afresh.")
    assert not page.is_visible("#earlier")  # nothing typed here can be written over
    page.click("#clear")
    assert page.inner_text("#confirm-text") == (
        "This deletes every answer and tick of this pathway from this browser, those kept from earlier versions "
        "too. It cannot be undone: download your answers first if you may want them again.")
    page.click("#confirm-yes")
    says(page, "All answers were cleared.")
    assert page.evaluate("Object.keys(localStorage)") == []
    reload(page)
    assert not page.is_visible("#earlier")


FOREIGN = backup({}, [], version="2027.1", pathway_id=EXAMPLE_ID).replace(
    '"Compassionate and inclusive leadership"', '"Compassionate and inclusive leadership for ward managers"')


@pytest.mark.parametrize("content, message", [
    ('{"answers": {"culture-is-leadership.q1": "x"', f"“answers.json” is not a backup of answers: it is not JSON. "
     f"{CHOOSE} Nothing was changed."),
    ('{"answers": {}, "done": []}', f"“answers.json” is not a backup of answers from a pathway workbook. {CHOOSE} "
     "Nothing was changed."),
    ("[]", f"“answers.json” is not a backup of answers from a pathway workbook. {CHOOSE} Nothing was changed."),
    ("null", f"“answers.json” is not a backup of answers from a pathway workbook. {CHOOSE} Nothing was changed."),
    (backup({}, []).replace('"format_version": 1', '"format_version": 2'), "“answers.json” was saved in a form this "
     "workbook cannot read (format version 2). Import it into a workbook built with the same or a newer pathway "
     "builder. Nothing was changed."),
    (FOREIGN, "“answers.json” holds answers for “Compassionate and inclusive leadership for ward managers”, not for "
     "“Compassionate and inclusive leadership”. Open that pathway’s workbook to import it. Nothing was changed."),
    (backup({f"{FIRST}.q1": 42}, []), "“answers.json” is damaged: the answer to culture-is-leadership.q1 is not "
     "text. Nothing was changed."),
    (backup({}, {"0": FIRST}), "“answers.json” is damaged: its list of finished items is damaged. "
     "Nothing was changed."),
    (" " * (5 * 1024 * 1024 + 1), f"“answers.json” is too large to be a backup of answers. {CHOOSE} "
     "Nothing was changed."),
], ids=["not-json", "not-answers", "array", "null", "newer-format", "foreign", "damaged-answer", "damaged-done",
        "too-large"])
def test_a_corrupt_or_foreign_import_is_refused_and_changes_nothing(context, workbooks, tmp_path, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content, encoding="utf-8")
    page = open_workbook(context, workbooks[DEFAULT_ID])
    page.fill(f"#{FIRST}-q1", "Mine.")
    before = stored(page)
    choose_file(page, path)
    says(page, message)
    assert page.get_attribute("#status", "class") == "status is-error"
    assert page.input_value(f"#{FIRST}-q1") == "Mine."
    assert stored(page) == before
    assert not page.is_visible("#confirm")


def test_clear_all_answers_only_after_confirmation(context, workbooks, programme):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    fill_some_answers(page)
    page.click("#clear")
    asks(page, "Clear all answers?")
    assert page.evaluate("document.activeElement.id") == "confirm-no"
    page.click("#confirm-no")
    says(page, "Nothing was cleared.")
    assert page.input_value(f"#{FIRST}-insight") == "Attention is a signal."
    page.click("#clear")
    page.click("#confirm-yes")
    says(page, "All answers were cleared.")
    assert page.evaluate("[...document.querySelectorAll('main textarea')].every(t => t.value === '')")
    assert not page.is_checked(f"#{FIRST}-done")
    assert page.inner_text(".masthead .progress-text") == f"0 of {len(programme.steps)} items done"
    assert stored(page) is None
    assert page.inner_text("#saved") == "Nothing saved yet."


def test_a_browser_that_keeps_nothing_says_so_and_keeps_saying_it(browser, workbooks, tmp_path):
    context = browser.new_context()
    context.add_init_script("Storage.prototype.setItem = () => { throw new DOMException('', 'QuotaExceededError') }")
    page = open_workbook(context, workbooks[DEFAULT_ID])
    assert page.inner_text("#storage-alert") == NOT_KEPT  # said before anything is typed
    page.check(f"#{FIRST}-done")
    says(page, f"Marked “{FIRST_TITLE}” as done. 1 of 11 items done.")
    assert page.inner_text("#storage-alert") == NOT_KEPT  # not overwritten by the status line
    page.fill(f"#{FIRST}-q2", "Typed far below the alert.")
    assert page.inner_text(f"#{FIRST}-q2-warning") == ("Not saved in this browser. Download your answers before you "
                                                        "close the page.")
    assert page.get_attribute(f"#{FIRST}-q2", "aria-describedby") == f"{FIRST}-q2-warning"
    assert page.get_attribute("#storage-alert", "role") == "alert"
    assert page.inner_text("#saved") == "Not saved: this browser is not keeping your answers."
    path = tmp_path / "answers.json"
    path.write_text(backup({f"{FIRST}.q1": "Imported."}, []), encoding="utf-8")
    choose_file(page, path)
    page.click("#confirm-yes")
    says(page, f"Imported 1 answer and 0 finished items from “answers.json”. {NOT_KEPT}")
    assert page.is_visible("#storage-alert")
    context.close()


def test_unreadable_saved_answers_are_set_aside_not_overwritten(context, workbooks):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    page.evaluate(f"localStorage.setItem('{KEY}', '{{not json')")
    reload(page)
    assert page.inner_text("#storage-alert") == ("The answers saved earlier in this browser could not be read, so this "
                                                 "workbook starts empty. They are kept aside, not deleted.")
    assert page.evaluate(f"localStorage.getItem('{KEY}:unreadable')") == "{not json"
    page.fill(f"#{FIRST}-q1", "A fresh start.")
    assert stored(page)["answers"] == {f"{FIRST}.q1": "A fresh start."}
    assert page.evaluate(f"localStorage.getItem('{KEY}:unreadable')") == "{not json"


def test_the_page_is_complete_with_javascript_turned_off(browser, workbooks, programme):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = open_workbook(context, workbooks[DEFAULT_ID], scripts=False)
    text = page.inner_text("main")
    position = 0
    for step in programme.steps:
        for part in [f"{step.number} · {step.item.kind.capitalize()}", step.item.title,
                     *(plain(question) for question in step.questions)]:
            position = text.index(part, position)
        if step.item.url:
            assert page.get_attribute(f"#item-{step.item.id} .resource-link", "href") == step.item.url
    assert page.is_visible(f"#{FIRST}-q1") and page.is_visible(f"#{FIRST}-done")
    assert page.inner_text("#answers .notice").startswith("JavaScript is turned off, so this page cannot keep")
    for hidden in ("#export-markdown", "#clear", ".masthead .progress", "#continue"):
        assert not page.is_visible(hidden)
    context.close()


def test_every_control_is_reached_and_used_by_keyboard_alone(context, workbooks):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    controls = page.evaluate("""[...document.querySelectorAll('a[href], button, textarea, input')]
        .filter(e => e.getClientRects().length && !e.closest('dialog')).map(e => e.id || e.textContent.trim())""")
    reached = []
    for _ in range(len(controls)):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert reached == controls
    # Visible focus: a yellow ring round a button.
    page.focus("#export-markdown")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "export-word"
    assert "rgb(255, 235, 59)" in page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    # ...and the button keeps its own colours, so its words stay readable.
    assert page.evaluate("[getComputedStyle(document.activeElement).backgroundColor, "
                         "getComputedStyle(document.activeElement).color]") == ["rgb(0, 94, 184)", "rgb(255, 255, 255)"]
    page.focus(".contents a[href='#about']")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).backgroundColor") == "rgb(255, 235, 59)"

    page.focus(".skip")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus(f"#{FIRST}-done")
    page.keyboard.press("Space")
    assert page.is_checked(f"#{FIRST}-done")
    page.focus(f"#{FIRST}-q1")
    page.keyboard.type("Typed by keyboard.")
    page.focus("#export-markdown")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert "> Typed by keyboard." in Path(info.value.path()).read_text(encoding="utf-8")
    page.focus("#clear")
    page.keyboard.press("Enter")
    assert page.is_visible("#confirm") and page.evaluate("document.activeElement.id") == "confirm-no"
    page.keyboard.press("Escape")
    assert not page.is_visible("#confirm")
    assert page.evaluate("document.activeElement.id") == "clear"
    assert page.input_value(f"#{FIRST}-q1") == "Typed by keyboard."
    with page.expect_file_chooser():
        page.focus("#import")
        page.keyboard.press("Enter")


def test_the_warnings_go_once_the_browser_keeps_answers_again(browser, workbooks):
    context = browser.new_context()
    context.add_init_script("""window.storageFull = true;
        const setItem = Storage.prototype.setItem;
        Storage.prototype.setItem = function (key, value) {
            if (window.storageFull) { throw new DOMException('', 'QuotaExceededError'); }
            return setItem.call(this, key, value);
        };""")
    page = open_workbook(context, workbooks[DEFAULT_ID])
    page.fill(f"#{FIRST}-q2", "Typed while the storage is full.")
    assert page.is_visible(f"#{FIRST}-q2-warning")
    page.evaluate("window.storageFull = false")  # the learner made room
    page.fill(f"#{FIRST}-q2", "Typed once there is room.")
    assert not page.is_visible("#storage-alert")
    assert page.locator(".field-warning").count() == 0
    assert page.get_attribute(f"#{FIRST}-q2", "aria-describedby") is None
    assert re.fullmatch(r"Saved in this browser at \d\d:\d\d\.", page.inner_text("#saved"))
    assert stored(page)["answers"] == {f"{FIRST}.q2": "Typed once there is room."}
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_layout_fits_from_phone_to_desktop(browser, workbooks, viewport):
    context = browser.new_context(viewport=viewport)
    page = open_workbook(context, workbooks[DEFAULT_ID])
    assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]
    contents = page.locator(".contents").bounding_box()
    main = page.locator("main").bounding_box()
    if viewport is PHONE:
        assert contents["y"] + contents["height"] <= main["y"]  # the contents above the pathway
        assert not page.is_visible(".qr")
        page.click("#clear")
        assert page.evaluate("document.documentElement.scrollWidth") == viewport["width"]
        assert page.locator("#confirm").bounding_box()["width"] <= viewport["width"]
    else:
        assert contents["x"] + contents["width"] < main["x"]  # the contents beside it
        assert page.is_visible(f"#item-{FIRST} .qr")
    context.close()


def test_each_qr_code_on_screen_reads_back_as_its_resources_address(browser, workbooks, programme, tmp_path):
    context = browser.new_context(viewport=DESKTOP, device_scale_factor=2)
    page = open_workbook(context, workbooks[DEFAULT_ID])
    for step in programme.steps:
        codes = page.locator(f"#item-{step.item.id} svg.qr[role=img]")
        assert codes.count() == (1 if step.item.url else 0), step.number
        if step.item.url:
            assert codes.get_attribute("aria-label") == (f"QR code for the web address of “{step.item.title}”, "
                                                         "which is shown beside it")
            codes.screenshot(path=str(tmp_path / "code.png"))
            assert [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "code.png"))] == [
                step.item.url], step.number
    context.close()


def test_motion_is_reduced_when_the_learner_asks(browser, workbooks):
    for motion, behaviour in (("reduce", "auto"), ("no-preference", "smooth")):
        context = browser.new_context(reduced_motion=motion)
        page = open_workbook(context, workbooks[DEFAULT_ID])
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == behaviour
        context.close()


def test_printing_from_the_browser_prints_the_answers_in_full(context, workbooks, tmp_path):
    page = open_workbook(context, workbooks[DEFAULT_ID])
    long_answer = " ".join(["A long reflection that runs over many lines."] * 30) + " The last words."
    page.fill(f"#{FIRST}-q1", long_answer)
    page.pdf(path=str(tmp_path / "printed.pdf"), format="A4")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "printed.pdf").pages]
    text = " ".join(pages)
    assert long_answer in text
    assert "Web address: https://www.kingsfund.org.uk/insight-and-analysis/blogs/nhs-culture-leadership" in text
    assert [f"Page {number} of {len(pages)}" in text for number, text in enumerate(pages, 1)] == [True] * len(pages)
    for screen_only in ("Download", "Clear all answers", "Skip to the pathway", "Next: 1.2", "Open the resource",
                        "Continue with"):
        assert screen_only not in text


ODD = """\
id: odd
title: 'Quotes " and <b>markup</b> & ampersands'
language: cy
levels:
  - id: one
    title: One
    items:
      - {id: a, kind: do, title: "A <i>task</i>"}
      - {id: b, kind: read, title: A reading}
"""


def test_a_pathway_with_no_version_and_an_awkward_title_works_as_written(browser, tmp_path):
    (tmp_path / "odd.yaml").write_text(ODD, encoding="utf-8")
    (tmp_path / "mine" / "screen").mkdir(parents=True)
    (tmp_path / "mine" / "screen" / "workbook.html").write_text(
        '{% extends "builtin/screen/workbook.html" %}\n{% block style %}.masthead { background: rgb(1, 2, 3); }'
        '{% endblock %}\n', encoding="utf-8")
    result = run_pathway("build", "odd.yaml", "--format", "html", "--templates", "mine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    context = browser.new_context(accept_downloads=True)
    page = open_workbook(context, tmp_path / "output" / "odd" / "workbook.html")
    # A template's own style block is covered by the page's policy, so it applies.
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == "rgb(1, 2, 3)"
    page.fill("#a-q1", "An answer.")
    assert stored(page, "pathway-builder:odd:") == {"answers": {"a.q1": "An answer."}, "done": [],
                                                     "saved": stored(page, "pathway-builder:odd:")["saved"]}
    _, text = download(page, "#export-markdown")
    # Titles read in the download as they do on the page, not as HTML; the words are the pathway's language's.
    assert text.startswith('# Quotes " and &lt;b>markup&lt;/b> & ampersands: fy atebion\n\nLlwythwyd i lawr ar ')
    # A pathway with no `source` names none; an item with no address says what to do instead.
    assert page.locator(".pathway-source").count() == 0
    assert page.inner_text("#item-b .item-link") == ("Does dim cyfeiriad gwe yma. Chwiliwch am ei deitl, "
                                                     "neu gofynnwch i’ch hwylusydd.")
    assert page.locator("#item-a .item-link").count() == 0  # an activity has nothing to find
    assert "wedi’i seilio ar" not in page.inner_text("main")
    assert "### 1.1 A &lt;i>task&lt;/i>\n\nHeb ei gorffen eto.\n\n" in text
    assert page.problems == []
    context.close()


def test_a_scheduled_pathway_gives_each_levels_session_date_on_the_page_and_in_the_download(context, workbooks):
    page = open_workbook(context, workbooks[EXAMPLE_ID])
    assert page.inner_text("#level-team .level-number") == "LEVEL 2 OF 4"
    assert page.inner_text("#level-team .session") == ("Group session: Monday 15 March 2027, 14:00 to 16:00\n\n"
                                                       "Where: Seminar Room 2, Education Centre")
    assert page.inner_text("#level-system .session") == ("Group session: Monday 12 April 2027, 14:00 to 16:00\n\n"
                                                         "Online: https://meet.example.org/ward-managers-system")
    _, text = download(page, "#export-markdown")
    assert ("## Level 2: Leading our teams\n\nSession on Monday 15 March 2027, 14:00 to 16:00, Seminar Room 2, "
            "Education Centre.\n\n### 2.1 ") in text
    assert text.startswith("# Compassionate and inclusive leadership for ward managers: my answers\n\n"
                           "Version 2027.1. Downloaded on ")


def _visible_label(page, field: str) -> str:
    """A field's label as printed: without the words only a screen reader hears."""
    return page.evaluate("""name => {
        const box = document.querySelector(`textarea[name="${name}"]`);
        const label = document.querySelector(`label[for="${box.id}"]`).cloneNode(true);
        label.querySelectorAll('.visually-hidden').forEach(hidden => hidden.remove());
        return label.textContent.split(/\\s+/).join(' ').trim();
    }""", field)


@pytest.mark.parametrize("name", [DEFAULT_ID, "question-counts"])
def test_printed_from_the_browser_on_a4_each_question_keeps_its_answer_and_the_last_box_its_footer(
        context, workbooks, name, tmp_path):
    if name in workbooks:
        path = workbooks[name]
    else:  # items of 1 to 8 questions: breaks fall elsewhere than in the default
        result = run_pathway("build", str(Path(__file__).parent / "shapes" / f"{name}.yaml"), "--format", "html",
                             cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        (path,) = (tmp_path / "output").glob("*/workbook.html")
    page = open_workbook(context, path)
    fields = page.eval_on_selector_all("main textarea[name]", "boxes => boxes.map(box => box.name)")
    for field in fields:
        page.fill(f'textarea[name="{field}"]', f"Answer to {field}.")
    # The paper the page asks for, as the browser's print dialog takes it.
    page.pdf(path=str(tmp_path / "printed.pdf"), prefer_css_page_size=True)
    reader = PdfReader(tmp_path / "printed.pdf")
    assert [(round(float(sheet.mediabox.width) / 72 * 25.4), round(float(sheet.mediabox.height) / 72 * 25.4))
            for sheet in reader.pages] == [(210, 297)] * len(reader.pages)
    pages = [" ".join(sheet.extract_text().split()) for sheet in reader.pages]

    def on(text: str) -> list[int]:
        return [number for number, page_text in enumerate(pages, 1) if text in page_text]

    apart = {field: (on(_visible_label(page, field)[:30]), on(f"Answer to {field}."))
             for field in fields}
    # Once, on its question's page; a one action is printed again in its level's action plan, after it (where
    # a long name may break at its hyphens, and so not be found there).
    assert {field: where for field, where in apart.items()
            if len(where[1]) not in ((1, 2) if field.endswith(".one-action") else (1,))
            or where[1][0] not in where[0]} == {}
    # Below the footer's "Page N of M", no page starts with the tick box: it stays with the item's last box.
    assert [number for number, page_text in enumerate(pages, 1)
            if re.sub(r"^Page \d+ of \d+ ", "", page_text).startswith("I have finished this item")] == []
