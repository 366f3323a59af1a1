"""workbook-booklet.pdf: the learner workbook laid out at A5 (templates/print/booklet.css), then imposed
two pages a side on A4 landscape in saddle-stitch order, to print on both sides, fold and staple."""

from __future__ import annotations

from .printed import PrintedPdf


class BookletPdf(PrintedPdf):
    @staticmethod
    def finish(data: bytes) -> tuple[bytes, int]:
        from ..printing.impose import impose  # only a booklet needs pikepdf

        return impose(data)


FORMAT = BookletPdf("workbook-booklet", "booklet")
