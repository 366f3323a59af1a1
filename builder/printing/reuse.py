"""Each PDF laid out by the engine, unless the file the last build left is still right.

A PDF's key (output/cache.py) is the hash of its exact print HTML, its form flag, the folders
the engine may read, the user's templates and this builder. A file whose key is the one recorded,
and that is still as it was written, is kept; so are learners' copies whose workbook and covers
are unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .. import catalogue
from ..errors import UserError
from ..output import cache
from ..output.cache import Cache
from ..output.write import KEEP, Document

if TYPE_CHECKING:
    from ..cohort import Learner
    from ..progress import Progress
    from .engine import Engine, Pdf


class Printer:
    def __init__(self, engine: Engine, folder: Path, templates: Sequence[Path], out: Path, made: Cache,
                 progress: Progress):
        """`folder` is the pathway file's own: the engine may read there and in the template folders.
        `out` is the output folder, which may be inside a template folder."""
        self.engine, self.made, self.progress = engine, made, progress
        self.templates = tuple(templates)
        self.folders = (*templates, folder)
        self._templates = cache.templates_digest(templates, out)  # once: a cohort asks for a key per learner

    def _key(self, *parts) -> str:
        return cache.key(*parts, *map(str, self.folders), self._templates)

    def pdf(self, name: str, html: str, fillable: bool) -> tuple[Document, str]:
        """The PDF of a print document, and its key."""
        key = self._key("pdf", fillable, html)
        earlier = self.made.reuse(name, key)
        if earlier is not None:
            self.progress.step()
            return Document(name, KEEP, earlier.pages), key
        self.progress.doing(f"Laying out {name}")
        pdf = self._lay_out(name, html, fillable)
        self.made.record(name, key, pdf.data, pdf.pages, pdf.fetched)
        self.progress.step()
        return Document(name, pdf.data, pdf.pages), key

    def copies(self, workbook: Document, workbook_key: str, covers: str, learners: Sequence[Learner],
               fillable: bool, folder: str) -> list[Document]:
        """Each learner's copy of the workbook, with their own cover, in `folder`."""
        names = [f"{folder}/{learner.stem}.pdf" for learner in learners]
        keys = [self._key("copy", workbook_key, covers, number) for number in range(len(learners))]
        earlier = [self.made.reuse(name, key) for name, key in zip(names, keys)]
        if all(earlier):
            self.progress.step(len(learners) + 1)
            return [Document(name, KEEP, record.pages) for name, record in zip(names, earlier)]
        from .personalise import personalise  # only a build for a cohort needs pikepdf

        self.progress.doing(f"Laying out {len(learners)} covers")
        laid_out = self._lay_out(f"{folder}/", covers, fillable)
        if laid_out.pages != len(learners):
            raise UserError(f"the covers of {len(learners)} learners took {laid_out.pages} pages: each "
                            "learner's cover must fit on one page; check print/cover.html in your templates")
        self.progress.step()
        self.progress.doing(f"Personalising {folder}/")
        shared = workbook.data if workbook.data is not KEEP else (self.made.folder / workbook.name).read_bytes()
        documents = []
        for name, key, data in zip(names, keys, personalise(shared, laid_out.data)):
            self.made.record(name, key, data, workbook.pages, laid_out.fetched)
            documents.append(Document(name, data, workbook.pages))
            self.progress.step()
        return documents

    def _lay_out(self, name: str, html: str, fillable: bool) -> Pdf:
        pdf = self.engine.pdf(html, catalogue.builtin("templates"), folders=self.folders, forms=fillable)
        if pdf.left_out:
            raise UserError(pdf.sandbox_problems(name, self.templates))
        return pdf
