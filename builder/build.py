"""The whole build, read top to bottom: load, sequence, render everything, then write it all."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import catalogue
from .errors import UserError
from .model import Pathway
from .options import EDITIONS, Options
from .pathways import load_all
from .render import Renderer
from .sequence import Programme, sequence
from .write import Written, check_folder, write_all

if TYPE_CHECKING:
    from .pdf import Engine

_STEMS = {"learner": "workbook", "facilitator": "facilitator"}


def build(references: Sequence[str], options: Options = Options(),
          engine: Engine | None = None) -> list[tuple[Pathway, list[Written]]]:
    """Load every pathway, sequence and render it all in memory, then write it all: each into out/<id>/.

    PDFs come from `engine`, or from an engine of the build's own when none is given.
    """
    if engine is None and "pdf" in options.formats:
        from .pdf import Engine  # an HTML build never loads it

        with Engine() as engine:
            return build(references, options, engine)
    loaded = load_all(references)
    for pathway, _ in loaded:
        check_folder(options.out / pathway.id)  # say it now, not after minutes of PDF work
    rendered = [(pathway, render(sequence(pathway), folder, options, engine)) for pathway, folder in loaded]
    for pathway, documents in rendered:
        check_folder(options.out / pathway.id, documents)  # every pathway's, before any is written
    return [(pathway, write_all(options.out / pathway.id, documents)) for pathway, documents in rendered]


def render(programme: Programme, folder: Path, options: Options,
           engine: Engine | None) -> dict[str, tuple[bytes, int | None]]:
    """File name -> (contents, page count), for each format and edition asked for.

    The PDF engine may read the templates folders and `folder`, the pathway file's own.
    """
    renderer = Renderer(options.templates)
    documents = {}
    if "html" in options.formats:
        documents["workbook.html"] = (renderer.screen(programme).encode(), None)
    printing = {"pdf", "print-html"} & set(options.formats)
    for edition in EDITIONS[options.edition] if printing else ():
        variants = [(_STEMS[edition], False)]
        if options.fillable and edition == "learner":
            variants.append(("workbook-fillable", True))
        for stem, fillable in variants:
            html = renderer.printed(programme, edition, fillable=fillable)
            if "print-html" in options.formats:
                documents[f"{stem}.print.html"] = (html.encode(), None)
            if "pdf" in options.formats:
                pdf = engine.pdf(html, catalogue.builtin("templates"), folders=(*options.templates, folder),
                                 forms=fillable)
                if pdf.left_out:
                    raise UserError(pdf.sandbox_problems(f"{stem}.pdf", options.templates))
                documents[f"{stem}.pdf"] = (pdf.data, pdf.pages)
    return documents
