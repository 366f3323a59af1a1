"""A booklet: A5 pages imposed two a side on A4 landscape, in saddle-stitch order.

Printed on both sides (flipped on the short edge), the sheets stacked as they come, folded in half
and stapled on the fold, they read in order. Pages are added blank to make a multiple of four. Each
A5 page is placed whole, as a Form XObject: the sheet is for a printer, so it keeps no structure tree
(its reading order is the fold's, not the text's), no links and no PDF/UA claim; the metadata's title
says it is for printing.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Dictionary, Name

A4_LANDSCAPE = (841.89, 595.28)  # points: two A5 pages (148 mm wide) leave 0.5 mm each side of each


def order(pages: int) -> list[tuple[int | None, int | None]]:
    """Each side's (left, right) page numbers, from 1, sheet by sheet, front then back; None is blank."""
    padded = -(-pages // 4) * 4

    def page(number: int) -> int | None:
        return number if number <= pages else None

    sides = []
    for sheet in range(padded // 4):
        sides.append((page(padded - 2 * sheet), page(1 + 2 * sheet)))
        sides.append((page(2 + 2 * sheet), page(padded - 1 - 2 * sheet)))
    return sides


def impose(data: bytes) -> tuple[bytes, int]:
    """The booklet of an A5 PDF, and its number of A4 sides."""
    source = pikepdf.open(io.BytesIO(data))
    booklet = pikepdf.new()
    width, height = (float(value) for value in source.pages[0].mediabox[2:])
    half, tall = A4_LANDSCAPE[0] / 2, A4_LANDSCAPE[1]
    forms = [booklet.copy_foreign(page.as_form_xobject()) for page in source.pages]
    for left, right in order(len(forms)):
        resources, drawn = Dictionary(), []
        for index, number in enumerate((left, right)):
            if number is None:
                continue
            name = f"/P{number}"
            resources[name] = forms[number - 1]
            # Centred in its half, so that the fold falls between the pages.
            drawn.append(f"q 1 0 0 1 {index * half + (half - width) / 2:.2f} {(tall - height) / 2:.2f} cm "
                         f"{name} Do Q")
        side = booklet.add_blank_page(page_size=A4_LANDSCAPE)
        side.Resources = Dictionary(XObject=resources)
        side.Contents = booklet.make_stream("\n".join(drawn).encode())
    info = source.docinfo
    booklet.docinfo = booklet.make_indirect(Dictionary({
        key: info[key] for key in ("/Title", "/Author", "/Subject", "/Creator", "/Producer") if key in info}))
    if "/Lang" in source.Root:
        booklet.Root.Lang = source.Root.Lang
    booklet.Root.ViewerPreferences = Dictionary(Duplex=Name.DuplexFlipShortEdge, PrintScaling=Name("/None"))
    out = io.BytesIO()
    booklet.save(out, deterministic_id=True)  # the same workbook gives the same bytes
    return out.getvalue(), len(booklet.pages)
