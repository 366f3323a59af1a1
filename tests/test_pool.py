"""Tasks on both cores (pool.py): each task run once, in a forked process, two at a time, its result in order."""

import multiprocessing
import os
from pathlib import Path

import pytest

from builder.printing.pool import HelperFailed, Pool


def children() -> list[int]:
    """This process's child processes, running or not yet reaped."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # it ended while we looked
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def test_each_task_runs_once_in_a_process_of_its_own_two_at_a_time_and_the_results_come_in_order():
    both = multiprocessing.Barrier(2, timeout=60)  # passed only by two tasks running at once

    def task(item):
        both.wait()
        return item * item, os.getpid()

    before = children()
    results = Pool(workers=2).map(task, range(12))
    assert [square for square, _ in results] == [n * n for n in range(12)]
    ran = {process for _, process in results}
    assert len(ran) == 12 and os.getpid() not in ran
    assert children() == before  # each has ended, and been reaped


def test_what_each_process_changed_reaches_this_one():
    first, merged = os.getpid(), []
    both = multiprocessing.Barrier(2, timeout=60)
    Pool(lambda: f"read {'here' if os.getpid() == first else 'elsewhere'}", merged.append, workers=2).map(
        lambda item: both.wait(), range(2))
    assert merged == ["read elsewhere", "read elsewhere"]  # one from each task's process


def test_a_task_that_fails_is_reported_with_its_traceback():
    both = multiprocessing.Barrier(2, timeout=60)

    def task(item):
        if both.wait() == 0:
            raise ValueError(f"no layout for part {item}")
        return item

    with pytest.raises(HelperFailed) as caught:
        Pool(workers=2).map(task, range(2))
    assert str(caught.value).startswith("a second engine process failed:\nTraceback (most recent call last):")
    assert "ValueError: no layout for part " in str(caught.value)


def test_a_process_that_dies_is_reported_and_the_other_is_stopped():
    both = multiprocessing.Barrier(2, timeout=60)

    def task(item):
        if both.wait() == 0:
            os._exit(3)  # as if the system had stopped it
        multiprocessing.Event().wait()  # the other would wait for ever: it is stopped instead

    before = children()
    with pytest.raises(HelperFailed, match="^a second engine process stopped before it answered$"):
        Pool(workers=2).map(task, range(2))
    assert children() == before


def test_one_task_or_one_core_runs_here_alone():
    first = os.getpid()
    assert Pool(workers=2).map(lambda item: os.getpid() == first, [1]) == [True]
    assert Pool(workers=1).map(lambda item: os.getpid() == first, range(5)) == [True] * 5
