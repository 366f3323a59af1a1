"""Personalised copies of a printed workbook: its cover page replaced by each learner's own.

The workbook is laid out once; the learners' covers are laid out together, in a small document of
their own, and each written as a PDF of its own page (so that its fonts hold its glyphs alone).
Each copy is the workbook with the content of its first page, and that page's part of the
structure tree, taken from one cover. The page object itself stays, so every bookmark, link and
page number in the copy is the workbook's own, and so is every other page: a copy costs a few
hundredths of a second, not a whole layout. A copy's bytes depend on the workbook and its cover
alone: not on the other learners, nor on their order.

Bytes in, bytes out: no file is read or written here.
"""

from __future__ import annotations

import io
from typing import Iterable, Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name

from ..errors import UserError
from .subsets import Subsets
from .tagged import document, parent_tree, take_form_fonts, write_parent_tree

# Keys that lead up or back (to a parent, or to a page's owner): never followed when copying a
# part of the tree, or the whole source document would come along.
_UPWARD = {"/P", "/Parent"}


def personalise(workbook: bytes, covers: Iterable[bytes]) -> Iterator[bytes]:
    """One copy of `workbook` for each cover (a PDF of one page), in order, with that page as its cover."""
    for cover in covers:
        copy = pikepdf.open(io.BytesIO(workbook))
        _replace_cover(copy, pikepdf.open(io.BytesIO(cover)))
        out = io.BytesIO()
        copy.save(out, deterministic_id=True)  # the same learner and workbook give the same bytes
        yield out.getvalue()


def _replace_cover(target: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    page, cover = target.pages[0].obj, source.pages[0].obj
    target_document, source_document = document(target), document(source)
    index, _ = _section_on(target_document, page)
    _, section = _section_on(source_document, cover)

    # Everything the cover needs, copied in one go, with the cover page itself replaced by a
    # stand-in: in the copy, that stand-in becomes the workbook's own first page.
    stand_in = source.make_indirect(Dictionary(Type=Name("/PathwayBuilderStandIn")))
    annotations = list(cover.get("/Annots", Array()))
    parents = parent_tree(source)
    bundle = Array([section, parents[int(cover.StructParents)], cover.Contents, cover.Resources,
                    Array(annotations), Array([parents[int(a.StructParent)] for a in annotations])])
    _swap(bundle, cover, stand_in)
    above = section.P  # the covers' own /Document: cut off while copying, so it stays behind
    del section["/P"]
    copied = target.copy_foreign(source.make_indirect(bundle))
    section.P = above
    _swap(copied, stand_in, page, by_type=True)
    new_section, marked, contents, resources, new_annotations, annotation_parents = copied

    new_section.P = target_document
    target_document.K[index] = new_section
    page.Contents, page.Resources = contents, resources
    numbers = parent_tree(target)
    numbers[int(page.StructParents)] = marked
    Subsets(target.pages[1:]).adopt(resources)

    old_annotations = list(page.get("/Annots", Array()))
    if len(old_annotations) != len(new_annotations):
        raise UserError("the cover of a personalised workbook must have the same form fields and links as "
                        "the workbook's own cover: check print/cover.html in your templates")
    form = target.Root.get("/AcroForm")
    for new, old, parent in zip(new_annotations, old_annotations, annotation_parents):
        new.P = page
        if "/StructParent" in old:
            new.StructParent = old.StructParent
            numbers[int(old.StructParent)] = parent
        if form is not None:
            fields = form.Fields
            for place, field in enumerate(fields):
                if field.objgen == old.objgen:
                    fields[place] = new
    if old_annotations:
        page.Annots = new_annotations
    take_form_fonts(target, source)
    write_parent_tree(target, numbers)


def _section_on(top: Dictionary, page: Dictionary) -> tuple[int, Dictionary]:
    """The top-level structure element that holds the cover page, and its place among its siblings."""
    kids = top.K if isinstance(top.K, Array) else Array([top.K])
    for index, kid in enumerate(kids):
        if isinstance(kid, Dictionary) and kid.get("/Pg") is not None and kid.Pg.objgen == page.objgen:
            if not _all_on(kid, page):
                break
            return index, kid
    raise UserError("the cover of a personalised workbook must be one page, in one element of its own: "
                    "check print/cover.html in your templates (a long name, cohort or group may push it over)")


def _all_on(element: Dictionary, page: Dictionary) -> bool:
    """Whether every part of a structure element is on that page."""
    kids = element.get("/K")
    for kid in kids if isinstance(kids, Array) else [kids]:
        if isinstance(kid, Dictionary):
            if kid.get("/Pg") is not None and kid.Pg.objgen != page.objgen:
                return False
            if kid.get("/Type") != Name("/OBJR") and not _all_on(kid, page):
                return False
    return True


def _swap(obj: pikepdf.Object, old: Dictionary, new: Dictionary, by_type: bool = False) -> None:
    """Replace every reference to `old` within obj by `new`, without going up to parents.

    With `by_type`, `old` is matched by its /Type (after a copy, the stand-in is a new object).
    """
    seen = set()

    def matches(value) -> bool:
        if not isinstance(value, Dictionary) or not value.is_indirect:
            return False
        return value.get("/Type") == old.Type if by_type else value.objgen == old.objgen

    def visit(value) -> None:
        if isinstance(value, (Dictionary, Array)) and value.is_indirect:
            if value.objgen in seen:
                return
            seen.add(value.objgen)
        if isinstance(value, (Dictionary, pikepdf.Stream)):
            for key in list(value.keys()):
                if key in _UPWARD and not matches(value[key]):
                    continue
                if matches(value[key]):
                    value[key] = new
                else:
                    visit(value[key])
        elif isinstance(value, Array):
            for place, item in enumerate(value):
                if matches(item):
                    value[place] = new
                else:
                    visit(item)

    visit(obj)
