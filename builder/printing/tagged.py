"""The parts of WeasyPrint's tagged PDFs that personalised copies, joined parts and finish.py rewrite."""

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


def elements(top) -> list[Dictionary]:
    """Every structure element under `top`, parents before children, in reading order."""
    found, stack, seen = [], [top], set()
    while stack:
        element = stack.pop()
        if element.objgen in seen:
            continue
        seen.add(element.objgen)
        found.append(element)
        stack.extend(reversed([kid for kid in kids(element) if is_element(kid)]))
    return found


def kids(element) -> list:
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, Array) else [found]


def is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid
