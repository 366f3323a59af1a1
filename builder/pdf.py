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

    # Forms are decided when styles are computed, so the option belongs to render().
    document = weasyprint.HTML(string=html, base_url=str(base)).render(pdf_forms=forms)
    return Pdf(document.write_pdf(), len(document.pages))
