"""What a build is asked to make: the contract between the command line and the build.

Kept free of heavy imports, so that the command line can read its arguments and start the PDF
engine before the rest of the builder loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORMATS = ("html", "pdf", "print-html")
EDITIONS = {"learner": ("learner",), "facilitator": ("facilitator",), "all": ("learner", "facilitator")}


@dataclass(frozen=True)
class Options:
    out: Path = Path("output")
    formats: tuple[str, ...] = ("html", "pdf")
    edition: str = "all"
    fillable: bool = False
    templates: tuple[Path, ...] = ()
