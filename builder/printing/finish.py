"""What WeasyPrint's tagged PDF lacks for a screen reader, put right once the PDF is laid out.

Run in the engine's process on every PDF it makes: a whole document, each part of a document laid
out in parts (before the join, so that a part kept from the last build is kept finished, told the
whole document's page numbers) and each learner's cover.

- Margin boxes (the running header, the title and "Page N of M"): WeasyPrint 70 gives their text
  marked-content ids but hangs them on no structure element, so they read as content outside the
  tree. Here they become `/Artifact <</Type /Pagination>>` and leave the parent tree.
- A link whose box holds other boxes (a pseudo-element, a flex item) is one annotation a box:
  several tab stops for one link. Here it is one Link element with one annotation over all of it.
- Each link's /Contents is its target's id or address: here it is the words a listener needs, the
  target's heading and page for a link within the document.
- Header cells get /Scope, and every /ID that /Headers name is in the structure tree's /IDTree,
  unique across the document (each part of a long one numbers its own, under its own prefix).
- A contents entry's leader dots become a layout artifact (links.py finds them by the font's map).
- Empty /Span and /NonStruct elements (an icon, a ruled line) are dropped, and annotations get
  the Print flag, so that print and screen agree.

Bytes in, bytes out: no file is read or written here.
"""

from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from . import links
from .tagged import elements, is_element, kids, parent_tree, write_parent_tree

_MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"
_EMPTY_KINDS = {"/Span", "/NonStruct"}


def finish(data: bytes, words: links.Words, pages: dict[str, int] | None = None, ids: str = "th-") -> bytes:
    """The PDF `data` of the print document that `words` were read from, put right as the module says.

    `pages`: for a part of a document, the page number in the whole document of each anchor its
    links lead to; `ids`: the start of each header cell's id, unique to the part.
    """
    pdf = pikepdf.open(io.BytesIO(data))
    if "/StructTreeRoot" not in pdf.Root:
        return data
    # The parent tree's page entries as lists while they change: an Array is rebuilt on each write.
    numbers = {key: list(value) if isinstance(value, Array) else value for key, value in parent_tree(pdf).items()}
    artifacts = _margins(pdf, numbers)
    links.one_link_each(pdf, numbers)
    links.leaders(pdf, numbers, artifacts)
    _as_artifacts(pdf, numbers, artifacts)
    links.describe(pdf, words, pages)
    _drop_empty(pdf.Root.StructTreeRoot)
    _table_headers(pdf, ids)
    write_parent_tree(pdf, {key: Array(value) if isinstance(value, list) else value for key, value in numbers.items()})
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _margins(pdf: pikepdf.Pdf, numbers: dict) -> dict[int, dict[int, bytes]]:
    """Per page (its parent-tree key), the marked-content ids that lead to no element in the tree: a
    margin box's text, to become a pagination artifact."""
    reached = {element.objgen for element in elements(pdf.Root.StructTreeRoot)}
    artifacts = {}
    for page in pdf.pages:
        if "/StructParents" in page.obj:
            key = int(page.obj.StructParents)
            artifacts[key] = {mcid: _PAGINATION for mcid, element in enumerate(numbers.get(key, []))
                              if isinstance(element, Dictionary) and element.objgen not in reached}
    return artifacts


def _as_artifacts(pdf: pikepdf.Pdf, numbers: dict, artifacts: dict[int, dict[int, bytes]]) -> None:
    """Each marked-content id in `artifacts` becomes the artifact given, and leaves the parent tree."""
    for page in pdf.pages:
        chosen = artifacts.get(int(page.obj.get("/StructParents", -1)))
        if not chosen:
            continue
        contents = page.obj.Contents
        for stream in list(contents) if isinstance(contents, Array) else [contents]:
            source = stream.read_bytes()
            changed = _MARKED.sub(lambda m: chosen.get(int(m.group(1)), m.group(0)), source)
            if changed != source:
                stream.write(changed)
        marked = numbers[int(page.obj.StructParents)]
        for mcid in chosen:
            marked[mcid] = None


def _drop_empty(top) -> None:
    """Spans and non-structure elements with nothing in them, from the deepest up."""
    for element in reversed(elements(top)):
        children = element.get("/K")
        if children is None or not isinstance(children, Array):
            continue
        kept = [kid for kid in children if not (is_element(kid) and kid.get("/S") in _EMPTY_KINDS and _empty(kid))]
        if len(kept) != len(children):
            element.K = Array(kept)


def _empty(element) -> bool:
    return not kids(element) and "/Alt" not in element and "/ActualText" not in element


def _table_headers(pdf: pikepdf.Pdf, prefix: str) -> None:
    """Scope on every header cell; ids unique across the document, each in the /IDTree."""
    ids = {}
    for table in [e for e in elements(pdf.Root.StructTreeRoot) if e.get("/S") == Name("/Table")]:
        renamed = {}
        cells = elements(table)
        for row in (e for e in cells if e.get("/S") == Name("/TR")):
            row_cells = [kid for kid in kids(row) if is_element(kid)]
            only_headers = all(cell.get("/S") == Name("/TH") for cell in row_cells)
            for cell in row_cells:
                if cell.get("/S") != Name("/TH"):
                    continue
                attributes = cell.get("/A")
                if not isinstance(attributes, Dictionary):
                    attributes = cell.A = Dictionary(O=Name("/Table"))
                attributes.Scope = Name("/Column" if only_headers else "/Row")
                if "/ID" in cell:
                    new = f"{prefix}{len(ids) + 1}"
                    renamed[bytes(cell.ID)] = new
                    cell.ID = String(new)
                    ids[new] = cell
        for cell in cells:
            attributes = cell.get("/A")
            if isinstance(attributes, Dictionary) and "/Headers" in attributes:
                attributes.Headers = Array([String(renamed[bytes(h)]) for h in attributes.Headers
                                            if bytes(h) in renamed])
    root = pdf.Root.StructTreeRoot
    if ids:
        flat = Array()
        for key in sorted(ids):  # a name tree is sorted by its keys' bytes
            flat.extend([String(key), ids[key]])
        root.IDTree = pdf.make_indirect(Dictionary(Names=flat))
    elif "/IDTree" in root:
        del root["/IDTree"]
