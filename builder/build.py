"""The whole build, read top to bottom: load, sequence, render everything, then write it all."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import cache, catalogue, uptodate
from .cache import MANIFEST, Cache
from .cohort import Learner, read_cohort
from .errors import Problem, UserError
from .model import Pathway
from .options import EDITIONS, LEARNER_FOLDERS, Built, Options, Summary
from .pathways import load_all
from .progress import Quiet
from .render import Renderer
from .sequence import Programme, sequence
from .write import check_folder, write_all

if TYPE_CHECKING:
    from .pdf import Engine

_STEMS = {"learner": "workbook", "facilitator": "facilitator"}

Documents = dict[str, tuple[bytes | None, int | None]]  # file name -> (bytes, or None to keep the file; pages)


def build(references: Sequence[str], options: Options = Options(), engine: Engine | None = None,
          progress: Quiet = Quiet()) -> Built:
    """Load every pathway, sequence and render it all in memory, then write it all: each into out/<id>/.

    PDFs come from `engine`, or from an engine of the build's own when none is given.
    """
    if engine is None and "pdf" in options.formats:
        from .pdf import Engine  # an HTML build never loads it

        with Engine() as engine:
            return build(references, options, engine, progress)
    made_from = [_made_from(reference, options) for reference in references]  # read first: see _made_from
    loaded, learners, skipped = _inputs(references, options)
    for pathway, _ in loaded:
        check_folder(options.out / pathway.id)  # say it now, not after minutes of PDF work
    rendered = []
    for pathway, folder in loaded:
        made = Cache(options.out / pathway.id, reuse=not options.force) if "pdf" in options.formats else None
        rendered.append((pathway, render(sequence(pathway), folder, options, engine, learners, made, progress),
                         made))
    for pathway, documents, _ in rendered:
        check_folder(options.out / pathway.id, documents)  # every pathway's, before any is written
    return Built([_write(options.out / pathway.id, pathway, documents, made, source)
                  for (pathway, documents, made), source in zip(rendered, made_from)], skipped)


def _made_from(reference: str, options: Options) -> dict | None:
    """What a PDF build is made from, for the next build to compare (see uptodate.py); None for others.

    Read before the pathway is loaded, so that a file changed meanwhile makes this record older
    than the outputs, never newer: the next build then makes them again.
    """
    if "pdf" not in options.formats:  # only PDFs are worth a record: the rest is quick to make again
        return None
    chain = uptodate.sources(reference)
    return {"inputs": uptodate.inputs(chain, options) if chain else None,
            "sources": [[str(path), base] for path, base in chain or ()]}


def _write(folder: Path, pathway: Pathway, documents: Documents, made: Cache | None, source: dict | None
           ) -> Summary:
    """Write a pathway's documents and, for a PDF build, the record of what they were made from."""
    levels, items = len(pathway.levels), pathway.item_count
    remove = []
    if made is not None:
        subfolders = {name.partition("/")[0] for name in documents if "/" in name}
        remove = [name for name in made.stale() if name.partition("/")[0] in subfolders]  # learners who left
        for name, (data, _) in documents.items():
            if data is not None and name not in made.records:
                made.record(name, "", data)  # the HTML: so that the next build can tell it is untouched
        done = {**source, "levels": levels, "items": items, "files": list(documents)}
        documents = {**documents, MANIFEST: (made.manifest(remove, done), None)}
    written = write_all(folder, documents, remove)
    return Summary(pathway.id, levels, items, [file for file in written if file.path.name != MANIFEST])


def _inputs(references: Sequence[str], options: Options
            ) -> tuple[list[tuple[Pathway, Path]], tuple[Learner, ...], tuple[Problem, ...]]:
    """The pathways and the cohort's learners, or one UserError with every problem in both."""
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


def render(programme: Programme, folder: Path, options: Options, engine: Engine | None,
           learners: Sequence[Learner] = (), made: Cache | None = None, progress: Quiet = Quiet()) -> Documents:
    """File name -> (contents, page count), for each format and edition asked for.

    The PDF engine may read the templates folders and `folder`, the pathway file's own. A PDF whose
    inputs are those of the file the last build left in place is not made again: its bytes are
    None, and the file stays.
    """
    renderer = Renderer(options.templates)
    documents: Documents = {}
    if "html" in options.formats:
        documents["workbook.html"] = (renderer.screen(programme).encode(), None)
    printing = {"pdf", "print-html"} & set(options.formats)
    jobs = []
    for edition in EDITIONS[options.edition] if printing else ():
        variants = [(_STEMS[edition], False)]
        if options.fillable and edition == "learner":
            variants.append(("workbook-fillable", True))
        for stem, fillable in variants:
            html = renderer.printed(programme, edition, fillable=fillable)
            if "print-html" in options.formats:
                documents[f"{stem}.print.html"] = (html.encode(), None)
            if "pdf" in options.formats:
                jobs.append((f"{stem}.pdf", html, fillable, learners if edition == "learner" else ()))
    progress.plan(sum(1 + (len(personal) + 1 if personal else 0) for *_, personal in jobs))
    if jobs and made is None:  # rendered on its own, not by build(): nothing is reused
        made = Cache(options.out / programme.pathway.id, reuse=False)
    printer = _Printer(engine, folder, options, made, progress)
    for name, html, fillable, personal in jobs:
        documents[name], key = printer.pdf(name, html, fillable)
        if personal:
            data, pages = documents[name]
            shared = data if data is not None else (made.folder / name).read_bytes()
            covers = renderer.covers(programme, personal, fillable=fillable)
            documents.update(printer.copies(shared, pages, key, covers, personal, fillable))
    return documents


class _Printer:
    """Makes each PDF with the engine, unless the file the last build left is still right."""

    def __init__(self, engine: Engine, folder: Path, options: Options, made: Cache, progress: Quiet):
        self.engine, self.made, self.progress = engine, made, progress
        self.templates = options.templates
        self.folders = (*options.templates, folder)

    def _key(self, *parts) -> str:
        return cache.key(*parts, *map(str, self.folders), templates=self.templates)

    def pdf(self, name: str, html: str, fillable: bool) -> tuple[tuple[bytes | None, int], str]:
        """The PDF of a print document, and its key."""
        key = self._key("pdf", fillable, html)
        earlier = self.made.reuse(name, key)
        if earlier is not None:
            self.progress.step()
            return (None, earlier.pages), key
        self.progress.doing(f"Laying out {name}")
        pdf = self._lay_out(name, html, fillable)
        self.made.record(name, key, pdf.data, pdf.pages, pdf.fetched)
        self.progress.step()
        return (pdf.data, pdf.pages), key

    def copies(self, workbook: bytes, pages: int, workbook_key: str, covers: str, learners: Sequence[Learner],
               fillable: bool) -> Documents:
        """Each learner's copy of the workbook, with their own cover."""
        from .personalise import personalise  # only a build for a cohort needs pikepdf

        folder = LEARNER_FOLDERS[fillable]
        names = [f"{folder}/{learner.stem}.pdf" for learner in learners]
        keys = [self._key("copy", workbook_key, covers, number) for number in range(len(learners))]
        earlier = [self.made.reuse(name, key) for name, key in zip(names, keys)]
        if all(earlier):
            self.progress.step(len(learners) + 1)
            return {name: (None, record.pages) for name, record in zip(names, earlier)}
        self.progress.doing(f"Laying out {len(learners)} covers")
        laid_out = self._lay_out(f"{folder}/", covers, fillable)
        if laid_out.pages != len(learners):
            raise UserError(f"the covers of {len(learners)} learners took {laid_out.pages} pages: each "
                            "learner's cover must fit on one page; check print/cover.html in your templates")
        self.progress.step()
        self.progress.doing(f"Personalising {folder}/")
        documents = {}
        for name, key, data in zip(names, keys, personalise(workbook, laid_out.data)):
            self.made.record(name, key, data, pages, laid_out.fetched)
            documents[name] = (data, pages)
            self.progress.step()
        return documents

    def _lay_out(self, name: str, html: str, fillable: bool):
        pdf = self.engine.pdf(html, catalogue.builtin("templates"), folders=self.folders, forms=fillable)
        if pdf.left_out:
            raise UserError(pdf.sandbox_problems(name, self.templates))
        return pdf
