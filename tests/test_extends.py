"""The merge rules of `extends`: sequence, omit, add, questions, schedule, overrides, chains, cycles."""

import datetime

from builder.pathway.assemble import load_pathway
from conftest import ROOT, problems_of, write

BASE = """\
id: base
title: Base pathway
subtitle: The base
levels:
  - id: one
    title: Level one
    items:
      - {id: a, kind: read, title: A}
      - {id: b, kind: watch, title: B, questions: ['Old question?']}
      - {id: c, kind: listen, title: C}
  - id: two
    title: Level two
    items:
      - {id: d, kind: do, title: D}
      - {id: e, kind: read, title: E}
  - id: three
    title: Level three
    items:
      - {id: f, kind: read, title: F}
"""


def order(pathway):
    return [(level.id, [item.id for item in level.items]) for level in pathway.levels]


def child(workdir, text, name="child.yaml"):
    write(workdir, "base.yaml", BASE)
    write(workdir, name, "extends: base.yaml\nid: child\n" + text)
    return name


def test_extension_with_no_changes_keeps_everything_but_its_id(workdir):
    pathway = load_pathway(child(workdir, ""))
    assert pathway.id == "child"
    assert pathway.title == "Base pathway"
    assert order(pathway) == [("one", ["a", "b", "c"]), ("two", ["d", "e"]), ("three", ["f"])]


def test_sequence_puts_named_levels_first_and_keeps_the_rest_in_order(workdir):
    pathway = load_pathway(child(workdir, "sequence:\n  - level: three\n"))
    assert order(pathway) == [("three", ["f"]), ("one", ["a", "b", "c"]), ("two", ["d", "e"])]


def test_sequence_items_come_first_and_unnamed_items_follow_in_order(workdir):
    pathway = load_pathway(child(workdir, "sequence:\n  - level: one\n    items: [c]\n"))
    assert order(pathway)[0] == ("one", ["c", "a", "b"])


def test_omit_drops_items_and_whole_levels(workdir):
    pathway = load_pathway(child(workdir, "omit: [b, two]\n"))
    assert order(pathway) == [("one", ["a", "c"]), ("three", ["f"])]


def test_add_goes_after_the_named_item_or_at_the_end(workdir):
    pathway = load_pathway(child(workdir, """\
add:
  - level: one
    after: a
    item: {id: new-1, kind: do, title: New one}
  - level: two
    item: {id: new-2, kind: do, title: New two}
"""))
    assert order(pathway) == [("one", ["a", "new-1", "b", "c"]), ("two", ["d", "e", "new-2"]),
                              ("three", ["f"])]


def test_sequence_and_questions_may_name_an_added_item(workdir):
    pathway = load_pathway(child(workdir, """\
add:
  - level: two
    item: {id: new, kind: do, title: New}
sequence:
  - level: two
    items: [new]
questions:
  new: ["Asked by the extension?"]
"""))
    assert order(pathway)[0] == ("two", ["new", "d", "e"])
    assert pathway.levels[0].items[0].questions == ("Asked by the extension?",)


def test_questions_replace_an_items_questions(workdir):
    pathway = load_pathway(child(workdir, "questions:\n  b: ['New one?', 'New two?']\n"))
    assert pathway.levels[0].items[1].questions == ("New one?", "New two?")


def test_questions_in_an_extending_file_may_be_mappings_with_their_own_lines(workdir):
    pathway = load_pathway(child(workdir, "writing_lines: 3\nquestions:\n"
                                          "  b: ['New one?', {text: 'New two?', lines: 10}]\n"))
    item = pathway.levels[0].items[1]
    assert item.questions[0] == "New one?" and (item.questions[1].text, item.questions[1].lines) == ("New two?", 10)
    assert pathway.writing_lines == 3


def test_top_level_fields_override_and_schedule_is_set(workdir):
    pathway = load_pathway(child(workdir, """\
title: Child title
cohort: Ward managers
schedule: {start: 2027-03-01, every_days: 7}
"""))
    assert (pathway.title, pathway.subtitle, pathway.cohort) == ("Child title", "The base", "Ward managers")
    assert pathway.schedule.start == datetime.date(2027, 3, 1)
    assert pathway.schedule.every_days == 7


def test_a_chain_applies_each_files_changes_on_top_of_the_last(workdir):
    child(workdir, "omit: [a]\ntitle: Middle\n", name="middle.yaml")
    write(workdir, "last.yaml", "extends: middle.yaml\nid: last\nsequence:\n  - level: two\n")
    pathway = load_pathway("last.yaml")
    assert pathway.title == "Middle"
    assert order(pathway) == [("two", ["d", "e"]), ("one", ["b", "c"]), ("three", ["f"])]


def test_extends_by_id_finds_the_builtin_pathway(workdir):
    write(workdir, "mine.yaml", "extends: compassionate-inclusive-leadership\nid: mine\nomit: [system]\n")
    pathway = load_pathway("mine.yaml")
    assert [level.id for level in pathway.levels] == ["individual", "team", "organisation"]


def test_extends_by_id_prefers_a_file_beside_the_extending_one(workdir):
    write(workdir, "compassionate-inclusive-leadership.yaml", BASE.replace("id: base", "id: local"))
    write(workdir, "mine.yaml", "extends: compassionate-inclusive-leadership\nid: mine\n")
    assert load_pathway("mine.yaml").title == "Base pathway"


def test_cycle_of_extends_is_an_error(workdir):
    write(workdir, "x.yaml", "extends: y.yaml\nid: x\n")
    write(workdir, "y.yaml", "extends: x.yaml\nid: y\n")
    assert problems_of("x.yaml") == [
        "y.yaml:1:10: extends: these files extend each other in a circle: x.yaml -> y.yaml -> x.yaml"]


def test_missing_base_file_is_named(workdir):
    write(workdir, "x.yaml", "extends: nowhere.yaml\nid: x\n")
    assert problems_of("x.yaml") == [
        "x.yaml:1:10: extends: cannot find the file 'nowhere.yaml' (looked beside this file)"]


def test_misspelt_base_id_suggests_the_right_one(workdir):
    write(workdir, "x.yaml", "extends: compassionate-inclusive-leadershp\nid: x\n")
    assert problems_of("x.yaml") == [
        "x.yaml:1:10: extends: cannot find a pathway 'compassionate-inclusive-leadershp': looked for "
        "compassionate-inclusive-leadershp.yaml beside this file and among the built-in pathways "
        "(did you mean 'compassionate-inclusive-leadership'?)"]


def test_problems_in_the_base_are_reported_in_the_base_file(workdir):
    write(workdir, "base.yaml", BASE.replace("kind: listen", "kind: lisen"))
    write(workdir, "child.yaml", "extends: base.yaml\nid: child\n")
    assert problems_of("child.yaml") == [
        "base.yaml:10:23: levels[0].items[2].kind: 'lisen' is not one of read, watch, listen, do "
        "(did you mean 'listen'?)"]


def test_added_item_with_a_bad_field_is_reported_in_the_extending_file(workdir):
    name = child(workdir, "add:\n  - level: one\n    item: {id: n, kind: do, title: N, minutes: 0}\n")
    assert problems_of(name) == [
        "child.yaml:5:48: add[0].item.minutes: must be a whole number greater than 0, found 0"]


def test_every_wrong_reference_is_reported_at_once(workdir):
    name = child(workdir, """\
sequence:
  - level: one
    items: [c, bb, d]
  - level: tow
  - level: one
omit: [x, three]
add:
  - level: three
    item: {id: n, kind: do, title: N}
  - level: two
    after: a
    item: {id: a, kind: do, title: Again}
questions:
  zz: [Why]
""")
    assert problems_of(name) == [
        "child.yaml:5:16: sequence[0].items[1]: unknown item 'bb' in level 'one' (did you mean 'b'?)",
        "child.yaml:5:20: sequence[0].items[2]: item 'd' is in level 'two', not 'one'",
        "child.yaml:6:12: sequence[1].level: unknown level 'tow' (did you mean 'two'?)",
        "child.yaml:7:12: sequence[2].level: level 'one' is already placed by sequence[0]",
        "child.yaml:8:8: omit[0]: unknown item or level 'x'",
        "child.yaml:10:12: add[0].level: level 'three' is omitted by this file",
        "child.yaml:14:16: add[1].item.id: the pathway already has an item 'a': give the new item "
        "another id, or change that item with 'change'",
        "child.yaml:16:3: questions.zz: unknown item 'zz'",
    ]


def test_omitting_the_last_item_of_a_level_asks_to_omit_the_level(workdir):
    assert problems_of(child(workdir, "omit: [f]\n")) == [
        "child.yaml:3:8: omit[0]: omitting 'f' would leave level 'three' empty: omit the level "
        "'three' instead"]


def test_omitting_every_level_is_refused_at_the_omit(workdir):
    assert problems_of(child(workdir, "omit: [one, two, three]\n")) == [
        "child.yaml:3:18: omit[2]: omitting 'three' would leave no levels at all"]


def test_an_item_named_as_a_level_is_called_an_item(workdir):
    assert problems_of(child(workdir, "sequence:\n  - level: b\n")) == [
        "child.yaml:4:12: sequence[0].level: 'b' is an item (in level 'one'), not a level"]


def test_sequence_cannot_name_an_omitted_item_or_level(workdir):
    assert problems_of(child(workdir, "omit: [a, three]\nsequence:\n  - level: one\n    items: [a]\n"
                                      "  - level: three\n")) == [
        "child.yaml:6:13: sequence[0].items[0]: item 'a' is omitted by this file",
        "child.yaml:7:12: sequence[1].level: level 'three' is omitted by this file",
    ]


def test_add_cannot_go_into_an_omitted_level_or_take_a_levels_id(workdir):
    assert problems_of(child(workdir, """\
omit: [one]
add:
  - level: one
    item: {id: n, kind: do, title: N}
  - level: two
    item: {id: three, kind: do, title: Three}
""")) == [
        "child.yaml:5:12: add[0].level: level 'one' is omitted by this file",
        "child.yaml:8:16: add[1].item.id: 'three' is already the id of a level: give the new item another id",
    ]


def test_omitting_an_item_of_an_omitted_level_is_harmless(workdir):
    pathway = load_pathway(child(workdir, "omit: [one, a]\n"))
    assert order(pathway) == [("two", ["d", "e"]), ("three", ["f"])]


def test_after_may_name_an_item_the_same_file_omits(workdir):
    pathway = load_pathway(child(workdir, "add:\n  - level: one\n    after: a\n    item: {id: n, kind: do, "
                                          "title: N}\nomit: [a]\n"))
    assert order(pathway)[0] == ("one", ["n", "b", "c"])


def test_extends_paths_are_relative_to_the_extending_file_not_the_working_folder(workdir):
    write(workdir, "deep/base.yaml", BASE)
    write(workdir, "deep/child.yaml", "extends: base.yaml\nid: child\n")
    write(workdir, "deep/by-id.yaml", "extends: base\nid: by-id\n")
    assert load_pathway("deep/child.yaml").title == "Base pathway"
    assert load_pathway("deep/by-id.yaml").title == "Base pathway"


def test_a_problem_in_the_middle_of_a_chain_is_reported_in_that_file(workdir):
    child(workdir, "omit: [zz]\n", name="middle.yaml")
    write(workdir, "last.yaml", "extends: middle.yaml\nid: last\n")
    assert problems_of("last.yaml") == ["middle.yaml:3:8: omit[0]: unknown item or level 'zz'"]


def test_null_cannot_empty_an_inherited_title(workdir):
    assert problems_of(child(workdir, "title:\n")) == [
        "child.yaml:3:7: title: expected text, found nothing"]


def test_overriding_the_reflective_model_changes_default_questions(workdir):
    from builder.sequence import sequence

    steps = sequence(load_pathway(child(workdir, "reflection_model: kolb\n"))).steps
    assert steps[0].questions[0] == "**Experience.** Which recent experience of yours does “A” bring to mind?"
    assert steps[1].questions == ("Old question?",)


def test_after_must_be_in_the_same_level(workdir):
    assert problems_of(child(workdir, "add:\n  - level: one\n    after: d\n    item: {id: n, kind: do, "
                                      "title: N}\n")) == [
        "child.yaml:5:12: add[0].after: item 'd' is in level 'two', not 'one'"]


def test_levels_cannot_be_given_in_an_extending_file(workdir):
    assert problems_of(child(workdir, "levels: []\nomitt: [a]\n")) == [
        "child.yaml:3:1: levels: 'levels' cannot be given in a file that extends another: change the "
        "levels with 'sequence', 'omit' and 'add', and their title and intro with 'change'",
        "child.yaml:4:1: omitt: unknown key 'omitt' (did you mean 'omit'?)",
    ]


def test_an_extending_file_needs_its_own_id(workdir):
    write(workdir, "base.yaml", BASE)
    write(workdir, "child.yaml", "extends: base.yaml\n")
    assert problems_of("child.yaml") == ["child.yaml:1:1: id: missing required key 'id'"]


def test_change_replaces_an_items_fields_and_a_levels_title_and_intro(workdir):
    pathway = load_pathway(child(workdir, """\
change:
  b:
    url: https://example.org/new
    summary: A new summary.
    facilitator_notes: New notes.
    minutes: 25
    kind: read
    title: B, renamed
  two:
    title: Level two, renamed
    intro: A new introduction.
"""))
    b = pathway.levels[0].items[1]
    assert (b.url, b.summary, b.facilitator_notes, b.minutes, b.kind, b.title) == (
        "https://example.org/new", "A new summary.", "New notes.", 25, "read", "B, renamed")
    assert b.questions == ("Old question?",)  # what is not named is inherited
    assert (pathway.levels[1].title, pathway.levels[1].intro) == ("Level two, renamed", "A new introduction.")
    assert order(pathway) == [("one", ["a", "b", "c"]), ("two", ["d", "e"]), ("three", ["f"])]


def test_change_with_null_removes_an_optional_field(workdir):
    write(workdir, "base.yaml", BASE.replace("{id: a, kind: read, title: A}",
                                             "{id: a, kind: read, title: A, url: 'https://example.org/dead', "
                                             "minutes: 5}"))
    write(workdir, "child.yaml", "extends: base.yaml\nid: child\nchange:\n  a: {url: null, questions: null}\n")
    item = load_pathway("child.yaml").levels[0].items[0]
    assert (item.url, item.minutes, item.questions) == (None, 5, None)


def test_change_may_name_an_added_item_and_questions_still_works_beside_it(workdir):
    pathway = load_pathway(child(workdir, """\
add:
  - level: three
    item: {id: n, kind: do, title: N}
change:
  n: {minutes: 40}
questions:
  a: ['New question?']
"""))
    assert pathway.levels[2].items[1].minutes == 40
    assert pathway.levels[0].items[0].questions == ("New question?",)


def test_every_problem_with_change_is_located_at_its_own_line(workdir):
    name = child(workdir, """\
change:
  bb: {title: B}
  b:
    summery: Typo.
    url: ftp://example.org
    intro: Not for an item.
    title: null
    id: b2
  one:
    url: https://example.org
    items: []
  d: {questions: ['Twice?']}
  c: {minutes: 5}
questions:
  d: ['Once?']
omit: [c]
""")
    assert problems_of(name) == [
        "child.yaml:4:3: change.bb: unknown item or level 'bb' (did you mean 'b'?)",
        "child.yaml:6:5: change.b.summery: unknown key 'summery' (did you mean 'summary'?)",
        "child.yaml:7:10: change.b.url: 'ftp://example.org' is not a web address: a url must start with "
        "https:// or http://",
        "child.yaml:8:5: change.b.intro: 'b' is an item, which has no 'intro': change its kind, title, "
        "source, authors, year, url, minutes, summary, questions, writing_lines, discussion_prompts, "
        "facilitator_notes, discussion_minutes, language",
        "child.yaml:9:5: change.b.title: 'title' cannot be removed: an item needs one; give a new title",
        "child.yaml:10:5: change.b.id: an id cannot be changed: omit the item and add one with the new id",
        "child.yaml:12:5: change.one.url: 'one' is a level, which has no 'url': change its title, intro, "
        "writing_lines, language",
        "child.yaml:13:5: change.one.items: a level's items are changed with 'add', 'omit' and 'sequence', "
        "not 'change'",
        "child.yaml:14:7: change.d.questions: the questions of 'd' are also given in 'questions' (line 17): "
        "give them once",
        "child.yaml:15:3: change.c: 'c' is omitted by this file: change it or omit it, not both",
    ]


def test_model_problems_and_reference_problems_are_reported_in_one_run(workdir):
    name = child(workdir, """\
title: 5
omit: [zz]
sequence:
  - level: tow
add:
  - {level: one, after: qq, item: {id: n, kind: do, title: N}}
  - {level: one, item: {id: m, kind: sing, title: M}}
""")
    assert problems_of(name) == [
        "child.yaml:3:8: title: expected text, found the number 5: put it in quotes",
        "child.yaml:4:8: omit[0]: unknown item or level 'zz'",
        "child.yaml:6:12: sequence[0].level: unknown level 'tow' (did you mean 'two'?)",
        "child.yaml:8:25: add[0].after: unknown item 'qq' in level 'one'",
        "child.yaml:9:38: add[1].item.kind: 'sing' is not one of read, watch, listen, do",
    ]


def test_an_unknown_key_items_says_how_to_change_an_item(workdir):
    assert problems_of(child(workdir, "items:\n  b: {url: https://example.org}\n")) == [
        "child.yaml:3:1: items: unknown key 'items': to change an inherited item or level, give 'change:' "
        "and its id, like 'change: {five-myths: {url: ...}}'"]


def warnings_of(reference):
    from builder.pathway.assemble import load

    return [str(warning) for warning in load(reference).warnings]


STALE = ("child.yaml:1:10: extends: this file {did}, but inherits text that may say otherwise: {fields}; review "
         "{them}, and give your own with 'subtitle:', 'summary:' or 'change: {{<level>: {{intro: ...}}}}'")


def test_omitting_a_level_warns_of_inherited_text_that_names_it_or_counts_levels(workdir):
    write(workdir, "base.yaml", BASE.replace("subtitle: The base",
                                             "subtitle: From one to three\nsummary: Three levels.")
          .replace("    title: Level two\n", "    title: Level two\n    intro: After level one, and before three.\n"))
    write(workdir, "child.yaml", "extends: base.yaml\nid: child\nomit: [three]\n")
    assert warnings_of("child.yaml") == [STALE.format(
        did="omits levels", them="them",
        fields="the subtitle, the summary and the intro of level 'two'")]


def test_text_given_by_the_file_itself_is_not_reviewed(workdir):
    write(workdir, "base.yaml", BASE.replace("subtitle: The base", "subtitle: Three levels")
          .replace("    title: Level two\n", "    title: Level two\n    intro: The second of three levels.\n"))
    write(workdir, "child.yaml", "extends: base.yaml\nid: child\nsubtitle: Two levels\nomit: [three]\n"
                                 "change:\n  two: {intro: The last of two.}\n")
    assert warnings_of("child.yaml") == []


def test_adding_items_warns_of_counts_only_in_the_levels_it_changes(workdir):
    write(workdir, "base.yaml", BASE.replace("subtitle: The base", "subtitle: Six resources")
          .replace("    title: Level one\n", "    title: Level one\n    intro: Three resources.\n")
          .replace("    title: Level two\n", "    title: Level two\n    intro: Two resources.\n"))
    write(workdir, "child.yaml", "extends: base.yaml\nid: child\nadd:\n  - level: two\n"
                                 "    item: {id: n, kind: do, title: N}\nsequence:\n  - level: one\n    items: [c]\n")
    assert warnings_of("child.yaml") == [STALE.format(
        did="adds items", them="them", fields="the subtitle and the intro of level 'two'")]


def test_reordering_levels_warns_of_text_that_names_any_level(workdir):
    write(workdir, "base.yaml", BASE.replace("subtitle: The base", "subtitle: From level one to level three"))
    write(workdir, "child.yaml", "extends: base.yaml\nid: child\nsequence:\n  - level: three\n")
    assert warnings_of("child.yaml") == [STALE.format(did="reorders levels", them="it", fields="the subtitle")]


def test_reordering_items_within_a_level_or_changing_text_is_no_reason_to_warn(workdir):
    write(workdir, "base.yaml", BASE.replace("subtitle: The base", "subtitle: Three levels, six resources"))
    write(workdir, "child.yaml", "extends: base.yaml\nid: child\nsequence:\n  - level: one\n    items: [c]\n"
                                 "change:\n  a: {title: A again}\n")
    assert warnings_of("child.yaml") == []


def test_the_example_pathway_has_no_warnings():
    assert warnings_of(str(ROOT / "pathways/examples/ward-managers-spring-2027.yaml")) == []
