"""workbook.html: the offline HTML workbook, one file that keeps the learner's answers."""

from __future__ import annotations

from ..output.write import Document
from .format import Format, Job


class WorkbookHtml(Format):
    option = "html"
    help = "workbook.html"

    def files(self, job: Job) -> list[str]:
        return ["workbook.html"]

    def make(self, job: Job) -> list[Document]:
        (name,) = self.files(job)
        return [Document(name, job.screen_html().encode())]


FORMAT = WorkbookHtml()
