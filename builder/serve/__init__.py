"""`pathway serve`: build into a temporary folder, serve it on this computer, and build again on each save.

The main thread builds, as `pathway build` does (so Ctrl-C stops it wherever it is); the server
(server.py) and the watchers (watch.py) run in threads of their own, and the site (site.py) is
what they share. Each rebuild makes the screen first, in a fraction of a second, then the PDFs
with one PDF engine kept running between rebuilds. A save that comes while the PDFs are laid out
stops the engine: the new screen comes at once, and the PDFs are made again from the newer file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import queue
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from ..errors import EngineUnavailable, UserError
from ..options import Options
from .site import PRINT, SCREEN, File, Site
from .watch import Watchers, watched

SCREEN_FORMATS = ("html", "ics")
RELOADING = 1.0  # s: the most the PDFs wait for the open pages to reload


class Session:
    """One `pathway serve`: its build folder, its engine, its site and what it watches."""

    def __init__(self, reference: str, options: Options, folder: Path, say: Callable[[str], None]):
        self.reference, self.folder, self.say = reference, folder, say
        # Each step its own folder, so that each finds its own last build and reuses what it can.
        self.screen = dataclasses.replace(options, out=folder / "screen", formats=SCREEN_FORMATS, learners=None,
                                          skip_bad_rows=False, force=False)
        self.print = dataclasses.replace(options, out=folder / "print", formats=("pdf",), force=False)
        self.site = Site()
        self.changes: queue.SimpleQueue[set[Path]] = queue.SimpleQueue()
        self.watchers = Watchers(self._changed, say)
        self.engine = None
        self._cut_short = False
        self._said: dict[str, tuple[str, ...]] = {}  # the problems and warnings each step said last
        self._folders: dict[str, Path] = {}  # the folder each step's served files are in

    def _changed(self, paths: set[Path]) -> None:
        """From a watcher's thread: a save. The PDFs being laid out are of an older file: stop them."""
        self.changes.put(paths)
        engine = self.engine  # once: the main thread may drop it meanwhile
        if PRINT in self.site.now().busy and engine is not None:
            self._cut_short = True  # before the engine stops: the build that fails then reads it
            engine.interrupt()

    def start_engine(self) -> None:
        from ..printing.engine import Engine

        self.engine = Engine()  # its slow import overlaps the first build of the screen

    def run(self) -> None:
        """Build, then build again after each burst of changes, until stopped."""
        self.rebuild(None)
        while True:
            paths = self._wait()
            while True:  # and every change that came meanwhile, in the same rebuild
                try:
                    paths |= self.changes.get_nowait()
                except queue.Empty:
                    break
            self.rebuild(paths)

    def _wait(self) -> set[Path]:
        while True:
            try:
                return self.changes.get(timeout=0.5)  # a timeout, so that Ctrl-C is seen at once on every system
            except queue.Empty:
                pass

    def rebuild(self, paths: set[Path] | None) -> None:
        """Build the screen, then the PDFs. Each step says what it made; a step that made nothing new,
        or failed as the last did, says nothing, so that a log written into a watched folder is no loop."""
        now = watched(self.reference, self.print, self.folder)  # what this save may have changed
        self.watchers.watch(now)
        self.site.watching = now.shown()
        said = f"{time.strftime('%H:%M:%S')} " + (_names(paths) + " changed: " if paths else "")
        good, told = self._step(SCREEN, self.screen, said)
        if good:
            self.site.reloaded(SCREEN, RELOADING)  # the pages first: the PDFs' rendering would hold them up
            self._step(PRINT, self.print, f"{time.strftime('%H:%M:%S')} " if told else said)
        else:
            self.site.interrupted(PRINT)  # the PDFs stay those of the last good file

    def _step(self, step: str, options: Options, said: str) -> tuple[bool, bool]:
        """One build: whether it was good, and whether it said anything."""
        from ..build import build
        from ..printing.engine import EngineError

        self.site.begin(step)
        started = time.perf_counter()
        try:
            built = build([self.reference], options, engine=self._engine() if step == PRINT else None)
        except UserError as error:
            error.outcome = "the pages show the last good build until the next good save"
            return self._failed(step, said, error.lines())
        except EngineUnavailable as error:
            return self._failed(step, said, [f"error: {error}"])
        except EngineError as error:
            self.engine.close()  # stopped, or broken: the next rebuild starts another
            self.engine = None
            if self._cut_short:
                self.site.interrupted(step)
                return False, False
            return self._bug(step, said, error)
        except Exception as error:  # noqa: BLE001  (a bug: said, and the last good pages stay)
            return self._bug(step, said, error)
        (summary,) = built.pathways
        folder = options.out / summary.id
        files = {written.path.relative_to(folder).as_posix(): File(written.path, step, written.pages)
                 for written in summary.files}
        made = [written for written in summary.files if not written.unchanged]
        warnings = tuple(f"warning: {problem}" for problem in (*built.warnings, *built.skipped))
        # Another folder than the one served (the id changed back to one built earlier): new to the pages.
        moved = self._folders.get(step, folder) != folder
        self._folders[step] = folder
        self.site.done(step, files, (), warnings, summary.title, changed=bool(made or summary.removed or moved))
        what = "the screen" if step == SCREEN else "the PDFs"
        if made or summary.removed or moved:
            news = [said + f"{what} in {time.perf_counter() - started:.1f} s "
                    f"({_made(folder, made if made or not moved else summary.files, summary.removed)})"]
        elif any(line.startswith("error: ") for line in self._said.get(step, ())):
            news = [said + f"{what}: the problem is gone, and nothing else changed"]
        else:
            news = []
        return True, self._tell(step, news, warnings)

    def _failed(self, step: str, said: str, lines: list[str]) -> tuple[bool, bool]:
        self.site.done(step, None, tuple(lines))
        return False, self._tell(step, [], tuple(lines), said)

    def _tell(self, step: str, news: list[str], standing: tuple[str, ...], said: str = "") -> bool:
        """Say `news`, and `standing` (problems and warnings, the first after `said`) if they are not what
        this step said last."""
        if standing == self._said.get(step):
            standing = ()
        else:
            self._said[step] = standing
        lines = [*news, *standing]
        if lines and not news:
            lines[0] = said + lines[0]
        for line in lines:
            self.say(line)
        return bool(lines)

    def _bug(self, step: str, said: str, error: Exception) -> tuple[bool, bool]:
        import traceback

        from .. import __version__

        traceback.print_exc()
        return self._failed(step, said, [
            f"error: this is a bug in pathway builder {__version__} ({type(error).__name__}: {error}): please report "
            "it with the traceback the terminal shows and the pathway file you used"])

    def _engine(self):
        """The running engine; a new one if the last was stopped to cut a build short, or has stopped."""
        if self.engine is None or self._cut_short or not self.engine.running:  # stopped, or died while idle
            if self.engine is not None:
                self.engine.close()
            self._cut_short = False
            self.start_engine()
        return self.engine

    def close(self) -> None:
        self.watchers.stop()
        if self.engine is not None:
            self.engine.close()


def _made(folder: Path, made, removed) -> str:
    """What a step wrote: its files by name, learners' copies by count."""
    names = [written.path.relative_to(folder).as_posix() for written in made]
    copies = sum("/" in name for name in names)
    parts = [name for name in names if "/" not in name]
    if copies:
        parts.append("1 learner's copy" if copies == 1 else f"{copies} learners' copies")
    if removed:
        parts.append(f"{len(removed)} cop{'ies' if len(removed) != 1 else 'y'} removed")
    return ", ".join(parts)


def _names(paths: set[Path]) -> str:
    from .. import catalogue

    shown = sorted(catalogue.display(path) for path in paths)
    return ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")


def serve(reference: str, options: Options, host: str, port: int, open_browser: bool,
          say: Callable[[str], None]) -> None:
    """Serve until Ctrl-C; the temporary folder is removed however it ends."""
    from .server import Server

    folder = Path(tempfile.mkdtemp(prefix="pathway-serve-"))
    session = None
    try:
        session = Session(reference, options, folder, say)
        server = Server(host, port, session.site, folder)
        session.start_engine()
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="pathway-serve-http",
                         daemon=True).start()
        say(f"Serving at {server.address} (Ctrl-C to stop); building into {folder}")
        if open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(server.address,), daemon=True).start()
        try:
            session.run()
        finally:
            server.shutdown()
            server.server_close()
    finally:
        if session is not None:
            with contextlib.suppress(Exception):
                session.close()
        shutil.rmtree(folder, ignore_errors=True)  # nothing writes there now: the build has unwound, the engine is gone
