"""The three ways a document in parts (parts.py) is laid out, each giving every part's Part.

- `cut`: laid out whole once and cut into its parts: for a document of up to WHOLE_BYTES.
- `counted`: each part laid out on its own to count its pages, then each in place: for a longer
  one, whose whole layout would take too much memory (about a megabyte a page), and time (the
  engine's grows faster than the pages). Both steps run on both cores (pool.py).
- `again`: from the parts the last build kept: a part whose in-place document is unchanged is
  kept, and only the others are laid out in place. When a part laid out again takes another
  number of pages, or starts elsewhere, every page after it moves: then None, for `cut` or
  `counted`. When only its anchors move, the parts that link to them are laid out again too.

A part's key is the hash of its in-place document, with the page-filling edits (fit.py) of the
elements carried into it: its own edits follow from its layout, so a part laid out again gets
them as the whole layout gave them. `render(html)` lays a document out (WeasyPrint's Document),
`key(number, html)` hashes, and `write` is parts.written's.
"""

from __future__ import annotations

import ctypes
import gc
from typing import Callable, Sequence

from . import fit
from .pool import Pool
from .parts import Part, Plan, Unsettled, anchors_of, page_of, written

WHOLE_BYTES = 1_000_000  # of HTML: up to about 300 pages (some 400 MB), a document is laid out whole
_ROUNDS = 4  # of laying parts out in place: a first round, and what it moved


def cut(plan: Plan, render: Callable, write: Callable, key: Callable) -> list[Part]:
    fitter = fit.Fitter(render)
    document = fitter.render(plan.source.html)
    starts = [0] + [page_of(document.pages, plan.first_id(k)) for k in range(1, len(plan.parts))]
    if None in starts or any(later <= earlier for earlier, later in zip(starts, starts[1:])):
        raise Unsettled(f"a part's first element is not where it starts: {starts}")
    ends = [*starts[1:], len(document.pages)]
    plan.counts = [end - start for start, end in zip(starts, ends)]
    plan.anchors = [anchors_of(document.pages[start:end]) for start, end in zip(starts, ends)]
    laid, where = [], plan.where()
    for number, (start, end) in enumerate(zip(starts, ends)):
        data, anchors, levels = written(document, document.pages[start:end], write, number, where)
        edits = fitter.edits.only(plan.own_marks(number))
        laid.append(Part("", end - start, anchors, levels, edits, data))
    for number, part in enumerate(laid):  # keyed once every part's edits are known
        part.key = key(number, _carried(plan, number, laid).apply(plan.document(number).html))
    return laid


def counted(plan: Plan, render: Callable, write: Callable, key: Callable, pool: Pool) -> list[Part]:
    def alone(number: int) -> Part:
        fitter = fit.Fitter(render)
        document = fitter.render(plan.source.document(plan.source.source_of(plan.parts[number])))
        part = Part("", len(document.pages), anchors_of(document.pages), [], fitter.edits.only(plan.own_marks(number)),
                    b"")
        del document
        _give_back()
        return part

    # Laid out alone, each part's pages, anchors and edits are as in place, unless the running
    # headers or page numbers change its layout: so they are where laying each out in place starts.
    laid = pool.map(alone, range(len(plan.parts)))
    plan.counts, plan.anchors = [part.pages for part in laid], [part.anchors for part in laid]
    settled = _settle(plan, laid, [""] * len(laid), render, write, key, pool, recount=True)
    if settled is None:
        raise Unsettled(f"the parts' page counts did not settle in {_ROUNDS} rounds: {plan.counts}")
    return settled


def again(plan: Plan, kept: Sequence[Part], render: Callable, write: Callable, key: Callable,
          pool: Pool) -> list[Part] | None:
    if len(kept) != len(plan.parts):
        return None
    plan.counts, plan.anchors = [part.pages for part in kept], [part.anchors for part in kept]
    keys = [part.key for part in kept]  # of the in-place document each part was made from
    if 2 * sum(have != want for have, want in zip(keys, _keys(plan, kept, key))) > len(kept):
        return None  # most parts changed (a template did, say): one whole layout is quicker
    return _settle(plan, list(kept), keys, render, write, key, pool, recount=False)


def _settle(plan: Plan, laid: list[Part], keys: list[str], render: Callable, write: Callable, key: Callable,
            pool: Pool, recount: bool) -> list[Part] | None:
    """Lay out in place each part whose in-place document is not the one it was made from (`keys`), all
    at once, until none is left (or None). A part laid out again may move its anchors or change its
    edits, and so the documents of the parts that show them, which are laid out in the next round; if
    it takes another number of pages, every page after it moves: with `recount` the counts are
    corrected and every part laid out again, and without, None, for a whole layout."""
    for _ in range(_ROUNDS):
        todo = [number for number, (have, want) in enumerate(zip(keys, _keys(plan, laid, key))) if have != want]
        if not todo:
            return laid
        for number, part in zip(todo, pool.map(lambda number: _in_place(plan, number, render, write, key, laid),
                                               todo)):
            if isinstance(part, tuple):  # its page count changed once laid out in place
                if not recount:
                    return None
                plan.counts[number], plan.anchors[number] = part
            else:
                plan.anchors[number], laid[number], keys[number] = part.anchors, part, part.key
    return laid if keys == _keys(plan, laid, key) else None


def _keys(plan: Plan, laid: Sequence[Part], key: Callable) -> list[str]:
    """The key each part's in-place document has now."""
    return [key(number, _carried(plan, number, laid).apply(plan.document(number).html)) for number in range(len(laid))]


def _in_place(plan: Plan, number: int, render: Callable, write: Callable, key: Callable,
              laid: Sequence[Part]) -> Part | tuple[int, list]:
    """Part `number` laid out in place, the parts before it in `laid`; or, if it took another number
    of pages or started elsewhere, its page count and anchors as laid out."""
    carried = _carried(plan, number, laid)
    placed = plan.document(number)
    html = carried.apply(placed.html)  # what its key hashes, before the fitter adds to `carried`
    fitter = fit.Fitter(render, carried)
    document = fitter.render(placed.html)
    start = placed.start
    own = len(document.pages) - (placed.pages - plan.counts[number])
    if own != plan.counts[number] or (number and page_of(document.pages, plan.first_id(number)) != start):
        result = max(own, 1), anchors_of(document.pages[start:start + max(own, 1)])
    else:
        pages = document.pages[start:start + own]
        where = {**plan.where(), **{name: plan.starts()[number] + page + 1 for name, page in anchors_of(pages)}}
        data, anchors, levels = written(document, pages, write, number, where)
        result = Part(key(number, html), own, anchors, levels,
                      fitter.edits.only(plan.own_marks(number)), data)
    del document
    _give_back()
    return result


def _carried(plan: Plan, number: int, laid: Sequence[Part]) -> fit.Edits:
    """The edits of the elements carried into part `number`, as the parts they belong to were laid out."""
    marks, edits = plan.carried_marks(number), fit.Edits()
    for part in laid:
        edits.update(part.edits.only(marks))
    return edits


def _give_back() -> None:
    """Free one part's layout before the next: its boxes hold cycles, and glibc keeps freed memory
    unless asked to return it."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused all the same
        pass
