"""Hostile pathways: script and event-handler payloads in every text field, and `javascript:`, `data:`
and other unsafe links, reach every output only as text.

The workbook is checked in the real browser (Debian's Chromium) with its security policy bypassed:
the policy would stop inline script on its own, and the point here is that the escaping and the
Markdown sanitiser keep every payload out of the page by themselves. The print documents, which
the PDF engine reads, are checked as they are written.
"""

import json
import re
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from benchmark import LARGEST, hostile_files, scaled_pathway
from builder.pathway.assemble import load_pathway
from builder.pathway.load import MAX_BYTES
from builder.render import Renderer
from builder.script_text import script_text
from conftest import STORAGE_PROBE, problems_of, reload, run_pathway, write

BASE_ID = "hostile"
EXTENDED_ID = "hostile-cohort"
DESKTOP = {"width": 1280, "height": 900}

# Every payload that would run script calls alert() or counts itself in window.__pwned.
PWN = "window.__pwned=(window.__pwned||0)+1"
TEXT_PAYLOADS = [
    f"<script>{PWN}</script>",
    "<img src=x onerror=alert(1)>",
    f"<svg onload={PWN}>",
    '<a href="javascript:alert(3)">js</a>',
    "[md link](javascript:alert(4))",
    '<iframe src="javascript:alert(5)"></iframe>',
    '<form><button formaction="javascript:alert(6)">go</button></form>',
    '<object data="javascript:alert(7)"></object>',
    '<embed src="javascript:alert(8)">',
    "<style>body{display:none}</style>",
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<meta http-equiv=refresh content="0;url=javascript:alert(9)">',
    '<base href="javascript:alert(10)//">',
    '" onmouseover="alert(11)" x="',
    "' onfocus='alert(12)' autofocus x='",
    "{{ 7*7 }} {% raw %}",
    "</textarea><script>alert(13)</script>",
    "</title><script>alert(14)</script>",
    f"</script><script>{PWN}</script>",
    "--><script>alert(16)</script><!--",
    "<input autofocus onfocus=alert(17)>",
    "<details open ontoggle=alert(18)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(19)>">',
]
TEXT = " ".join(TEXT_PAYLOADS)

# Markdown fields: raw HTML is removed, unsafe links lose their address and keep their words.
DROPPED_LINKS = ["javascript link", "data link", "base64 data link", "upper-case link", "entity link",
                 "tab link", "vbscript link", "relative link", "root link", "protocol-relative link", "file link",
                 "reference link"]
KEPT_LINKS = {"kept web link": "https://example.org/?q=%22%3E%3Cscript%3E",
              "kept mail link": "mailto:learner@example.org", "kept anchor link": "#about"}
LITERAL = "\" onmouseover=\"alert(11)\" and {{ 7*7 }} and {% raw %} stay as written."
CODE = "<script>alert(20)</script>"


def markdown(label: str) -> str:
    """A Markdown field: its label in bold and a code span, every payload as raw HTML, every kind of link."""
    return f"""\
**{label}**, with `{CODE}` shown as code.

<script>{PWN}</script>

<img src=x onerror=alert(1)> <svg onload={PWN}> <a href="javascript:alert(3)">raw javascript link</a>
<iframe src="javascript:alert(5)"></iframe> <form><button formaction="javascript:alert(6)">form button</button></form>
<object data="javascript:alert(7)"></object> <embed src="javascript:alert(8)"> <style>body{{display:none}}</style>
<link rel=stylesheet href="https://evil.example/x.css"> <meta http-equiv=refresh content="0;url=javascript:alert(9)">
<base href="javascript:alert(10)//"> <input autofocus onfocus=alert(17)> <details open ontoggle=alert(18)>d</details>
<noscript><p title="</noscript><img src=x onerror=alert(19)>"></noscript> <b onclick=alert(21)>bold</b>
</textarea><script>alert(13)</script> </script><script>{PWN}</script> --><script>alert(16)</script>

[javascript link](javascript:alert(22)) [data link](data:text/html,<script>alert(23)</script>)
[base64 data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgyNCk8L3NjcmlwdD4=) [upper-case link](JAVASCRIPT:alert(25))
[entity link](java&#x09;script:alert(26)) [tab link](java\tscript:alert(27)) [vbscript link](vbscript:msgbox(28))
[relative link](../../etc/passwd) [root link](/etc/passwd) [protocol-relative link](//evil.example/x)
[file link](file:///etc/passwd) [reference link][hostile] <javascript:alert(29)>
![image](javascript:alert(30)) [kept web link]({KEPT_LINKS["kept web link"]})
[kept mail link]({KEPT_LINKS["kept mail link"]}) [kept anchor link]({KEPT_LINKS["kept anchor link"]})

{LITERAL}

[hostile]: javascript:alert(31)
"""


def text(label: str) -> str:
    """A plain text field: its label, then every payload."""
    return f"{label}: {TEXT}"


def quoted(value: str) -> str:
    """A YAML double-quoted scalar that holds the string exactly (JSON's escapes are YAML's too)."""
    return json.dumps(value)


TITLE, SUBTITLE, VERSION = text("Pathway title"), text("Subtitle"), text("Version")
AUTHOR, COHORT, EXTENDED_COHORT = text("Author"), text("Cohort"), text("Extended cohort")
LEVEL_TITLE, SECOND_LEVEL_TITLE = text("Level title"), text("Second level title")
ITEM_TITLE, SECOND_ITEM_TITLE, ADDED_TITLE = text("Item title"), text("Second item title"), text("Added title")
SOURCE, AUTHORS = text("Source"), [text("First author"), text("Second author")]
PATHWAY_SOURCE = text("Pathway source")
# Only http and https addresses are valid here, so the payload rides in the query; no spaces are allowed.
URL = f'https://example.org/?q="><script>{PWN}</script><img%20src=x%20onerror=alert(1)>&r=\'><svg/onload=alert(2)>'

HOSTILE = f"""\
id: {BASE_ID}
title: {quoted(TITLE)}
subtitle: {quoted(SUBTITLE)}
summary: {quoted(markdown("Pathway summary"))}
version: {quoted(VERSION)}
author: {quoted(AUTHOR)}
cohort: {quoted(COHORT)}
source: {{title: {quoted(PATHWAY_SOURCE)}, url: {quoted(URL)}}}
levels:
  - id: one
    title: {quoted(LEVEL_TITLE)}
    intro: {quoted(markdown("Level intro"))}
    items:
      - id: first
        kind: read
        title: {quoted(ITEM_TITLE)}
        source: {quoted(SOURCE)}
        authors: [{quoted(AUTHORS[0])}, {quoted(AUTHORS[1])}]
        year: 2020
        url: {quoted(URL)}
        minutes: 10
        summary: {quoted(markdown("Item summary"))}
        questions:
          - {quoted(markdown("First question"))}
          - {quoted(text("Second question"))}
        discussion_prompts: [{quoted(markdown("Discussion prompt"))}]
        facilitator_notes: {quoted(markdown("Facilitator notes"))}
  - id: two
    title: {quoted(SECOND_LEVEL_TITLE)}
    items:
      # No questions: the reflective model's are written around this title.
      - id: second
        kind: do
        title: {quoted(SECOND_ITEM_TITLE)}
"""

EXTENDED = f"""\
extends: hostile.yaml
id: {EXTENDED_ID}
cohort: {quoted(EXTENDED_COHORT)}
add:
  - level: two
    after: second
    item:
      id: added
      kind: watch
      title: {quoted(ADDED_TITLE)}
      source: {quoted(text("Added source"))}
      authors: [{quoted(text("Added author"))}]
      url: {quoted(URL)}
      summary: {quoted(markdown("Added summary"))}
      questions: [{quoted(markdown("Added question"))}]
      discussion_prompts: [{quoted(markdown("Added prompt"))}]
      facilitator_notes: {quoted(markdown("Added notes"))}
questions:
  first: [{quoted(markdown("Replaced question"))}, {quoted(text("Replaced second question"))}]
"""

# Each pathway's Markdown fields, by the label each begins with: the learner's are on screen and in both
# print documents, the facilitator's in the facilitator guide only.
LEARNER_MARKDOWN = {
    BASE_ID: ["Pathway summary", "Level intro", "Item summary", "First question"],
    EXTENDED_ID: ["Pathway summary", "Level intro", "Item summary", "Replaced question", "Added summary",
                  "Added question"],
}
FACILITATOR_MARKDOWN = {
    BASE_ID: ["Discussion prompt", "Facilitator notes"],
    EXTENDED_ID: ["Discussion prompt", "Facilitator notes", "Added prompt", "Added notes"],
}
# The plain text fields that both print documents show.
PLAIN = [TITLE, SUBTITLE, VERSION, AUTHOR, LEVEL_TITLE, SECOND_LEVEL_TITLE, ITEM_TITLE, SECOND_ITEM_TITLE,
         SOURCE, *AUTHORS, URL, PATHWAY_SOURCE]
PRINTED_PLAIN = {
    BASE_ID: [*PLAIN, COHORT],
    EXTENDED_ID: [*PLAIN, EXTENDED_COHORT, ADDED_TITLE, text("Added source"), text("Added author")],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both hostile pathways, built by the real command into HTML and print HTML."""
    folder = tmp_path_factory.mktemp("hostile")
    write(folder, "hostile.yaml", HOSTILE)
    write(folder, "hostile-cohort.yaml", EXTENDED)
    result = run_pathway("build", "hostile.yaml", "hostile-cohort.yaml", "--format", "html,print-html",
                         "--out", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "out"


# --- the workbook in the browser ---

AUDIT = """() => {
    const all = [...document.querySelectorAll('*')];
    const attributes = all.flatMap(e => [...e.attributes].map(a => [e.tagName.toLowerCase(), a.name, a.value]));
    return {
        pwned: typeof window.__pwned,
        lang: document.documentElement.lang,
        scripts: [...document.scripts].map(s => s.textContent),
        styles: [...document.querySelectorAll('style')].map(s => s.textContent),
        handlers: attributes.filter(([, name]) => name.toLowerCase().startsWith('on')),
        forbidden: [...document.querySelectorAll(
            'iframe, frame, frameset, object, embed, applet, form, base, link, portal, template')]
            .map(e => e.outerHTML.slice(0, 200)),
        metaEquiv: [...document.querySelectorAll('meta[http-equiv]')].map(m => m.httpEquiv),
        autofocus: [...document.querySelectorAll('[autofocus]')].map(e => e.id),
        hrefs: attributes.filter(([, name]) => /(^|:)href$/i.test(name)).map(([, , value]) => value),
        sources: attributes.filter(([, name]) => /^(src|srcset|action|formaction|data|poster|background)$/i
                                                     .test(name)).map(([, , value]) => value),
        nested: [...document.querySelectorAll('.answer-print *')].length,
    };
}"""


def assert_nothing_of_theirs_is_in(page, dialogs: list, renderer: Renderer):
    audit = page.evaluate(AUDIT)
    assert dialogs == [], "a payload opened a dialog"
    assert audit["pwned"] == "undefined", "a payload's script ran"
    # The workbook's own script, the catalogue's words it says (as JSON data) and its style sheet,
    # exactly, and nothing else of either kind.
    words, code = audit["scripts"]
    own = str(renderer.asset("screen/document.js")) + "\n" + str(renderer.asset("screen/workbook.js"))
    assert json.loads(words) == script_text(audit["lang"]) and code == own
    assert audit["styles"] == [str(renderer.asset("screen/workbook.css"))]
    assert audit["handlers"] == []
    assert audit["forbidden"] == []
    assert audit["metaEquiv"] == ["Content-Security-Policy"]
    assert audit["autofocus"] == ["confirm-no"]  # the confirmation's own Cancel button, and nothing of theirs
    unsafe = [href for href in audit["hrefs"] if not re.match(r"(https?:|mailto:|#)", href, re.IGNORECASE)]
    assert unsafe == []
    assert [source for source in audit["sources"] if not source.startswith("data:image/")] == []
    assert audit["nested"] == 0  # a typed answer stays text, in its box and in its printed copy


CONTROLS = """selector => [...document.querySelectorAll(selector)]
    .filter(e => e.getClientRects().length && !e.closest('dialog'))"""
FOCUSABLE = ("a[href], button, textarea, input, select, summary, iframe, [contenteditable], "
             "[tabindex]:not([tabindex='-1'])")


def focus_every_control_by_tab(page):
    """Tab once to each control, in order: a payload that made something focusable would show here."""
    controls = page.evaluate(f"selector => ({CONTROLS})(selector).length", FOCUSABLE)
    assert controls > 20
    reached = []
    for _ in range(controls):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(f"selector => ({CONTROLS})(selector).indexOf(document.activeElement)",
                                     FOCUSABLE))
    assert reached == list(range(controls))


# The middle of each link, and of each element whose own text shows a payload.
CENTRES = """pattern => [...document.querySelectorAll('body *')]
    .filter(e => e.tagName === 'A'
                 || [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && pattern.test(n.data)))
    .map(e => e.getBoundingClientRect()).filter(box => box.width && box.height)
    .map(box => [box.x + box.width / 2, box.y + box.height / 2])"""


def hover_everything_of_theirs(page):
    """Move the real mouse over each link and each element that shows a payload. The window is made as
    tall as the page for a moment, so that the mouse reaches every element without scrolling."""
    viewport = page.viewport_size
    page.set_viewport_size({**viewport, "height": page.evaluate("document.documentElement.scrollHeight")})
    centres = page.evaluate(f"({CENTRES})(/alert\\(|__pwned|onmouseover|javascript|link\\b/)")
    assert len(centres) > 50
    for x, y in centres:
        page.mouse.move(x, y)
    page.set_viewport_size(viewport)


def poke_everything_of_theirs(page):
    """Fire the events a handler would wait for at every element, those that cannot be hovered (hidden
    from sight, or in the closed dialog) too, and follow each link that stays in the page, as a click
    would: those that lost their address included."""
    page.evaluate("""for (const element of document.querySelectorAll('body *')) {
        for (const type of ['mouseover', 'mouseenter', 'mousemove', 'focus', 'focusin', 'toggle', 'load',
                            'error', 'animationstart', 'transitionend']) {
            element.dispatchEvent(new Event(type));
        }
    }""")
    page.evaluate("""for (const link of document.querySelectorAll('a')) {
        if (!/^(https?|mailto):/i.test(link.getAttribute('href') || '')) { link.click(); }
    }""")


@pytest.mark.slow
@pytest.mark.parametrize("name", [BASE_ID, EXTENDED_ID])
def test_no_payload_runs_in_the_browser_however_the_workbook_is_used(browser, built, name):
    # The policy is bypassed, so that inline script and handlers could run if any reached the page.
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    requests, dialogs, pages = [], [], []
    context.on("request", lambda request: requests.append(request.url))
    context.on("page", lambda opened: pages.append(opened))
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    path = built / name / "workbook.html"
    page.goto(path.as_uri())
    renderer = Renderer()
    assert_nothing_of_theirs_is_in(page, dialogs, renderer)

    focus_every_control_by_tab(page)
    hover_everything_of_theirs(page)
    poke_everything_of_theirs(page)
    # The learner types payloads too: they are kept and shown as text.
    page.fill("#first-q1", TEXT)
    page.focus("#first-insight")
    page.keyboard.type("</textarea><script>alert(40)</script><img src=x onerror=alert(41)>")
    page.fill("#action-plan-one", "{{ 7*7 }} " + markdown("Typed"))
    page.check("#first-done")
    # The title goes into the status line and the onward link as the script reads it: as text.
    total = 3 if name == EXTENDED_ID else 2
    expect(page.locator("#status")).to_have_text(f"Marked “{ITEM_TITLE}” as done. 1 of {total} items done.")
    expect(page.locator("#continue")).to_have_text(f"Continue with 2.1 {SECOND_ITEM_TITLE}")
    assert_nothing_of_theirs_is_in(page, dialogs, renderer)

    reload(page)
    expect(page.locator("#first-q1")).to_have_value(TEXT)
    expect(page.locator("#first-insight")).to_have_value(
        "</textarea><script>alert(40)</script><img src=x onerror=alert(41)>")
    expect(page.locator("#action-plan-one")).to_have_value("{{ 7*7 }} " + markdown("Typed"))
    # The version is only a part of the storage key.
    assert f"pathway-builder:{name}:{VERSION}" in page.evaluate("Object.keys(localStorage)")
    assert page.locator("#first-q1 + .answer-print").text_content() == TEXT
    poke_everything_of_theirs(page)
    assert_nothing_of_theirs_is_in(page, dialogs, renderer)
    # Nothing but the workbook's own page, and the page reload() opens to check the browser's storage when the
    # workbook reads none (conftest.reached_storage).
    probe = STORAGE_PROBE.as_uri()
    assert [url for url in requests if not url.startswith(path.as_uri()) and url != probe] == []
    assert len([opened for opened in pages if opened.url != probe]) == 1  # no window of theirs opened

    # The checks above could have seen a payload run: in this context an inline handler does.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.__canary=1\">')")
    page.wait_for_function("window.__canary === 1", timeout=5000)
    context.close()


@pytest.mark.parametrize("name", [BASE_ID, EXTENDED_ID])
def test_the_workbook_shows_each_payload_as_the_text_that_was_written(browser, built, name):
    context = browser.new_context(viewport=DESKTOP)  # the policy as shipped
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning")
            else None)
    page.goto((built / name / "workbook.html").as_uri())
    # Plain text fields read exactly as written: no markup, and {{ 7*7 }} is not 49.
    assert page.title() == f"{TITLE}: workbook"
    assert page.text_content("h1") == TITLE
    assert page.text_content(".masthead .subtitle") == SUBTITLE
    assert page.text_content(".masthead .cohort") == (EXTENDED_COHORT if name == EXTENDED_ID else COHORT)
    assert page.text_content(".masthead .kicker") == f"Learner workbook · version {VERSION}"
    assert page.get_attribute("meta[name=author]", "content") == AUTHOR
    assert page.get_attribute("body", "data-title") == TITLE
    assert page.get_attribute("body", "data-version") == VERSION
    assert page.text_content("#level-one-title") == LEVEL_TITLE
    assert page.text_content("#item-first-title") == ITEM_TITLE
    assert page.text_content("#item-first .item-facts") == f"{AUTHORS[0]}, {AUTHORS[1]} · {SOURCE} · 2020"
    assert page.get_attribute("#item-first .resource-link", "href") == URL
    assert page.text_content("#item-first .url") == f"Web address: {URL}"
    assert page.get_attribute(".pathway-source a", "href") == URL
    assert page.text_content(".pathway-source a") == f"“{PATHWAY_SOURCE}” (opens in a new tab)"
    assert page.text_content(".colophon").strip() == f"{TITLE}, version {VERSION}. Made with pathway builder."
    if name == EXTENDED_ID:
        assert page.text_content("#item-added-title") == ADDED_TITLE
    # A question is Markdown: the one written as a line of raw HTML keeps its words, links lose their
    # addresses, and nothing else is left of the markup but the field's own hidden words.
    second = page.locator("label[for=first-q2]")
    expect(second).to_contain_text("Replaced second question: " if name == EXTENDED_ID else "Second question: ")
    expect(second).to_contain_text("{{ 7*7 }} {% raw %}")
    assert second.evaluate("label => [...label.querySelectorAll('*')].map(e => [e.tagName, e.getAttribute('href')])"
                           ) == [["A", None], ["A", None], ["SPAN", None]]
    for label in LEARNER_MARKDOWN[name]:
        # Each Markdown field keeps its words, its emphasis and its code; the raw HTML is gone.
        shown = page.locator(f"strong:text-is('{label}')").locator("xpath=..")
        expect(shown).to_have_count(1)
        expect(shown.locator("code")).to_have_text(CODE)
    body = page.text_content("main")
    assert body.count(LITERAL) == len(LEARNER_MARKDOWN[name])
    assert [label for label in FACILITATOR_MARKDOWN[name] if label in body] == []  # the guide's only
    assert "49" not in body
    # Unsafe links keep their words and lose their address; safe ones keep theirs.
    for words in DROPPED_LINKS:
        links = page.locator("a", has_text=re.compile(f"^{re.escape(words)}$"))
        assert links.count() == len(LEARNER_MARKDOWN[name]), words
        assert [link.get_attribute("href") for link in links.all()] == [None] * links.count(), words
    for words, href in KEPT_LINKS.items():
        links = page.locator("a", has_text=re.compile(f"^{re.escape(words)}$"))
        assert [link.get_attribute("href") for link in links.all()] == [href] * len(LEARNER_MARKDOWN[name]), words
    assert problems == []  # nothing tried to run and was stopped by the policy
    context.close()


# --- the print documents ---

class Elements(HTMLParser):
    """Every start tag with its attributes, the text of <style> and <title>, and all the text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self.title = ""
        self.text: list[str] = []
        self._open = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open = tag
        if tag == "style":
            self.styles.append("")

    def handle_endtag(self, tag):
        self._open = ""

    def handle_data(self, data):
        if self._open == "style":
            self.styles[-1] += data
        elif self._open == "title":
            self.title += data
        else:
            self.text.append(data)

    def all_text(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def own_styles(programme):
    """The print template's own style sheet, as a harmless pathway gets it."""
    renderer = Renderer()
    return {edition: Elements(renderer.printed(programme, edition)).styles for edition in ("learner", "facilitator")}


@pytest.mark.parametrize("document", ["workbook", "facilitator"])
@pytest.mark.parametrize("name", [BASE_ID, EXTENDED_ID])
def test_the_print_documents_hold_no_markup_of_theirs(built, own_styles, name, document):
    page = Elements((built / name / f"{document}.print.html").read_text(encoding="utf-8"))
    tags = [tag for tag, _ in page.tags]
    for forbidden in ("script", "iframe", "frame", "object", "embed", "applet", "form", "base", "link", "svg",
                      "details", "button", "input", "textarea", "noscript"):
        assert forbidden not in tags, forbidden
    assert [(tag, name) for tag, attributes in page.tags for name in attributes if name.startswith("on")] == []
    metas = [attributes for tag, attributes in page.tags if tag == "meta"]
    assert [meta for meta in metas if "http-equiv" in meta] == []
    assert {"name": "author", "content": AUTHOR} in metas and {"name": "description", "content": SUBTITLE} in metas
    assert page.styles == own_styles["learner" if document == "workbook" else "facilitator"]
    hrefs = [attributes["href"] for _, attributes in page.tags if attributes.get("href") is not None]
    assert [href for href in hrefs if not re.match(r"(https?:|mailto:|#)", href, re.IGNORECASE)] == []
    sources = [attributes["src"] for tag, attributes in page.tags if "src" in attributes]
    assert sources and all(source.startswith("data:image/svg+xml") for source in sources)  # the QR codes
    assert [tag for tag, attributes in page.tags if tag == "img" and attributes.get("class") != "qr"] == []
    # Plain fields read as written; each Markdown field keeps its words, and links only their words.
    assert page.title == f"{TITLE}: {'learner workbook' if document == 'workbook' else 'facilitator guide'}"
    words = page.all_text()
    for written in PRINTED_PLAIN[name]:
        assert written in words, written
    shown = LEARNER_MARKDOWN[name] + (FACILITATOR_MARKDOWN[name] if document == "facilitator" else [])
    for label in shown:
        assert f"{label}, with {CODE} shown as code." in words, label
    assert words.count(LITERAL) == len(shown)
    for link in DROPPED_LINKS:
        assert link in words


# --- addresses ---

@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT://example.org/%0Aalert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                                 "file:///etc/passwd", "//evil.example/x", " javascript:alert(1)"])
def test_an_item_address_that_is_not_http_or_https_is_refused(workdir, url):
    write(workdir, "p.yaml", f"id: p\ntitle: P\nlevels:\n  - id: one\n    title: One\n    items:\n"
                             f"      - id: a\n        kind: read\n        title: A\n        url: {quoted(url)}\n")
    assert problems_of("p.yaml") == [
        f"p.yaml:10:14: levels[0].items[0].url: '{url}' is not a web address: a url must start with https:// or "
        "http://"]


# --- files made to be slow to read ---
# Each is refused with one message that names what is wrong, at its place: the first value past the bound,
# the first level too deep. How long each takes is measured in tests/benchmark.py (under a second each).

HOLDS_TOO_MANY = ("the file holds more than 100,000 values (texts, numbers, keys, lists and mappings): a pathway "
                  "has far fewer")
TOO_DEEP = "nested more than 50 levels deep"
SLOW_FILES = {
    # The 100,001st value, counting the file's mapping, 'title' and the list: the 99,998th 'a'.
    "flow-list-960-kb.yaml": f"flow-list-960-kb.yaml:1:300000: {HOLDS_TOO_MANY}",
    "flow-list-5-mb.yaml": f"flow-list-5-mb.yaml:1:300000: {HOLDS_TOO_MANY}",
    "deep-brackets.yaml": f"deep-brackets.yaml:1:58: title{'[0]' * 50}: {TOO_DEEP}",
    "deep-braces.yaml": f"deep-braces.yaml:1:208: title{'.a' * 50}: {TOO_DEEP}",
    "long-text.yaml": "long-text.yaml:2:8: title: a line of text may be at most 1,000 characters; this one has "
                      "4,999,700: shorten it",
    "many-keys.yaml": "many-keys.yaml:2001:1: a mapping holds more than 2,000 keys here: a pathway's hold a few, "
                      "or one for each of its items",
    "alias-bomb.yaml": "alias-bomb.yaml:6:8: the file expands to more than 100,000 values, through aliases "
                       "(*name): a pathway is far smaller",
    "error-at-the-end.yaml": "error-at-the-end.yaml:2008:4: this line's indentation does not match the lines above "
                             "it: keys of one mapping line up, and each list entry starts with '- '",
}


@pytest.fixture(scope="module")
def slow_files():
    return hostile_files()


def test_every_file_the_benchmark_times_has_its_message_here(slow_files):
    assert sorted(slow_files) == sorted(SLOW_FILES)


@pytest.mark.parametrize("name", sorted(SLOW_FILES))
def test_a_file_made_to_be_slow_is_refused_with_the_real_cause_at_its_place(workdir, slow_files, name):
    (workdir / name).write_text(slow_files[name], encoding="utf-8")
    assert problems_of(name) == [SLOW_FILES[name]]


def test_a_pathway_as_large_as_a_file_may_be_loads(workdir):
    path = scaled_pathway(workdir, LARGEST)
    assert 4_900_000 < path.stat().st_size <= MAX_BYTES
    assert sum(len(level.items) for level in load_pathway(str(path)).levels) == 11 * LARGEST


def test_a_mapping_may_hold_a_key_for_each_item_of_the_largest_pathway(workdir):
    """An extension that gives new questions to each of 2,000 items: as many keys as a mapping may hold."""
    items = "".join(f"      - {{id: item-{number}, kind: read, title: Item {number}}}\n" for number in range(2_000))
    write(workdir, "base.yaml", f"id: base\ntitle: Base\nlevels:\n  - id: one\n    title: One\n    items:\n{items}")
    questions = "".join(f"  item-{number}: [\"Why?\"]\n" for number in range(2_000))
    write(workdir, "mine.yaml", f"extends: base.yaml\nid: mine\nquestions:\n{questions}")
    assert load_pathway("mine.yaml").levels[0].items[1_999].questions == ("Why?",)


# --- invisible characters ---
# An id, address or file name with a character that shows as nothing looks right and is not: each is
# refused, with the character written as its escape and named, at its column.

ITEM = "levels:\n  - id: one\n    title: One\n    items:\n      - id: {id}\n        kind: read\n        title: A\n"


def test_an_id_with_a_zero_width_space_is_refused_with_the_space_shown(workdir):
    write(workdir, "p.yaml", "id: p\ntitle: P\n" + ITEM.format(id="five-myths\u200b"))
    assert problems_of("p.yaml") == [
        "p.yaml:7:23: levels[0].items[0].id: 'five-myths\\u200b' is not a valid id: it holds an invisible "
        "character U+200B ZERO WIDTH SPACE"]


def test_an_id_with_an_invisible_character_written_as_an_escape_is_refused_at_its_start(workdir):
    write(workdir, "p.yaml", "id: p\ntitle: P\n" + ITEM.format(id='"five-myths\\u2060"'))
    assert problems_of("p.yaml") == [
        "p.yaml:7:13: levels[0].items[0].id: 'five-myths\\u2060' is not a valid id: it holds an invisible "
        "character U+2060 WORD JOINER"]


def test_an_address_with_an_invisible_character_is_refused_not_printed_into_the_qr_code(workdir):
    write(workdir, "p.yaml", "id: p\ntitle: P\n" + ITEM.format(id="a") + "        url: https://example.org/five\u00admyths\n")
    assert problems_of("p.yaml") == [
        "p.yaml:10:38: levels[0].items[0].url: 'https://example.org/five\\xadmyths' is not a web address: it holds "
        "an invisible character U+00AD SOFT HYPHEN"]


def test_a_logo_or_extends_file_name_with_an_invisible_character_is_refused(workdir):
    write(workdir, "p.yaml", "id: p\ntitle: P\nlogo: \ufefflogo.png\n" + ITEM.format(id="a"))
    assert problems_of("p.yaml") == [
        "p.yaml:3:7: logo: '\\ufefflogo.png' is not a file name: it holds an invisible character U+FEFF ZERO WIDTH "
        "NO-BREAK SPACE"]
    write(workdir, "q.yaml", "extends: p.yaml\u200c\nid: q\n")
    assert problems_of("q.yaml") == [
        "q.yaml:1:16: extends: 'p.yaml\\u200c' is not a file name: it holds an invisible character U+200C ZERO WIDTH "
        "NON-JOINER"]


def test_every_format_character_counts_as_invisible():
    import sys
    import unicodedata

    from builder.errors import INVISIBLE

    format_characters = [chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"]
    assert [f"U+{ord(c):04X}" for c in format_characters if not INVISIBLE.fullmatch(c)] == []
