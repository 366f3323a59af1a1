"""The quick answer to a build with nothing changed: every output is still as the last build left it.

A full build records, beside its outputs, what it was made from: the pathway file and each file
it extends (with the name each gives in `extends`), and a hash of those files together with the
cohort file, the options, the template folders, and this builder with its libraries. The next
build hashes the same things again before it parses, validates, renders or lays out anything.
When the hash is the one recorded, each `extends` still finds the same file, and every output is
still byte for byte as written (and so is every file the PDF engine read), the build is done and
nothing is written. Anything else, including anything that cannot be read here, goes to the full
build, which says what is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from . import cache, catalogue
from .cohort import read_cohort
from .errors import UserError
from .options import Built, Options, Summary
from .write import Written

# The id at the top of a pathway file: a guess, to find the folder whose record then decides.
_ID = re.compile(rb"^id:[ \t]*([\"']?)([a-z0-9]+(?:-[a-z0-9]+)*)\1[ \t]*(?:#.*)?$", re.M)

Sources = list[tuple[Path, str | None]]  # each file a pathway is read from, and the name it extends


def sources(reference: str) -> Sources | None:
    """The files a pathway is read from, the named one first, each with its `extends`; None if that cannot be told.

    Reads the files as the full build does (it runs only there, where they are read anyway).
    """
    from .load import read

    found, path = [], catalogue.find(reference)
    while path is not None and len(found) < 100:
        try:
            raw = read(path)
        except UserError:
            return None
        base = raw.get("extends") if isinstance(raw, dict) else None
        base = base if isinstance(base, str) else None
        found.append((path.resolve(), base))
        if base is None:
            return found
        path = catalogue.find(base, beside=path.parent)
    return None


def inputs(files: Sources, options: Options) -> str | None:
    """The hash of everything a pathway's build is made from; None if a file cannot be read."""
    parts: list[str | bytes] = [repr((options.formats, options.edition, options.fillable,
                                      [str(folder.resolve()) for folder in options.templates],
                                      options.skip_bad_rows))]
    try:
        for path, base in files:
            parts += [str(path), repr(base), path.read_bytes()]
        if options.learners is not None:
            parts.append(options.learners.read_bytes())
    except OSError:
        return None
    return cache.key(*parts, templates=options.templates)


def up_to_date(references: Sequence[str], options: Options) -> Built | None:
    """The last build's outputs, all unchanged, if nothing they were made from has changed; else None."""
    if options.force or "pdf" not in options.formats:  # an HTML build is quick enough as it is
        return None
    summaries = []
    for reference in references:
        summary = _unchanged(reference, options)
        if summary is None:
            return None
        summaries.append(summary)
    if len({summary.id for summary in summaries}) < len(summaries):
        return None  # two pathways of one id: the full build says so
    skipped = ()
    if options.learners is not None:
        try:
            skipped = read_cohort(options.learners).bad_rows  # to warn of them again
        except UserError:
            return None
    return Built(summaries, skipped)


def _unchanged(reference: str, options: Options) -> Summary | None:
    path = catalogue.find(reference)
    try:
        guess = _ID.search(path.read_bytes()[:100_000]) if path else None
    except OSError:
        return None
    if guess is None:
        return None
    identifier = guess.group(2).decode()
    folder = options.out / identifier
    earlier = cache.Cache(folder)
    recorded = earlier.last_build.get("sources")
    if not isinstance(recorded, list) or not recorded or not all(
            isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)
            and isinstance(entry[1], (str, type(None))) for entry in recorded):
        return None  # no record, or not one this builder wrote
    if recorded[0][0] != str(path.resolve()):
        return None
    files = [(Path(file), base) for file, base in recorded]
    for (file, base), (following, _) in zip(files, files[1:]):  # each extends still finds the same file
        found = catalogue.find(base, beside=file.parent) if isinstance(base, str) else None
        if found is None or found.resolve() != following:
            return None
    kept = earlier.unchanged(inputs(files, options))
    if kept is None:
        return None
    files = [Written(folder / name, (folder / name).stat().st_size, record.pages, True) for name, record in kept]
    return Summary(identifier, earlier.last_build.get("levels", 0), earlier.last_build.get("items", 0), files)
