"""`pathway serve`: the real command in a process of its own, edited as a user edits, seen in Chromium.

One server runs for the module: each test changes the files it watches and puts them back. Each
waits for the thing itself: a line the server prints, a text on the page. A page is closed with its
context: a page here reloads by itself, and Chromium can drop a page.close() that meets a reload
(crbug.com/536385539), which then waits for ever; disposing of the context has no such race.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from html import unescape

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from conftest import DEFAULT, ROOT, run_pathway
from pdfread import page_texts
from pypdf import PdfReader
from served import WAIT, Served, save


QUESTION = ("**What?** West links the culture of an NHS organisation to the behaviour of its leaders. Which part "
            "of his argument stood out to you most, and why?")
NEW_QUESTION = "**What?** Which one sentence of West's blog would you read aloud to your team, and why?"
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" fill="{colour}"/>'
        '</svg>')
SOON = WAIT * 1000  # the same, in Playwright's milliseconds
NODE = ROOT / "tests" / "node_modules"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    shutil.copy(DEFAULT, folder / "base.yaml")
    (folder / "pathway.yaml").write_text("extends: base.yaml\nid: our-programme\ntitle: Our programme\n"
                                         "organisation: Our trust\nlogo: logo.svg\n", encoding="utf-8")
    (folder / "logo.svg").write_text(LOGO.format(colour="#005eb8"), encoding="utf-8")
    (folder / "mine" / "screen").mkdir(parents=True)  # a template folder, empty for now
    (folder / "cohort.csv").write_text("name\nAda Lovelace\n", encoding="utf-8")
    server = Served(folder, "pathway.yaml", "--port", "0", "--edition", "learner", "--templates", "mine",
                    "--learners", "cohort.csv")
    server.wait_for(r"^\d\d:\d\d:\d\d the PDFs in [\d.]+ s \(workbook\.pdf, 1 learner's copy\)$")
    yield server
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        server.process.wait(WAIT)


def assert_accessible(page) -> None:
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]})
    assert results.violations_count == 0, results.generate_report()


def edited(served: Served, old: str, new: str) -> str:
    path = served.folder / "base.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.pdf
def test_the_start_page_lists_each_file_and_what_is_watched(served, browser):
    page = browser.new_page()
    page.goto(served.address)
    expect(page.get_by_role("heading", level=1)).to_have_text("Our programme")
    expect(page.get_by_role("link", name="workbook.html")).to_have_attribute("href", "/workbook.html")
    expect(page.get_by_role("link", name="workbook.pdf")).to_have_attribute("href", "/view/workbook.pdf")
    expect(page.locator(".serve-files li").nth(1)).to_have_text("workbook.pdf, 35 pages (the PDF file)")
    expect(page.get_by_role("link", name="learners/cohort/ada-lovelace.pdf")).to_be_visible()
    expect(page.locator(".serve-watched li")).to_have_text(
        ["base.yaml", "cohort.csv", "logo.svg", "pathway.yaml", "mine/"])
    assert_accessible(page)
    page.context.close()


@pytest.mark.pdf
def test_a_saved_question_shows_in_the_open_workbook_without_touching_it(served, browser):
    page = browser.new_page()
    page.goto(served.address)
    page.get_by_role("link", name="workbook.html").click()
    expect(page.get_by_text("Which part of his argument stood out to you most")).to_be_visible()
    before = served.mark()
    save(served.folder / "base.yaml", edited(served, QUESTION, NEW_QUESTION))
    expect(page.get_by_text("Which one sentence of West's blog would you read aloud")).to_be_visible(timeout=SOON)
    assert page.url == f"{served.address}workbook.html"
    served.wait_for(r"the PDFs in", before)
    after = served.mark()
    save(served.folder / "base.yaml", edited(served, NEW_QUESTION, QUESTION))
    expect(page.get_by_text("Which part of his argument stood out to you most")).to_be_visible(timeout=SOON)
    served.wait_for(r"the PDFs in", after)
    page.context.close()


@pytest.mark.pdf
def test_a_broken_save_keeps_the_pages_and_shows_the_message_with_its_line(served, browser, tmp_path):
    page = browser.new_page()
    page.goto(f"{served.address}workbook.html")
    text = (served.folder / "base.yaml").read_text(encoding="utf-8")
    broken = text.replace("        minutes: 10\n", "        minutes: ten\n", 1)
    line = text.splitlines().index("        minutes: 10") + 1
    for name in ("pathway.yaml", "logo.svg"):
        shutil.copy(served.folder / name, tmp_path / name)
    (tmp_path / "base.yaml").write_text(broken, encoding="utf-8")
    built = run_pathway("build", "pathway.yaml", "--format", "html", cwd=tmp_path)
    assert built.returncode == 2
    (message,) = [said for said in built.stderr.splitlines() if said.startswith("error: ")]
    assert message.startswith(f"error: base.yaml:{line}:18: levels[0].items[0].minutes: ")
    before = served.mark()
    save(served.folder / "base.yaml", broken)
    alert = page.get_by_role("alert")
    expect(alert.locator("pre")).to_have_text(
        f"{message}\nThe pages show the last good build until the next good save.", timeout=SOON)
    expect(alert).to_contain_text("This page shows the last good build. Save a fix, and it reloads by itself.")
    assert_accessible(page)
    expect(page.get_by_text("Which part of his argument stood out to you most")).to_be_visible()
    assert served.wait_for(r"base\.yaml changed: error: ", before).string.endswith(f"changed: {message}")
    start = browser.new_page()
    start.goto(served.address)
    expect(start.get_by_role("alert").locator("pre")).to_contain_text(message)
    expect(start.get_by_role("button")).to_have_count(0)  # the start page keeps it: it hides nothing there
    other = browser.new_page()
    other.goto(f"{served.address}workbook.html")
    other.get_by_role("button", name="Hide until the next save").click()
    expect(other.get_by_role("alert")).to_have_count(0)
    other.context.close()
    save(served.folder / "base.yaml", text)
    expect(alert).to_have_count(0, timeout=SOON)
    expect(start.get_by_role("alert")).to_have_count(0, timeout=SOON)
    expect(page.get_by_text("Which part of his argument stood out to you most")).to_be_visible()
    served.wait_for(r"base\.yaml changed: the screen: the problem is gone, and nothing else changed$", before)
    page.context.close()
    start.context.close()


@pytest.mark.pdf
def test_a_new_template_shows_at_once(served, browser):
    page = browser.new_page()
    page.goto(f"{served.address}workbook.html")
    before = served.mark()
    contents = (ROOT / "templates" / "screen" / "contents.html").read_text(encoding="utf-8")
    mine = served.folder / "mine" / "screen" / "contents.html"
    mine.write_text(contents.replace('<ol>', '<p class="ours">Our trust\'s own contents</p>\n  <ol>', 1),
                    encoding="utf-8")
    expect(page.get_by_text("Our trust's own contents")).to_be_visible(timeout=SOON)
    served.wait_for(r"mine/screen/contents\.html changed: the screen in", before)
    mine.unlink()
    expect(page.get_by_text("Our trust's own contents")).to_have_count(0, timeout=SOON)
    # The folder taken away and made again, as a checkout of another branch does: still watched.
    shutil.rmtree(served.folder / "mine")
    after = served.mark()
    mine.parent.mkdir(parents=True)
    mine.write_text(contents.replace('<ol>', '<p class="ours">Back again</p>\n  <ol>', 1), encoding="utf-8")
    expect(page.get_by_text("Back again")).to_be_visible(timeout=SOON)
    served.wait_for(r"changed: the screen in", after)
    mine.unlink()  # seen by the folder's new watcher
    expect(page.get_by_text("Back again")).to_have_count(0, timeout=SOON)
    page.context.close()


@pytest.mark.pdf
def test_a_new_learner_appears_on_the_start_page(served, browser):
    page = browser.new_page()
    page.goto(served.address)
    view = browser.new_page()
    view.goto(f"{served.address}view/learners/cohort/mary-seacole.pdf")
    expect(view.get_by_role("heading", level=1)).to_have_text("Not found")
    before = served.mark()
    cohort = served.folder / "cohort.csv"
    cohort.write_text("name\nAda Lovelace\nMary Seacole\n", encoding="utf-8")
    expect(page.get_by_role("link", name="learners/cohort/mary-seacole.pdf")).to_be_visible(timeout=SOON)
    expect(view.get_by_role("heading", level=1)).to_have_text("learners/cohort/mary-seacole.pdf", timeout=SOON)
    expect(view.locator("#page-1 .textLayer")).to_contain_text("Mary Seacole", use_inner_text=True, timeout=SOON)
    view.context.close()
    # The screen is as it was: only the PDFs' step says what it made (after the rebuild's first line, which
    # names the file, unless the change came while the last test's rebuild had yet to lay out its PDFs).
    served.wait_for(r"^\d\d:\d\d:\d\d (cohort\.csv changed: )?the PDFs in [\d.]+ s \(1 learner's copy\)$", before)
    after = served.mark()
    cohort.write_text("name\nAda Lovelace\n", encoding="utf-8")
    expect(page.get_by_role("link", name="learners/cohort/mary-seacole.pdf")).to_have_count(0, timeout=SOON)
    served.wait_for(r"^\d\d:\d\d:\d\d cohort\.csv changed: the PDFs in [\d.]+ s \(1 copy removed\)$", after)
    page.context.close()


@pytest.mark.pdf
def test_a_changed_logo_shows_on_the_cover(served, browser):
    page = browser.new_page()
    page.goto(f"{served.address}workbook.html")
    logo = page.locator(".logo img")
    source = logo.get_attribute("src")
    assert source.startswith("data:image/svg+xml")
    before = served.mark()
    (served.folder / "logo.svg").write_text(LOGO.format(colour="#330072"), encoding="utf-8")
    expect(logo).not_to_have_attribute("src", source, timeout=SOON)
    served.wait_for(r"logo\.svg changed: the screen in", before)
    served.wait_for(r"the PDFs in", before)
    page.context.close()


@pytest.mark.pdf
def test_an_id_changed_and_changed_back_shows_each_time(served, browser):
    page = browser.new_page()
    page.goto(served.address)
    path = served.folder / "pathway.yaml"
    text = path.read_text(encoding="utf-8")
    before = served.mark()
    path.write_text(text.replace("id: our-programme\ntitle: Our programme", "id: another\ntitle: Another"),
                    encoding="utf-8")
    expect(page.get_by_role("heading", level=1)).to_have_text("Another", timeout=SOON)
    served.wait_for(r"the PDFs in", before)
    after = served.mark()
    path.write_text(text, encoding="utf-8")  # back to the id whose folder was built first, and is up to date
    expect(page.get_by_role("heading", level=1)).to_have_text("Our programme", timeout=SOON)
    assert served.wait_for(r"pathway\.yaml changed: ", after).string.endswith(" (workbook.html)")
    served.wait_for(r"the PDFs in", after)
    page.context.close()


@pytest.mark.pdf
def test_an_engine_that_died_between_saves_is_started_again(served):
    with open(f"/proc/{served.process.pid}/task/{served.process.pid}/children") as children:
        (engine,) = [int(pid) for pid in children.read().split()]
    os.kill(engine, signal.SIGKILL)
    before = served.mark()
    save(served.folder / "base.yaml", edited(served, QUESTION, NEW_QUESTION))
    served.wait_for(r"^\d\d:\d\d:\d\d the PDFs in [\d.]+ s \(workbook\.pdf, 1 learner's copy\)$", before)
    after = served.mark()
    save(served.folder / "base.yaml", edited(served, NEW_QUESTION, QUESTION))
    served.wait_for(r"the PDFs in", after)
    assert not [line for line in served.since(before) if "error" in line or "Traceback" in line]


@pytest.mark.pdf
@pytest.mark.parametrize("query", ["html=%C2%B2", "pdf=99999999999999", "page=%00", "html=1&html=x",
                                   "page=" + "a" * 5000])
def test_an_odd_event_stream_request_gets_the_state_and_no_traceback(served, query):
    before = served.mark()
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=WAIT)
    connection.request("GET", f"/_serve/events?{query}")
    response = connection.getresponse()
    assert response.status == 200
    assert response.fp.readline().startswith(b'data: {"builds": {"html": ')
    connection.close()
    # The next answer is the server's, after this one: nothing in between went wrong.
    assert served.request("/").status == 200
    assert not [line for line in served.since(before) if "Traceback" in line]


@pytest.mark.pdf
def test_a_print_view_stays_on_its_page_and_shows_the_new_text(served, browser):
    pdf = served.build / "print" / "our-programme" / "workbook.pdf"
    texts = page_texts(PdfReader(pdf))
    number = next(index for index, text in enumerate(texts, 1) if "Which part of his argument" in text)
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(f"{served.address}view/workbook.pdf#page={number}")
    expect(page.locator("body")).to_have_attribute("data-ready", "yes", timeout=SOON)
    expect(page.get_by_role("status")).to_have_text(f"Page {number} of 35")
    shown = page.locator(f"#page-{number} .textLayer")
    expect(shown).to_contain_text("Which part of his argument", use_inner_text=True)
    expect(page.locator("[data-written=yes]")).to_have_count(35)  # every page's text, to find and to read
    assert_accessible(page)
    save(served.folder / "base.yaml", edited(served, QUESTION, NEW_QUESTION))
    expect(shown).to_contain_text("Which one sentence of West", use_inner_text=True, timeout=SOON)
    expect(page.locator("body")).to_have_attribute("data-ready", "yes")
    expect(page.get_by_role("status")).to_have_text(f"Page {number} of 35")
    assert page.url == f"{served.address}view/workbook.pdf#page={number}"
    assert 0 <= page.evaluate(f"document.getElementById('page-{number}').getBoundingClientRect().top") < 100
    before = served.mark()
    save(served.folder / "base.yaml", edited(served, NEW_QUESTION, QUESTION))
    expect(shown).to_contain_text("Which part of his argument", use_inner_text=True, timeout=SOON)
    served.wait_for(r"the PDFs in", before)
    page.context.close()


@pytest.mark.pdf
def test_an_editor_style_save_is_seen_once(served):
    path = served.folder / "base.yaml"
    text = path.read_text(encoding="utf-8")
    before = served.mark()
    save(path, text.replace("subtitle: From self to system", "subtitle: From self to the system", 1))
    served.wait_for(r"base\.yaml changed: the screen in", before)
    served.wait_for(r"the PDFs in", before)
    # A second, plain write: the next rebuild the server prints must be this one's.
    path.write_text(text, encoding="utf-8")
    served.wait_for(r"the PDFs in", served.mark())
    changed = [line for line in served.since(before) if "changed:" in line]
    assert len(changed) == 2, served.since(before)


@pytest.mark.pdf
@pytest.mark.parametrize("target", [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%5c..%5cetc%5cpasswd",
    "/\\etc\\passwd", "//etc/passwd", "/%2Fetc%2Fpasswd", "http://127.0.0.1/../etc/passwd", "/etc/passwd",
    "/our-programme/workbook.html", "/screen/our-programme/workbook.html",
    "/learners/", "/learners/cohort/", "/view/", "/view/workbook.html", "/_serve/", "/_serve/start.html",
    "/_serve/../workbook.html", "/.pathway-build.json", "/%ff"])
def test_a_request_outside_the_build_is_not_found(served, target):
    response = served.request(target)
    assert response.status == 404, (target, response.status)
    assert response.getheader("Cache-Control") == "no-store"
    assert b"This server serves only the files of the current build" in response.body
    assert b"root:" not in response.body


@pytest.mark.pdf
def test_a_link_out_of_the_build_is_not_followed(served):
    folder = served.build / "screen" / "our-programme"
    (folder / "passwd.html").symlink_to("/etc/passwd")
    try:
        assert served.request("/passwd.html").status == 404
    finally:
        (folder / "passwd.html").unlink()


@pytest.mark.pdf
@pytest.mark.parametrize("host", ["evil.example:8000", "127.0.0.1", "127.0.0.1:1", "", "attacker.test"])
def test_a_request_for_another_host_is_forbidden(served, host):
    host = host.replace("8000", str(served.port))
    response = served.request("/workbook.html", host=host)
    assert response.status == 403
    assert response.getheader("Cache-Control") == "no-store"
    assert response.body.decode() == (f"This server answers only to {served.address} (this request named the host "
                                      f"'{host}'): open that address.\n")


@pytest.mark.pdf
@pytest.mark.parametrize("target", ["/", "/workbook.html", "/workbook.pdf", "/view/workbook.pdf",
                                    "/_serve/live.js", "/_serve/pdf.min.mjs"])
def test_every_answer_says_no_store(served, target):
    response = served.request(target, host=f"localhost:{served.port}")
    assert response.status == 200
    assert response.getheader("Cache-Control") == "no-store"
    assert response.getheader("X-Content-Type-Options") == "nosniff"


@pytest.mark.pdf
def test_the_served_workbook_is_the_built_file_with_the_reloading_script(served):
    built = (served.build / "screen" / "our-programme" / "workbook.html").read_text("utf-8")
    served_html = served.request("/workbook.html").body.decode()
    policy = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)"')
    assert "/_serve/live.js" not in built
    assert re.sub(r'<script src="/_serve/live\.js" data-steps="html" data-builds="\d+"></script>(</body>)', r"\1",
                  policy.sub("", served_html), count=1) == policy.sub("", built)
    directives = [dict((part.split()[0], part.split()[1:]) for part in unescape(page.group(2)).split("; "))
                  for page in (policy.search(built), policy.search(served_html))]
    widened = {name: (["'self'", *sources] if name in ("script-src", "style-src") else sources)
               for name, sources in directives[0].items()}
    assert directives[1] == {**widened, "connect-src": ["'self'"]}


def test_only_a_loopback_address_may_be_served_on(workdir):
    result = run_pathway("serve", "--host", "0.0.0.0", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--host': '0.0.0.0' is not an address of this computer alone: pathway serve "
        "answers anyone who can reach it, with no password, so it listens only on a loopback address (127.0.0.1, "
        "::1 or localhost); to share a workbook, build it with 'pathway build' and share the files")


def test_a_pathway_that_is_not_there_is_said_at_once(workdir):
    result = run_pathway("serve", "pathwya.yaml", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr == ("error: no pathway file or built-in pathway called 'pathwya.yaml': give the path to a "
                             ".yaml file, or run 'pathway list'\n")


def test_a_port_in_use_is_said_and_leaves_no_folder(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "builder", "serve", "--port", str(port)], cwd=tmp_path,
                                capture_output=True, text=True, timeout=WAIT,
                                env={**os.environ, "TMPDIR": str(temporary)})
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (f"Error: cannot serve on 127.0.0.1 port {port}: it is in use; choose "
                                              "another with --port, or --port 0 for any free one")
    assert list(temporary.iterdir()) == []


@pytest.mark.pdf
def test_a_file_in_a_template_folder_is_watched_once_and_ctrl_c_stops_at_once(tmp_path):
    """With --templates ., the pathway file is both a file and in a template folder: one rebuild a save.
    Then Ctrl-C, while the PDFs are laid out, stops it at once."""
    path = tmp_path / "pathway.yaml"
    shutil.copy(DEFAULT, path)
    server = Served(tmp_path, "pathway.yaml", "--port", "0", "--edition", "learner", "--templates", ".")
    server.wait_for(r"the PDFs in")
    before = server.mark()
    text = path.read_text(encoding="utf-8")
    save(path, text.replace("subtitle: From self to system", "subtitle: From self to the system", 1))
    server.wait_for(r"pathway\.yaml changed: the screen in", before)
    server.wait_for(r"the PDFs in", before)
    path.write_text(text, encoding="utf-8")
    server.wait_for(r"the PDFs in", server.mark())
    assert len([line for line in server.since(before) if "changed:" in line]) == 2, server.since(before)
    path.unlink()  # as a checkout that takes the file away, then puts it back
    assert server.wait_for(r"pathway\.yaml changed: ", server.mark()).string.endswith(
        "pathway.yaml changed: error: no pathway file or built-in pathway called 'pathway.yaml': give the path to "
        "a .yaml file, or run 'pathway list'")
    after = server.mark()
    path.write_text(text.replace("subtitle: From self to system", "subtitle: From the self to the system", 1),
                    encoding="utf-8")
    server.wait_for(r"pathway\.yaml changed: the screen in", after)  # the PDFs are being laid out now
    assert server.build.is_dir()
    server.process.send_signal(signal.SIGINT)
    assert server.process.wait(WAIT) == 130
    server.wait_for(r"^Stopped\.$")
    assert not server.build.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=5).close()


def test_the_shipped_pdf_js_is_npm_s_own():
    pages = ROOT / "builder" / "serve" / "pages"
    for name in ("pdf.min.mjs", "pdf.worker.min.mjs"):
        assert (pages / name).read_bytes() == (NODE / "pdfjs-dist" / "build" / name).read_bytes(), name
    assert (pages / "pdfjs.LICENSE.txt").read_bytes() == (NODE / "pdfjs-dist" / "LICENSE").read_bytes()
