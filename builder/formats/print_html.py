"""<edition>.print.html: the exact HTML handed to the PDF engine for each printed edition, for
template authors."""

from __future__ import annotations

from ..output.write import Document
from .format import Format, Job


class PrintHtml(Format):
    option = "print-html"
    help = "the HTML the PDF engine is given"

    def files(self, job: Job) -> list[str]:
        return [f"{edition.stem}.print.html" for edition in job.printed]

    def make(self, job: Job) -> list[Document]:
        return [Document(name, job.print_html(edition.edition, edition.fillable).encode())
                for name, edition in zip(self.files(job), job.printed)]


FORMAT = PrintHtml()
