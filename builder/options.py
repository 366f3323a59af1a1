"""What a build is asked to make: the contract between the command line and the build.

Kept free of heavy imports, so that the command line can read its arguments and start the PDF
engine before the rest of the builder loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import Problem
    from .output.write import Written

# The words of --edition, a comma-separated list: each printed edition, and `all` for every one.
EDITIONS = ("learner", "facilitator", "large-print", "booklet")
DEFAULT_EDITIONS = ("learner", "facilitator")  # what a build made before there were more
# --large-print-size: UKAAF's large print is 16 pt at least, 18 pt ideally; above 28 pt a line of
# the A4 page holds too few words to read.
LARGE_PRINT_SIZES = (16, 28)


@dataclass(frozen=True)
class Options:
    out: Path = Path("output")
    formats: tuple[str, ...] = ("html", "pdf", "ics")  # words of --format: see formats/
    editions: tuple[str, ...] = DEFAULT_EDITIONS  # words of --edition, `all` spelt out
    large_print_size: int = 18  # the large-print edition's body text, in points
    fillable: bool = False
    templates: tuple[Path, ...] = ()
    learners: Path | None = None  # a cohort's CSV file: a personalised workbook for each learner in it
    skip_bad_rows: bool = False  # build the good rows of the cohort file even if some are bad
    force: bool = False  # make every file anew, even those whose inputs have not changed
    strict: bool = False  # a warning is an error: nothing is written


@dataclass(frozen=True)
class Summary:
    """What a build made of one pathway."""
    id: str
    levels: int
    items: int
    files: list[Written]
    removed: tuple[Path, ...] = ()  # copies of learners no longer in the cohort file, removed by this build
    title: str = ""


@dataclass(frozen=True)
class Built:
    pathways: list[Summary]
    skipped: tuple[Problem, ...] = ()  # the cohort file's bad rows, left out with --skip-bad-rows
    warnings: tuple[Problem, ...] = ()  # the pathways': text that may no longer fit, a session on a holiday
