"""workbook-html.zip: the HTML workbook as index.html alone in a zip, the form of plain HTML that the
NHS Learning Hub and other platforms take as a resource."""

from __future__ import annotations

from ..output.write import Document
from .archive import zipped
from .format import Format, Job


class HtmlZip(Format):
    option = "html-zip"
    help = "workbook-html.zip, index.html for a learning platform"

    def files(self, job: Job) -> list[str]:
        return ["workbook-html.zip"]

    def make(self, job: Job) -> list[Document]:
        (name,) = self.files(job)
        return [Document(name, zipped({"index.html": job.screen_html().encode()}))]


FORMAT = HtmlZip()
