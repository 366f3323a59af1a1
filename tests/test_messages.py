"""Every bad input gets one exact message per problem, with file:line:column and the key path."""

import pytest

from conftest import problems_of, write

VALID_ITEM = """
      - id: an-item
        kind: read
        title: An item
"""


def pathway(extra: str = "", items: str = VALID_ITEM) -> str:
    return f"id: my-pathway\ntitle: My pathway\n{extra}levels:\n  - id: one\n    title: One\n    items:{items}"


CASES = [
    ("empty file", "", ["p.yaml:1:1: the file is empty: a pathway needs at least 'id', 'title' and 'levels'"]),
    ("not a mapping", "- a\n- b\n",
     ["p.yaml:1:1: a pathway file must be a mapping of keys such as 'id', 'title' and 'levels'"]),
    ("tab indentation", "id: x\ntitle: y\nlevels:\n\t- id: a\n",
     ["p.yaml:4:1: a tab character is not allowed here: indent YAML with spaces, not tabs"]),
    ("unquoted colon", "id: x\ntitle: Culture: it is leadership\n",
     ["p.yaml:2:15: a ':' here is not allowed: put text that contains ': ' in quotes, "
      "or check the indentation of this line"]),
    ("unclosed quote at the end", 'id: x\ntitle: "Culture\nlevels: []\n',
     ["p.yaml:2:8: this quoted text is never closed: add the closing quote"]),
    ("unclosed quote that runs on", 'id: x\ntitle: "Culture: a guide\nlevels:\n  - id: a\n    title: "A"\n'
                                   '    intro: **What?**\n',
     ["p.yaml:5:13: this line's indentation does not match the lines above it: keys of one mapping "
      "line up, and each list entry starts with '- ' (the quoted text from line 2 runs on to line 5: "
      "is its closing quote missing?)"]),
    ("key indented out of line", "id: x\ntitle: y\nlevels:\n  - id: a\n    title: A\n    items:\n"
                                 "      - id: b\n        kind: do\n      title: B\n",
     ["p.yaml:9:7: this line's indentation does not match the lines above it: keys of one mapping "
      "line up, and each list entry starts with '- '"]),
    ("impossible date", pathway("schedule:\n  start: 2027-02-30\n"),
     ["p.yaml:4:10: schedule.start: expected a date like 2027-03-01, found the text '2027-02-30'"]),
    ("minutes far too many", pathway(items=VALID_ITEM + "        minutes: 99999\n"),
     ["p.yaml:10:18: levels[0].items[0].minutes: 99999 minutes is more than 100 hours: check the number, "
      "or split the item"]),
    ("url without a site", pathway(items=VALID_ITEM + "        url: https://\n"),
     ["p.yaml:10:14: levels[0].items[0].url: 'https://' is not a web address: it has no site name, "
      "like www.england.nhs.uk, after the https://"]),
    ("url with a space", pathway(items=VALID_ITEM + "        url: https://www.england.nhs.uk/a b\n"),
     ["p.yaml:10:14: levels[0].items[0].url: 'https://www.england.nhs.uk/a b' is not a web address: "
      "a url cannot contain spaces: write each as %20"]),
    ("duplicate key", "id: x\ntitle: a\ntitle: b\n",
     ["p.yaml:3:1: title: duplicate key 'title' (first given at line 2): keep one of them, "
      "or start a new list entry with '- '"]),
    ("missing id and title", "levels: []\n",
     ["p.yaml:1:1: id: missing required key 'id'",
      "p.yaml:1:1: title: missing required key 'title'",
      "p.yaml:1:9: levels: a pathway needs at least one level"]),
    ("misspelt top-level key", pathway("titel: x\n"),
     ["p.yaml:3:1: titel: unknown key 'titel' (did you mean 'title'?)"]),
    ("unknown key without a near match", pathway("colour: blue\n"),
     ["p.yaml:3:1: colour: unknown key 'colour'"]),
    ("misspelt item key", pathway(items=VALID_ITEM + "        minuts: 5\n"),
     ["p.yaml:10:9: levels[0].items[0].minuts: unknown key 'minuts' (did you mean 'minutes'?)"]),
    ("bad pathway id", "id: My Pathway\ntitle: t\nlevels:\n  - id: one\n    title: One\n    items:" + VALID_ITEM,
     ["p.yaml:1:5: id: 'My Pathway' is not a valid id: use lower-case letters, digits and single "
      "hyphens, like 'five-myths'"]),
    ("number as title", "id: x\ntitle: 2016\nlevels:\n  - id: one\n    title: One\n    items:" + VALID_ITEM,
     ["p.yaml:2:8: title: expected text, found the number 2016: put it in quotes"]),
    ("yes/no as title", "id: x\ntitle: yes\nlevels:\n  - id: one\n    title: One\n    items:" + VALID_ITEM,
     ["p.yaml:2:8: title: expected text, found 'true' (a yes/no value): put it in quotes"]),
    ("blank title", "id: x\ntitle: '  '\nlevels:\n  - id: one\n    title: One\n    items:" + VALID_ITEM,
     ["p.yaml:2:8: title: must not be empty"]),
    ("bad language", pathway("language: english\n"),
     ["p.yaml:3:11: language: 'english' is not a language tag: use one like 'en-GB' or 'cy'"]),
    ("misspelt reflection model", pathway("reflection_model: gibs\n"),
     ["p.yaml:3:19: reflection_model: 'gibs' is not one of what-so-what-now-what, gibbs, kolb "
      "(did you mean 'gibbs'?)"]),
    ("unknown kind", pathway(items=VALID_ITEM.replace("kind: read", "kind: video")),
     ["p.yaml:8:15: levels[0].items[0].kind: 'video' is not one of read, watch, listen, do"]),
    ("misspelt kind", pathway(items=VALID_ITEM.replace("kind: read", "kind: wacth")),
     ["p.yaml:8:15: levels[0].items[0].kind: 'wacth' is not one of read, watch, listen, do "
      "(did you mean 'watch'?)"]),
    ("missing item title", pathway(items="\n      - id: an-item\n        kind: read\n"),
     ["p.yaml:7:9: levels[0].items[0].title: missing required key 'title'"]),
    ("year not a number", pathway(items=VALID_ITEM + "        year: twenty\n"),
     ["p.yaml:10:15: levels[0].items[0].year: expected a whole number, found the text 'twenty'"]),
    ("implausible year", pathway(items=VALID_ITEM + "        year: 16\n"),
     ["p.yaml:10:15: levels[0].items[0].year: 16 is not a plausible year"]),
    ("ftp url", pathway(items=VALID_ITEM + "        url: ftp://example.org/a\n"),
     ["p.yaml:10:14: levels[0].items[0].url: 'ftp://example.org/a' is not a web address: "
      "a url must start with https:// or http://"]),
    ("javascript url", pathway(items=VALID_ITEM + "        url: javascript:alert(1)\n"),
     ["p.yaml:10:14: levels[0].items[0].url: 'javascript:alert(1)' is not a web address: "
      "a url must start with https:// or http://"]),
    ("zero minutes", pathway(items=VALID_ITEM + "        minutes: 0\n"),
     ["p.yaml:10:18: levels[0].items[0].minutes: must be a whole number greater than 0, found 0"]),
    ("fractional minutes", pathway(items=VALID_ITEM + "        minutes: 7.5\n"),
     ["p.yaml:10:18: levels[0].items[0].minutes: expected a whole number, found the number 7.5"]),
    ("authors as text", pathway(items=VALID_ITEM + "        authors: Michael West\n"),
     ["p.yaml:10:18: levels[0].items[0].authors: expected a list, found the text 'Michael West': "
      "write it as [\"Michael West\"]"]),
    ("question not text", pathway(items=VALID_ITEM + "        questions: [\"Why?\", 42]\n"),
     ["p.yaml:10:29: levels[0].items[0].questions[1]: expected text, found the number 42: put it in quotes"]),
    ("question mark in a flow list", pathway(items=VALID_ITEM + "        questions: [Why?, How?]\n"),
     ["p.yaml:10:24: a '?' here is not allowed: inside [ ] or { }, put text with a '?' in quotes"]),
    ("a custom tag", "id: !foo x\ntitle: y\n",
     ["p.yaml:1:5: id: the tag '!foo' is not allowed in a pathway file: remove it"]),
    ("a python object tag", "id: !!python/object:os.system x\n",
     ["p.yaml:1:5: id: the tag '!!python/object:os.system' is not allowed in a pathway file: remove it"]),
    ("a merge key", "base: &b {kind: read}\n<<: *b\n",
     ["p.yaml:2:1: merge keys (<<) are not supported: to build on another pathway, use 'extends'"]),
    ("a control character", "id: x\x07\n",
     ["p.yaml:1:6: the character U+0007 cannot appear in a YAML file: remove it"]),
    ("nested far too deep", "levels: " + "[" * 2000 + "]" * 2000 + "\n",
     ["p.yaml:1:1: the file is nested too deeply: a pathway needs no more than 50 levels"]),
    ("just a word", "hello\n",
     ["p.yaml:1:1: a pathway file must be a mapping of keys such as 'id', 'title' and 'levels'"]),
    ("only a document marker", "---\n",
     ["p.yaml:1:1: the file is empty: a pathway needs at least 'id', 'title' and 'levels'"]),
    ("start date out of range", pathway("schedule: {start: 9999-12-31}\n"),
     ["p.yaml:3:19: schedule.start: 9999-12-31 is not a plausible start date: give one between 2000 "
      "and 2100"]),
    ("yes as minutes", pathway(items=VALID_ITEM + "        minutes: yes\n"),
     ["p.yaml:10:18: levels[0].items[0].minutes: expected a whole number, found 'true' (a yes/no value)"]),
    ("a number as a date", pathway("schedule: {start: 0}\n"),
     ["p.yaml:3:19: schedule.start: expected a date like 2027-03-01, found the number 0"]),
    ("empty question list", pathway(items=VALID_ITEM + "        questions: []\n"),
     ["p.yaml:10:20: levels[0].items[0].questions: give at least one question, or leave 'questions' out "
      "to use the reflective model's"]),
    ("extension key without extends", pathway("omit: [an-item]\n"),
     ["p.yaml:3:1: omit: 'omit' works only in a file that extends another: add 'extends: <the pathway's "
      "id or file>' at the top"]),
    ("misspelt extends", pathway("extend: x\n"),
     ["p.yaml:3:1: extend: unknown key 'extend' (did you mean 'extends'?)"]),
    ("duplicate ids beside another problem", pathway(items=VALID_ITEM + "        kind: reed\n" + VALID_ITEM)
     .replace("        kind: read\n        title: An item\n        kind: reed", "        kind: reed\n        title: An item"),
     ["p.yaml:8:15: levels[0].items[0].kind: 'reed' is not one of read, watch, listen, do (did you mean 'read'?)",
      "p.yaml:11:13: levels[0].items[1].id: the id 'an-item' is already used by the item at p.yaml:7:13: "
      "every item needs its own id"]),
    ("item is a list", pathway(items="\n      - [a, b]\n"),
     ["p.yaml:7:9: levels[0].items[0]: expected a mapping of keys, found a list"]),
    ("level without items", pathway(items=" []\n"),
     ["p.yaml:6:12: levels[0].items: a level needs at least one item"]),
    ("bad schedule date", pathway("schedule:\n  start: next monday\n"),
     ["p.yaml:4:10: schedule.start: expected a date like 2027-03-01, found the text 'next monday'"]),
    ("schedule every zero days", pathway("schedule:\n  start: 2027-03-01\n  every_days: 0\n"),
     ["p.yaml:5:15: schedule.every_days: must be a whole number greater than 0, found 0"]),
    ("duplicate item id", pathway(items=VALID_ITEM + VALID_ITEM.replace("An item", "Another")),
     ["p.yaml:11:13: levels[0].items[1].id: the id 'an-item' is already used by the item at p.yaml:7:13: "
      "every item needs its own id"]),
    ("level and item share an id", pathway(items=VALID_ITEM.replace("id: an-item", "id: one")),
     ["p.yaml:7:13: levels[0].items[0].id: the id 'one' is already used by the level at p.yaml:4:9: "
      "every item needs its own id"]),
    ("non-UTF-8 bytes", None,
     ["p.yaml:2:11: byte 0xe9 is not UTF-8 text: save the file as UTF-8"]),
    ("several problems at once", pathway("language: english\n", items=VALID_ITEM.replace("kind: read", "kind: wacth")
                                         + "        minutes: -3\n"),
     ["p.yaml:3:11: language: 'english' is not a language tag: use one like 'en-GB' or 'cy'",
      "p.yaml:9:15: levels[0].items[0].kind: 'wacth' is not one of read, watch, listen, do (did you mean 'watch'?)",
      "p.yaml:11:18: levels[0].items[0].minutes: must be a whole number greater than 0, found -3"]),
]


@pytest.mark.parametrize("text, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_pathway_gets_exact_located_messages(workdir, text, expected):
    if text is None:
        (workdir / "p.yaml").write_bytes("id: x\ntitle: Caf\u00e9\n".encode("latin-1"))
    else:
        (workdir / "p.yaml").write_text(text, encoding="utf-8")
    assert problems_of("p.yaml") == expected


def test_file_too_large_is_refused_before_parsing(workdir):
    (workdir / "p.yaml").write_bytes(b"# " + b"x" * 1_000_000 + b"\n")
    assert problems_of("p.yaml") == [
        "p.yaml:1:1: the file is 1,000,003 bytes; a pathway file may be at most 1,000,000 bytes"]


def test_alias_bomb_is_refused(workdir):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    write(workdir, "p.yaml", "\n".join(lines) + "\n")
    assert problems_of("p.yaml") == [
        "p.yaml:1:1: the file expands to more than 100,000 values, through aliases (*name): "
        "a pathway is far smaller"]


def test_unknown_pathway_reference_suggests_the_builtin_one(workdir):
    assert problems_of("compassionate-inclusive-leadershp") == [
        "no pathway file or built-in pathway called 'compassionate-inclusive-leadershp' "
        "(did you mean 'compassionate-inclusive-leadership'?): give the path to a .yaml file, "
        "or run 'pathway list'"]


def test_leading_zero_minutes_are_decimal_not_octal(workdir):
    from builder.pathways import load_pathway

    write(workdir, "p.yaml", pathway(items=VALID_ITEM + "        minutes: 010\n"))
    assert load_pathway("p.yaml").levels[0].items[0].minutes == 10
