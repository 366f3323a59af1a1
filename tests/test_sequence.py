"""Sequencing: numbers, running totals, previous/next, session dates and default questions."""

import datetime

from builder.pathway.assemble import load_pathway
from builder.render import format_date, format_minutes
from builder.sequence import sequence
from conftest import DEFAULT, EXAMPLE, write

SMALL = """\
id: small
title: Small
reflection_model: {model}
{schedule}levels:
  - id: first
    title: Leading ourselves
    items:
      - {{id: a, kind: read, title: Alpha, minutes: 10, questions: ['Own question?']}}
      - {{id: b, kind: watch, title: Beta}}
  - id: second
    title: Leading our teams
    items:
      - {{id: c, kind: do, title: Gamma, minutes: 30}}
"""


def programme(workdir, model="what-so-what-now-what", schedule=""):
    write(workdir, "small.yaml", SMALL.format(model=model, schedule=schedule))
    return sequence(load_pathway("small.yaml"))


def test_items_are_numbered_level_dot_position(workdir):
    assert [step.number for step in programme(workdir).steps] == ["1.1", "1.2", "2.1"]


def test_running_totals_per_level_and_overall(workdir):
    result = programme(workdir)
    assert [step.minutes_so_far for step in result.steps] == [10, 10, 40]
    assert [(stage.minutes, stage.minutes_so_far) for stage in result.stages] == [(10, 10), (30, 40)]
    assert result.minutes == 40


def test_previous_and_next_cross_level_boundaries(workdir):
    steps = programme(workdir).steps
    assert steps[0].previous is None
    assert (steps[0].next.id, steps[0].next.number, steps[0].next.title) == ("b", "1.2", "Beta")
    assert steps[1].next.id == "c" and steps[2].previous.id == "b"
    assert steps[2].next is None


def test_items_without_questions_get_the_models_questions_for_their_level(workdir):
    steps = programme(workdir).steps
    assert steps[0].questions == ("Own question?",) and not steps[0].default_questions
    assert steps[1].default_questions
    assert steps[1].questions == (
        "**What?** What are the main points of “Beta”, and what struck you most?",
        "**So what?** What does it mean for leading ourselves: what does it confirm, challenge or "
        "change in how you work?",
        "**Now what?** What one thing will you do this week because of it, and with whom?",
    )
    assert "leading our teams" in steps[2].questions[1]


def test_other_models_supply_their_own_questions(workdir):
    steps = programme(workdir, model="gibbs").steps
    assert len(steps[1].questions) == 5
    assert steps[1].questions[-1] == "**Action plan.** What will you do differently this week?"
    assert programme(workdir, model="kolb").model.name == "Kolb’s experiential learning cycle"


def test_no_schedule_means_no_dates(workdir):
    result = programme(workdir)
    assert [stage.session for stage in result.stages] == [None, None]


def test_schedule_gives_one_session_per_level(workdir):
    result = programme(workdir, schedule="schedule:\n  start: 2027-03-01\n  every_days: 14\n")
    assert [stage.session for stage in result.stages] == [datetime.date(2027, 3, 1), datetime.date(2027, 3, 15)]
    assert [step.session for step in result.steps] == [datetime.date(2027, 3, 1)] * 2 + [datetime.date(2027, 3, 15)]


def test_default_pathway_sequence():
    result = sequence(load_pathway(str(DEFAULT)))
    assert [(step.number, step.item.id) for step in result.steps] == [
        ("1.1", "culture-is-leadership"), ("1.2", "compassionate-leader-characteristics"),
        ("2.1", "teaming-in-health-and-care"), ("2.2", "psychological-safety"), ("2.3", "five-myths"),
        ("3.1", "collective-leadership"), ("3.2", "three-ways-psychological-safety"),
        ("3.3", "supportive-leadership-cultures"),
        ("4.1", "compassionate-leadership-book"), ("4.2", "messenger-review"), ("4.3", "well-led-framework"),
    ]
    assert [stage.level.id for stage in result.stages] == ["individual", "team", "organisation", "system"]
    assert all(len(step.questions) >= 3 and not step.default_questions for step in result.steps)
    assert all("this week" in step.questions[-1] for step in result.steps)
    assert all(step.item.facilitator_notes for step in result.steps)


def test_example_pathway_sequence_and_dates():
    result = sequence(load_pathway(str(EXAMPLE)))
    ids = [step.item.id for step in result.steps]
    assert ids[2:5] == ["psychological-safety", "five-myths", "teaming-in-health-and-care"]
    assert "well-led-framework" not in ids
    assert ids[5:7] == ["collective-leadership", "listening-walk"]
    assert [format_date(stage.session) for stage in result.stages] == [
        "Monday 1 March 2027", "Monday 15 March 2027", "Tuesday 30 March 2027", "Monday 12 April 2027"]
    assert result.pathway.cohort == "Ward managers, spring 2027"


def test_minutes_are_written_as_people_say_them():
    assert [format_minutes(m) for m in (0, 5, 60, 75, 345)] == [
        "not estimated", "5 min", "1 h", "1 h 15 min", "5 h 45 min"]


def test_every_reflection_model_the_format_allows_has_questions():
    import typing

    from builder.pathway.model import ReflectionModel
    from builder.reflection import MODELS

    assert set(typing.get_args(ReflectionModel)) == set(MODELS)


def test_activities_get_their_own_first_question_and_acronyms_keep_their_capitals():
    from builder.reflection import default_questions

    questions = default_questions("what-so-what-now-what", "Walk the ward", "do", "NHS England partners")
    assert questions[0] == "**What?** What happened when you did “Walk the ward”, and what struck you most?"
    assert "What does it mean for NHS England partners:" in questions[1]


def test_each_session_has_a_running_order_whose_timings_add_up(workdir):
    first, second = programme(workdir).stages
    assert [(slot.start, slot.minutes, slot.activity) for slot in first.agenda] == [
        (0, 20, "Welcome and introductions; agree how the group works, confidentiality included"),
        (20, 10, "Discuss 1.1 Alpha"),
        (30, 10, "Discuss 1.2 Beta"),
        (40, 15, "Share the actions each person chose, and agree how to follow them up"),
        (55, 5, "Before next time: the resources of level 2, Leading our teams"),
        (60, 5, "Close: one word or phrase each to sum up the session"),
    ]
    assert [(slot.start, slot.minutes, slot.activity) for slot in second.agenda] == [
        (0, 10, "Welcome and check-in: how the level’s reading and reflection went"),
        (10, 10, "Discuss 2.1 Gamma"),
        (20, 15, "Share the actions each person chose, and agree how to follow them up"),
        (35, 15, "Close the programme: look back over the action plan, and give feedback on the programme"),
    ]
    assert (first.session_minutes, second.session_minutes) == (65, 50)


def test_discussion_time_is_longer_with_prompts_and_an_item_may_set_its_own(workdir):
    write(workdir, "small.yaml", SMALL.format(model="kolb", schedule="").replace(
        "title: Alpha, minutes: 10,", "title: Alpha, minutes: 10, discussion_minutes: 40,").replace(
        "title: Beta}", "title: Beta, discussion_prompts: ['Why?']}"))
    stage = sequence(load_pathway("small.yaml")).stages[0]
    assert [slot.minutes for slot in stage.agenda] == [20, 40, 15, 15, 5, 5]


def test_writing_lines_come_from_the_question_then_its_item_level_and_pathway(workdir):
    write(workdir, "lines.yaml", """\
        id: lines
        title: Lines
        writing_lines: 9
        levels:
          - id: first
            title: First
            writing_lines: 4
            items:
              - id: a
                kind: read
                title: A
                writing_lines: 2
                questions: ["Plain?", {text: "**Own** lines?", lines: 12}, {text: "Only text?"}]
              - {id: b, kind: read, title: B, questions: ["Level's?"]}
              - {id: c, kind: do, title: C}
          - id: second
            title: Second
            items:
              - {id: d, kind: read, title: D, questions: ["Pathway's?", {text: "Mine?", lines: 1}]}
        """)
    a, b, c, d = sequence(load_pathway("lines.yaml")).steps
    assert (a.questions, a.writing_lines) == (("Plain?", "**Own** lines?", "Only text?"), (2, 12, 2))
    assert (b.writing_lines, c.writing_lines, d.writing_lines) == ((4,), (4, 4, 4), (9, 1))
    assert c.default_questions and not a.default_questions


def test_without_writing_lines_a_question_gets_six(workdir):
    assert {lines for step in programme(workdir).steps for lines in step.writing_lines} == {6}
