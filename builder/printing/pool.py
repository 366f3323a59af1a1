"""Tasks on both cores: the engine's own process and a second engine process forked from it.

A task here lays a part out (relay.py): a closure over the layout's state, which cannot be sent to
another process, but is there as it is in a process forked when the tasks begin. Both processes
take the next task from one pipe, which holds the tasks' numbers, until it is empty; the forked
one sends back what each of its tasks returned, and what it changed that `gather` reports.
Results come back in the tasks' order, whichever process ran each: they never depend on that.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import traceback
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_NUMBER = struct.Struct("=I")  # 4 bytes: a pipe reads them whole, as one write put them (PIPE_BUF)
_MOST = 65536 // _NUMBER.size  # tasks whose numbers a pipe holds before anyone reads them


class HelperFailed(RuntimeError):
    """A task failed in the forked process: its traceback."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Pool:
    """`map(task, items)`: task(item) for each item, on both cores when there are two and two items.

    `gather()` in the forked process reports what its tasks changed beside their results (the files
    the sandbox read); `merge(that)` adds it to this process's."""

    def __init__(self, gather: Callable[[], object] = lambda: None, merge: Callable[[object], None] = lambda _: None,
                 helpers: int | None = None):
        self._gather, self._merge = gather, merge
        self.helpers = min(1, cores() - 1) if helpers is None else helpers

    def map(self, task: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if self.helpers < 1 or not 2 <= len(items) <= _MOST:
            return [task(item) for item in items]
        numbers_in, numbers_out = os.pipe()
        os.write(numbers_out, b"".join(_NUMBER.pack(number) for number in range(len(items))))
        os.close(numbers_out)  # so that a read of the empty pipe ends
        back_in, back_out = os.pipe()
        helper = os.fork()
        if helper == 0:  # the second engine process: its tasks, then its results, and nothing else
            os.close(back_in)
            try:
                done = {number: task(items[number]) for number in _taken(numbers_in)}
                reply = pickle.dumps(("done", done, self._gather()))
            except BaseException:  # noqa: B036 (reported by the first process, then it exits)
                reply = pickle.dumps(("failed", traceback.format_exc(), None))
            with os.fdopen(back_out, "wb") as out:
                out.write(reply)
            os._exit(0)  # not a normal exit: this process's copy of the engine's pipes stays unflushed
        os.close(back_out)
        try:
            done = {number: task(items[number]) for number in _taken(numbers_in)}
            with os.fdopen(back_in, "rb", closefd=False) as back:
                reply = back.read()
        finally:  # the other process has finished, or this one's task failed: it stops either way
            os.close(numbers_in)
            os.close(back_in)
            os.kill(helper, signal.SIGKILL)
            os.waitpid(helper, 0)
        if not reply:
            raise HelperFailed("the second engine process stopped before it answered")
        kind, theirs, changed = pickle.loads(reply)
        if kind == "failed":
            raise HelperFailed(f"the second engine process failed:\n{theirs}")
        self._merge(changed)
        done.update(theirs)
        return [done[number] for number in range(len(items))]


def _taken(numbers: int):
    while len(data := os.read(numbers, _NUMBER.size)) == _NUMBER.size:
        yield _NUMBER.unpack(data)[0]
