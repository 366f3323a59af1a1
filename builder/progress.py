"""How far a build has got: told to a progress bar in a terminal, or to nobody.

The build counts its steps (each PDF laid out, each personalised copy) and calls `step`; it
knows nothing of terminals. `Bar` draws them with rich, on standard error, and leaves no trace
once the build is done.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What a build tells of how far it has got."""

    def plan(self, steps: int) -> None:
        """The build will take this many steps in all."""

    def doing(self, what: str) -> None:
        """What the build does now: 'Laying out workbook.pdf'."""

    def step(self, count: int = 1) -> None:
        """That many steps are done."""

    def close(self) -> None:
        """The build is over, done or not."""


class Quiet:
    """Progress that nobody watches: when output is not a terminal, or with --quiet."""

    def plan(self, steps: int) -> None:
        pass

    def doing(self, what: str) -> None:
        pass

    def step(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class Bar:
    """A rich progress bar on standard error, shown once there is a step to count."""

    def __init__(self):
        self._progress = self._task = None
        self._steps = 0

    def plan(self, steps: int) -> None:
        self._steps += steps
        if self._progress is None and self._steps:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("Building", total=self._steps)
        elif self._progress is not None:
            self._progress.update(self._task, total=self._steps)

    def doing(self, what: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=what, refresh=True)  # drawn now, however short the work

    def step(self, count: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, count)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
