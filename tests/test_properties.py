"""Generated and mutated pathway files: the builder either builds them or reports a user error.

Hypothesis writes pathway files (the real ones with characters, bytes and lines changed; pathways
made of generated values; files that extend a small base) and runs each through load, sequence
and the three renders. The PDF engine is left out: it is slow, and it prints only what the
renders give it. Each file either builds, or raises a UserError whose every problem is a
one-line message that points into one of the files. Any other exception is a bug. The examples
are derandomised, so every run, on CI too, tries the same files.
"""

import datetime
import functools
from pathlib import Path

import pytest
import segno
import yaml
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from builder.errors import UserError
from builder.pathway.assemble import load_pathway
from builder.render import Renderer
from builder.sequence import sequence
from conftest import DEFAULT, EXAMPLE


def examples(count: int) -> settings:
    # The `workdir` fixture is shared by all of a test's examples: each one clears it first. A failure
    # is shrunk, but only the first one found, and not explained: on files this size, each of those
    # takes minutes.
    return settings(max_examples=count, deadline=None, derandomize=True, report_multiple_bugs=False,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink],
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def remembered_qr_codes(monkeypatch):
    """Each QR code made once: they are most of a render's time, and the same addresses come back
    example after example. An address that cannot be made into one is not remembered: it fails each time."""
    monkeypatch.setattr(segno, "make", functools.lru_cache(maxsize=None)(segno.make))


# ---- The property ----------------------------------------------------------------------------------

@functools.cache
def renderer() -> Renderer:
    """One for every example: compiling the templates is most of a render's time, and a renderer
    keeps nothing else from one render to the next (a build uses one for all of a pathway's outputs)."""
    return Renderer()


def check(target: str, files: dict[str, bytes]) -> UserError | None:
    """Build `target` from exactly these files in the working folder: None if it builds, else the UserError.

    Fails the test on any other exception, on a message that is not one located line, and on a
    pathway that loads but does not render.
    """
    folder = Path.cwd()
    for old in folder.iterdir():  # nothing left from the example before can be found by `extends`
        if old.is_file():
            old.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    try:
        programme = sequence(load_pathway(target))
    except UserError as error:
        assert_readable(error, files)
        outcome("refused")
        return error
    # No template of the user's is involved, so a pathway that loads must render: here even a
    # UserError is a bug, and it fails the test like any other exception.
    assert renderer().screen(programme)
    assert renderer().printed(programme, "learner")
    assert renderer().printed(programme, "facilitator")
    outcome("built")
    return None


def outcome(name: str) -> None:
    """Counted by Hypothesis, to see how many built (pytest --hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(name)


def assert_readable(error: UserError, files: dict[str, bytes]) -> None:
    """Every problem is one line a user can read, and points at a line of one of the files."""
    assert error.problems, "a UserError that names no problem"
    # Lines as any editor counts them (YAML also breaks lines at U+0085, U+2028 and U+2029), and
    # one more: the end of the file is a place too.
    lines = {name: len(data.decode("utf-8", "replace").splitlines()) + 1 for name, data in files.items()}
    for problem in error.problems:
        text = str(problem)
        assert problem.message.strip(), f"an empty message: {text!r}"
        assert "\n" not in text and "\r" not in text, f"a message of several lines: {text!r}"
        assert "Traceback" not in text, f"a traceback in a message: {text!r}"
        where = problem.location
        if where is not None:
            assert where.file in lines, f"a message about a file that is not one of {sorted(lines)}: {text!r}"
            assert 1 <= where.line <= lines[where.file], f"a line outside the file: {text!r}"
            assert where.column is None or where.column >= 1, f"a column before the line: {text!r}"


# ---- Values, right and wrong -----------------------------------------------------------------------

SLUGS = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8), min_size=1,
                 max_size=3).map("-".join)
# Any characters: control characters, emoji, right-to-left. Half of these texts hold a line break or
# another character that a message which echoes the text must not pass on as it is.
BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\t", "\x00", "\x1b[31m"])
TEXTS = st.one_of(st.text(max_size=24), st.builds("{}{}{}".format, st.text(max_size=10), BREAKS, st.text(max_size=10)))
# What a valid text may hold: anything but the control characters and halves of surrogate pairs that
# YAML's escapes can make and the builder refuses (tab and line breaks are fine).
UNPRINTABLE = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0x85), *range(0x86, 0xA0)]))
PRINTABLE = st.characters(blacklist_categories=("Cs",), blacklist_characters=UNPRINTABLE)
PRINTABLE_TEXTS = st.one_of(st.text(PRINTABLE, max_size=24), st.builds(
    "{}{}{}".format, st.text(PRINTABLE, max_size=10), st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028", "\t"]),
    st.text(PRINTABLE, max_size=10)))
LINES = st.text(PRINTABLE, min_size=1, max_size=24).filter(str.strip)  # not blank, as a title must be


class Plain(str):
    """Text written into the file unquoted, so that YAML reads it as it would a user's: as a number, a date..."""


class Dumper(yaml.SafeDumper):
    """yaml.safe_dump's dumper, which also writes Plain text as it is."""


Dumper.add_representer(Plain, lambda dumper, text: dumper.represent_scalar(
    dumper.resolve(yaml.ScalarNode, str(text), (True, False)), str(text)))

# What YAML 1.1 reads as something other than text: 010 (which the builder reads as decimal), 1_000,
# 0x1F, 1:30 (sexagesimal: 90), 7.5, .inf, dates possible or not (2027-02-30), yes and no.
LOOKALIKES = st.one_of(
    st.from_regex(r"[-+]?[0-9][0-9_]{0,6}(\.[0-9]*)?([eE][-+]?[0-9]{1,3})?", fullmatch=True),
    st.from_regex(r"[-+]?[1-9][0-9]?(:[0-5]?[0-9]){1,3}(\.[0-9]+)?", fullmatch=True),
    st.from_regex(r"0x[0-9a-fA-F]{1,8}|0o?[0-7]{1,8}|0b[01]{1,8}", fullmatch=True),
    st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[-+][0-9]{1,2})?)?",
                  fullmatch=True),
    st.sampled_from(["yes", "No", "ON", "off", "y", "n", "true", "False", "~", "null", ".inf", "-.Inf", ".NaN", ""]),
    # Numbers of any length, as a runaway paste gives: Python refuses to turn more than 4,300 digits
    # into an int or back into text, and the builder must still say something readable about them.
    st.builds(lambda sign, length: sign + "7" * length, st.sampled_from(["", "0", "-0"]), st.integers(1, 6000)),
    st.integers(1, 3000).map(lambda parts: "1" + ":0" * parts),  # 60 ** parts
)

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXTS, st.dates(), st.datetimes(),
                    LOOKALIKES.map(Plain))
ANYTHING = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.one_of(TEXTS, LOOKALIKES.map(Plain)), inner, max_size=3), max_leaves=6)

# Markdown with the pieces that change its meaning, and raw HTML that must be removed.
MARKDOWN = st.lists(st.one_of(PRINTABLE_TEXTS, st.sampled_from([
    "**", "*", "_", "`", "[link](", ")", "https://example.org", "javascript:alert(1)", "<script>", "</p>",
    "&amp;", "\n\n", "\n- ", "\n1. ", "\n> ", "\n    ", "# ", "{{ pathway }}", "{%", "\\"])), max_size=8).map("".join)

KINDS = st.sampled_from(["read", "watch", "listen", "do"])
VALID_HOSTS = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True)
# A web address may be long, up to the 2,000 bytes the builder allows (a QR code holds 2,331 at its
# level M); the wrong ones go past both.
LONG_PATHS = st.sampled_from([1, 100, 1000, 1950]).map(lambda length: "/" + "a" * length)
TOO_LONG_PATHS = st.sampled_from([1990, 2300, 2400, 4000]).map(lambda length: "/" + "a" * length)
VALID_URLS = st.builds("{}://{}{}".format, st.sampled_from(["http", "https"]), VALID_HOSTS, st.one_of(
    st.just(""), st.sampled_from(["/", "/a?b=c&d=e#f", "/%20", "/päge"]), LONG_PATHS,
    st.text(PRINTABLE, max_size=16).filter(lambda path: not any(character.isspace() for character in path))
    .map("/{}".format)))
URLS = st.one_of(VALID_URLS, TEXTS, st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "javascript:", "mailto:", "//", "https:", ""]),
    st.one_of(VALID_HOSTS, TEXTS, st.sampled_from(["localhost", "例え.jp", "[::1]", "[::1", "a..b", "", "@"])),
    st.sampled_from(["", ":443", ":99999", ":x", "@example.org"]),
    st.one_of(st.just(""), LONG_PATHS, TOO_LONG_PATHS, TEXTS.map("/{}".format))))


def values(right: st.SearchStrategy, wrong: st.SearchStrategy | None, wrongs: tuple = ()) -> st.SearchStrategy:
    """Right values only when `wrong` is None; else right ones, the given wrong ones, or anything at all."""
    return right if wrong is None else st.one_of(right, *wrongs, wrong)


def mappings(required: dict, optional: dict, wrong: st.SearchStrategy | None) -> st.SearchStrategy:
    """A mapping with its required keys; when wrong, they may be missing, and unknown keys appear."""
    if wrong is None:
        return st.fixed_dictionaries(required, optional=optional)
    names = st.one_of(st.sampled_from(["titel", "minuts", "extend", "omit", "levels", "Title", ""]), TEXTS)
    unknown = st.dictionaries(names, ANYTHING, max_size=2)
    known = st.one_of(st.fixed_dictionaries(required, optional=optional),
                      st.fixed_dictionaries({}, optional={**required, **optional}))
    return st.one_of(known, st.builds(lambda keys, more: {**more, **keys}, known, unknown))


def items(ids: st.SearchStrategy | None, wrong: st.SearchStrategy | None) -> st.SearchStrategy:
    """An item; without `ids`, one with no id (the caller gives it one)."""
    numbers = (st.integers(), st.floats(), LOOKALIKES.map(Plain))
    return mappings({
        **({"id": values(ids, wrong, (TEXTS,))} if ids is not None else {}),
        "kind": values(KINDS, wrong, (st.sampled_from(["video", "Read", "reed", "wacth", ""]),)),
        "title": values(LINES, wrong, numbers),
    }, {
        "source": values(LINES, wrong),
        "authors": values(st.lists(LINES, max_size=3), wrong, (TEXTS,)),
        "year": values(st.integers(1800, 2200), wrong, numbers),
        "url": values(VALID_URLS, wrong, (URLS,)),
        "minutes": values(st.integers(1, 6000), wrong, numbers),
        "summary": values(MARKDOWN, wrong),
        "questions": values(st.lists(MARKDOWN, min_size=1, max_size=3), wrong, (st.lists(ANYTHING, max_size=3),)),
        "discussion_prompts": values(st.lists(MARKDOWN, max_size=2), wrong),
        "facilitator_notes": values(MARKDOWN, wrong),
        "discussion_minutes": values(st.integers(1, 240), wrong, numbers),
    }, wrong)


TOP_LEVEL = {
    "subtitle": LINES, "summary": MARKDOWN, "version": LINES, "author": LINES, "cohort": LINES,
    "language": st.one_of(st.sampled_from(["en-GB", "cy", "en", "fr-CA"]),
                          st.from_regex(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}", fullmatch=True)),
    "reflection_model": st.sampled_from(["what-so-what-now-what", "gibbs", "kolb"]),
    "schedule": st.fixed_dictionaries({"start": st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))},
                                      optional={"every_days": st.integers(1, 365)}),
    "source": st.fixed_dictionaries({"title": LINES}, optional={"url": VALID_URLS}),
}

IDS = st.one_of(st.sampled_from(["one", "a", "b"]), SLUGS)  # a few ids, so that some are used twice
WRONG_PATHWAYS = st.one_of(mappings({
    "id": values(IDS, ANYTHING, (TEXTS,)),
    "title": values(LINES, ANYTHING),
    "levels": values(st.lists(mappings({
        "id": values(IDS, ANYTHING, (TEXTS,)),
        "title": values(LINES, ANYTHING),
        "items": values(st.lists(items(IDS, ANYTHING), max_size=3), ANYTHING),
    }, {"intro": values(MARKDOWN, ANYTHING)}, ANYTHING), max_size=3), ANYTHING),
}, {key: values(right, ANYTHING) for key, right in TOP_LEVEL.items()}, ANYTHING), ANYTHING)  # or not a mapping

VALID_LEVELS = st.fixed_dictionaries({"title": LINES}, optional={"intro": MARKDOWN})
VALID_ITEMS = items(None, None)
VALID_TOP_LEVEL = st.fixed_dictionaries({}, optional=TOP_LEVEL)


@st.composite
def valid_pathways(draw) -> dict:
    """A whole pathway as data, with every value right."""
    used = set()

    def new_id() -> str:  # unique in the pathway, as ids must be
        slug = draw(SLUGS)
        while slug in used:
            slug += "-0"
        used.add(slug)
        return slug

    pathway = {"id": new_id(), "title": draw(LINES), **draw(VALID_TOP_LEVEL), "levels": []}
    for _ in range(draw(st.integers(1, 3))):
        level = {"id": new_id(), **draw(VALID_LEVELS)}
        level["items"] = [{"id": new_id(), **draw(VALID_ITEMS)} for _ in range(draw(st.integers(1, 3)))]
        pathway["levels"].append(level)
    return pathway


def dump(data: object, style: bool | None) -> bytes:
    """As yaml.safe_dump writes it, in block, flow or mixed style."""
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=style).encode()


STYLES = st.sampled_from([False, None, True])


# ---- Changes to the real files ----------------------------------------------------------------------

# Characters that mean something to YAML, alone and in the pairs that start its structures.
SPECIALS = [*":-[]{}&*!|>'\"#%@`", ": ", "- ", "? ", "<<: ", "&a ", "*a", "!!str ", "---\n", "...\n", "\t", "\n"]
INSERTS = st.one_of(
    st.sampled_from(SPECIALS).map(str.encode),
    st.text(max_size=6).map(str.encode),  # any code point, control characters included
    st.binary(min_size=1, max_size=4),  # most often not UTF-8
)
# A place in a file, taken modulo its length or its number of lines, so that a failing example
# shows a short list of changes rather than the 35 KB they were made to.
PLACES = st.integers(0, 40_000)
CHANGES = st.one_of(
    st.tuples(st.just("delete"), PLACES, st.integers(1, 16)),
    st.tuples(st.just("insert"), PLACES, INSERTS),
    st.tuples(st.just("replace"), PLACES, st.integers(1, 8), INSERTS),
    st.tuples(st.sampled_from(["duplicate line", "delete line", "tab before line"]), PLACES),
    st.tuples(st.just("swap lines"), PLACES, PLACES),
    st.tuples(st.just("indent line"), PLACES, st.integers(0, 12)),
)


def change(data: bytes, how: tuple) -> bytes:
    """The file with one change made: to a character or a short slice of its bytes, or to its lines."""
    kind, place, *details = how
    at = place % (len(data) + 1)
    if kind == "delete":
        return data[:at] + data[at + details[0]:]
    if kind == "insert":
        return data[:at] + details[0] + data[at:]
    if kind == "replace":
        return data[:at] + details[1] + data[at + details[0]:]
    lines = data.splitlines(keepends=True) or [b""]
    line = place % len(lines)
    if kind == "duplicate line":
        lines.insert(line, lines[line])
    elif kind == "delete line":
        del lines[line]
    elif kind == "tab before line":
        lines[line] = b"\t" + lines[line]
    elif kind == "swap lines":
        other = details[0] % len(lines)
        lines[line], lines[other] = lines[other], lines[line]
    else:  # indent line: by any number of spaces, none included
        lines[line] = b" " * details[0] + lines[line].lstrip(b" ")
    return b"".join(lines)


BASE_NAME, EXAMPLE_NAME = DEFAULT.name, EXAMPLE.name  # side by side, the example's `extends` finds the copy


def real_files() -> dict[str, bytes]:
    return {BASE_NAME: DEFAULT.read_bytes(), EXAMPLE_NAME: EXAMPLE.read_bytes()}


# ---- Files that extend a small base ----------------------------------------------------------------

BASE = b"""\
id: base
title: Base pathway
levels:
  - id: one
    title: Level one
    items:
      - {id: a, kind: read, title: A, url: 'https://example.org/a'}
      - {id: b, kind: watch, title: B, questions: ['Old question?']}
  - id: two
    title: Level two
    items:
      - {id: c, kind: do, title: C}
      - {id: d, kind: listen, title: D}
  - id: three
    title: Level three
    items:
      - {id: e, kind: read, title: E}
"""
# Ids of the base, ids an extension adds, and ids that are nowhere.
REFERENCES = st.one_of(st.sampled_from(["one", "two", "three", "a", "b", "c", "d", "e"]),
                       st.sampled_from(["new", "other", "on", "bb", "f"]), SLUGS)
EXTENDS = st.one_of(st.just("base.yaml"), st.sampled_from(["base", "./base.yaml", "middle.yaml", "middle", "child.yaml",
                                                           "missing", "sub/base.yaml", "../base.yaml", "base.yml"]),
                    TEXTS)


def extensions(extends: st.SearchStrategy, wrong: st.SearchStrategy | None) -> st.SearchStrategy:
    """A file that extends another: its changes name ids that exist, ids it adds, and ids that are nowhere.

    With `wrong` None its values have the right types, so that the changes are applied and checked
    against the base; else any of them may be anything.
    """
    def some(right: st.SearchStrategy) -> st.SearchStrategy:
        return values(right, wrong)

    added = items(st.sampled_from(["new", "other", "a", "one"]), wrong)
    return mappings({"extends": some(extends), "id": some(SLUGS)}, {
        "sequence": some(st.lists(st.fixed_dictionaries({"level": some(REFERENCES)},
                                                        optional={"items": some(st.lists(REFERENCES, max_size=3))}),
                                  max_size=3)),
        "omit": some(st.lists(REFERENCES, max_size=3)),
        "add": some(st.lists(st.fixed_dictionaries({"level": some(REFERENCES), "item": added},
                                                   optional={"after": some(REFERENCES)}), max_size=2)),
        "questions": some(st.dictionaries(REFERENCES, some(st.lists(MARKDOWN, min_size=1, max_size=2)), max_size=2)),
        "title": some(LINES),
        **{key: some(right) for key, right in TOP_LEVEL.items()},
    }, wrong)


def any_extension(extends: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(extensions(extends, None), extensions(extends, ANYTHING))


# ---- The tests ---------------------------------------------------------------------------------------

def test_the_files_that_are_changed_build_as_they_are(workdir):
    # Else every change below would be refused for the same reason, and prove nothing.
    assert check(BASE_NAME, real_files()) is None
    assert check(EXAMPLE_NAME, real_files()) is None
    assert check("base.yaml", {"base.yaml": BASE}) is None


@pytest.mark.slow
@examples(100)
@given(which=st.sampled_from([BASE_NAME, EXAMPLE_NAME]), changes=st.lists(CHANGES, min_size=1, max_size=3))
def test_changed_real_files_build_or_are_refused_with_located_messages(workdir, which, changes):
    files = real_files()
    for how in changes:
        files[which] = change(files[which], how)
    check(which, files)
    if which == BASE_NAME:  # the example, on top of a changed base
        check(EXAMPLE_NAME, files)


@examples(150)
@given(pathway=WRONG_PATHWAYS, style=STYLES)
def test_generated_pathways_build_or_are_refused_with_located_messages(workdir, pathway, style):
    check("p.yaml", {"p.yaml": dump(pathway, style)})


@examples(120)
@given(child=any_extension(EXTENDS), middle=st.none() | any_extension(st.sampled_from(["base.yaml", "child.yaml"])),
       style=STYLES)
def test_generated_extensions_build_or_are_refused_with_located_messages(workdir, child, middle, style):
    files = {"base.yaml": BASE, "child.yaml": dump(child, style)}
    if middle is not None:  # a chain of files, or a circle
        files["middle.yaml"] = dump(middle, style)
    check("child.yaml", files)


@examples(60)
@given(pathway=valid_pathways(), style=STYLES)
def test_valid_pathways_always_build(workdir, pathway, style):
    error = check("p.yaml", {"p.yaml": dump(pathway, style)})
    assert error is None, f"a valid pathway was refused: {[str(problem) for problem in error.problems]}"
