"""Font subsets brought together from PDFs that WeasyPrint wrote separately.

WeasyPrint tags a subset by its font, not by its glyphs, so two PDFs may each hold a different
'ABCDEF+Liberation-Sans'; PDF asks that different subsets differ in tag.
"""

from __future__ import annotations

import hashlib
import string
from typing import Iterable

import pikepdf
from pikepdf import Array, Dictionary, Name


class Subsets:
    """The font subsets some pages hold, by name, ready to take in those of other pages."""

    def __init__(self, pages: Iterable[pikepdf.Page]):
        self._known = {str(font.BaseFont): font for resources in resources_of(pages)
                       for font in resources.get("/Font", Dictionary()).values()}

    def adopt(self, resources: Dictionary) -> None:
        """Make the fonts of copied `resources` fit: a subset byte for byte one already held is used in
        its place, and one that only shares a name gets a tag of its own."""
        fonts = resources.get("/Font", Dictionary())
        for key, font in list(fonts.items()):
            same_name = self._known.get(str(font.BaseFont))
            if same_name is not None and _font_file(same_name) == _font_file(font):
                fonts[key] = same_name
                continue
            if same_name is not None:
                _retag(font, _tag(_font_file(font)))
            self._known[str(font.BaseFont)] = font


def resources_of(pages: Iterable[pikepdf.Page]) -> list[Dictionary]:
    """Each resources dictionary of these pages once: WeasyPrint gives all of a document's pages one."""
    found = {}
    for page in pages:
        resources = page.obj.get("/Resources")
        if resources is not None:
            found.setdefault(resources.objgen if resources.is_indirect else id(resources), resources)
    return list(found.values())


def _font_file(font: Dictionary) -> bytes:
    descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor", Dictionary())
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return descriptor[key].read_raw_bytes()
    return b""


def _tag(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "".join(string.ascii_uppercase[byte % 26] for byte in digest[:6])


def _retag(font: Dictionary, tag: str) -> None:
    def renamed(name) -> Name:
        return Name("/" + tag + "+" + str(name)[1:].partition("+")[2]) if "+" in str(name) else name

    font.BaseFont = renamed(font.BaseFont)
    for descendant in font.get("/DescendantFonts", Array()):
        descendant.BaseFont = renamed(descendant.BaseFont)
        descriptor = descendant.get("/FontDescriptor")
        if descriptor is not None:
            descriptor.FontName = renamed(descriptor.FontName)
