"""Rendering: Markdown is sanitised in every output, and words read right for any pathway."""

import json
import re

from builder.pathway.assemble import load_pathway
from builder.render import Renderer, about, sentence
from builder.script_text import script_text
from builder.sequence import sequence
from conftest import write

HOSTILE = """\
id: hostile
title: Hostile <script>alert(1)</script>
summary: |
  Hello <script>alert(2)</script> <img src=x onerror=alert(3)> [click](javascript:alert(4))
  [fine](https://example.org/) <iframe src="https://example.org"></iframe>
  [local](../../etc/passwd) [file](file:///etc/passwd) [data](data:text/html,hi) [up](#contents)
levels:
  - id: one
    title: One
    intro: "<style>body{display:none}</style>**Bold**"
    items:
      - id: a
        kind: read
        title: A
        questions: ["**What?** <b onclick=alert(5)>x</b> [mail](mailto:a@example.org)"]
"""


def test_markdown_and_text_from_input_cannot_carry_script_into_any_output(workdir):
    write(workdir, "hostile.yaml", HOSTILE)
    programme = sequence(load_pathway("hostile.yaml"))
    renderer = Renderer()
    screen = renderer.screen(programme)
    own_script = f"<script>{renderer.asset('screen/document.js')}\n{renderer.asset('screen/workbook.js')}</script>"
    # The script's words, from the catalogue alone: data, which the browser never runs.
    opening = '<script type="application/json" id="workbook-text">'
    words = screen[screen.index(opening) + len(opening):screen.index("</script>")]
    assert json.loads(words) == script_text(programme.pathway.language) and "<" not in words
    assert screen.count("<script") == 2 and own_script in screen
    for page in (screen.replace(own_script, "").replace(opening + words + "</script>", ""),
                 renderer.printed(programme, "learner"),
                 renderer.printed(programme, "facilitator")):
        lowered = page.lower()
        for forbidden in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<img",
                          "<style>body", "etc/passwd", "data:text"):
            assert forbidden not in lowered, forbidden
        assert "Hostile &lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert '<a href="https://example.org/" rel="noopener noreferrer">fine</a>' in page
        # Local and data: links keep their words but lose their address; an in-page anchor stays.
        assert '<a rel="noopener noreferrer">local</a> <a rel="noopener noreferrer">file</a> ' \
               '<a rel="noopener noreferrer">data</a> <a href="#contents" rel="noopener noreferrer">up</a>' in page
        assert "<strong>Bold</strong>" in page


def test_words_read_right():
    assert [sentence("What is it?"), sentence("Well-led framework")] == ["What is it?", "Well-led framework."]
    assert [about(0), about(90)] == ["time not estimated", "about 1 h 30 min"]


def test_an_item_without_minutes_says_time_not_estimated(workdir):
    write(workdir, "p.yaml", "id: p\ntitle: P\nlevels:\n  - id: one\n    title: One\n    items:\n"
                             "      - {id: a, kind: do, title: A}\n")
    programme = sequence(load_pathway("p.yaml"))
    for page in (Renderer().screen(programme), Renderer().printed(programme, "learner")):
        assert "not estimated" in page and "about not estimated" not in page.lower()


def test_a_title_set_into_a_default_question_reads_as_written(workdir):
    write(workdir, "p.yaml", """\
        id: p
        title: P
        levels:
          - id: one
            title: "Leading [our] teams"
            items:
              - id: a
                kind: read
                title: "2*3*4 <b>bold</b> [x](https://example.org) A&E \\\\ #1"
                summary: '[link](https://example.org/ "a title")'
        """)
    screen = Renderer().screen(sequence(load_pathway("p.yaml")))
    assert ("What are the main points of “2*3*4 &lt;b&gt;bold&lt;/b&gt; [x](https://example.org) A&amp;E \\ #1”"
            in screen)
    assert "What does it mean for leading [our] teams:" in screen
    assert '<a href="https://example.org/" rel="noopener noreferrer">link</a>' in screen  # no title kept


def test_a_question_given_as_a_mapping_reads_as_one_given_as_text_and_gets_its_lines(workdir):
    write(workdir, "p.yaml", """\
        id: p
        title: P
        writing_lines: 2
        levels:
          - id: one
            title: One
            items:
              - id: a
                kind: read
                title: A
                questions: ["**Plain** one?", {text: "**Mapped** one?", lines: 9}]
        """)
    programme = sequence(load_pathway("p.yaml"))
    renderer = Renderer()
    screen = renderer.screen(programme)
    assert '<label for="a-q2"><strong>Mapped</strong> one?<span class="visually-hidden"> (A)</span></label>' in screen
    facilitator = renderer.printed(programme, "facilitator")
    assert "<li><strong>Plain</strong> one?</li><li><strong>Mapped</strong> one?</li>" in facilitator
    learner = renderer.printed(programme, "learner")
    spaces = re.findall(r'<div class="lines"[^>]*>((?:<div class="rule"></div>)*)</div>', learner)
    assert [space.count("rule") for space in spaces[:2]] == [2, 9]  # then the notes pages
    fillable = renderer.printed(programme, "learner", fillable=True)
    assert 'name="a.q1" title="Plain one?" data-fill="a.q1" style="height: 16.5mm"' in fillable
    assert 'name="a.q2" title="Mapped one?" data-fill="a.q2" style="height: 74.25mm"' in fillable
