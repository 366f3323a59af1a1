"""The PDF step: print HTML in, PDF bytes out, from the engine's own process (see worker.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence
from urllib.parse import urlsplit

from .. import catalogue
from ..errors import EngineUnavailable, Location, Problem, in_file_order
from . import protocol
from .parts import Part


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int
    left_out: tuple[tuple[str, str], ...] = ()  # (why, what) for each file the sandbox would not serve
    fetched: tuple[str, ...] = ()  # each file the engine read
    apart: tuple[bytes, ...] = ()  # from Engine.pages: each page as a PDF of its own (and no `data`)
    parts: tuple[Part, ...] = ()  # of a document laid out in parts: to keep for the next build

    def sandbox_problems(self, name: str, templates: Sequence[Path], out: Path) -> list[Problem]:
        """What the engine left out of PDF `name`, each where the user's templates name it if they do
        (`out`, the output folder, holds no template even inside a template folder)."""
        return in_file_order(Problem(_named_at(what, templates, out), "", f"{name}: {_LEFT_OUT[why].format(what)}")
                             for why, what in self.left_out)


_RELATIVE = "the file into your templates folder and name it by a relative address, like 'logo.png'"
# Why the sandbox left something out -> what to tell the user.
_LEFT_OUT = {
    protocol.NETWORK: f"the PDF engine fetches nothing from the network, so it left out '{{}}': save {_RELATIVE}",
    protocol.OUTSIDE: "the PDF engine reads files only from the templates folders and the pathway's folder, so "
                        f"it left out '{{}}': copy {_RELATIVE}",
    protocol.LINK: "'{}' leads through a symbolic link out of the templates folders and the pathway's folder, "
                     "so the PDF engine left it out: copy the file itself there",
    protocol.HIDDEN: "the PDF engine reads no hidden file or folder (a name that starts with '.'), so it left "
                       "out '{}': rename it, or copy the file into your templates folder",
    protocol.MISSING: "cannot find '{}' in the templates folders or the pathway's folder: check the name, or "
                        "copy the file into your templates folder",
    protocol.UNREADABLE: "cannot read '{}': check the name",
}


def _named_at(what: str, templates: Sequence[Path], out: Path) -> Location | None:
    """Where the user's templates name this address or file: in full, or by its last part."""
    for needle in dict.fromkeys(filter(None, (what, PurePosixPath(urlsplit(what).path).name))):
        for folder in templates:
            for file in catalogue.template_files(folder, out):
                if file.stat().st_size > 1_000_000:  # a template, not a picture
                    continue
                text = file.read_text(encoding="utf-8", errors="replace")
                if (found := text.find(needle)) >= 0:
                    line_start = text.rfind("\n", 0, found) + 1
                    while found > line_start and text[found - 1] not in "\"'( \t=":  # to where it is written
                        found -= 1
                    return Location.after(catalogue.display(file), text[:found])
    return None


_early: Engine | None = None


def start_early() -> None:
    """Start the engine before the builder itself loads, for a command that will likely need it: its
    import (most of a second) then overlaps all of the builder's work, which follows (take_early)."""
    global _early
    _early = Engine()


def take_early() -> Engine | None:
    """The engine start_early() started, if it is still running and nothing has taken it: it is then the
    taker's to close."""
    global _early
    engine, _early = _early, None
    return engine if engine is not None and engine.running else None


def close_early() -> None:
    """Stop the engine started early if nothing took it (a build that found nothing changed)."""
    engine = take_early()
    if engine is not None:
        engine.close()


class EngineError(RuntimeError):
    """The engine failed: a bug, reported with the engine's traceback."""


class Engine:
    """A running PDF engine. Start it early: its import then overlaps the builder's own work."""

    def __init__(self):
        # The engine finds modules where this process does, and nowhere else: -I keeps the
        # current folder and PYTHON* variables out, and the path is handed over as it is here.
        code = f"import sys; sys.path[:] = {sys.path!r}; from builder.printing.worker import main; main()"
        # Its own process group: Ctrl-C at a terminal reaches the builder alone, which stops the
        # engine itself; the engine, even while Python starts, never sees it (nor prints a traceback).
        self._process = subprocess.Popen([sys.executable, "-I", "-c", code], process_group=0,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def pdf(self, html: str, base: Path, *, folders: Sequence[Path] = (), forms: bool = False,
            salt: str = "", kept: Sequence[Part] = ()) -> Pdf:
        """Lay out the print document and return the PDF with its page count.

        Relative addresses resolve against `base`; the engine reads files only from `folders`
        (and `base`), and nothing from the network. `kept`: the parts of the last build of this
        document, of which those still right are used again; `salt`: what else their keys hash
        (see relay.py).
        """
        return self._ask(html, base, folders, forms, False, salt, tuple(kept))

    def pages(self, html: str, base: Path, *, folders: Sequence[Path] = (), forms: bool = False) -> Pdf:
        """As pdf(), but each page a PDF of its own, in `Pdf.apart`, with what it holds and nothing else."""
        return self._ask(html, base, folders, forms, True, "", ())

    def _ask(self, html: str, base: Path, folders: Sequence[Path], forms: bool, apart: bool, salt: str,
             kept: tuple[Part, ...]) -> Pdf:
        folders = [str(folder) for folder in (*folders, base)]
        try:
            protocol.send(self._process.stdin, (html, str(base), folders, forms, apart, salt, kept))
            reply = protocol.receive(self._process.stdout)
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
        _, data, pages, left_out, fetched, parts = reply
        if apart:
            return Pdf(b"", pages, tuple(left_out), tuple(fetched), tuple(data))
        return Pdf(data, pages, tuple(left_out), tuple(fetched), parts=tuple(parts))

    def _kill(self) -> None:
        """The engine's process group: the engine and the second process it may have forked (pool.py)."""
        if self._process.returncode is not None:  # reaped: its number may be another's now
            return
        try:
            os.killpg(self._process.pid, signal.SIGKILL)
        except ProcessLookupError:  # all gone already
            pass

    @property
    def running(self) -> bool:
        return self._process.poll() is None

    def interrupt(self) -> None:
        """Stop the engine from another thread: the job being waited for then fails with EngineError
        (close() is still for the thread that uses it)."""
        self._kill()

    def close(self) -> None:
        """Stop the engine at once: it keeps nothing worth a graceful exit, and may be mid-import."""
        self._kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):  # a job left unread in a dead pipe
                pipe.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_) -> None:
        self.close()
