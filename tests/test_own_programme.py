"""A facilitator's own programme: sessions with times and places, bank holidays, the organisation,
its contact and logo, and what they show in the PDFs and the HTML workbook."""

import datetime
import shutil

import pytest
from pypdf import PdfReader

from builder.pathway.assemble import load
from builder.sequence import sequence
from conftest import ROOT, plain, problems_of, run_pathway, write
from pdfread import page_texts, structure, widgets

HERE = ROOT / "tests" / "own-programme"
LEVELS = """\
levels:
  - id: one
    title: One
    items: [{id: a, kind: read, title: A}]
  - id: two
    title: Two
    items: [{id: b, kind: read, title: B}]
  - id: three
    title: Three
    items: [{id: c, kind: read, title: C}]
"""


def pathway(workdir, text, name="p.yaml"):
    write(workdir, name, "id: p\ntitle: P\n" + text + LEVELS)
    return name


def test_sessions_give_times_places_and_dates_and_the_rest_follow_the_schedule(workdir):
    loaded = load(pathway(workdir, """\
schedule: {start: 2027-03-02, every_days: 7}
sessions:
  one: {start: 09:30, end: 11:00, place: Room 2}
  three: {date: 2027-04-01, start: 9.05, online: 'https://meet.example.org/x', notes: Bring a pen.}
"""))
    stages = sequence(loaded.pathway).stages
    assert [stage.session for stage in stages] == [
        datetime.date(2027, 3, 2), datetime.date(2027, 3, 9), datetime.date(2027, 4, 1)]
    one, two, three = (stage.details for stage in stages)
    assert (one.start, one.end, one.place) == (datetime.time(9, 30), datetime.time(11, 0), "Room 2")
    assert two is None
    assert (three.start, three.online, three.notes) == (datetime.time(9, 5), "https://meet.example.org/x",
                                                        "Bring a pen.")
    assert stages[0].starts_at == 570 and stages[2].starts_at == 545
    assert loaded.warnings == ()


def test_the_running_order_says_how_far_it_runs_past_the_sessions_end(workdir):
    loaded = load(pathway(workdir, "sessions:\n  one: {start: 09:00, end: '09:30'}\n"
                                   "  two: {start: 9:00, end: 17:00}\n"))
    one, two, _ = sequence(loaded.pathway).stages
    assert (one.session_minutes, one.overrun) == (55, 25)  # opening 20, one item 10, actions 15, look ahead 5, close 5
    assert two.overrun == 0


@pytest.mark.parametrize("nation, day, holiday", [
    ("england-and-wales", "2027-03-29", "Easter Monday"),
    ("scotland", "2027-11-30", "Saint Andrew's Day"),
    ("northern-ireland", "2027-03-17", "Saint Patrick's Day"),
])
def test_a_session_on_a_bank_holiday_of_the_chosen_nation_is_a_warning(workdir, nation, day, holiday):
    text = f"holidays_in: {nation}\nsessions:\n  two:\n    date: {day}\n"
    warnings = [str(warning) for warning in load(pathway(workdir, text)).warnings]
    weekday = datetime.date.fromisoformat(day)
    assert warnings == [f"p.yaml:6:11: sessions.two.date: session 2 is on {weekday:%A} {weekday.day} "
                        f"{weekday:%B %Y}, {holiday}: move it with sessions:"]


def test_a_computed_session_on_a_bank_holiday_is_a_warning_at_the_schedule(workdir):
    warnings = load(pathway(workdir, "schedule: {start: 2027-03-01, every_days: 14}\n")).warnings
    assert [str(warning) for warning in warnings] == [
        "p.yaml:3:19: schedule.start: session 3 is on Monday 29 March 2027, Easter Monday: move it with sessions:"]
    assert load(pathway(workdir, "holidays_in: scotland\nschedule: {start: 2027-03-01, every_days: 14}\n")
                ).warnings == ()  # Easter Monday is no bank holiday in Scotland


def test_every_problem_with_a_session_is_located(workdir):
    assert problems_of(pathway(workdir, """\
sessions:
  tow: {start: 09:30}
  one: {start: 25:00, end: 9:30am, place: ''}
  two: {start: '14:00', end: '13:30', online: meet.example.org}
  three: {date: 2027-02-30, start: 930}
holidays_in: wales
""")) == [
        "p.yaml:4:3: sessions.tow: the pathway has no level 'tow' (did you mean 'two'?)",
        "p.yaml:5:16: sessions.one.start: '25:00' is not a time: the 24-hour clock runs from 00:00 to 23:59",
        "p.yaml:5:28: sessions.one.end: '9:30am' is not a time: write it on the 24-hour clock, like 09:30 or 14:00",
        "p.yaml:5:43: sessions.one.place: must not be empty",
        "p.yaml:6:30: sessions.two.end: the session ends at 13:30, not after it starts at 14:00",
        "p.yaml:6:47: sessions.two.online: 'meet.example.org' is not a web address: a url must start with "
        "https:// or http://",
        "p.yaml:7:17: sessions.three.date: '2027-02-30' is not a date: February 2027 has 28 days",
        "p.yaml:7:36: sessions.three.start: '930' is not a time: write it on the 24-hour clock, like 09:30 or 14:00",
        "p.yaml:8:14: holidays_in: 'wales' is not one of england-and-wales, scotland, northern-ireland",
    ]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize("name, content, message", [
    ("gone.png", None, "cannot find the logo 'gone.png' beside ./: put the image in the pathway file's folder, "
                       "or correct the name"),
    ("big.png", PNG + b"\x00" * (2 * 1024 * 1024), "the logo is 2.0 MB; a logo may be at most 2 MB: save a "
                                                    "smaller image"),
    ("logo.gif", b"GIF89a" + b"\x00" * 20, "'logo.gif' is not a PNG, JPEG or SVG image: save the logo as one of "
                                           "those"),
    ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "the logo 'script.svg' holds a script: save the SVG without scripts or event handlers"),
    ("handler.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
     "the logo 'handler.svg' holds a script: save the SVG without scripts or event handlers"),
    ("outside.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
     "the logo 'outside.svg' refers to something outside itself ('https://example.org/x.png'): save the SVG "
     "with every image and font inside it"),
    ("../up.png", PNG, "the logo must be a file in the pathway file's folder, or a folder inside it: "
                       "'../up.png' is outside it"),
])
def test_a_bad_logo_is_a_located_error(workdir, name, content, message):
    (workdir / "pathways").mkdir()
    if content is not None:
        (workdir / "pathways" / name).write_bytes(content)
    write(workdir, "pathways/p.yaml", f"id: p\ntitle: P\norganisation: Example Trust\nlogo: '{name}'\n" + LEVELS)
    expected = message.replace("beside ./", "beside pathways/")
    assert problems_of("pathways/p.yaml") == [f"pathways/p.yaml:4:7: logo: {expected}"]


def test_a_logo_that_links_out_of_the_folder_or_hides_is_refused_as_the_sandbox_refuses(workdir):
    (workdir / "elsewhere.png").write_bytes(PNG)
    (workdir / "pathways" / ".hidden").mkdir(parents=True)
    (workdir / "pathways" / ".hidden" / "logo.png").write_bytes(PNG)
    (workdir / "pathways" / "logo.png").symlink_to(workdir / "elsewhere.png")
    for name, message in [
            ("logo.png", "the logo must be a file in the pathway file's folder, or a folder inside it: 'logo.png' "
                         "is a link to somewhere outside it"),
            (".hidden/logo.png", "the logo '.hidden/logo.png' is in a hidden folder or file: move it beside the "
                                 "pathway file")]:
        write(workdir, "pathways/p.yaml", f"id: p\ntitle: P\norganisation: Example Trust\nlogo: '{name}'\n" + LEVELS)
        assert problems_of("pathways/p.yaml") == [f"pathways/p.yaml:4:7: logo: {message}"]


def test_a_logo_needs_the_organisation_as_its_text(workdir):
    (workdir / "logo.png").write_bytes(PNG)
    assert problems_of(pathway(workdir, "logo: logo.png\n")) == [
        "p.yaml:3:7: logo: a logo needs 'organisation:' too: the organisation's name is the logo's text for "
        "those who cannot see it"]


def test_a_logo_is_found_beside_the_file_that_names_it_and_kept_as_data(workdir):
    (workdir / "base").mkdir()
    (workdir / "base" / "logo.png").write_bytes(PNG)
    write(workdir, "base/base.yaml", "id: base\ntitle: Base\norganisation: Example Trust\nlogo: logo.png\n" + LEVELS)
    write(workdir, "child.yaml", "extends: base/base.yaml\nid: child\n")
    assert load("child.yaml").logo.startswith("data:image/png;base64,iVBORw0KGgo")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    shutil.copytree(HERE, folder / "own-programme")
    result = run_pathway("build", "own-programme/ward-programme.yaml", "--format", "pdf,html", "--fillable",
                         cwd=folder)
    assert (result.returncode, result.stderr) == (0, "")
    return folder / "output" / "ward-programme"


@pytest.mark.pdf
def test_the_workbook_shows_the_organisation_contact_logo_sessions_and_changes(built):
    reader = PdfReader(built / "workbook.pdf")
    pages = [plain(text) for text in page_texts(reader)]
    figures = [element["/Alt"] for kind, element in structure(reader) if kind == "/Figure"]
    assert figures[0] == "Example Valley NHS Foundation Trust"  # the logo, first on the cover
    assert "Run by Example Valley NHS Foundation Trust Contact Jo Bloggs, jo.bloggs@example.org" in pages[0]
    assert "Pathway builder" not in pages[0]
    assert ("Who to ask Example Valley NHS Foundation Trust runs this programme. Your facilitator is Jo Bloggs, "
            "jo.bloggs@example.org") in pages[1]  # a link: the text after it is read apart
    assert "ask them about anything in this workbook, or if you cannot come to a session." in pages[1]
    overview = next(page for page in pages if page.startswith("Programme overview"))
    assert "1. Leading ourselves: session on Tuesday 2 March 2027, 09:30 to 11:00, Seminar Room 2, Education " \
           "Centre" in overview
    assert "2. Leading our teams: session on Tuesday 16 March 2027, 14:00 to 15:30 No." in overview
    team = next(page for page in pages if page.startswith("LEVEL 2 OF 4"))
    assert "This level is about your ward team and the shifts you share." in team
    assert ("Group session When Tuesday 16 March 2027, 14:00 to 15:30 Online "
            "https://meet.example.org/ward-team-session") in team
    first = next(page for page in pages if page.startswith("LEVEL 1 OF 4"))
    assert ("When Tuesday 2 March 2027, 09:30 to 11:00 Where Seminar Room 2, Education Centre Bring your workbook "
            "and a pen.") in first
    item = next(page for page in pages if "If it’s about NHS culture, it’s about leadership" in page
                and "Reflection" in page)
    assert "Our trust's own copy of the blog, with a foreword by our chief nurse." in item
    assert "https://www.example.org/our-own-copy-of-the-blog" in item
    assert reader.metadata.author == "Example Valley NHS Foundation Trust"


@pytest.mark.pdf
def test_the_facilitator_guide_times_the_running_order_from_the_sessions_start(built):
    pages = [plain(text) for text in page_texts(PdfReader(built / "facilitator.pdf"))]
    plan = next(page for page in pages if page.startswith("Session plan"))
    assert "1 Leading ourselves Tue 2 Mar 2027, 09:30 to 11:00 Seminar Room 2, Education Centre" in plan
    assert "2 Leading our teams Tue 16 Mar 2027, 14:00 to 15:30 Online" in plan
    assert "3 Leading our organisations Tue 30 Mar 2027" in plan
    first = next(page for page in pages if "Session 1: running order" in page)
    assert "09:30–09:50 Welcome and introductions" in first
    assert ("It runs past the session’s end: it ends at 10:55" not in first)  # 1 h 25 min from 09:30
    team = next(page for page in pages if "Session 2: running order" in page)
    assert "14:00–14:10 Welcome and check-in" in team
    assert ("It runs past the session’s end: it ends at 15:50, 20 min after 15:30. Shorten the discussions, or "
            "give the session a later end.") in team


@pytest.mark.browser
def test_the_html_workbook_shows_the_logo_contact_and_sessions(built, browser):
    page = browser.new_page()
    page.goto((built / "workbook.html").as_uri())
    logo = page.locator(".masthead .logo img")
    assert logo.get_attribute("alt") == "Example Valley NHS Foundation Trust"
    assert logo.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert logo.evaluate("image => image.complete && image.naturalWidth") == 300
    assert page.locator(".masthead .contact").inner_text() == "Your facilitator: Jo Bloggs, jo.bloggs@example.org"
    sessions = [line for line in page.locator("#level-team .session").inner_text().splitlines() if line]
    assert sessions == ["Group session: Tuesday 16 March 2027, 14:00 to 15:30",
                        "Online: https://meet.example.org/ward-team-session"]
    page.close()


@pytest.mark.pdf
def test_an_item_given_five_questions_of_eight_lines_prints_them_all_with_their_space(built):
    pages = [plain(text) for text in page_texts(PdfReader(built / "workbook.pdf"))]
    text = " ".join(pages)
    questions = ["Which of the five myths have you heard on your ward?", "Who said it, and in what words?",
                 "What does the myth make harder for your team?",
                 "What would you say back, drawing on what you read?", "When this week will you say it?"]
    start = text.find("Five myths of compassionate leadership Michael West")
    assert start > 0 and all(text.find(question, start) > start for question in questions)
    fields = widgets(PdfReader(built / "workbook-fillable.pdf"))
    millimetre = 72 / 25.4
    heights = [abs(float(fields[f"five-myths.q{n}"][1]["/Rect"][3]) - float(fields[f"five-myths.q{n}"][1]["/Rect"][1]))
               for n in range(1, 6)]
    # 8.25 mm a line, less the 2 mm of the field's border and padding (see test_page_fill.py)
    assert [round((height / millimetre + 2) / 8.25, 2) for height in heights] == [8] * 5
    assert "five-myths.q6" not in fields
