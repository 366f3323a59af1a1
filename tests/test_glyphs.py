"""A character no installed font can draw is named, where it is, rather than printed as an empty box."""

import textwrap

import page as pdf_checker
import pytest

from builder.glyphs import font_coverage, undrawable
from builder.pathway.load import parse

PATHWAY = textwrap.dedent("""\
    id: p
    title: "Kindness 🦄 and care"
    subtitle: "Joined 👩‍⚕️, chosen ☺️, spaced\u00a0out, and a soft\u00adhyphen"
    levels:
      - id: one
        title: Leading 🌱 ourselves 🌱
        items:
          - id: a
            kind: read
            title: A title with nothing odd
            questions: ["🦄 again?", {text: "**What** 🤔 now?", lines: 3}]
    """)
def NO_EMOJI(character):  # a machine with no emoji font
    return ord(character) < 0x1F000


def test_each_character_no_font_has_is_a_warning_at_the_text_that_holds_it():
    assert [str(problem) for problem in undrawable(parse(PATHWAY.encode(), "p.yaml"), NO_EMOJI)] == [
        "p.yaml:2:8: title: no installed font can draw '🦄' (U+1F984): it would print as an empty box",
        "p.yaml:3:11: subtitle: no installed font can draw '👩' (U+1F469): it would print as an empty box",
        "p.yaml:6:12: levels[0].title: no installed font can draw '🌱' (U+1F331): it would print as an empty box",
        "p.yaml:11:21: levels[0].items[0].questions[0]: no installed font can draw '🦄' (U+1F984): it would "
        "print as an empty box",
        "p.yaml:11:40: levels[0].items[0].questions[1].text: no installed font can draw '🤔' (U+1F914): it "
        "would print as an empty box",
    ]


def test_joiners_selectors_and_spaces_need_no_glyph_and_a_covered_text_gets_no_warning():
    # The zero-width joiner, the variation selector, the no-break space and the soft hyphen are not
    # drawn; ⚕ and ☺ are, and the predicate covers them.
    assert undrawable(parse(PATHWAY.encode(), "p.yaml"), lambda character: True) == []
    asked = []
    undrawable(parse(PATHWAY.encode(), "p.yaml"), lambda character: asked.append(character) or True)
    assert {"\u200d", "\ufe0f", "\u00a0", "\u00ad", " "}.isdisjoint(asked) and {"⚕", "☺", "🦄"} <= set(asked)


def test_this_machines_fonts_cover_latin_arabic_and_hebrew_and_no_private_character():
    covered = font_coverage()
    assert all(covered(character) for character in "Aé€×ا"+"ד")
    assert not covered("\U0010fffd")
    assert font_coverage() is covered  # read once a process


@pytest.mark.pdf
@pytest.mark.parametrize("character", ["A", "ب", "🦄", "\U00013000", "\U0010fffd"])
def test_what_the_fonts_cover_is_what_the_engine_draws(character, tmp_path):
    """A character the fonts do not cover prints as the empty .notdef glyph, which PDF/UA forbids."""
    import weasyprint

    html = f'<html lang="en"><head><title>T</title></head><body><p>x {character} x</p></body></html>'
    weasyprint.HTML(string=html).write_pdf(tmp_path / "one.pdf", pdf_variant="pdf/ua-1")
    report = pdf_checker.validate_pdf(str(tmp_path / "one.pdf"), profile="ua1")
    empty_box = any(failure.rule_id == "PDFUA1-NOTDEF-GLYPH-001" for failure in report.failures)
    assert empty_box == (not font_coverage()(character))
