"""The quick answer to a build with nothing changed: every output is still as the last build left it.

A full build records, beside its outputs, what it was made from: the pathway file and each file
it extends (with the name each gives in `extends`), and a hash of those files together with the
cohort file, the options, the template folders, and this builder with its libraries. The next
build follows the same chain and hashes the same things again before it validates, renders or
lays out anything. When the hash is the one recorded, the chain is the same files, and every
output is still byte for byte as written (and so is every file the PDF engine read), the build
is done and nothing is written. Anything else, including anything that cannot be read here, goes
to the full build, which says what is wrong.
"""

from __future__ import annotations

from typing import Sequence

from .. import catalogue
from ..cohort import MAX_BYTES, cohort_source, parse_cohort
from ..errors import Problem, UserError
from ..options import Built, Options, Summary
from ..pathway.chain import Link, find, follow
from ..pathway.logo import MOST as LOGO_MOST
from . import cache
from .write import Written


def sources(chain: Sequence[Link]) -> list[list[str | None]]:
    """The record of a chain: each file, and the name it gives in `extends`."""
    return [[str(link.path), link.extends] for link in chain]


def inputs(chain: Sequence[Link], options: Options, cohort: bytes | None) -> str:
    """The hash of everything a pathway's build is made from: the bytes its chain was read from,
    the cohort file's bytes (as read before the cohort was), the options and the templates."""
    parts: list[str | bytes] = [repr((options.formats, options.editions, options.large_print_size, options.fillable,
                                      [str(folder.resolve()) for folder in options.templates],
                                      options.skip_bad_rows))]
    for link in chain:
        parts += [str(link.path), repr(link.extends), link.data]
    parts.append(_logo_bytes(chain))
    if options.learners is not None:  # the file itself too: its name and place decide where its copies go
        parts += [cohort_source(options.learners, options.out), cohort if cohort is not None else b"(unreadable)"]
    parts.append(cache.templates_digest(options.templates, options.out))
    return cache.key(*parts)


def _logo_bytes(chain: Sequence[Link]) -> bytes:
    """The logo's file as it is now: it goes into the outputs as data, so a changed logo is a changed input."""
    named = next((link for link in chain if "logo" in link.raw), None)
    if named is None or not isinstance(named.raw["logo"], str):
        return b"(no logo)"
    try:
        return catalogue.read_at_most(named.path.parent / named.raw["logo"], LOGO_MOST)[0]
    except (OSError, ValueError):
        return b"(unreadable)"


def cohort_bytes(options: Options) -> bytes | None:
    """The cohort file as it is now (no more of it than the reader reads), or None if there is none
    or it cannot be read."""
    try:
        return catalogue.read_at_most(options.learners, MAX_BYTES)[0] if options.learners is not None else None
    except OSError:
        return None


def up_to_date(references: Sequence[str], options: Options) -> Built | None:
    """The last build's outputs, all unchanged, if nothing they were made from has changed; else None."""
    cohort = cohort_bytes(options)
    if options.learners is not None and cohort is None:
        return None
    summaries, warnings = [], []
    for reference in references:
        unchanged = _unchanged(reference, options, cohort)
        if unchanged is None:
            return None
        summary, said = unchanged
        summaries.append(summary)
        warnings += [Problem(None, "", text) for text in said]
    if warnings and options.strict:
        return None  # the full build refuses them
    if len({summary.id for summary in summaries}) < len(summaries):
        return None  # two pathways of one id: the full build says so
    skipped = ()
    if options.learners is not None:
        try:  # the bytes just hashed, to warn of the rows again
            skipped = parse_cohort(cohort, catalogue.display(options.learners)).bad_rows
        except UserError:
            return None
    return Built(summaries, skipped, tuple(warnings))


def _unchanged(reference: str, options: Options, cohort: bytes | None) -> tuple[Summary, list[str]] | None:
    """The pathway's outputs as the last build left them, and the warnings it gave; None if anything changed."""
    try:
        chain = list(follow(find(reference)))
    except UserError:
        return None
    identifier = chain[0].raw.get("id")
    if not isinstance(identifier, str) or not catalogue.is_id(identifier):
        return None  # the full build says what is wrong with it
    folder = options.out / identifier
    earlier = cache.Cache(folder)
    if earlier.last_build.get("sources") != sources(chain):
        return None  # no record, one this builder did not write, or another chain of files
    kept = earlier.unchanged(inputs(chain, options, cohort))
    if kept is None:
        return None
    files = [Written(folder / name, (folder / name).stat().st_size, record.pages, True) for name, record in kept]
    said = earlier.last_build.get("warnings", [])
    title = earlier.last_build.get("title", "")
    return (Summary(identifier, earlier.last_build.get("levels", 0), earlier.last_build.get("items", 0), files,
                    title=title if isinstance(title, str) else ""),
            [text for text in said if isinstance(text, str)] if isinstance(said, list) else [])
