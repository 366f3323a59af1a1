"""The `pathway` command's first step: Ctrl-C and kill are answered before anything else loads.

However early they come, once this module runs, the command prints "Stopped." alone and exits
with 130 after Ctrl-C, 143 after kill (see stopping.py).
"""

from __future__ import annotations

import signal
import sys

from . import stopping


def main() -> None:
    stopping.listen()
    try:
        try:
            if _may_lay_out(sys.argv[1:]):
                from .printing import engine

                engine.start_early()
            from .cli import main as run

            run()
            status = 0
        except SystemExit as done:
            status = done.code
        finally:
            _close_early()
        # Done: a stop from here on would only turn a finished command into a traceback.
        signal.pthread_sigmask(signal.SIG_BLOCK, stopping.SIGNALS)
        stopping.check()
    except Exception as error:
        stop = _stop_behind(error)
        if stop is None:
            raise
        status = _stopped(stop)
    except stopping.Stopped as stop:
        status = _stopped(stop)
    sys.exit(status)


def _may_lay_out(arguments: list[str]) -> bool:
    """Whether the command is a build of the default formats, which make PDFs. A build that names its
    formats is left to them (which of them need the engine is theirs to say, once loaded), so that a
    build of the HTML alone starts no engine."""
    return arguments[:1] == ["build"] and "--help" not in arguments and not any(
        argument == "--format" or argument.startswith("--format=") for argument in arguments)


def _close_early() -> None:
    engine = sys.modules.get(f"{__package__}.printing.engine")
    if engine is not None:
        engine.close_early()


def _stopped(stop: stopping.Stopped) -> int:
    # At a terminal, the line after the '^C' it echoed.
    print("\nStopped." if sys.stderr.isatty() else "Stopped.", file=sys.stderr)
    return stop.status


def _stop_behind(error: BaseException) -> stopping.Stopped | None:
    """The stop that caused `error`, if one did: Python wraps an exception raised while a class is
    made (in a `__set_name__`, as the standard library's imports run them) in a RuntimeError."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, stopping.Stopped):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


if __name__ == "__main__":
    main()
