"""The PDF step: print HTML in, PDF bytes out, from the engine's own process (see engine.py)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import engine

_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


class EngineError(RuntimeError):
    """The engine failed: a bug, reported with the engine's traceback."""


class EngineUnavailable(Exception):
    """WeasyPrint cannot start here: the machine lacks something, which the message names."""


class Engine:
    """A running PDF engine. Start it early: its import then overlaps the builder's own work."""

    def __init__(self):
        # -I: the current folder and PYTHON* variables cannot put other code in the engine's place;
        # the folder this package came from is named instead.
        code = f"import sys; sys.path.insert(0, {_PACKAGE_ROOT!r}); from builder.engine import main; main()"
        self._process = subprocess.Popen([sys.executable, "-I", "-c", code],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def pdf(self, html: str, base: Path, *, forms: bool = False) -> Pdf:
        """Lay out the print document and return the PDF with its page count."""
        try:
            engine.send(self._process.stdin, (html, str(base), forms))
            reply = engine.receive(self._process.stdout)
        except BrokenPipeError:
            reply = None
        if reply is None:
            raise EngineError(f"the PDF engine stopped (exit code {self._process.wait()}); "
                              "its messages are above")
        if reply[0] == "unavailable":
            raise EngineUnavailable(
                f"cannot make PDFs: WeasyPrint, the PDF engine, could not start ({reply[1]}). It needs "
                "the Pango library: on Debian or Ubuntu, 'apt-get install libpango-1.0-0 "
                "libpangoft2-1.0-0'; or build the HTML workbook alone with '--format html'")
        if reply[0] == "error":
            raise EngineError(f"the PDF engine failed:\n{reply[1]}")
        _, data, pages = reply
        return Pdf(data, pages)

    def close(self) -> None:
        """Stop the engine at once: it keeps nothing worth a graceful exit, and may be mid-import."""
        self._process.kill()
        self._process.wait()
        self._process.stdin.close()
        self._process.stdout.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_) -> None:
        self.close()
