"""No near-empty pages: where a page's content would end in its top third, the space is given to writing.

The engine lays a document out, measures where each page's content ends, and on a page whose
content ends above a third of the way down changes the document where the templates marked that
it may, then lays it out again:

- `data-fill="NAME"` marks a writing space: ruled lines (`.lines`) or a text field. On such a page
  the boxes among them (also marked `data-fill-first`: Key insight, How my action went, an action plan)
  take what is left of the page, or else its questions do: lines are added, a field grows.
- `data-filler="NAME"` marks a hidden Notes box at the end of a section with no writing space of
  its own (a level opener, the overview, a level of the facilitator guide): it is shown, as tall as
  the rest of its page.
- `data-join="NAME"` marks a section that starts a new page, or moves to one whole: when the page
  before it is near-empty, it starts on that page instead, and may break between its blocks and
  table rows, never inside a row; and when it is already on that page, but a block of it too tall
  for the page's rest (a table row with a long title) moved on, its blocks may break where they
  must, a row's cells a line at a time.

Each change is keyed by its mark's name, and a name is changed once, so the rounds end. The same
changes apply to any document that holds the marks: a long document laid out in parts (parts.py)
gets them on each part, and on each part's layout in place. A document with no near-empty page is
laid out once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

LEAST = 1 / 3  # of the text area: a page whose content ends above this is near-empty
ROUNDS = 3  # joining a section may leave the page it ends on near-empty, for a second round to fill
MM = 96 / 25.4  # CSS pixels, the engine's unit, in a millimetre
SPARE = 3 * MM  # left at a page's foot, so that a space grown to fill it never tips over
# A hidden Notes box cannot be measured: its mark says how tall its frame (margin, border, padding and
# title: about 19.5 mm in print.css, more in large print) and each of its ruled lines are, in mm.
FILLER_FRAME = 24 * MM  # if its mark does not say
FILLER_RULE = 7.25 * MM
RULE = '<div class="rule"></div>'


@dataclass
class Edits:
    """What has been changed, by mark name: applied afresh to each document given."""

    rules: dict[str, int] = field(default_factory=dict)  # lines: rules to add
    heights: dict[str, float] = field(default_factory=dict)  # fields: their new height, in CSS px
    shown: set[str] = field(default_factory=set)  # fillers
    joined: set[str] = field(default_factory=set)  # sections that start on the page before
    loosened: set[str] = field(default_factory=set)  # sections whose blocks may break anywhere

    def names(self) -> set[str]:
        return (set(self.rules) | set(self.heights) | self.shown | {f"join {name}" for name in self.joined}
                | {f"loosen {name}" for name in self.loosened})

    def __bool__(self) -> bool:
        return bool(self.names())

    def only(self, marks: set[str]) -> Edits:
        """These edits of the marks named (see marks_in), and none of any other."""
        return Edits({name: count for name, count in self.rules.items() if name in marks},
                     {name: height for name, height in self.heights.items() if name in marks},
                     self.shown & marks, self.joined & marks, self.loosened & marks)

    def update(self, other: Edits) -> None:
        self.rules.update(other.rules)
        self.heights.update(other.heights)
        self.shown |= other.shown
        self.joined |= other.joined
        self.loosened |= other.loosened

    def apply(self, html: str) -> str:
        if not self:
            return html
        for name, count in sorted(self.rules.items()):
            mark = f'data-fill="{name}">{RULE}'  # ruled lines: a field's mark is never followed by a rule
            html = html.replace(mark, mark + RULE * count, 1)
        rules = [f'textarea[data-fill="{name}"] {{ height: {height:.2f}px !important }}'
                 for name, height in sorted(self.heights.items())]
        rules += [f'[data-filler="{name}"] > * {{ display: block !important }}' for name in sorted(self.shown)]
        rules += [f'[data-join="{name}"] {{ break-before: auto !important; margin-top: 12mm }}'
                  for name in sorted(self.joined)]
        # A section joined to the page before may break between its blocks, but each table row stays
        # whole: a row cut where it must be is cut in every cell (orphans), not left with a cell empty.
        rules += [f'[data-join="{name}"], [data-join="{name}"] *:not(tr) {{ break-inside: auto !important }}'
                  for name in sorted(self.joined - self.loosened)]
        rules += [f'[data-join="{name}"], [data-join="{name}"] * {{ break-inside: auto !important }}\n'
                  f'[data-join="{name}"] td, [data-join="{name}"] th {{ orphans: 1; widows: 1 }}'
                  for name in sorted(self.loosened)]
        return html.replace("</head>", "<style>" + "\n".join(rules) + "</style></head>", 1)


@dataclass
class _Space:
    name: str
    first: bool  # a box: grows before the questions do
    field: bool  # a text field rather than ruled lines
    height: float  # its own height (a field's), in CSS px
    rule: float  # the height of one of its rules, for lines


@dataclass
class _Filler:
    name: str
    frame: float  # its margin, border, padding and title, in CSS px
    rule: float  # each of its ruled lines, in CSS px


@dataclass
class _Page:
    bottom: float  # where its content ends, from the top of the text area
    height: float  # of the text area
    spaces: list[_Space]
    fillers: list[_Filler]
    joins: set[str]  # the data-join of each section on it
    first_join: str | None  # the data-join of the section it starts with
    first: object = None  # the element of the top-level box it starts with, and of the one it ends with
    last: object = None
    part_start: bool = False  # it starts with an element marked data-part-start (see parts.py)


def marks_in(html: str) -> set[str]:
    """The names of the marks in this HTML that an edit may change."""
    return set(_MARKS.findall(html))


_MARKS = re.compile(r'data-(?:fill|filler|join)="([^"]*)"')


class Fitter:
    """Lays documents out through `lay_out(html) -> Document`, each with the edits its pages need,
    starting from `edits` (which it keeps, and adds to)."""

    def __init__(self, lay_out: Callable, edits: Edits | None = None):
        self._lay_out = lay_out
        self.edits = Edits() if edits is None else edits

    def render(self, html: str):
        document = self._lay_out(self.edits.apply(html))
        for _ in range(ROUNDS):
            found = needed(document, self.edits.names())
            if not found:
                break
            self.edits.update(found)
            document = self._lay_out(self.edits.apply(html))
        return document


def needed(document, done: set[str] = frozenset()) -> Edits:
    """The edits that would fill this layout's near-empty pages, leaving alone the marks in `done`."""
    pages = [_measure(page._page_box) for page in document.pages]
    edits = Edits()
    moved = False
    for number, page in enumerate(pages):
        # After a join, the pages up to the next part's first one move; a part's pages never do, as it
        # starts a page: so a document's edits are those of its parts laid out one by one (parts.py).
        if moved and not (page.part_start and page.first is not pages[number - 1].last):
            continue
        moved = False
        if page.bottom >= LEAST * page.height:
            continue
        free = page.height - page.bottom - SPARE
        spaces = [space for space in page.spaces if space.name not in done]
        boxes = [space for space in spaces if space.first]
        fillers = [filler for filler in page.fillers if filler.name not in done]
        following = pages[number + 1].first_join if number + 1 < len(pages) else None
        kind = "loosen" if following in page.joins else "join"
        if boxes or (spaces and not fillers):
            _grow(boxes or spaces, free, edits)
        elif fillers and free > fillers[-1].frame + 2 * fillers[-1].rule:
            _show(fillers[-1], free, edits)
        elif following and f"{kind} {following}" not in done:
            (edits.loosened if kind == "loosen" else edits.joined).add(following)
            moved = True  # the pages after it move: measured again, laid out anew
    return edits


def _grow(spaces: list[_Space], free: float, edits: Edits) -> None:
    """Share the free space among the spaces, the later ones first when lines do not divide evenly."""
    if spaces[0].field:
        for space in spaces:
            edits.heights[space.name] = space.height + free / len(spaces)
        return
    rules = int(free // spaces[0].rule)
    for index, space in enumerate(reversed(spaces)):
        edits.rules[space.name] = rules // len(spaces) + (index < rules % len(spaces))


def _show(filler: _Filler, free: float, edits: Edits) -> None:
    edits.shown.add(filler.name)
    height = free - filler.frame
    edits.heights[filler.name] = height  # its field, in the fillable edition
    edits.rules[filler.name] = int(height // filler.rule) - 1  # or its lines, of which it holds one already


def _measure(page_box) -> _Page:
    top, height = page_box.content_box_y(), page_box.height
    page = _Page(0.0, height, [], [], set(), None)
    seen: set[int] = set()
    # The running header and footer are in margin boxes: not content.
    for root in (child for child in page_box.children if type(child).__name__ != "MarginBox"):
        body = root.children[0] if getattr(root, "children", None) else None
        if body is not None and getattr(body, "children", None):
            page.first_join = _attribute(body.children[0], "data-join")
            page.first, page.last = (getattr(box, "element", None) for box in (body.children[0], body.children[-1]))
            page.part_start = _attribute(body.children[0], "data-part-start") is not None
        _walk(root, page, top, seen)
    return page


def _walk(box, page: _Page, top: float, seen: set[int]) -> None:
    element = getattr(box, "element", None)
    if element is not None and id(element) not in seen and "::" not in (box.element_tag or ""):
        seen.add(id(element))
        name = element.get("data-fill")
        if name:
            children = getattr(box, "children", [])
            page.spaces.append(_Space(name, element.get("data-fill-first") is not None,
                                      element.tag.rpartition("}")[2] == "textarea", box.border_height(),
                                      children[0].margin_height() if children else 0.0))
        if element.get("data-filler"):
            frame, rule = element.get("data-filler-frame"), element.get("data-filler-rule")
            page.fillers.append(_Filler(element.get("data-filler"), float(frame) * MM if frame else FILLER_FRAME,
                                        float(rule) * MM if rule else FILLER_RULE))
        if element.get("data-join"):
            page.joins.add(element.get("data-join"))
    if _draws(box):
        page.bottom = max(page.bottom, box.border_box_y() + box.border_height() - top)
    for child in getattr(box, "children", []):
        _walk(child, page, top, seen)


def _draws(box) -> bool:
    """Whether the box puts anything on the page: text, an image, a border or a background."""
    kind = type(box).__name__
    if kind in ("TextBox", "InlineReplacedBox", "BlockReplacedBox"):
        return box.border_height() > 0
    style = getattr(box, "style", None)
    if style is None or box.element_tag in ("html", "body"):
        return False
    borders = any(style[f"border_{side}_width"] and style[f"border_{side}_style"] not in ("none", "hidden")
                  for side in ("top", "right", "bottom", "left"))
    return (borders or style["background_color"].alpha > 0) and box.border_height() > 0


def _attribute(box, name: str) -> str | None:
    element = getattr(box, "element", None)
    return element.get(name) if element is not None else None
