"""Each PDF laid out by the engine, unless the file the last build left is still right.

A PDF's key (output/cache.py) is the hash of its exact print HTML, its form flag, the folders
the engine may read, the user's templates and this builder. A file whose key is the one recorded,
and that is still as it was written, is kept; so is each learner's copy whose workbook and own
cover are unchanged. A PDF laid out in parts leaves its parts in a file of their own (kept.py),
from which the next build lays out again only the parts that changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from .. import catalogue
from ..errors import UserError
from ..output import cache
from ..output.cache import Cache
from ..output.write import KEEP, Document
from . import kept

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
        self.templates, self.out = tuple(templates), out
        self.folders = (*templates, folder)
        self._templates = cache.templates_digest(templates, out)  # once: a cohort asks for a key per learner

    def _key(self, *parts) -> str:
        return cache.key(*parts, *map(str, self.folders), self._templates)

    def pdf(self, name: str, html: str, fillable: bool,
            finish: Callable[[bytes], tuple[bytes, int]] | None = None) -> tuple[Document, str, list[Document]]:
        """The PDF of a print document, its key, and the file of its parts kept for the next build, if
        it was laid out in parts; `finish` turns the engine's PDF into the one written (and its
        pages), as a booklet is imposed."""
        key, parts = self._key("pdf", fillable, html), kept.name_for(name)
        earlier = self.made.reuse(name, key)
        if earlier is not None:
            self.made.reuse(parts, key)  # the parts it was made from are kept as they are
            self.progress.step()
            return Document(name, KEEP, earlier.pages), key, []
        self.progress.doing(f"Laying out {name}")
        earlier_parts = self.made.kept(parts)
        pdf = self._lay_out(name, html, fillable, kept=kept.unpack(earlier_parts) if earlier_parts else (),
                            salt=self._key("part", fillable))
        data, pages = finish(pdf.data) if finish else (pdf.data, pdf.pages)
        self.made.record(name, key, data, pages, pdf.fetched)
        made = []
        if pdf.parts:
            packed = kept.pack(pdf.parts)
            self.made.record(parts, key, packed, None, pdf.fetched)
            made.append(Document(parts, packed))
        self.progress.step()
        return Document(name, data, pages), key, made

    def copies(self, workbook: Document, workbook_key: str, learners: Sequence[Learner], own: Sequence[str],
               covers: Callable[[Sequence[Learner]], str], fillable: bool, folder: str) -> list[Document]:
        """Each learner's copy of the workbook, with their own cover, in `folder`.

        A copy's key is the workbook's, the covers' document without learners, and `own`, the
        HTML of that learner's cover alone: so a learner added, changed or moved in the file
        changes no other copy, and only the covers whose key changed are laid out.
        """
        names = [f"{folder}/{learner.stem}.pdf" for learner in learners]
        common = self._key("copies", workbook_key, covers(()))
        keys = [self._key("copy", common, html) for html in own]
        earlier = [self.made.reuse(name, key) for name, key in zip(names, keys)]
        missing = [learner for learner, record in zip(learners, earlier) if record is None]
        if not missing:
            self.progress.step(len(learners) + 1)
            return [Document(name, KEEP, record.pages) for name, record in zip(names, earlier)]
        from .personalise import personalise  # only a build for a cohort needs pikepdf

        self.progress.doing(f"Laying out {len(missing)} cover{'s' * (len(missing) != 1)}")
        laid_out = self._lay_out(f"{folder}/", covers(missing), fillable, apart=True)
        if laid_out.pages != len(missing):
            raise UserError(f"the covers of {len(missing)} learners took {laid_out.pages} pages: each "
                            "learner's cover must fit on one page; check print/cover.html in your templates")
        self.progress.step()
        self.progress.doing(f"Personalising {folder}/")
        shared = workbook.data if workbook.data is not KEEP else (self.made.folder / workbook.name).read_bytes()
        made = personalise(shared, laid_out.apart)
        documents = []
        for name, key, record in zip(names, keys, earlier):
            if record is not None:
                documents.append(Document(name, KEEP, record.pages))
            else:
                data = next(made)
                self.made.record(name, key, data, workbook.pages, laid_out.fetched)
                documents.append(Document(name, data, workbook.pages))
            self.progress.step()
        return documents

    def _lay_out(self, name: str, html: str, fillable: bool, apart: bool = False, **parts) -> Pdf:
        lay_out = self.engine.pages if apart else self.engine.pdf
        pdf = lay_out(html, catalogue.builtin("templates"), folders=self.folders, forms=fillable, **parts)
        if pdf.left_out:
            raise UserError(pdf.sandbox_problems(name, self.templates, self.out))
        return pdf
