"""One PDF from the parts of a document laid out in parts (see parts.py).

Pages are appended in order, with each part's structure tree, parent-tree entries, ids of header
cells, form fields and named destinations; each part comes finished (finish.py). The outline is
made anew from every part's entries, nested by their bookmark levels, so that an item in a later
part still sits under its level. A link leads to its named destination, and each name is kept
where its anchor really is.

Bytes in, bytes out: no file is read or written here.
"""

from __future__ import annotations

import io
import warnings
from typing import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .parts import Part
from .subsets import Subsets, resources_of
from .tagged import document, parent_tree, take_form_fonts, write_parent_tree


def join(parts: Sequence[Part]) -> bytes:
    whole = pikepdf.open(io.BytesIO(parts[0].data))
    root = whole.Root
    top = document(whole)
    numbers = parent_tree(whole)
    fields = root.AcroForm.Fields if "/AcroForm" in root else None
    subsets = Subsets(whole.pages)
    names = {name: dest for name, dest in _dests(whole) if name in _names(parts[0])}
    entries = _outline(whole, parts[0].levels)
    ids = _ids(whole)

    for part in parts[1:]:
        source = pikepdf.open(io.BytesIO(part.data))
        # Parent-tree keys follow on from those already in use.
        shift = max(numbers, default=-1) + 1
        for page in source.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annotation in page.obj.get("/Annots", Array()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + shift
        first_new = len(whole.pages)
        with warnings.catch_warnings():  # named destinations are carried over below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            whole.pages.extend(source.pages)
        # Copied in one go, so that every reference to a page leads to the page just appended.
        kids = _kids(document(source))
        source_numbers = parent_tree(source)
        dests = [(name, dest) for name, dest in _dests(source) if name in _names(part)]
        source_ids = _ids(source)
        outline = _outline(source, part.levels)
        source_fields = list(source.Root.AcroForm.Fields) if "/AcroForm" in source.Root else []
        copied = whole.copy_foreign(source.make_indirect(Array([
            Array(kids), Array(list(source_numbers.values())), Array([dest for _, dest in dests]),
            Array([entry[1] for entry in outline]), Array(source_fields), Array(list(source_ids.values()))])))
        new_kids, new_numbers, new_dests, new_targets, new_fields, new_ids = copied
        for kid in new_kids:
            kid.P = top
        top.K = Array(_kids(top) + list(new_kids))
        numbers.update(zip((key + shift for key in source_numbers), new_numbers))
        names.update(zip((name for name, _ in dests), new_dests))
        ids.update(zip(source_ids, new_ids))
        entries += [(title, target, level, closed)
                    for (title, _, level, closed), target in zip(outline, new_targets)]
        if fields is not None:
            fields.extend(new_fields)
        take_form_fonts(whole, source)
        for resources in resources_of(whole.pages[first_new:]):
            subsets.adopt(resources)

    write_parent_tree(whole, numbers)
    flat = Array()
    for name in sorted(names):
        flat.extend([String(name), names[name]])
    if names:
        if "/Names" not in root:
            root.Names = Dictionary()
        root.Names.Dests = whole.make_indirect(Dictionary(Names=flat))
    if ids:
        flat = Array()
        for name in sorted(ids, key=str.encode):  # a name tree is sorted by its keys' bytes
            flat.extend([String(name), ids[name]])
        root.StructTreeRoot.IDTree = whole.make_indirect(Dictionary(Names=flat))
    _write_outline(whole, entries)
    out = io.BytesIO()
    # Object streams: the parts' structure trees come over as thousands of small objects.
    whole.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _names(part: Part) -> set[str]:
    return {name for name, _ in part.anchors}


def _ids(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """The structure elements by /ID: finish.py writes the /IDTree as one flat /Names array."""
    if "/IDTree" not in pdf.Root.StructTreeRoot:
        return {}
    flat = pdf.Root.StructTreeRoot.IDTree.Names
    return {str(flat[at]): flat[at + 1] for at in range(0, len(flat), 2)}


def _kids(element: Dictionary) -> list:
    kids = element.get("/K", Array())
    return list(kids) if isinstance(kids, Array) else [kids]


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The named destinations: WeasyPrint writes them as one flat /Names array."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    flat = pdf.Root.Names.Dests.Names
    return [(str(flat[at]), flat[at + 1]) for at in range(0, len(flat), 2)]


def _outline(pdf: pikepdf.Pdf, levels: list[int]) -> list[tuple[str, pikepdf.Object, int, bool]]:
    """(title, destination, level, closed) of each outline entry, in reading order."""
    entries = []

    def walk(item) -> None:
        while item is not None:
            entries.append((str(item.Title), item.Dest, int(item.get("/Count", 0)) < 0))
            walk(item.get("/First"))
            item = item.get("/Next")

    if "/Outlines" in pdf.Root:
        walk(pdf.Root.Outlines.get("/First"))
    if len(entries) != len(levels):
        raise RuntimeError(f"{len(entries)} outline entries for {len(levels)} bookmarks")
    return [(title, dest, level, closed) for (title, dest, closed), level in zip(entries, levels)]


def _write_outline(pdf: pikepdf.Pdf, entries: list[tuple[str, pikepdf.Object, int, bool]]) -> None:
    """The outline, nested as WeasyPrint nests bookmarks: each under the last one of a lower level."""
    if not entries:
        if "/Outlines" in pdf.Root:
            del pdf.Root["/Outlines"]
        return
    top = pdf.make_indirect(Dictionary(Type=Name("/Outlines")))
    children: dict[int, list] = {top.objgen: []}
    stack = [(0, top)]  # (level, item)
    closed = {}
    for title, dest, level, is_closed in entries:
        while stack[-1][0] >= level and len(stack) > 1:
            stack.pop()
        item = pdf.make_indirect(Dictionary(Title=String(title), Dest=dest, Parent=stack[-1][1]))
        children[stack[-1][1].objgen].append(item)
        children[item.objgen] = []
        closed[item.objgen] = is_closed
        stack.append((level, item))

    def link(parent) -> int:
        """Links the children of `parent`; returns how many entries are shown under it when open."""
        kids = children[parent.objgen]
        shown = 0
        for before, after in zip(kids, kids[1:]):
            before.Next, after.Prev = after, before
        for kid in kids:
            below = link(kid)
            kid.Count = -below if closed[kid.objgen] else below
            shown += 1 + (0 if closed[kid.objgen] else below)
        if kids:
            parent.First, parent.Last = kids[0], kids[-1]
        return shown

    top.Count = link(top)
    pdf.Root.Outlines = top
