"""The PDF step: print HTML in, PDF bytes out, from the engine's own process (see pdf_worker.py)."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import pdf_worker
from .errors import EngineUnavailable


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


class EngineError(RuntimeError):
    """The engine failed: a bug, reported with the engine's traceback."""


class Engine:
    """A running PDF engine. Start it early: its import then overlaps the builder's own work."""

    def __init__(self):
        # The engine finds modules where this process does, and nowhere else: -I keeps the
        # current folder and PYTHON* variables out, and the path is handed over as it is here.
        code = f"import sys; sys.path[:] = {sys.path!r}; from builder.pdf_worker import main; main()"
        self._process = subprocess.Popen([sys.executable, "-I", "-c", code],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def pdf(self, html: str, base: Path, *, forms: bool = False) -> Pdf:
        """Lay out the print document and return the PDF with its page count."""
        try:
            pdf_worker.send(self._process.stdin, (html, str(base), forms))
            reply = pdf_worker.receive(self._process.stdout)
        except BrokenPipeError:
            reply = None
        if reply is None:
            raise EngineError(f"the PDF engine stopped (exit code {self._process.wait()}); "
                              "its messages are above")
        if reply[0] == "missing":
            raise EngineUnavailable(
                f"cannot make PDFs: WeasyPrint, the PDF engine, is not installed for {sys.executable} "
                f"({reply[1]}); reinstall pathway builder, or build the HTML workbook alone with "
                "'--format html'")
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
        for pipe in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):  # a job left unread in a dead pipe
                pipe.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_) -> None:
        self.close()
