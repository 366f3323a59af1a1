"""The PDF step: print HTML in, PDF bytes out. WeasyPrint is imported only here, and only when used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def html_to_pdf(html: str, base: Path, *, forms: bool = False) -> Pdf:
    """Lay out the print document and return the PDF with its page count."""
    import weasyprint  # slow to import: validate and HTML builds never pay for it

    document = weasyprint.HTML(string=html, base_url=str(base)).render()
    return Pdf(document.write_pdf(pdf_forms=forms), len(document.pages))
