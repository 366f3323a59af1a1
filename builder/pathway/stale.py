"""Inherited text that may no longer fit: a warning when a file changes the shape of what it extends.

A pathway's subtitle, summary and level intros often say how many levels or resources it has, or
name its levels ("four levels, from self to system"). A file that omits or reorders levels, or
adds or omits items, and keeps that text would print it untrue; it is told which text to review.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .load import LocatedMap, locate

# A count of levels or resources, in figures or words: not a year, and not "one", which says
# "any one person" far more often than it counts.
_COUNT = re.compile(r"\b(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|dozen)\b",
                    re.IGNORECASE)


def inherited_text(base: LocatedMap, merged: LocatedMap, raw: LocatedMap) -> Problem | None:
    """A warning at `extends` when `raw` changed the levels or items of `base` (into `merged`) and
    inherits text that names levels or counts; else None."""
    before, after = _shape(base), _shape(merged)
    omitted = [level for level in before if level not in after]
    reordered = [level for level in before if level in after] != [level for level in after if level in before]
    changed_items = {level for level, items in after.items() if set(before.get(level, ())) != set(items)}
    did = _what_changed(before, after, omitted, reordered)
    if not did:
        return None
    levels = _levels(base)
    # Names that may have become untrue: an omitted level's; when levels move, any level's.
    named = [name for level in (levels if reordered else omitted) for name in _names(levels[level])]
    review = [f"the {key}" for key in ("subtitle", "summary")
              if key in merged and key not in raw and _names_levels_or_counts(merged[key], named)]
    for level_id, node in _levels(merged).items():
        intro = node.get("intro")
        if not isinstance(intro, str) or node.value_locations["intro"].file == raw.location.file:
            continue  # none, or given by this file (with change:)
        others = [name for name in named if name not in _names(node)]
        counts = bool(omitted) or level_id in changed_items
        if _names_levels_or_counts(intro, others, counts=counts):
            review.append(f"the intro of level '{level_id}'")
    if not review:
        return None
    fields = ", ".join(review[:-1]) + " and " + review[-1] if len(review) > 1 else review[0]
    return Problem(locate(raw, ("extends",)), "extends",
                   f"this file {did}, but inherits text that may say otherwise: {fields}; review "
                   f"{'them' if len(review) > 1 else 'it'}, and give your own with 'subtitle:', 'summary:' or "
                   "'change: {<level>: {intro: ...}}'")


def _shape(pathway: LocatedMap) -> dict[str, list[str]]:
    return {level_id: [item.get("id") for item in node.get("items", ())] for level_id, node in _levels(pathway).items()}


def _levels(pathway: LocatedMap) -> dict[str, LocatedMap]:
    return {level["id"]: level for level in pathway.get("levels", ())}


def _what_changed(before: dict[str, list[str]], after: dict[str, list[str]], omitted: list[str],
                  reordered: bool) -> str:
    kept = {item for level, items in before.items() if level not in omitted for item in items}
    items_after = {item for items in after.values() for item in items}
    done = [what for what, happened in (
        ("omits levels", bool(omitted)), ("reorders levels", reordered),
        ("adds items", bool(items_after - kept)), ("omits items", bool(kept - items_after))) if happened]
    return ", ".join(done[:-1]) + " and " + done[-1] if len(done) > 1 else "".join(done)


def _names(level: LocatedMap) -> list[str]:
    """What a text might call a level: its title, and its id as words ('organisation')."""
    return [str(level.get("title", "")), level["id"].replace("-", " ")]


def _names_levels_or_counts(text: object, names: list[str], *, counts: bool = True) -> bool:
    if not isinstance(text, str):
        return False
    if counts and _COUNT.search(text):
        return True
    return any(re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) for name in names if name.strip())
