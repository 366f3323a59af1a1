"""A printed edition as a PDF, laid out by the engine; and each learner's copy of it, with --learners."""

from __future__ import annotations

from ..output.write import Document
from .format import Format, Job


class PrintedPdf(Format):
    option = "pdf"
    help = "the PDFs of the chosen editions"
    engine = True
    cached = True

    def __init__(self, stem: str, edition: str, *, fillable: bool = False, copies: str | None = None):
        self.stem, self.edition, self.fillable, self.copies = stem, edition, fillable, copies

    def files(self, job: Job) -> list[str]:
        return [f"{self.stem}.pdf"]

    def _learners(self, job: Job) -> tuple:
        return job.learners if self.copies else ()

    def steps(self, job: Job) -> int:
        learners = self._learners(job)
        return 1 + (len(learners) + 1 if learners else 0)  # the PDF; the covers, and each copy

    def make(self, job: Job) -> list[Document]:
        (name,) = self.files(job)
        workbook, key = job.printer.pdf(name, job.print_html(self.edition, self.fillable), self.fillable)
        learners = self._learners(job)
        if not learners:
            return [workbook]
        covers = job.renderer.covers(job.programme, learners, fillable=self.fillable)
        return [workbook, *job.printer.copies(workbook, key, covers, learners, self.fillable, self.copies)]
