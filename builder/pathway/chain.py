"""Find a pathway file and follow its `extends` chain: the one place that does either.

The loader (assemble.py) makes a Pathway of the chain; the up-to-date check (output/uptodate.py)
compares the chain and the bytes of its files with those the last build recorded. Nothing here
imports the model, so that check stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .. import catalogue
from ..errors import Problem, UserError, did_you_mean, invisible, shown
from .load import LocatedMap, locate, read


@dataclass(frozen=True)
class Link:
    """One file of a chain: where it is, the bytes read from it, and what they hold."""

    path: Path  # resolved
    data: bytes
    raw: LocatedMap

    @property
    def extends(self) -> str | None:
        """The name it gives in `extends`, if it extends another file."""
        base = self.raw.get("extends")
        return base if isinstance(base, str) else None


def find(reference: str) -> Path:
    """The file a path or a built-in pathway's id names; a UserError that says what to do if none."""
    path = catalogue.find(reference)
    if path is None:
        raise UserError(f"no pathway file or built-in pathway called '{reference}'"
                        f"{did_you_mean(reference, catalogue.known_ids())}: "
                        "give the path to a .yaml file, or run 'pathway list'")
    return path


def follow(path: Path) -> Iterator[Link]:
    """Each file of the chain that starts at `path`, read, in order; a UserError where the next is
    missing or the files extend each other in a circle.

    Lazy, so that a caller can refuse a file before the file it extends is looked for.
    """
    chain: tuple[Path, ...] = ()
    while True:
        data, raw = read(path)
        link = Link(path.resolve(), data, raw)
        yield link
        if link.extends is None:  # none given, or not a name (the loader has refused that by now)
            return
        chain += (link.path,)
        path = _find_base(raw, link.extends, path, chain)


def _find_base(raw: LocatedMap, reference: str, path: Path, chain: tuple[Path, ...]) -> Path:
    where = locate(raw, ("extends",))
    if (character := invisible(reference)) is not None:  # it would name no file, but look as if it did
        raise UserError(Problem(locate(raw, ("extends",), character=True), "extends", (
            f"'{shown(reference)}' is not a file name: it holds an invisible character {character}")))
    found = catalogue.find(reference, beside=path.parent)
    if found is None:
        if catalogue.looks_like_path(reference):
            message = f"cannot find the file '{reference}' (looked beside this file)"
        else:
            message = (f"cannot find a pathway '{reference}': looked for {reference}.yaml beside this "
                       f"file and among the built-in pathways"
                       f"{did_you_mean(reference, catalogue.known_ids(path.parent))}")
        raise UserError(Problem(where, "extends", message))
    if found.resolve() in chain:
        names = [catalogue.display(p) for p in chain + (found.resolve(),)]
        raise UserError(Problem(where, "extends", "these files extend each other in a circle: "
                                                  + " -> ".join(names)))
    return found
