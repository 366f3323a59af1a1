"""The shape every output format has, and the job each is given to make its files.

A format says its word on the command line (`--format`), which printed edition it is (chosen
by `--edition`), whether it is made only with `--fillable`, whether it needs the PDF engine,
whether its files are recorded and reused while their inputs are unchanged, and the folder of
the learners' own copies if it makes them. `make` turns a job into documents: it renders, and
lays out through the job's printer, but writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..options import Options

if TYPE_CHECKING:
    from ..cohort import Learner
    from ..output.write import Document
    from ..printing.reuse import Printer
    from ..render import Renderer
    from ..sequence import Programme


class Format:
    option = ""  # its word in --format
    help = ""  # what it makes, for --format's help
    edition: str | None = None  # the printed edition it is, if it is one: a word of options.EDITIONS
    fillable = False  # made only with --fillable
    engine = False  # laid out by the PDF engine; such a format is cached too, for the printer records it
    cached = False  # recorded beside the outputs, and reused while its inputs are unchanged
    copies: str | None = None  # the folder of each learner's own copy, with --learners

    def chosen(self, options: Options) -> bool:
        """Whether --edition and --fillable ask for it, whatever --format says."""
        return (self.edition is None or self.edition in options.editions) and (
            options.fillable or not self.fillable)

    def wanted(self, options: Options) -> bool:
        return self.option in options.formats and self.chosen(options)

    def files(self, job: Job) -> list[str]:
        """The files it makes, learners' copies aside."""
        raise NotImplementedError

    def nothing(self, job: Job) -> str:
        """Why it makes no file for this job, when it makes none: "" when it makes some, or needs no reason."""
        return ""

    def steps(self, job: Job) -> int:
        """How many steps of the progress bar it takes: one for each file laid out."""
        return 0

    def make(self, job: Job) -> list[Document]:
        raise NotImplementedError


@dataclass
class Job:
    """What a format makes its files from: one pathway, sequenced, and how to render and print it."""

    programme: Programme
    options: Options
    renderer: Renderer
    printer: Printer | None  # None when no format of the build needs the engine
    printed: list[Format]  # every printed edition chosen: what print HTML is written for
    learners: tuple[Learner, ...] = ()
    _html: dict[tuple[str, bool], str] = field(default_factory=dict)
    _screen: dict[bool, str] = field(default_factory=dict)

    def screen_html(self, platform: bool = False) -> str:
        """The HTML workbook, rendered once for every format that carries it; `platform`: the one that
        runs inside a learning platform's frame and saves there too."""
        if platform not in self._screen:
            self._screen[platform] = self.renderer.screen(self.programme, platform=platform)
        return self._screen[platform]

    def print_html(self, edition: str, fillable: bool = False) -> str:
        """The document handed to the PDF engine, rendered once for every format that needs it."""
        if (edition, fillable) not in self._html:
            self._html[edition, fillable] = self.renderer.printed(self.programme, edition, fillable=fillable,
                                                                  size=self.options.large_print_size)
        return self._html[edition, fillable]
