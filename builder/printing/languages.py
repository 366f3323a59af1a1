"""The language of each part of a tagged PDF: /Lang on the structure element of an HTML element with
a `lang` attribute, such as an item in Welsh in an English pathway.

WeasyPrint 70 writes only the document's language (the catalogue's /Lang, from <html lang>). Its
structure tree is built, one box at a time, by `weasyprint.pdf.tags._build_box_tree`, which calls
itself through the module for every child box: wrapped here, every box's structure element is
seen as it is made, in the engine's own process, before the PDF is written. Parts, joined
documents and personalised copies copy structure elements whole, so the /Lang goes with them.
"""

from __future__ import annotations

# The HTML elements whose boxes are being tagged, outermost first: an element makes several boxes
# (anonymous blocks, its list marker, its table's wrapper), and only its outermost gets the /Lang,
# which the rest inherit from it in the structure tree as they do in the HTML.
_open: list[object] = []


def install() -> None:
    """Wrap WeasyPrint's structure-tree builder once; a second call changes nothing."""
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree
    if getattr(build, "gives_lang", False):
        return

    def with_lang(box, parent, *arguments):
        element = getattr(box, "element", None)
        language = element.get("lang") if element is not None and box.element_tag not in ("html", "body") else None
        outermost = language and not any(element is open_element for open_element in _open)
        _open.append(element)
        try:
            # Whole, so that the list of open elements is right while the children are built.
            made = list(build(box, parent, *arguments))
        finally:
            _open.pop()
        for structure in made:
            if outermost:
                structure["Lang"] = pydyf.String(language)
            yield structure

    with_lang.gives_lang = True
    tags._build_box_tree = with_lang
