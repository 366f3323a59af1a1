"""Building the default and example pathways, read back as a user would: PDF text, outline, HTML."""

import html.parser
import json
import re

import pytest
from pypdf import PdfReader

from conftest import DEFAULT, EXAMPLE, ROOT, assert_in_order, plain, run_pathway, write
from pdfread import pdf_text

OUT = "compassionate-inclusive-leadership"


def html_text(path) -> str:
    class Text(html.parser.HTMLParser):
        parts: list = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.parts = []
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def built(default_build):
    folder, result = default_build
    assert result.returncode == 0, result.stderr
    return folder, result


@pytest.mark.pdf
def test_build_with_no_argument_writes_the_three_default_files_and_says_so(built):
    folder, result = built
    lines = result.stdout.splitlines()
    assert lines[0] == "Built compassionate-inclusive-leadership: 4 levels, 11 items"
    assert re.fullmatch(rf"  output/{OUT}/workbook\.html  \(\d+ KB\)", lines[1])
    pages = len(PdfReader(folder / "output" / OUT / "workbook.pdf").pages)
    size = (folder / "output" / OUT / "workbook.pdf").stat().st_size
    assert lines[2] == f"  output/{OUT}/workbook.pdf  ({pages} pages, {size / 1024:.0f} KB)"
    assert re.fullmatch(rf"  output/{OUT}/facilitator\.pdf  \(\d+ pages, \d+ KB\)", lines[3])
    assert re.fullmatch(r"Done in \d+\.\d s\.", lines[4])
    # The record of what the PDFs were made from, and their parts, for the next build (see test_incremental.py
    # and test_relayout.py).
    assert sorted(p.name for p in (folder / "output" / OUT).iterdir()) == [
        ".pathway-build.json", ".pathway-parts", "facilitator.pdf", "workbook.html", "workbook.pdf"]


@pytest.mark.pdf
def test_workbook_pdf_has_every_title_in_sequence_with_its_questions(built, programme):
    text = pdf_text(built[0] / "output" / OUT / "workbook.pdf")
    titles = [step.item.title for step in programme.steps]
    # Once in the contents, once in the overview, once as the item section's heading.
    body = text[text.find("LEVEL 1 OF 4"):]
    assert_in_order(body, [part for step in programme.steps
                           for part in [step.item.title] + [plain(q) for q in step.questions]])
    assert_in_order(text, ["Contents"] + [f"{step.number} {step.item.title}" for step in programme.steps])
    assert len(titles) == 11 and titles[0] == "If it’s about NHS culture, it’s about leadership"


@pytest.mark.pdf
def test_learner_workbook_holds_no_facilitator_notes(built, programme):
    workbook = pdf_text(built[0] / "output" / OUT / "workbook.pdf")
    guide = pdf_text(built[0] / "output" / OUT / "facilitator.pdf")
    for step in programme.steps:
        first_sentence = plain(step.item.facilitator_notes).split(". ")[0]
        assert first_sentence not in workbook
        assert first_sentence in guide


@pytest.mark.pdf
def test_html_workbook_has_every_title_in_sequence_with_labelled_questions(built, programme):
    path = built[0] / "output" / OUT / "workbook.html"
    text = html_text(path)
    assert_in_order(text[text.find("About this pathway"):],
                    [part for step in programme.steps
                     for part in [step.item.title] + [plain(q) for q in step.questions]])
    source = path.read_text(encoding="utf-8")
    # Each question, each item's Key insight, One action and How my action went, each level's action plan,
    # and the four parts of the NMC reflective account.
    assert source.count("<textarea") == (sum(len(step.questions) + 3 for step in programme.steps)
                                         + len(programme.stages) + 4)
    assert '<label for="five-myths-q1">' in source and 'name="five-myths.q1"' in source
    assert source.count("<script>") == 1 and source.count("<style>") == 1


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example")
    result = run_pathway("build", str(EXAMPLE), "--edition", "learner", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "output" / "ward-managers-spring-2027"


@pytest.mark.pdf
def test_example_pdf_shows_new_order_lacks_omitted_and_has_added_item(example):
    assert sorted(p.name for p in example.iterdir()) == [".pathway-build.json", ".pathway-parts", "sessions.ics",
                                                         "workbook.html", "workbook.pdf"]  # its sessions have dates
    text = pdf_text(example / "workbook.pdf")
    assert "Well-led framework" not in text
    assert "Ward managers, spring 2027" in text
    assert_in_order(text, ["2.1 The importance of psychological safety", "2.2 Five myths of compassionate leadership",
                           "2.3 The importance of teaming in health and care",
                           "3.1 Developing collective leadership for health care", "3.2 A listening walk on your ward"])
    assert "session on Monday 15 March 2027, 14:00 to 16:00, Seminar Room 2, Education Centre" in text
    assert "Which of the five myths have you heard on your ward, and in what words?" in text


@pytest.mark.pdf
def test_same_input_gives_byte_identical_outputs(built, tmp_path):
    again = run_pathway("build", "--out", str(tmp_path), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for name in ("workbook.html", "workbook.pdf", "facilitator.pdf"):
        assert (tmp_path / OUT / name).read_bytes() == (built[0] / "output" / OUT / name).read_bytes(), name


@pytest.mark.pdf
def test_print_html_and_fillable_editions(tmp_path):
    result = run_pathway("build", "--format", "print-html,pdf", "--edition", "learner", "--fillable",
                         "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / OUT
    assert sorted(p.name for p in folder.iterdir()) == [
        ".pathway-build.json", ".pathway-parts", "workbook-fillable.pdf", "workbook-fillable.print.html",
        "workbook.pdf", "workbook.print.html"]
    assert (folder / "workbook.print.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    fields = PdfReader(folder / "workbook-fillable.pdf").get_fields()
    assert "culture-is-leadership.q1" in fields and "well-led-framework.q4" in fields
    assert PdfReader(folder / "workbook.pdf").get_fields() is None


def test_template_folder_overrides_and_extends_the_builtin_one(tmp_path):
    write(tmp_path, "mine/screen/workbook.html", """\
        {% extends "builtin/screen/workbook.html" %}
        {% block colophon %}<footer><p>Produced by the Learning Hub</p></footer>{% endblock %}
        """)
    result = run_pathway("build", "--format", "html", "--templates", "mine", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "output" / OUT / "workbook.html").read_text(encoding="utf-8")
    assert "Produced by the Learning Hub" in page
    assert "Made with pathway builder" not in page
    assert "If it’s about NHS culture, it’s about leadership" in page


def test_shipped_pathways_point_at_the_committed_schema_and_it_is_current():
    committed = json.loads((ROOT / "pathways" / "pathway.schema.json").read_text(encoding="utf-8"))
    printed = run_pathway("schema", cwd=ROOT)
    assert printed.returncode == 0
    assert json.loads(printed.stdout) == committed, "run: pathway schema > pathways/pathway.schema.json"
    assert DEFAULT.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=pathway.schema.json\n")
    assert EXAMPLE.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../pathway.schema.json\n")
    # A pathway names what it is built on by a title and an address.
    assert "source" in committed["$defs"]["Pathway"]["properties"]
    assert set(committed["$defs"]["Source"]["properties"]) == {"title", "url"}
    assert committed["$defs"]["Source"]["required"] == ["title"]
    assert set(committed["$defs"]["Item"]["properties"]) == {
        "id", "kind", "title", "source", "authors", "year", "url", "minutes", "summary", "questions",
        "discussion_prompts", "facilitator_notes", "discussion_minutes", "writing_lines", "language"}
    assert "language" in committed["$defs"]["Level"]["properties"]
    assert "language" in committed["$defs"]["Change"]["properties"]


# What was verified about each resource of NHS England's page (the seed's resource-facts.md): a link,
# year or author that is not here must not reach a workbook handed to NHS staff.
VERIFIED = {
    "culture-is-leadership": ("https://www.kingsfund.org.uk/insight-and-analysis/blogs/nhs-culture-leadership",
                              2016, ("Michael West",)),
    "compassionate-leader-characteristics": (None, None, ()),
    "teaming-in-health-and-care": (None, None, ("Amy Edmondson",)),
    "psychological-safety": (None, None, ("Amy Edmondson",)),
    "five-myths": ("https://www.kingsfund.org.uk/blog/2019/05/five-myths-compassionate-leadership", 2019,
                   ("Michael West", "Suzie Bailey")),
    "collective-leadership": (
        "https://www.kingsfund.org.uk/insight-and-analysis/reports/developing-collective-leadership-for-health-care",
        2014, ("Michael West", "Regina Eckert", "Katy Steward", "Bill Pasmore")),
    "three-ways-psychological-safety": (
        "https://www.ihi.org/education/IHIOpenSchool/resources/Pages/AudioandVideo/"
        "Amy-Edmondson-Three-Ways-to-Create-Psychological-Safety-in-Health-Care.aspx", None, ("Amy Edmondson",)),
    "supportive-leadership-cultures": ("https://www.kingsfund.org.uk/events/compassionate-and-inclusive-leadership",
                                       None, ("Prerana Issar", "Sam Allen", "Don Berwick", "Michael West")),
    "compassionate-leadership-book": ("https://swirlingleafpress.com/compassionate-leadership/", 2021,
                                      ("Michael West",)),
    "messenger-review": ("https://www.gov.uk/government/publications/health-and-social-care-review-leadership-"
                         "for-a-collaborative-and-inclusive-future", 2022,
                         ("General Sir Gordon Messenger", "Dame Linda Pollard")),
    "well-led-framework": ("https://www.england.nhs.uk/well-led-framework/", 2024, ()),  # guidance updated April 2024
}


def test_the_default_pathway_carries_only_the_verified_links_years_and_authors(programme):
    pathway = programme.pathway
    assert (pathway.source.title, pathway.source.url) == (
        "What does compassionate and inclusive leadership mean to us?",
        "https://www.england.nhs.uk/culture/what-does-compassionate-and-inclusive-leadership-mean-to-us/")
    assert {step.item.id: (step.item.url, step.item.year, step.item.authors) for step in programme.steps} == VERIFIED
    # No other address anywhere in what a learner or facilitator reads.
    addresses = set(re.findall(r"https?://[^\s)\"”]+", DEFAULT.read_text(encoding="utf-8")))
    assert addresses == {url for url, _, _ in VERIFIED.values() if url} | {pathway.source.url}
