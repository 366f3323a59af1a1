"""A pathway by path or id in, a Pathway out: its chain of files, each extension applied, validated."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import Problem, UserError, format_path, in_file_order
from ..glyphs import font_coverage, undrawable
from ..i18n import unknown_language
from .chain import Link, find, follow
from .extend import apply
from .holidays import on_bank_holidays
from .load import LocatedList, LocatedMap, locate
from .logo import read_logo
from .model import Pathway
from .stale import inherited_text
from .validate import validate_extension, validate_pathway


@dataclass(frozen=True)
class Loaded:
    pathway: Pathway
    folder: Path  # the named file's own: the PDF engine may read files there
    chain: tuple[Link, ...]  # the files it was read from, the named one first
    warnings: tuple[Problem, ...] = ()  # what may be wrong though it builds: said, or refused with --strict
    logo: str | None = None  # the pathway's logo as a data: URI


def load(reference: str) -> Loaded:
    """A pathway by file path or id, with its `extends` chain applied and the result validated.

    Every problem in the chain is reported at once: each file's own, and what its changes refer
    to wherever the file it extends could be read and is whole.
    """
    # The cyclic collector would walk the hundreds of thousands of objects a large file is read into
    # again and again as they are made, doubling the time; what they hold is freed by counting references.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(reference)
    finally:
        if collecting:
            gc.enable()


def _load(reference: str) -> Loaded:
    path = find(reference)
    chain, problems = [], []
    try:
        chain.extend(follow(path))
    except UserError as error:  # a file that cannot be read or found: the others are still checked
        problems += error.problems
    changes = []
    for link in chain:
        if "extends" in link.raw:
            valid, found = validate_extension(link.raw)
            changes.append(valid)
            problems += found
    raw, warnings = None, []
    if chain and "extends" not in chain[-1].raw:
        raw = chain[-1].raw
        for link, valid in zip(reversed(chain[:-1]), reversed(changes)):
            try:
                validate_pathway(raw)  # the file it extends must be whole before it is changed
            except UserError as error:
                problems += error.problems
                raw = None
                break
            base = raw
            raw, found = apply(base, link.raw, valid)
            problems += found
            if not found and (warning := inherited_text(base, raw, link.raw)) is not None:
                warnings.append(warning)
    if problems:
        raise UserError(in_file_order(_once(problems)))
    pathway = validate_pathway(raw)
    warnings += on_bank_holidays(pathway, raw) + undrawable(raw, font_coverage()) + _no_interface(pathway, raw)
    return Loaded(pathway, path.resolve().parent, tuple(chain), tuple(warnings), _logo(pathway, raw, chain))


def _logo(pathway: Pathway, raw: LocatedMap, chain: list[Link]) -> str | None:
    """The logo as a data: URI, looked for beside the file of the chain that names it."""
    if pathway.logo is None:
        return None
    where = raw.value_locations["logo"]
    if pathway.organisation is None:
        raise UserError(Problem(where, "logo", "a logo needs 'organisation:' too: the organisation's name "
                                               "is the logo's text for those who cannot see it"))
    named_in = next(link for link in chain if link.raw.get("logo") == pathway.logo
                    and link.raw.value_locations["logo"] == where)
    return read_logo(pathway.logo, named_in.path.parent, where)


def _no_interface(pathway: Pathway, raw: LocatedMap) -> list[Problem]:
    """A language with no catalogue builds, in English: a warning at the key that names it, for the
    pathway's and for each level's or item's that this file writes."""
    message = unknown_language(pathway.language)
    problems = [Problem(locate(raw, ("language",), key=True), "language", message)] if message else []
    for path, tag in _languages(raw, ()):
        if path != ("language",) and (message := unknown_language(tag, whole=False)):
            problems.append(Problem(locate(raw, path, key=True), format_path(path), message))
    return problems


def _languages(node, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Each `language:` under `node` that holds a text, with its path."""
    if isinstance(node, LocatedMap):
        for key, value in node.items():
            if key == "language" and isinstance(value, str):
                yield path + (key,), value
            else:
                yield from _languages(value, path + (key,))
    elif isinstance(node, LocatedList):
        for index, value in enumerate(node):
            yield from _languages(value, path + (index,))


def _once(problems: list[Problem]) -> list[Problem]:
    """Each problem once: a base pathway's are met again when it is checked as another's base."""
    return list(dict.fromkeys(problems))


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
