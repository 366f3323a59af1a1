"""Tasks on both cores: each in an engine process forked from the engine's own, two at a time.

A task here lays a part out (relay.py): a closure over the layout's state, which cannot be sent to
another process, but is there as it is in a process forked for the task. The forked process sends
back what the task returned, and what `gather` reports it changed, and ends; the next task gets a
process of its own. The engine itself lays nothing out meanwhile: the memory a layout leaves
behind (the allocator keeps much of it) goes with the process that made it, and the processes
running at once hold one layout each. Results come back in the tasks' order, whichever process
ran each: they never depend on that.
"""

from __future__ import annotations

import gc
import os
import pickle
import selectors
import signal
import traceback
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")
_DONE, _FAILED = b"done\n", b"failed\n"  # what a forked process's answer begins with


class HelperFailed(RuntimeError):
    """A task failed in a forked process: its traceback."""


def cores() -> int:
    """The cores this process may run on; 1 but on Linux, where a process that forks without starting
    a new program is safe (macOS's system libraries are not, and Windows has no fork)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return 1


class Pool:
    """`map(task, items)`: task(item) for each item, each in a forked process, `workers` (one a core, at
    most two) at a time; here, one after another, with one worker or one item.

    `gather()` in a forked process reports what its task changed beside its result (the files the
    sandbox read); `merge(that)` adds it to this process's."""

    def __init__(self, gather: Callable[[], object] = lambda: None, merge: Callable[[object], None] = lambda _: None,
                 workers: int | None = None):
        self._gather, self._merge = gather, merge
        self.workers = min(2, cores()) if workers is None else workers

    def map(self, task: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if self.workers < 2 or len(items) < 2:
            return [task(item) for item in items]
        done: dict[int, R] = {}
        running: dict[int, tuple[int, int, bytearray]] = {}  # pipe -> (process, task number, what came back)
        waiting = selectors.DefaultSelector()
        # What the processes hold in common stays shared, not copied page by page: the collector's
        # passes in a forked process (relay._give_back) would otherwise write to every object's header.
        gc.freeze()
        try:
            for number in range(min(self.workers, len(items))):
                self._start(task, items, number, running, waiting)
            following = min(self.workers, len(items))
            while running:
                for key, _ in waiting.select():
                    helper, number, reply = running[key.fd]
                    chunk = os.read(key.fd, 1 << 20)
                    reply += chunk
                    if chunk:
                        continue
                    waiting.unregister(key.fd)
                    del running[key.fd]
                    os.close(key.fd)
                    os.waitpid(helper, 0)
                    if reply.startswith(_FAILED):
                        raise HelperFailed(f"a second engine process failed:\n{reply[len(_FAILED):].decode()}")
                    if not reply.startswith(_DONE):
                        raise HelperFailed("a second engine process stopped before it answered")
                    done[number], changed = pickle.loads(reply[len(_DONE):])
                    self._merge(changed)
                    if following < len(items):
                        self._start(task, items, following, running, waiting)
                        following += 1
        finally:  # each has finished, or one failed: the others stop
            gc.unfreeze()
            waiting.close()
            for pipe, (helper, _, _) in running.items():
                os.close(pipe)
                os.kill(helper, signal.SIGKILL)
                os.waitpid(helper, 0)
        return [done[number] for number in range(len(items))]

    def _start(self, task: Callable, items: Sequence, number: int, running: dict, waiting) -> None:
        back_in, back_out = os.pipe()
        helper = os.fork()
        if helper == 0:  # the forked process: its task, then its answer, and nothing else
            for pipe in running:
                os.close(pipe)
            os.close(back_in)
            try:
                reply = _DONE + pickle.dumps((task(items[number]), self._gather()))
            except BaseException:  # noqa: B036 (reported by the engine's own process, then this one ends)
                reply = _FAILED + traceback.format_exc().encode()
            with os.fdopen(back_out, "wb") as out:
                out.write(reply)
            os._exit(0)  # not a normal exit: this process's copy of the engine's pipes stays unflushed
        os.close(back_out)
        running[back_in] = (helper, number, bytearray())
        waiting.register(back_in, selectors.EVENT_READ)
