"""Ctrl-C and kill, at any moment: the build unwinds like an error, and nothing is half-done.

The first SIGINT or SIGTERM raises Stopped wherever the command is; it unwinds the build, so the
PDF engine is stopped and every temporary file removed. Python ignores an exception raised where
it cannot be passed on (in a finaliser, say: "Exception ignored in ..."), so the stop is also
remembered, and checked again before any file is renamed into place and before the command exits.
"""

from __future__ import annotations

import signal
import sys

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_requested: Stopped | None = None


class Stopped(BaseException):
    """Not a KeyboardInterrupt: click would answer that with a blank line of its own."""

    def __init__(self, signal_number: int):
        super().__init__(signal_number)
        self.status = 128 + signal_number  # what shells expect: 130 after Ctrl-C, 143 after kill


def listen() -> None:
    """Answer Ctrl-C and kill from now on. A SIGINT ignored from the start (`nohup`, a shell's `&`) stays so."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    sys.unraisablehook = _unraisable


def _unraisable(unraisable) -> None:
    """Where Python cannot pass the stop on (a finaliser, an import lock's callback) it would print
    "Exception ignored in ..." and a traceback: the stop is remembered (check() raises it), so say nothing."""
    if not isinstance(unraisable.exc_value, Stopped):
        sys.__unraisablehook__(unraisable)


def _stop(signal_number, _frame) -> None:
    global _requested
    if _requested is None:  # once: a second Ctrl-C must not cut short the clean-up that the first began
        _requested = Stopped(signal_number)
        raise _requested


def check() -> None:
    """Raise the stop asked for earlier, if there was one."""
    if _requested is not None:
        raise _requested
