"""A pathway by path or id in, a Pathway out: its chain of files, each extension applied, validated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import Problem, UserError
from .chain import Link, find, follow
from .extend import apply
from .model import Pathway
from .validate import validate_extension, validate_pathway


@dataclass(frozen=True)
class Loaded:
    pathway: Pathway
    folder: Path  # the named file's own: the PDF engine may read files there
    chain: tuple[Link, ...]  # the files it was read from, the named one first


def load(reference: str) -> Loaded:
    """A pathway by file path or id, with its `extends` chain applied and the result validated."""
    path = find(reference)
    chain, extensions = [], []
    for link in follow(path):
        chain.append(link)
        extensions.append(validate_extension(link.raw) if "extends" in link.raw else None)
    raw = chain[-1].raw
    for link, extension in zip(reversed(chain[:-1]), reversed(extensions[:-1])):
        validate_pathway(raw)  # the file it extends must be whole before it is changed
        raw = apply(raw, link.raw, extension)
    return Loaded(validate_pathway(raw), path.resolve().parent, tuple(chain))


def load_pathway(reference: str) -> Pathway:
    """A pathway by file path or id, with its `extends` chain applied and the result validated."""
    return load(reference).pathway


def load_all(references: Sequence[str]) -> list[Loaded]:
    """Every pathway named; or a UserError with every problem in all of them."""
    loaded, problems = [], []
    for reference in references:
        try:
            loaded.append(load(reference))
        except UserError as error:
            problems += error.problems
    ids = [each.pathway.id for each in loaded]
    for twice in sorted({name for name in ids if ids.count(name) > 1}):
        problems.append(Problem(None, "", f"two of the pathways have the id '{twice}', so their outputs "
                                          "would overwrite each other: build them one at a time"))
    if problems:
        raise UserError(problems)
    return loaded
