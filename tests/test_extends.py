"""The merge rules of `extends`: sequence, omit, add, questions, schedule, overrides, chains, cycles."""

import datetime

from builder.pathway.assemble import load_pathway
from conftest import problems_of, write

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
    pathway = load_pathway(child(workdir, "writing_lines: 3\nquestions:\n  b: ['New one?', {text: 'New two?', lines: 10}]\n"))
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
        "another id, or change that item's questions with 'questions'",
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
        "levels with 'sequence', 'omit' and 'add'",
        "child.yaml:4:1: omitt: unknown key 'omitt' (did you mean 'omit'?)",
    ]


def test_an_extending_file_needs_its_own_id(workdir):
    write(workdir, "base.yaml", BASE)
    write(workdir, "child.yaml", "extends: base.yaml\n")
    assert problems_of("child.yaml") == ["child.yaml:1:1: id: missing required key 'id'"]
