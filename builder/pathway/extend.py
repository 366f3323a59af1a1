"""Apply a file's changes on top of the pathway it extends, keeping the location of every node.

The changes apply in this order: add, change, questions, omit, sequence, then the top-level
overrides. So `change`, `questions` and `sequence` may name an added item, and `after` may name
an item that is omitted.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem, did_you_mean, format_path
from .load import LocatedList, LocatedMap, locate
from .model import CHANGE_KEYS, ITEM_KEYS, LEVEL_KEYS, REQUIRED_KEYS
from .validate import Changes


@dataclass
class _Level:
    node: LocatedMap
    items: list[LocatedMap]


class _Changes:
    """One file's changes, applied to the levels of the pathway it extends."""

    def __init__(self, base: LocatedMap, raw: LocatedMap, changes: Changes):
        self.raw, self.changes = raw, changes
        self.levels = {level["id"]: _Level(level, list(level["items"])) for level in base["levels"]}
        self.omitted: set[str] = set()
        self.problems: list[Problem] = []

    def problem(self, path: tuple, message: str, *, key: bool = False) -> None:
        self.problems.append(Problem(locate(self.raw, path, key=key), format_path(path), message))

    def level_of(self, item_id: str) -> str | None:
        for level_id, level in self.levels.items():
            if any(item["id"] == item_id for item in level.items):
                return level_id
        return None

    def item_ids(self) -> list[str]:
        return [item["id"] for level in self.levels.values() for item in level.items]

    def unknown_level(self, path: tuple, level_id: str) -> None:
        if level_id in self.omitted:
            self.problem(path, f"level '{level_id}' is omitted by this file")
        elif (home := self.level_of(level_id)) is not None:
            self.problem(path, f"'{level_id}' is an item (in level '{home}'), not a level")
        else:
            self.problem(path, f"unknown level '{level_id}'{did_you_mean(level_id, self.levels)}")

    def add(self) -> None:
        omitted = [name for _, name in self.changes.omit]
        for index, addition in self.changes.add:
            path = ("add", index)
            if addition.level not in self.levels:
                self.unknown_level(path + ("level",), addition.level)
                continue
            if addition.level in omitted:
                self.problem(path + ("level",), f"level '{addition.level}' is omitted by this file")
                continue
            if addition.item.id in self.levels:
                self.problem(path + ("item", "id"), f"'{addition.item.id}' is already the id of a level: "
                                                    "give the new item another id")
                continue
            if self.level_of(addition.item.id):
                self.problem(path + ("item", "id"),
                             f"the pathway already has an item '{addition.item.id}': give the new "
                             "item another id, or change that item with 'change'")
                continue
            items = self.levels[addition.level].items
            position = len(items)
            if addition.after is not None:
                ids = [item["id"] for item in items]
                if addition.after not in ids:
                    self.wrong_item(path + ("after",), addition.after, addition.level)
                    continue
                position = ids.index(addition.after) + 1
            items.insert(position, self.raw["add"][index]["item"])

    def wrong_item(self, path: tuple, item_id: str, level_id: str) -> None:
        home = self.level_of(item_id)
        if item_id in self.omitted:
            self.problem(path, f"item '{item_id}' is omitted by this file")
        elif home:
            self.problem(path, f"item '{item_id}' is in level '{home}', not '{level_id}'")
        else:
            choices = [item["id"] for item in self.levels[level_id].items]
            self.problem(path, f"unknown item '{item_id}' in level '{level_id}'"
                               f"{did_you_mean(item_id, choices)}")

    def change(self) -> None:
        given: LocatedMap = self.raw["change"] if self.changes.change else LocatedMap(self.raw.location)
        omitted = {name for _, name in self.changes.omit}
        questions = self.raw.get("questions")
        for name, change in self.changes.change:
            fields: LocatedMap = given[name]
            if name in omitted:
                self.problem(("change", name), f"'{name}' is omitted by this file: change it or omit it, "
                                               "not both", key=True)
                continue
            if name in self.levels:
                level = self.levels[name]
                level.node = self.changed(name, "level", level.node, fields, change.model_fields_set)
                continue
            level_id = self.level_of(name)
            if level_id is None:
                self.problem(("change", name), f"unknown item or level '{name}'"
                             f"{did_you_mean(name, list(self.levels) + self.item_ids())}", key=True)
                continue
            if "questions" in change.model_fields_set and isinstance(questions, LocatedMap) and name in questions:
                self.problem(("change", name, "questions"), f"the questions of '{name}' are also given in "
                             f"'questions' (line {questions.key_locations[name].line}): give them once", key=True)
                continue
            items = self.levels[level_id].items
            index = [item["id"] for item in items].index(name)
            items[index] = self.changed(name, "item", items[index], fields, change.model_fields_set)

    def changed(self, name: str, what: str, node: LocatedMap, fields: LocatedMap, keys: set[str]) -> LocatedMap:
        """The item or level `node` with the fields given for it replaced, or removed where given as null."""
        allowed = ITEM_KEYS if what == "item" else LEVEL_KEYS
        replaced, removed = {}, []
        for key in sorted(keys, key=lambda key: fields.key_locations[key].line):
            path = ("change", name, key)
            if key not in allowed:
                self.problem(path, f"'{name}' is {'an' if what == 'item' else 'a'} {what}, which has no "
                                   f"'{key}': change its {', '.join(allowed)}", key=True)
            elif fields[key] is None and key in REQUIRED_KEYS[what]:
                self.problem(path, f"'{key}' cannot be removed: {'an' if what == 'item' else 'a'} {what} "
                                   f"needs one; give a new {key}", key=True)
            elif fields[key] is None:
                removed.append(key)
            else:
                replaced[key] = (fields[key], fields.key_locations[key], fields.value_locations[key])
        return node.without(*removed).copy_with(**replaced)

    def questions(self) -> None:
        given: LocatedMap = self.raw.get("questions", LocatedMap(self.raw.location))
        for item_id, _ in self.changes.questions:
            level_id = self.level_of(item_id)
            if level_id is None:
                self.problem(("questions", item_id), f"unknown item '{item_id}'"
                             f"{did_you_mean(item_id, self.item_ids())}", key=True)
                continue
            items = self.levels[level_id].items
            index = [item["id"] for item in items].index(item_id)
            items[index] = items[index].copy_with(questions=(
                given[item_id], given.key_locations[item_id], given.value_locations[item_id]))

    def omit(self) -> None:
        for index, name in self.changes.omit:
            if name in self.levels:
                if len(self.levels) == 1:
                    self.problem(("omit", index), f"omitting '{name}' would leave no levels at all")
                    continue
                self.omitted.update([name] + [item["id"] for item in self.levels.pop(name).items])
            elif (level_id := self.level_of(name)) is not None:
                level = self.levels[level_id]
                if len(level.items) == 1:
                    self.problem(("omit", index), f"omitting '{name}' would leave level '{level_id}' "
                                                  f"empty: omit the level '{level_id}' instead")
                    continue
                level.items = [item for item in level.items if item["id"] != name]
                self.omitted.add(name)
            elif name not in self.omitted:
                self.problem(("omit", index), f"unknown item or level '{name}'"
                             f"{did_you_mean(name, list(self.levels) + self.item_ids())}")

    def sequence(self) -> None:
        placed: dict[str, int] = {}
        for index, entry in self.changes.sequence:
            path = ("sequence", index)
            if entry.level not in self.levels:
                self.unknown_level(path + ("level",), entry.level)
                continue
            if entry.level in placed:
                self.problem(path + ("level",), f"level '{entry.level}' is already placed by "
                                                f"sequence[{placed[entry.level]}]")
                continue
            placed[entry.level] = index
            self.reorder_items(path, entry.level, entry.items or ())
        named = [self.levels[level_id] for level_id in placed]
        rest = [level for level_id, level in self.levels.items() if level_id not in placed]
        self.levels = {level.node["id"]: level for level in named + rest}

    def reorder_items(self, path: tuple, level_id: str, order: tuple[str, ...]) -> None:
        level = self.levels[level_id]
        by_id = {item["id"]: item for item in level.items}
        first: list[LocatedMap] = []
        for index, item_id in enumerate(order):
            if item_id not in by_id:
                self.wrong_item(path + ("items", index), item_id, level_id)
            elif any(item["id"] == item_id for item in first):
                self.problem(path + ("items", index), f"item '{item_id}' is named twice")
            else:
                first.append(by_id[item_id])
        level.items = first + [item for item in level.items if item not in first]

    def result(self, base: LocatedMap) -> LocatedMap:
        levels = LocatedList(base["levels"].location, [
            (level.node.copy_with(items=(
                LocatedList(level.node["items"].location, [(item, item.location) for item in level.items]),
                level.node.key_locations["items"], level.node.value_locations["items"])),
             level.node.location)
            for level in self.levels.values()])
        overrides = {key: (value, self.raw.key_locations[key], self.raw.value_locations[key])
                     for key, value in self.raw.items() if key not in CHANGE_KEYS + ("levels",)}
        return base.copy_with(levels=(levels, base.key_locations["levels"],
                                      base.value_locations["levels"]), **overrides)


def apply(base: LocatedMap, raw: LocatedMap, changes: Changes) -> tuple[LocatedMap, list[Problem]]:
    """The base pathway (raw, valid) with the extending file's valid changes applied, and every
    problem with what those changes refer to."""
    merge = _Changes(base, raw, changes)
    merge.add()
    merge.change()
    merge.questions()
    merge.omit()
    merge.sequence()
    return merge.result(base), merge.problems
