"""The PDF step: print HTML in, PDF bytes out. WeasyPrint is imported only here, and only when used."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Tagged, with the structure, language and alternative text a screen reader needs.
VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def html_to_pdf(html: str, base: Path, *, forms: bool = False) -> Pdf:
    """Lay out the print document and return the PDF with its page count."""
    import weasyprint  # slow to import: validate and HTML builds never pay for it

    # Forms are decided when styles are computed, so that option belongs to render().
    document = weasyprint.HTML(string=html, base_url=str(base)).render(pdf_forms=forms,
                                                                       pdf_variant=VARIANT)
    return Pdf(document.write_pdf(pdf_variant=VARIANT, pdf_forms=forms), len(document.pages))
