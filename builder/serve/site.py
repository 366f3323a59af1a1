"""What `pathway serve` shows at any moment: the last good build's files, and what is wrong now.

The rebuild loop changes it; the server's threads read it. A rebuild comes in two steps, each a
build of its own: the screen ("html": the HTML workbook and the calendar), quick, then the print
("pdf": every PDF). While a step runs, a request for one of its files waits, so that nobody sees
half a build; the other step's files are served as they are.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

SCREEN, PRINT = "html", "pdf"


@dataclass(frozen=True)
class File:
    path: Path
    step: str  # SCREEN or PRINT: the step that makes it
    pages: int | None = None


@dataclass(frozen=True)
class State:
    """One moment of the site, as the pages are told of it."""
    version: int
    builds: dict[str, int]  # step -> how many good builds it has had
    busy: tuple[str, ...]
    problems: tuple[str, ...]  # the lines `pathway build` would print, when the last save is not good
    warnings: tuple[str, ...]

    def told(self) -> dict:
        return {"builds": self.builds, "busy": list(self.busy), "problems": list(self.problems),
                "warnings": list(self.warnings)}


@dataclass
class Site:
    title: str = ""
    watching: tuple[str, ...] = ()  # the files and folders watched, as the start page lists them
    files: dict[str, File] = field(default_factory=dict)  # the name in the address -> the file
    _builds: dict[str, int] = field(default_factory=lambda: {SCREEN: 0, PRINT: 0})
    _busy: set[str] = field(default_factory=lambda: {SCREEN, PRINT})  # until the first build is done
    _problems: dict[str, tuple[str, ...]] = field(default_factory=dict)  # step -> its lines
    _warnings: tuple[str, ...] = ()
    _version: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)
    # Each open page's event stream: the page (a tab keeps its id through reloads) -> (stream, builds it shows).
    _pages: dict[str, tuple[int, dict[str, int]]] = field(default_factory=dict)
    _streams: int = 0

    def begin(self, step: str) -> None:
        with self._changed:
            self._busy.add(step)
            self._tell()

    def done(self, step: str, files: dict[str, File] | None, problems: tuple[str, ...] = (),
             warnings: tuple[str, ...] | None = None, title: str | None = None, changed: bool = True) -> None:
        """The step is over: with its new files (None: it failed, and the last good ones stay), and
        whether any of them changed (if none did, the pages showing them need not reload)."""
        with self._changed:
            self._busy.discard(step)
            self._problems[step] = problems
            if step == SCREEN:
                self._problems.pop(PRINT, None)  # said again, or not, by the print step that follows
            if files is not None:
                self.files = {**{name: file for name, file in self.files.items() if file.step != step}, **files}
                if changed:
                    self._builds[step] += 1
            if warnings is not None:
                self._warnings = warnings
            if title:
                self.title = title
            self._tell()

    def interrupted(self, step: str) -> None:
        """The step was cut short by a newer change: its files stay, and a new rebuild follows."""
        with self._changed:
            self._busy.discard(step)
            self._tell()

    def _tell(self) -> None:
        self._version += 1
        self._changed.notify_all()

    def now(self) -> State:
        with self._changed:
            return self._state()

    def _state(self) -> State:
        problems = tuple(line for step in (SCREEN, PRINT) for line in self._problems.get(step, ()))
        return State(self._version, dict(self._builds), tuple(sorted(self._busy)), problems, self._warnings)

    def after(self, version: int, timeout: float) -> State:
        """The state once it is newer than `version`, or as it is after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != version, timeout)
            return self._state()

    def ready(self, step: str) -> State:
        """The state once `step` is not being rebuilt: a request for its files waits here."""
        with self._changed:
            self._changed.wait_for(lambda: step not in self._busy)
            return self._state()

    def opened(self, page: str, builds: dict[str, int]) -> int:
        """A page that shows these builds listens for changes: its stream's number, for closed(). A page
        reloaded in its tab replaces its earlier stream, which the server may not have seen close."""
        with self._changed:
            self._streams += 1
            self._pages[page or f"stream {self._streams}"] = (self._streams, builds)
            self._changed.notify_all()
            return self._streams

    def closed(self, page: str, stream: int) -> None:
        with self._changed:
            if self._pages.get(page or f"stream {stream}", (None,))[0] == stream:
                del self._pages[page or f"stream {stream}"]
            self._changed.notify_all()

    def reloaded(self, step: str, timeout: float) -> None:
        """Wait until no open page shows an earlier build of `step` (each has reloaded, or gone), or
        `timeout` seconds: the next step's work would slow their reloading down."""
        with self._changed:
            self._changed.wait_for(lambda: all(builds.get(step, self._builds[step]) >= self._builds[step]
                                               for _, builds in self._pages.values()), timeout)

    def file(self, name: str) -> File | None:
        with self._changed:
            return self.files.get(name)
