"""Tasks on both cores (pool.py): each task run once, in one process or the other, its result in order."""

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


def test_each_task_runs_once_in_one_of_two_processes_and_the_results_come_in_order():
    both = multiprocessing.Barrier(2, timeout=60)  # passed only when each process runs a task
    first = os.getpid()
    started: set[int] = set()

    def task(item):
        if os.getpid() not in started:
            started.add(os.getpid())
            both.wait()
        return item * item, os.getpid() == first

    before = children()
    results = Pool(helpers=1).map(task, range(12))
    assert [square for square, _ in results] == [n * n for n in range(12)]
    assert {here for _, here in results} == {True, False}
    assert children() == before  # the second process has ended, and been reaped


def test_what_the_second_process_changed_reaches_the_first():
    first, merged = os.getpid(), []
    both = multiprocessing.Barrier(2, timeout=60)
    Pool(lambda: f"read by {'first' if os.getpid() == first else 'second'}", merged.append, helpers=1).map(
        lambda item: both.wait(), range(2))
    assert merged == ["read by second"]


def test_a_task_that_fails_in_the_second_process_is_reported_with_its_traceback():
    first = os.getpid()
    both = multiprocessing.Barrier(2, timeout=60)

    def task(item):
        both.wait()
        if os.getpid() != first:
            raise ValueError(f"no layout for part {item}")
        return item

    with pytest.raises(HelperFailed) as caught:
        Pool(helpers=1).map(task, range(2))
    assert str(caught.value).startswith("the second engine process failed:\nTraceback (most recent call last):")
    assert "ValueError: no layout for part " in str(caught.value)


def test_a_task_that_fails_here_stops_the_second_process():
    first = os.getpid()
    both = multiprocessing.Barrier(2, timeout=60)

    def task(item):
        both.wait()
        if os.getpid() == first:
            raise ValueError("a bug")
        multiprocessing.Event().wait()  # the second process would wait for ever: it is stopped instead

    before = children()
    with pytest.raises(ValueError, match="^a bug$"):
        Pool(helpers=1).map(task, range(2))
    assert children() == before


def test_one_task_or_no_second_core_runs_here_alone():
    first = os.getpid()
    assert Pool(helpers=1).map(lambda item: os.getpid() == first, [1]) == [True]
    assert Pool(helpers=0).map(lambda item: os.getpid() == first, range(5)) == [True] * 5
