"""How far down each page of a PDF its content reaches, read from the rendered pages.

The measure of a page that is used: rendered at 30 dpi (pdftoppm -r 30), where the lowest mark
between the running header and the footer lies, as a fraction of the text area (A4, 22 mm top and
bottom margins, in which the header and footer sit). Run it on any PDF:

    python tests/pagefill.py workbook.pdf [facilitator.pdf ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

DPI = 30
MARGIN_MM, PAGE_MM = 22, 297
LEAST = 0.30  # a page whose content ends above this fraction of its text area is near-empty
INK = 250  # a pixel darker than this, in any channel, is a mark: the faintest rule at 30 dpi is about 230


def fills(pdf: Path) -> list[float]:
    """For each page, where its content ends: 0 at the top of the text area, 1 at its foot."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), f"{folder}/page"], check=True)
        return [_fill(Image.open(path)) for path in sorted(Path(folder).glob("page-*.png"),
                                                         key=lambda path: int(path.stem.split("-")[-1]))]


def _fill(image: Image.Image) -> float:
    grey = image.convert("RGB").point(lambda value: 255 if value >= INK else 0).convert("L")
    height = image.height
    top, bottom = round(height * MARGIN_MM / PAGE_MM), round(height * (PAGE_MM - MARGIN_MM) / PAGE_MM)
    box = grey.crop((0, top, image.width, bottom)).point(lambda value: 255 - value).getbbox()
    return 0.0 if box is None else box[3] / (bottom - top)


def near_empty(pdf: Path, exempt: set[int] = frozenset({1})) -> dict[int, float]:
    """Page number (from 1) -> fill, for each page but `exempt` whose content ends above LEAST."""
    return {number: round(fill, 2) for number, fill in enumerate(fills(pdf), start=1)
            if number not in exempt and fill < LEAST}


if __name__ == "__main__":
    for name in sys.argv[1:]:
        found = near_empty(Path(name))
        print(f"{name}: " + (", ".join(f"page {page} ends at {fill:.0%}" for page, fill in found.items())
                             or "no near-empty page"))
