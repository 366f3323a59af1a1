"""Find a pathway file, follow its `extends` chain, and validate the result: path or id in, Pathway out."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from . import catalogue
from .errors import Problem, UserError, did_you_mean
from .extend import apply
from .load import LocatedMap, locate, read
from .model import Pathway
from .validate import validate_extension, validate_pathway


def load_pathway(reference: str) -> Pathway:
    """A pathway by file path or id, with its `extends` chain applied and the result validated."""
    return _load(reference)[0]


def load_all(references: Sequence[str]) -> list[tuple[Pathway, Path]]:
    """Every pathway named, with the folder its file is in; or a UserError with every problem in all of them."""
    loaded, problems = [], []
    for reference in references:
        try:
            loaded.append(_load(reference))
        except UserError as error:
            problems += error.problems
    ids = [pathway.id for pathway, _ in loaded]
    for twice in sorted({name for name in ids if ids.count(name) > 1}):
        problems.append(Problem(None, "", f"two of the pathways have the id '{twice}', so their outputs "
                                          "would overwrite each other: build them one at a time"))
    if problems:
        raise UserError(problems)
    return loaded


def _load(reference: str) -> tuple[Pathway, Path]:
    path = catalogue.find(reference)
    if path is None:
        raise UserError(f"no pathway file or built-in pathway called '{reference}'"
                        f"{did_you_mean(reference, catalogue.known_ids())}: "
                        "give the path to a .yaml file, or run 'pathway list'")
    return validate_pathway(resolve(path)), path.resolve().parent


def resolve(path: Path, chain: tuple[Path, ...] = ()) -> LocatedMap:
    """The raw, whole pathway a file describes, with any `extends` chain applied."""
    raw = read(path)
    if "extends" not in raw:
        return raw
    extension = validate_extension(raw)
    base_path = _find_base(raw, path, chain)
    base = resolve(base_path, chain + (path.resolve(),))
    validate_pathway(base)
    return apply(base, raw, extension)


def _find_base(raw: LocatedMap, path: Path, chain: tuple[Path, ...]) -> Path:
    reference = raw["extends"]
    where = locate(raw, ("extends",))
    found = catalogue.find(reference, beside=path.parent)
    if found is None:
        if catalogue.looks_like_path(reference):
            message = f"cannot find the file '{reference}' (looked beside this file)"
        else:
            message = (f"cannot find a pathway '{reference}': looked for {reference}.yaml beside this "
                       f"file and among the built-in pathways"
                       f"{did_you_mean(reference, catalogue.known_ids(path.parent))}")
        raise UserError(Problem(where, "extends", message))
    if found.resolve() in chain + (path.resolve(),):
        names = [catalogue.display(p) for p in chain + (path.resolve(), found.resolve())]
        raise UserError(Problem(where, "extends", "these files extend each other in a circle: "
                                                  + " -> ".join(names)))
    return found
