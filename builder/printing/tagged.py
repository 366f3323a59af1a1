"""The parts of WeasyPrint's tagged PDFs that personalised copies and joined parts both rewrite."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary


def document(pdf: pikepdf.Pdf) -> Dictionary:
    """The structure tree's one top element (/Document), under which each section hangs."""
    top = pdf.Root.StructTreeRoot.K
    return top[0] if isinstance(top, Array) else top


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    """The parent tree's entries: WeasyPrint writes it as one flat /Nums array."""
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(numbers[at]): numbers[at + 1] for at in range(0, len(numbers), 2)}


def write_parent_tree(pdf: pikepdf.Pdf, numbers: dict[int, pikepdf.Object]) -> None:
    flat = Array()
    for key in sorted(numbers):
        flat.extend([key, numbers[key]])
    pdf.Root.StructTreeRoot.ParentTree.Nums = flat


def take_form_fonts(target: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    """The fonts that `source`'s form fields name and `target`'s form does not have yet."""
    if "/AcroForm" not in target.Root or "/AcroForm" not in source.Root:
        return
    fonts = target.Root.AcroForm.DR.Font
    for key, font in source.Root.AcroForm.DR.Font.items():
        if key not in fonts:
            fonts[key] = target.copy_foreign(font)
