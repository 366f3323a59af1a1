"""sessions.ics: read back by three independent parsers (icalendar, vobject, and ical.js in Node), which
must agree on every session's instant, across both changes of the clock, and on every word."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import icalendar
import pytest
import vobject

from conftest import EXAMPLE, ROOT, run_pathway, write

NODE_READER = ROOT / "tests" / "js" / "read-ics.mjs"
UTC = datetime.timezone.utc


def _instant(value) -> str:
    """A start or end as the tests compare them: a UTC instant, or a date for a whole day."""
    if isinstance(value, datetime.datetime):
        assert value.tzinfo is not None, f"{value} has no zone: a calendar would guess its instant"
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def read_with_icalendar(path: Path) -> list[dict]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [{"uid": str(event["UID"]), "start": _instant(event.decoded("DTSTART")),
             "end": _instant(event.decoded("DTEND")), "allDay": not isinstance(event.decoded("DTSTART"),
                                                                               datetime.datetime),
             "summary": str(event["SUMMARY"]), "location": str(event["LOCATION"]) if "LOCATION" in event else None,
             "description": str(event["DESCRIPTION"])} for event in calendar.walk("VEVENT")]


def read_with_vobject(path: Path) -> list[dict]:
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    return [{"uid": event.uid.value, "start": _instant(event.dtstart.value), "end": _instant(event.dtend.value),
             "allDay": not isinstance(event.dtstart.value, datetime.datetime), "summary": event.summary.value,
             "location": event.location.value if hasattr(event, "location") else None,
             "description": event.description.value} for event in calendar.vevent_list]


def read_with_ical_js(path: Path) -> list[dict]:
    if not (ROOT / "tests" / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is not installed: run `npm ci --prefix tests` (CI does)")
    result = subprocess.run([shutil.which("node") or "node", str(NODE_READER), str(path)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)
    for event in events:
        event["location"] = event["location"] or None
    return events


def read_three_ways(path: Path) -> list[dict]:
    """The events, once all three parsers are found to read exactly the same ones."""
    python, other, node = read_with_icalendar(path), read_with_vobject(path), read_with_ical_js(path)
    assert python == other == node
    return python


@pytest.fixture(scope="module")
def example_calendar(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("calendar")
    result = run_pathway("build", str(EXAMPLE), "--format", "ics", "--out", ".", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "ward-managers-spring-2027/sessions.ics  (4 KB)" in result.stdout
    return folder / "ward-managers-spring-2027" / "sessions.ics"


def test_the_example_pathways_sessions_are_at_the_same_instants_in_all_three_parsers(example_calendar):
    events = read_three_ways(example_calendar)
    # 14:00 to 16:00 in London: GMT for the first two, BST (from 28 March 2027) for the others. The
    # third was moved by its `sessions:` entry from Easter Monday to the Tuesday.
    assert [(event["uid"], event["start"], event["end"]) for event in events] == [
        ("individual.ward-managers-spring-2027@pathway-builder", "2027-03-01T14:00:00Z", "2027-03-01T16:00:00Z"),
        ("team.ward-managers-spring-2027@pathway-builder", "2027-03-15T14:00:00Z", "2027-03-15T16:00:00Z"),
        ("organisation.ward-managers-spring-2027@pathway-builder", "2027-03-30T13:00:00Z", "2027-03-30T15:00:00Z"),
        ("system.ward-managers-spring-2027@pathway-builder", "2027-04-12T13:00:00Z", "2027-04-12T15:00:00Z"),
    ]
    assert [event["location"] for event in events] == ["Seminar Room 2, Education Centre"] * 3 + [
        "https://meet.example.org/ward-managers-system"]
    assert events[0]["summary"] == ("Session 1: Leading ourselves (Compassionate and inclusive leadership for "
                                    "ward managers)")
    assert events[1]["description"] == (
        "Level 2 of 4 of Compassionate and inclusive leadership for ward managers.\n\n"
        "Before the session, work through:\n"
        "2.1 The importance of psychological safety (Watch, about 5 min)\n"
        "2.2 Five myths of compassionate leadership (Read, about 10 min)\n"
        "https://www.kingsfund.org.uk/blog/2019/05/five-myths-compassionate-leadership\n"
        "2.3 The importance of teaming in health and care (Watch, about 10 min)")
    assert events[3]["description"].endswith(
        "\n\nJoin online: https://meet.example.org/ward-managers-system")


def test_the_file_keeps_to_the_format_calendars_expect(example_calendar):
    data = example_calendar.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in data.replace(b"\r\n", b"")  # every line ends with CRLF, no other
    assert max(len(line) for line in lines) <= 75
    assert lines[:3] == [b"BEGIN:VCALENDAR", b"VERSION:2.0", b"PRODID:-//pathway builder//0.1.0//EN"]
    assert data.count(b"BEGIN:VTIMEZONE") == 1 and b"TZID:Europe/London" in data


# Sessions on both sides of the October change, and on the day of it; an all-day session; one with a start
# and no end; a level of one item; text that must be escaped and folded inside its letters.
OTHER_SHAPE = """\
id: autumn-cohort
title: "Arwain gyda’n gilydd: a programme whose long title runs past one line of a calendar file, ŵ ŷ"
language: en-GB
schedule: {start: 2027-10-25, every_days: 7}
contact: {name: "Siân Jones", email: sian.jones@example.org}
sessions:
  one: {start: "09:30", end: "12:00", place: "Room 4; Ty Dewi Sant, Heol Maelor"}
  two: {date: 2027-10-31, start: "09:30"}
  four: {notes: "Bring your action plan.\\nA back\\\\slash, a comma; and a semicolon."}
levels:
  - id: one
    title: Leading ourselves
    items:
      - {id: a, kind: read, title: "Read this, then that", minutes: 20, url: "https://example.org/a?x=1;y=2"}
      - {id: b, kind: do, title: Try it}
  - id: two
    title: Teams
    items:
      - {id: c, kind: watch, title: One item only, minutes: 75}
  - id: three
    title: Organisations
    items:
      - {id: d, kind: listen, title: A podcast}
  - id: four
    title: Systems
    items:
      - {id: e, kind: read, title: Last}
"""


def test_a_pathway_of_another_shape_reads_the_same_in_all_three(workdir):
    write(workdir, "autumn.yaml", OTHER_SHAPE)
    result = run_pathway("build", "autumn.yaml", "--format", "ics", "--out", ".", cwd=workdir)
    assert result.returncode == 0, result.stderr
    path = workdir / "autumn-cohort" / "sessions.ics"
    events = read_three_ways(path)
    assert [(event["start"], event["end"], event["allDay"]) for event in events] == [
        ("2027-10-25T08:30:00Z", "2027-10-25T11:00:00Z", False),  # BST
        # The day the clocks go back, at 09:30 GMT; no end given, so it lasts its running order: a check-in
        # of 10 minutes, 10 for its one item, 15 for actions, 5 to look ahead and 5 to close.
        ("2027-10-31T09:30:00Z", "2027-10-31T10:15:00Z", False),
        ("2027-11-08", "2027-11-09", True),  # no time given: all day, on the schedule's third date
        ("2027-11-15", "2027-11-16", True),
    ]
    assert events[0]["location"] == "Room 4; Ty Dewi Sant, Heol Maelor"
    assert events[1]["location"] is None
    assert events[0]["summary"] == ("Session 1: Leading ourselves (Arwain gyda’n gilydd: a programme whose long "
                                    "title runs past one line of a calendar file, ŵ ŷ)")
    assert events[0]["description"] == (
        "Level 1 of 4 of Arwain gyda’n gilydd: a programme whose long title runs past one line of a calendar "
        "file, ŵ ŷ.\n\nBefore the session, work through:\n"
        "1.1 Read this, then that (Read, about 20 min)\nhttps://example.org/a?x=1;y=2\n"
        "1.2 Try it (Do, time not estimated)\n\n"
        "Questions: Siân Jones (sian.jones@example.org)")
    assert events[3]["description"].endswith(
        "4.1 Last (Read, time not estimated)\n\nBring your action plan.\nA back\\slash, a comma; and a semicolon."
        "\n\nQuestions: Siân Jones (sian.jones@example.org)")
    lines = path.read_bytes().split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # folded between letters, never inside one


def test_a_session_moved_to_another_time_keeps_its_event(workdir):
    """The same UIDs, so that a calendar importing the file again moves the events, not adds new ones."""
    pathway = write(workdir, "autumn.yaml", OTHER_SHAPE)
    first = run_pathway("build", "autumn.yaml", "--format", "ics", "--out", ".", cwd=workdir)
    assert first.returncode == 0, first.stderr
    before = read_with_icalendar(workdir / "autumn-cohort" / "sessions.ics")
    pathway.write_text(OTHER_SHAPE.replace('start: "09:30", end: "12:00"', 'start: "13:00", end: "15:30"'),
                       encoding="utf-8")
    second = run_pathway("build", "autumn.yaml", "--format", "ics", "--out", ".", cwd=workdir)
    assert second.returncode == 0, second.stderr
    after = read_with_icalendar(workdir / "autumn-cohort" / "sessions.ics")
    assert [event["uid"] for event in after] == [event["uid"] for event in before] == [
        f"{level}.autumn-cohort@pathway-builder" for level in ("one", "two", "three", "four")]
    assert (after[0]["start"], after[0]["end"]) == ("2027-10-25T12:00:00Z", "2027-10-25T14:30:00Z")
    assert after[1:] == before[1:]


def test_a_build_writes_the_calendar_by_default_only_when_a_session_has_a_date(workdir):
    write(workdir, "autumn.yaml", OTHER_SHAPE)
    dated = run_pathway("build", "autumn.yaml", "--format", "html,ics", "--out", ".", cwd=workdir)
    assert dated.returncode == 0, dated.stderr
    assert sorted(path.name for path in (workdir / "autumn-cohort").iterdir() if path.suffix != ".json"
                  ) == ["sessions.ics", "workbook.html"]
    undated = OTHER_SHAPE.replace("id: autumn-cohort", "id: undated").replace(
        "schedule: {start: 2027-10-25, every_days: 7}\n", "").replace("  two: {date: 2027-10-31, start: \"09:30\"}\n",
                                                                       "")
    write(workdir, "undated.yaml", undated)
    result = run_pathway("build", "undated.yaml", "--format", "html,ics", "--out", ".", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert [path.name for path in (workdir / "undated").iterdir() if path.suffix != ".json"] == ["workbook.html"]


def test_asking_only_for_the_calendar_of_a_pathway_without_dates_says_how_to_give_them(workdir):
    write(workdir, "plain.yaml", """\
        id: plain
        title: Plain
        levels:
          - {id: one, title: One, items: [{id: a, kind: read, title: A}]}
        """)
    result = run_pathway("build", "plain.yaml", "--format", "ics", "--out", ".", cwd=workdir)
    assert result.returncode == 2
    assert result.stderr == (
        "error: plain.yaml:1:1: no session has a date, so there is no calendar to write: give the pathway a "
        "'schedule:' with a start date, or a level's session a 'date:' under 'sessions:'\nNothing was written.\n")
    assert not (workdir / "plain").exists()


def test_a_welsh_pathways_events_speak_welsh(workdir):
    write(workdir, "cy.yaml", OTHER_SHAPE.replace("language: en-GB", "language: cy"))
    result = run_pathway("build", "cy.yaml", "--format", "ics", "--out", ".", cwd=workdir)
    assert result.returncode == 0, result.stderr
    events = read_three_ways(workdir / "autumn-cohort" / "sessions.ics")
    assert events[1]["summary"].startswith("Sesiwn 2: Teams (Arwain gyda’n gilydd: ")
    assert events[1]["description"].endswith(
        "ŵ ŷ.\n\nCyn y sesiwn, gweithiwch drwy’r rhain:\n2.1 One item only (Gwylio, tua 1 awr 15 mun)\n\n"
        "Cwestiynau: Siân Jones (sian.jones@example.org)")
    assert b"SUMMARY;LANGUAGE=cy:" in (workdir / "autumn-cohort" / "sessions.ics").read_bytes()
