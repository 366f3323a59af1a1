"""The rule for every file a build puts into its outputs: inside the allowed folders, reached through
no link out of them, in no hidden folder. The PDF engine's sandbox (sandbox.py) keeps it for what
WeasyPrint asks for; the pathway's logo is read by it too. Imports no WeasyPrint.
"""

from __future__ import annotations

from pathlib import Path

from .protocol import HIDDEN, LINK, MISSING, OUTSIDE


class Refused(Exception):
    """The file may not be read; `why` is one of protocol's reasons."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def first_inside(wanted: Path, candidates: list[Path], folders: list[Path]) -> Path:
    """The first candidate that is a file inside `folders` (resolved); else Refused, saying why.

    May raise OSError, ValueError or RuntimeError for a name that cannot be looked at (a NUL, a
    name too long, a loop of links).
    """
    for candidate in candidates:
        real = candidate.resolve()
        inside = next((folder for folder in folders if real.is_relative_to(folder)), None)
        if inside is None:
            # A relative name can get out only through a link; an absolute one may name a link too.
            named = candidate.parent.resolve() / candidate.name
            through_link = not wanted.is_absolute() or any(named.is_relative_to(f) for f in folders)
            raise Refused(LINK if through_link else OUTSIDE)
        if any(part.startswith(".") for part in real.relative_to(inside).parts):
            raise Refused(HIDDEN)
        if real.is_file():
            return real
    raise Refused(MISSING)
