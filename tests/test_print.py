"""The printed workbook and facilitator guide, read back from the PDFs as a reader would."""

import re
import subprocess

import page as pdf_checker
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from builder.render import clock, format_minutes
from conftest import assert_in_order, plain, run_pathway
from pdfread import margin_text, outline, page_texts, pdf_text, structure, widgets

pytestmark = pytest.mark.pdf  # every test here lays out a PDF

OUT = "compassionate-inclusive-leadership"
FRONT = ["How to use this workbook", "Contents", "Programme overview"]
BACK = ["My action plan", "Notes", "All resources", "Reflective account"]
SOURCE_TITLE = "What does compassionate and inclusive leadership mean to us?"
SOURCE_URL = "https://www.england.nhs.uk/culture/what-does-compassionate-and-inclusive-leadership-mean-to-us/"
SOURCE = f"This pathway is built on “{SOURCE_TITLE}” {SOURCE_URL}"


@pytest.fixture(scope="module")
def folder(default_printed):
    return default_printed


@pytest.fixture(scope="module")
def workbook(folder):
    return PdfReader(folder / "workbook.pdf")


@pytest.fixture(scope="module")
def pages(workbook):
    """The workbook's page texts in reading order; pages[0] is page 1."""
    return page_texts(workbook)


def contents_entries(pages, page=3) -> dict[str, int]:
    """'Notes', '1. Leading ourselves' or '1.1 If it's about ...' -> the page number the contents gives."""
    text = pages[page - 1]
    assert text.startswith("Contents ")
    # Each entry reads: its title (numbered for levels and items), then its page number (the dots
    # between them are an artifact), before the next entry's number or capital.
    entries = re.findall(r"(\S.*?) (\d+)(?= \d+\.| [A-Z]|$)", text.removeprefix("Contents "))
    return {title: int(number) for title, number in entries}


def starts(pages, programme) -> dict[str, int]:
    """Where each item really starts: the page whose text opens with its number and kind."""
    return {step.item.id: number for number, text in enumerate(pages, start=1) for step in programme.steps
            if text.startswith(f"{step.number} · {step.item.kind.capitalize()} ")}


def section(pages, programme, item_id) -> str:
    """The text of one item's pages."""
    first = starts(pages, programme)
    ids = [step.item.id for step in programme.steps]
    end = first[ids[ids.index(item_id) + 1]] - 1 if item_id != ids[-1] else len(pages)
    return " ".join(pages[first[item_id] - 1:end])


def test_cover_is_page_one_with_no_header_or_footer(workbook, pages):
    assert pages[0] == (
        "LEARNER WORKBOOK Compassionate and inclusive leadership From self to system "
        "Levels 4 Resources 11 Time 5 h 45 min Name Version 2026.1")
    assert margin_text(workbook.pages[0]) == ""


HOW_TO_STEPS = (
    "Working through an item 1. Read, watch or listen to the resource, or do the activity. Web addresses are "
    "printed in full, so that you can type them in. 2. Answer each reflection question in the space below it. "
    "Write freely: this workbook is yours. 3. Note your key insight. Once you have tried the action you chose, "
    "note how it went, then tick the item’s “Done” box. Keep it confidential Write about your own practice. "
    "Leave out names and any detail that could identify a patient, a service user or a colleague, as you would "
    "anywhere outside a record: this workbook may be seen by others, left on a desk or shared in a session. "
    "The reflective model The questions follow the What? So what? Now what? model (Rolfe, Freshwater and Jasper "
    "2001, after Borton 1970), moving through What?, So what? and Now what? The last question of each item asks "
    "for an action you can take this week.")


def test_how_to_page_names_the_source_and_counts_the_levels_once(pages, programme):
    # The summary leaves the counting to the sentence after it, which counts what is there.
    assert pages[1] == (
        f"How to use this workbook {plain(programme.pathway.summary)} {SOURCE} The pathway has 4 levels, from "
        "“Leading ourselves” to “Leading across the system”. Its 11 resources take about 5 h 45 min in all, plus "
        f"time to reflect. {HOW_TO_STEPS}")
    assert "four levels" not in pages[1]


def test_overview_gives_each_levels_total_and_the_running_total_apart(pages):
    overview = next(text for text in pages if text.startswith("Programme overview "))
    assert_in_order(overview, [
        "1. Leading ourselves", "1.2 What are the characteristics of a compassionate leader? Read 20 min "
        "Level total 30 min 2. Leading our teams",
        "2.3 Five myths of compassionate leadership Read 10 min Level total (running total, levels 1 to 2: 55 min) "
        "25 min 3. Leading our organisations",
        "Level total (running total, levels 1 to 3: 3 h 5 min) 2 h 10 min 4. Leading across the system",
        "4.3 Well-led framework Read 40 min Level total (running total, levels 1 to 4: 5 h 45 min) 2 h 40 min"])
    assert overview.endswith("2 h 40 min") and "from the start" not in overview


def small_pathway(levels: int) -> str:
    """A pathway of `levels` levels, one item each, with no source and one item with no address."""
    text = f"id: levels-{levels}\ntitle: {levels} levels\nlevels:\n"
    for number in range(1, levels + 1):
        text += (f"  - id: level-{number}\n    title: Level {number}\n    items:\n"
                 f"      - {{id: item-{number}, kind: read, title: Item {number}, minutes: 30}}\n")
    return text


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The learner workbooks of a one-level and a seven-level pathway, as page texts."""
    folder = tmp_path_factory.mktemp("small")
    for levels in (1, 7):
        (folder / f"levels-{levels}.yaml").write_text(small_pathway(levels), encoding="utf-8")
    result = run_pathway("build", "levels-1.yaml", "levels-7.yaml", "--format", "pdf", "--edition", "learner",
                         "--out", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    return {levels: page_texts(PdfReader(folder / "out" / f"levels-{levels}" / "workbook.pdf")) for levels in (1, 7)}


def test_one_level_is_counted_in_the_singular_with_no_running_total_and_no_source(small):
    pages = small[1]
    assert pages[1] == ("How to use this workbook The pathway has 1 level. Its 1 resource takes about 30 min in "
                        f"all, plus time to reflect. {HOW_TO_STEPS}")
    # A short contents shares its page with the overview (see fit.py).
    assert pages[2].endswith("Programme overview 1. Level 1 No. Resource Kind Time 1.1 Item 1 Read 30 min "
                             "Level total 30 min")
    level = next(number for number, text in enumerate(pages) if text.startswith("LEVEL 1 OF 1 Level 1"))
    # With no source to point to, an item without an address says what else to do.
    item = pages[level + 1]
    assert item == ("1.1 · Read Item 1 About 30 min No web address is given here. Search for its title, or "
                    "ask your facilitator. Done Reflection " + item.split(" Reflection ", 1)[1])
    resources = next(text for text in pages if text.startswith("All resources "))
    # The page's rest is a Notes box (see fit.py).
    assert resources == "All resources 1.1 Item 1. No web address: search for the title. Notes"
    assert not [text for text in pages if "built on" in text]


def test_seven_levels_are_counted_as_they_are_with_a_running_total_for_each(small):
    pages = small[7]
    assert pages[1].startswith("How to use this workbook The pathway has 7 levels, from “Level 1” to “Level 7”. "
                               "Its 7 resources take about 3 h 30 min in all, plus time to reflect. ")
    overview = " ".join(text for text in pages if text.startswith("Programme overview ") or "Level total" in text)
    for number in range(2, 8):
        assert (f"Level total (running total, levels 1 to {number}: {format_minutes(30 * number)}) 30 min"
                in overview), number
    assert [text[:18] for text in pages if text.startswith("LEVEL ")] == [
        f"LEVEL {number} OF 7 Level" for number in range(1, 8)]


def test_every_other_page_has_its_own_pdf_page_number_in_the_footer(workbook):
    pages = len(workbook.pages)
    for number, page in enumerate(workbook.pages[1:], start=2):
        assert margin_text(page).endswith(f"Page {number} of {pages}"), number
    # No page labels: a viewer's page box shows the same numbers as the footer and the contents.
    assert "/PageLabels" not in workbook.trailer["/Root"]


def test_running_header_names_the_level_the_page_belongs_to(workbook, pages, programme):
    first = starts(pages, programme)
    for stage in programme.stages:
        for step in stage.steps:
            assert margin_text(workbook.pages[first[step.item.id] - 1]).startswith(
                f"{stage.level.title} Compassionate and inclusive leadership"), step.number
    assert margin_text(workbook.pages[2]).startswith("Contents ")


def test_contents_gives_the_page_where_each_level_and_item_starts(pages, programme):
    entries = contents_entries(pages)
    first = starts(pages, programme)
    for stage in programme.stages:
        page = entries[f"{stage.number}. {stage.level.title}"]
        assert pages[page - 1].startswith(
            f"LEVEL {stage.number} OF 4 {stage.level.title}")
        for step in stage.steps:
            assert entries[f"{step.number} {step.item.title}"] == first[step.item.id], step.number
    for title in FRONT[::2] + BACK:  # all but the contents itself
        assert re.match(rf"{re.escape(title)}( |$)", pages[entries[title] - 1]), title
    assert list(entries)[:2] == ["How to use this workbook", "Programme overview"]
    assert list(entries)[-4:] == BACK and len(entries) == 2 + 4 + 11 + 4


def test_outline_holds_front_matter_levels_with_their_items_and_closing_pages(workbook, pages, programme):
    entries = contents_entries(pages)
    expected_titles = FRONT[:]
    for stage in programme.stages:
        expected_titles += [stage.level.title, [step.item.title for step in stage.steps]]
    expected_titles += BACK
    marks = outline(workbook)
    assert [[title for title, _ in mark] if isinstance(mark, list) else mark[0] for mark in marks] \
        == expected_titles
    # Each bookmark opens the page the contents gives.
    levels = [mark for mark in marks if not isinstance(mark, list) and mark[0] not in FRONT + BACK]
    for stage, (title, page) in zip(programme.stages, levels):
        assert page == entries[f"{stage.number}. {title}"]
    items = [entry for mark in marks if isinstance(mark, list) for entry in mark]
    for step, (title, page) in zip(programme.steps, items):
        assert page == entries[f"{step.number} {title}"]


def test_item_section_has_facts_address_summary_questions_and_boxes_in_order(pages, programme):
    step = programme.steps[0]
    text = section(pages, programme, "culture-is-leadership")
    assert text.startswith(
        "1.1 · Read If it’s about NHS culture, it’s about leadership Michael West · The King’s Fund · 2016 "
        "About 10 min Web address "
        "https://www.kingsfund.org.uk/insight-and-analysis/blogs/nhs-culture-leadership Done ")
    assert_in_order(text, [
        plain(step.item.summary)[:120], "Reflection",
        *[plain(question) for question in step.questions], "Key insight", "How my action went"])
    # The last question plans the week's action; the box after it is for how it went, not the same again.
    assert plain(step.questions[-1]).startswith("Now what? Choose one routine moment this week")
    assert "One action this week" not in text
    # With no address of its own, an item says where to look: the page the pathway is built on.
    no_address = section(pages, programme, "compassionate-leader-characteristics")
    assert no_address.startswith(
        "1.2 · Read What are the characteristics of a compassionate leader? About 20 min "
        f"No web address is given here. This pathway is built on “{SOURCE_TITLE}” ({SOURCE_URL}): look for "
        "its title there, or search for it, or ask your facilitator. Done ")
    assert "Web address" not in no_address


def test_qr_codes_read_back_as_the_address_printed_beside_them(folder, pages, programme, tmp_path):
    first = starts(pages, programme)
    for step in programme.steps:
        number = first[step.item.id]
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(number), "-l", str(number),
                        "-singlefile", str(folder / "workbook.pdf"), str(tmp_path / "page")], check=True)
        codes = [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]
        assert codes == ([step.item.url] if step.item.url else []), step.number


@pytest.mark.parametrize("name", ["workbook.pdf", "workbook-fillable.pdf", "facilitator.pdf"])
def test_pdfs_are_tagged_pdf_ua_1_and_pass_a_checker(folder, name):
    report = pdf_checker.validate_pdf(str(folder / name), profile="ua1")
    assert [(failure.rule_id, failure.message) for failure in report.failures] == []
    assert report.is_compliant
    reader = PdfReader(folder / name)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True and root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()


def test_metadata_gives_title_author_subject_and_language(folder):
    for name, title in [("workbook.pdf", "learner workbook"), ("facilitator.pdf", "facilitator guide")]:
        metadata = PdfReader(folder / name).metadata
        assert metadata.title == f"Compassionate and inclusive leadership: {title}"
        assert metadata.author is None  # the default pathway names no author or organisation
        assert metadata.subject == "From self to system"


@pytest.mark.parametrize("name", ["workbook.pdf", "facilitator.pdf"])
def test_headings_never_skip_a_level_and_every_figure_is_a_qr_code_with_alt_text(folder, name, programme):
    elements = structure(PdfReader(folder / name))
    levels = [int(kind[2]) for kind, _ in elements if re.fullmatch(r"/H[1-6]", kind)]
    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:]))
    assert levels.count(2) >= 11  # every item title
    figures = [element["/Alt"] for kind, element in elements if kind == "/Figure"]
    assert figures == [f"QR code for the web address of “{step.item.title}”, which is printed beside it"
                       for step in programme.steps if step.item.url]


def test_fillable_edition_names_and_labels_a_field_for_every_answer(folder, programme):
    reader = PdfReader(folder / "workbook-fillable.pdf")
    fields = reader.get_fields()
    expected = {"name", "notes.1", "notes.2"} | {f"action-plan.{stage.level.id}" for stage in programme.stages}
    expected |= {f"account.{part}" for part in ("nature", "learned", "changed", "code")}
    expected |= {f"account.theme-{number}" for number in range(1, 5)}
    for step in programme.steps:
        expected |= {f"{step.item.id}.q{n}" for n in range(1, len(step.questions) + 1)}
        expected |= {f"{step.item.id}.done", f"{step.item.id}.insight", f"{step.item.id}.action"}
    assert set(fields) == expected
    step = programme.steps[0]
    assert fields["culture-is-leadership.q1"]["/FT"] == "/Tx"
    assert fields["culture-is-leadership.q1"]["/TU"] == plain(step.questions[0])
    assert fields["culture-is-leadership.done"]["/FT"] == "/Btn"
    assert fields["culture-is-leadership.done"]["/TU"] == \
        "Done: If it’s about NHS culture, it’s about leadership"
    assert fields["culture-is-leadership.insight"]["/TU"] == \
        "Key insight: If it’s about NHS culture, it’s about leadership"
    assert fields["culture-is-leadership.action"]["/TU"] == \
        "How my action went: If it’s about NHS culture, it’s about leadership"
    assert fields["action-plan.team"]["/TU"] == "My action plan: Leading our teams"
    assert fields["name"]["/TU"] == "Your name" and widgets(reader)["name"][0] == 1
    # The reflective account at the end: the NMC's headings, and its themes of the Code.
    assert fields["account.code"]["/TU"] == "How is this relevant to the Code?"
    assert fields["account.theme-1"]["/FT"] == "/Btn" and fields["account.theme-1"]["/TU"] == "Prioritise people"
    assert widgets(reader)["account.theme-4"][0] == len(reader.pages)


def test_a_question_and_its_writing_space_are_always_on_one_page(folder, pages, programme):
    reader = PdfReader(folder / "workbook-fillable.pdf")
    placed, fillable = widgets(reader), page_texts(reader)
    for step in programme.steps:
        for n, question in enumerate(step.questions, start=1):
            page, _ = placed[f"{step.item.id}.q{n}"]
            assert plain(question) in fillable[page - 1], f"{step.number} q{n}"
    # The writing space is as tall as the ruled lines, so the plain workbook pages alike.
    assert contents_entries(fillable) == contents_entries(pages)


def test_closing_pages_hold_an_action_plan_two_notes_pages_and_every_reference(pages, programme):
    plan = next(number for number, text in enumerate(pages) if text.startswith("My action plan"))
    assert pages[plan] == ("My action plan Bring together the actions you chose at each level. What will "
                           "you keep doing after the programme? " + " ".join(
                               stage.level.title for stage in programme.stages))
    assert pages[plan + 1] == "Notes" and pages[plan + 2] == ""
    assert pages[plan + 3].startswith(f"All resources {SOURCE} 1.1 Michael West (2016). If it’s about NHS "
                                      "culture, it’s about leadership. The King’s Fund.")
    references = " ".join(pages[plan + 3:])
    for step in programme.steps:
        assert f"{step.number} " in references
        assert (step.item.url or "No web address: look for the title in the source named above, or search "
                                 "for it.") in references


def test_facilitator_guide_has_sessions_with_timings_notes_and_prompts_but_no_writing_space(folder, programme):
    text = pdf_text(folder / "facilitator.pdf")
    sessions = [stage.session_minutes for stage in programme.stages]
    assert_in_order(text, ["Session plan", "Session Level When and where Resources Learner time Session length",
                           f"1 Leading ourselves to be set 1.1, 1.2 30 min {format_minutes(sessions[0])}",
                           f"Whole programme 11 5 h 45 min {format_minutes(sum(sessions))}"])
    for stage in programme.stages:
        assert_in_order(text, [f"Session {stage.number}: running order",
                               f"When Date to be set The running order takes "
                               f"{format_minutes(stage.session_minutes)}."] + [
            f"{clock(slot.start)}–{clock(slot.start + slot.minutes)} {slot.activity} {slot.minutes} min"
            for slot in stage.agenda])
    for step in programme.steps:
        assert_in_order(text[text.find(step.item.title + " "):], [
            "Facilitator notes", plain(step.item.facilitator_notes)[:80], "Discussion prompts",
            *[plain(prompt) for prompt in step.item.discussion_prompts], "The learner’s questions",
            *[plain(question) for question in step.questions]])
    assert "Key insight" not in text and "Reflection" not in text and "Name" not in text
    assert PdfReader(folder / "facilitator.pdf").get_fields() is None


def test_facilitator_guide_names_the_source_and_where_to_look_for_an_item_with_no_address(folder, programme):
    text = pdf_text(folder / "facilitator.pdf")
    assert_in_order(text, ["Session plan", f"{plain(programme.pathway.summary)} {SOURCE} "
                                           "The programme has one group session per level."])
    # The guide says where to look for an item with no address, but not to ask the facilitator.
    assert (f"2.1 · Watch The importance of teaming in health and care Amy Edmondson · The King’s Fund About 10 min "
            f"No web address is given here. This pathway is built on “{SOURCE_TITLE}” ({SOURCE_URL}): look for "
            "its title there, or search for it. Harvard professor") in text
    assert "ask your facilitator" not in text
    assert f"All resources {SOURCE} 1.1 Michael West (2016)." in text


def test_two_builds_give_byte_identical_pdfs(folder, tmp_path):
    again = run_pathway("build", "--format", "pdf", "--fillable", "--out", str(tmp_path), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for name in ("workbook.pdf", "workbook-fillable.pdf", "facilitator.pdf"):
        assert (tmp_path / OUT / name).read_bytes() == (folder / name).read_bytes(), name
