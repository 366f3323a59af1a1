"""A printed edition as a PDF, laid out by the engine; and each learner's copy of it, with --learners,
in <copies>/<the cohort file's name>/."""

from __future__ import annotations

from ..cohort import cohort_folder
from ..output.write import Document
from .format import Format, Job


class PrintedPdf(Format):
    option = "pdf"
    help = "the PDFs of the chosen editions"
    engine = True
    cached = True

    def __init__(self, stem: str, edition: str, *, fillable: bool = False, copies: str | None = None):
        self.stem, self.edition, self.fillable, self.copies = stem, edition, fillable, copies

    finish = None  # what is done to the engine's PDF before it is written: pdf bytes -> (bytes, pages)

    def files(self, job: Job) -> list[str]:
        return [f"{self.stem}.pdf"]

    def _learners(self, job: Job) -> tuple:
        return job.learners if self.copies else ()

    def steps(self, job: Job) -> int:
        learners = self._learners(job)
        return 1 + (len(learners) + 1 if learners else 0)  # the PDF; the covers, and each copy

    def make(self, job: Job) -> list[Document]:
        (name,) = self.files(job)
        workbook, key, parts = job.printer.pdf(name, job.print_html(self.edition, self.fillable), self.fillable,
                                               self.finish)
        learners = self._learners(job)
        if not learners:
            return [workbook, *parts]
        programme, renderer, fillable = job.programme, job.renderer, self.fillable
        own = [renderer.cover(programme, learner, fillable=fillable) for learner in learners]
        return [workbook, *parts, *job.printer.copies(
            workbook, key, learners, own, lambda chosen: renderer.covers(programme, chosen, fillable=fillable),
            fillable, f"{self.copies}/{cohort_folder(job.options.learners)}")]
