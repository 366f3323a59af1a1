"""The whole build, read top to bottom: nothing changed? Else load, sequence, make every format, write it all.

Only light modules are imported here at first: the PDF engine is started before the rest of the
builder loads, so that its slow import overlaps the builder's own loading and rendering.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import formats
from .formats import COPY_FOLDERS
from .errors import Location, Problem, UserError
from .options import Built, Options, Summary
from .progress import Progress, Quiet

if TYPE_CHECKING:
    from .cohort import Learner
    from .formats.format import Format
    from .output.cache import Cache
    from .output.write import Document
    from .pathway.assemble import Loaded
    from .printing.engine import Engine


def build(references: Sequence[str], options: Options = Options(), progress: Progress = Quiet(),
          engine: Engine | None = None) -> Built:
    """Build every pathway named into out/<id>/: all of them, or nothing is written.

    `engine`: a running PDF engine to lay out with, which stays running (`pathway serve` keeps one);
    without it, a build that needs one starts its own and stops it when done.
    """
    chosen = formats.wanted(options)
    if not options.force and any(format.cached for format in chosen):
        from .output.uptodate import up_to_date

        built = up_to_date(references, options)  # nothing changed: nothing to do, and no engine to start
        if built is not None:
            return built
    with _engine(chosen, engine) as engine:
        return _build(references, options, chosen, engine, progress)


def _engine(chosen: Sequence[Format], running: Engine | None):
    """The PDF engine, started now, for a build that needs it; nothing for one that does not."""
    if not any(format.engine for format in chosen):
        return contextlib.nullcontext()
    if running is not None:
        return contextlib.nullcontext(running)
    from .printing.engine import Engine, take_early

    return take_early() or Engine()


def _build(references: Sequence[str], options: Options, chosen: Sequence[Format], engine: Engine | None,
           progress: Progress) -> Built:
    from . import catalogue
    from .output import uptodate
    from .output.cache import Cache
    from .output.write import check_folder

    cohort = uptodate.cohort_bytes(options)  # read before the cohort is: see _write
    loaded, learners, skipped = _inputs(references, options)
    warnings = tuple(warning for each in loaded for warning in each.warnings)
    if warnings and options.strict:
        failure = UserError(warnings)
        failure.outcome = "nothing was written: with --strict, a warning is an error"
        raise failure
    for each in loaded:
        check_folder(options.out / each.pathway.id)  # say it now, not after minutes of PDF work
    cached = any(format.cached for format in chosen)
    made = [Cache(options.out / each.pathway.id, reuse=not options.force) if cached else None for each in loaded]
    if options.learners is not None:
        for each, records in zip(loaded, made):
            if records is not None:
                _claim(options.out / each.pathway.id, records, options.learners)
    jobs = [_job(each, options, engine, learners, records, progress) for each, records in zip(loaded, made)]
    progress.plan(sum(format.steps(job) for job in jobs for format in chosen))
    for each, job in zip(loaded, jobs):  # before any PDF work: a pathway of which nothing asked is made
        if not any(format.files(job) for format in chosen):
            raise UserError(Problem(Location(catalogue.display(each.chain[0].path), 1, 1), "", "; ".join(
                reason for format in chosen if (reason := format.nothing(job)))))
    documents = [[document for format in chosen for document in format.make(job)] for job in jobs]
    for each, made_here in zip(loaded, documents):
        check_folder(options.out / each.pathway.id, [document.name for document in made_here])  # all, first
    return Built([_write(options.out / each.pathway.id, each, made_here, records,
                         uptodate.inputs(each.chain, options, cohort) if records else None)
                  for each, made_here, records in zip(loaded, documents, made)], skipped, warnings)


def _job(loaded: Loaded, options: Options, engine: Engine | None, learners: tuple[Learner, ...],
         made: Cache | None, progress: Progress):
    from .formats.format import Job
    from .render import Renderer
    from .sequence import sequence

    printer = None
    if engine is not None:  # then a cached format is chosen, and `made` is its record
        from .printing.reuse import Printer

        printer = Printer(engine, loaded.folder, options.templates, options.out, made, progress)
    return Job(sequence(loaded.pathway, loaded.logo), options, Renderer(options.templates), printer,
               formats.printed(options), learners)


def _claim(folder: Path, made: Cache, learners: Path) -> None:
    """Refuse, before any work, to build into the copies' folder of another cohort file of the same name:
    its learners' copies would be removed as if they had left."""
    from . import catalogue
    from .cohort import cohort_folder, cohort_source

    cohort = cohort_folder(learners)
    other = made.claim(cohort, cohort_source(learners, folder))
    if other is not None:
        other = catalogue.display(folder.resolve() / other)
        raise UserError(f"'{folder / COPY_FOLDERS[0] / cohort}/' holds the workbooks of another cohort file of that "
                        f"name, '{other}', not of '{catalogue.display(learners)}': rename "
                        "one of the two files, or choose another --out (if the file has only moved, delete that "
                        "folder, and the next build makes its workbooks again)")


def _write(folder: Path, loaded: Loaded, documents: list[Document], made: Cache | None, inputs: str | None
           ) -> Summary:
    """Write a pathway's documents and, when a format is cached, the record of what they were made from.

    The record's hash is of the bytes the pathway was read from and the cohort file as read
    before its learners were: a file changed meanwhile makes the record older than the outputs,
    never newer, and the next build then makes them again.
    """
    from .output import uptodate
    from .output.cache import MANIFEST
    from .output.write import KEEP, Document, write_all

    pathway = loaded.pathway
    levels, items = len(pathway.levels), pathway.item_count
    remove = []
    if made is not None:
        # Learners who left this cohort file: copies in its own folders, never in another cohort's.
        cohorts = {document.name.rpartition("/")[0] for document in documents
                   if "/" in document.name and not _kept(document.name)}
        remove = [name for name in made.stale() if name.rpartition("/")[0] in cohorts]
        for document in documents:  # the HTML: so that the next build can tell it is untouched
            if document.name not in made.records and document.data is not KEEP:
                made.record(document.name, "", document.data)
        done = {"inputs": inputs, "sources": uptodate.sources(loaded.chain), "title": pathway.title,
                "levels": levels, "items": items,
                "files": [document.name for document in documents if not _kept(document.name)],
                "warnings": [str(warning) for warning in loaded.warnings]}  # said again when nothing changed
        documents = [*documents, Document(MANIFEST, made.manifest(remove, done))]
    written = write_all(folder, documents, remove)
    return Summary(pathway.id, levels, items, [file for file in written if file.path.name != MANIFEST
                                               and not _kept(str(file.path.relative_to(folder)))],
                   tuple(folder / name for name in remove), pathway.title)


def _kept(name: str) -> bool:
    """Whether the file is one the build keeps for the next (a PDF's parts), not an output."""
    from .printing import kept

    return name.startswith(kept.FOLDER + "/")


def _inputs(references: Sequence[str], options: Options
            ) -> tuple[list[Loaded], tuple[Learner, ...], tuple[Problem, ...]]:
    """The pathways and the cohort's learners, or one UserError with every problem in both."""
    from .cohort import read_cohort
    from .pathway.assemble import load_all

    problems, loaded, cohort = [], [], None
    try:
        loaded = load_all(references)
    except UserError as error:
        problems += error.problems
    if options.learners is not None:
        try:
            cohort = read_cohort(options.learners)
        except UserError as error:
            problems += error.problems
    bad_rows = cohort.bad_rows if cohort else ()
    if bad_rows and not options.skip_bad_rows:
        failure = UserError(problems + list(bad_rows))
        failure.outcome = ("nothing was written: correct the rows, or add --skip-bad-rows to build the "
                           "workbooks of the others")
        raise failure
    if problems:
        raise UserError(problems)
    return loaded, cohort.learners if cohort else (), bad_rows
