"""The `pathway` command's first step: Ctrl-C and kill are answered before anything else loads.

However early they come, once this module runs, the command prints "Stopped." alone and exits
with 130 after Ctrl-C, 143 after kill (see stopping.py).
"""

import signal
import sys

from . import stopping


def main() -> None:
    stopping.listen()
    try:
        try:
            from .cli import main as run

            run()
            status = 0
        except SystemExit as done:
            status = done.code
        # Done: a stop from here on would only turn a finished command into a traceback.
        signal.pthread_sigmask(signal.SIG_BLOCK, stopping.SIGNALS)
        stopping.check()
    except stopping.Stopped as stop:
        # At a terminal, the line after the '^C' it echoed.
        print("\nStopped." if sys.stderr.isatty() else "Stopped.", file=sys.stderr)
        status = stop.status
    sys.exit(status)


if __name__ == "__main__":
    main()
