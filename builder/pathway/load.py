"""Load YAML text into plain data that remembers where every key and value came from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .. import catalogue
from ..errors import INVISIBLE, Location, Problem, UserError, format_path
from .compose import MAX_BYTES, MAX_DEPTH, NOT_YAML, compose
from .syntax import syntax_problem

_TAG = "tag:yaml.org,2002:"
_INT, _STR = _TAG + "int", _TAG + "str"
_NUMBERS = {_INT, _TAG + "float"}
# Plain YAML only: other tags (!!python/object, !custom, !!set ...) have no place in a pathway.
_ALLOWED_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
# Control characters other than tab and line breaks, and halves of surrogate pairs: YAML lets a
# quoted text make them with escapes, but no page, PDF or UTF-8 file can hold them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")


class Written(float):
    """A number that remembers how it was written, so that a message echoes 2026.10, not 2026.1."""

    def __new__(cls, value: float, text: str):
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


class LocatedMap(dict):
    """A YAML mapping that knows where it, each key and each value start."""

    def __init__(self, location: Location):
        super().__init__()
        self.location = location
        self.key_locations: dict[str, Location] = {}
        self.value_locations: dict[str, Location] = {}
        self.character_locations: dict[str, Location] = {}  # of the first invisible character in a value

    def put(self, key: str, value: Any, key_location: Location, value_location: Location,
            character_location: Location | None = None) -> None:
        self[key] = value
        self.key_locations[key] = key_location
        self.value_locations[key] = value_location
        if character_location is not None:
            self.character_locations[key] = character_location

    def copy_with(self, **changes: tuple[Any, Location, Location]) -> LocatedMap:
        """A copy with some entries replaced: key=(value, key_location, value_location)."""
        result = self.without()
        for key, (value, key_location, value_location) in changes.items():
            result.put(key, value, key_location, value_location)
        return result

    def without(self, *keys: str) -> LocatedMap:
        result = LocatedMap(self.location)
        for key, value in self.items():
            if key not in keys:
                result.put(key, value, self.key_locations[key], self.value_locations[key],
                           self.character_locations.get(key))
        return result


class LocatedList(list):
    """A YAML sequence that knows where it and each entry start."""

    def __init__(self, location: Location, entries: list[tuple[Any, Location]] = ()):
        super().__init__(value for value, _ in entries)
        self.location = location
        self.item_locations = [where for _, where in entries]
        self.character_locations: dict[int, Location] = {}  # of the first invisible character in an entry


def locate(root: Any, path: tuple, *, key: bool = False, character: bool = False) -> Location | None:
    """The location of the node at `path`, or of the nearest ancestor that exists.

    With key=True, a mapping entry is located at its key rather than its value; with character=True, a text
    at its first invisible character, where the file holds it as it is.
    """
    node, where = root, getattr(root, "location", None)
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(node, LocatedMap) and part in node:
            where = node.key_locations[part] if (key and last) else node.value_locations[part]
            where = node.character_locations.get(part, where) if (character and last) else where
            node = node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and 0 <= part < len(node):
            where = node.character_locations.get(part, node.item_locations[part]) if (character and last) \
                else node.item_locations[part]
            node = node[part]
        else:
            break
    return where


def read(path: Path) -> tuple[bytes, Any]:
    """A pathway file's bytes, and what they hold; a file that cannot be read is the user's problem to fix."""
    try:
        data, size = catalogue.read_at_most(path, MAX_BYTES)
    except OSError as error:
        raise UserError(f"cannot read '{catalogue.display(path)}': {error.strerror}") from None
    return data, parse(data, catalogue.display(path), size=size)


def parse(data: bytes, file: str, size: int | None = None) -> Any:
    """Bytes of a YAML file (of `size` bytes in all, if only its start was read) -> LocatedMap/LocatedList/scalars,
    or a UserError."""
    size = len(data) if size is None else size
    if size > MAX_BYTES:
        raise UserError(Problem(Location(file, 1, 1), "",
                                f"the file is {size:,} bytes; a pathway file may be at most "
                                f"{MAX_BYTES:,} bytes"))
    text = _decode(data, file)
    if (found := NOT_YAML.search(text)) is not None:
        raise UserError(Problem(Location.after(file, text[: found.start()]), "",
                                f"the character U+{ord(found.group()):04X} cannot appear in a YAML file: remove it"))
    try:
        loader, node = compose(text, file)
    except yaml.MarkedYAMLError as error:
        raise UserError(syntax_problem(error, file, text)) from None
    if node is None or node.tag == _TAG + "null":
        raise UserError(Problem(Location(file, 1, 1), "", "the file is empty: a pathway needs at least "
                                                          "'id', 'title' and 'levels'"))
    builder = _Builder(loader, file, text)
    if not isinstance(node, yaml.MappingNode):
        raise UserError(Problem(builder.where(node), "", "a pathway file must be a mapping of keys "
                                                         "such as 'id', 'title' and 'levels'"))
    try:
        result = builder.build(node)
    except UserError as error:  # a bound was hit: say it, with what was found before it
        raise UserError(builder.problems + error.problems) from None
    if builder.problems:
        raise UserError(builder.problems)
    return result


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(Problem(Location.after(file, data[: error.start]), "",
                                f"byte 0x{data[error.start]:02x} is not UTF-8 text: "
                                "save the file as UTF-8")) from None


class _Builder:
    """Turns a composed node tree into Located* containers, with a bound on the depth aliases make."""

    def __init__(self, loader: yaml.SafeLoader, file: str, text: str):
        self.loader, self.file, self.text = loader, file, text
        self.open: set[int] = set()
        self.problems: list[Problem] = []  # duplicate keys: all reported, then the load stops

    def where(self, node: yaml.Node) -> Location:
        return Location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def invisible_at(self, node: yaml.Node, value: Any) -> Location | None:
        """Where the first invisible character of a text is in the file, if it is written there as it is."""
        found = INVISIBLE.search(value) if isinstance(value, str) else None
        if found is None:
            return None
        place = self.text.find(found.group(), node.start_mark.index, node.end_mark.index)
        if place < 0:  # written as an escape, "\u200b": the text's start is the place
            return None
        return Location(self.file, node.start_mark.line + 1 + self.text.count("\n", node.start_mark.index, place),
                        place - self.text.rfind("\n", 0, place))

    def build(self, node: yaml.Node, path: tuple = ()) -> Any:
        if len(path) > MAX_DEPTH:  # the composer bounds the depth written; an alias can add its anchor's
            raise UserError(Problem(self.where(node), format_path(path),
                                    f"nested more than {MAX_DEPTH} levels deep"))
        if node.tag not in _ALLOWED_TAGS:
            self.problems.append(Problem(self.where(node), format_path(path),
                                         f"the tag '{node.tag.replace(_TAG, '!!')}' is not allowed in a "
                                         "pathway file: remove it"))
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.open:
            raise UserError(Problem(self.where(node), format_path(path),
                                    "an alias (*name) refers to the list or mapping that contains it, "
                                    "which would never end: remove the alias"))
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                result = LocatedList(self.where(node), [
                    (self.build(child, path + (index,)), self.where(child))
                    for index, child in enumerate(node.value)])
                for index, (entry, child) in enumerate(zip(result, node.value)):
                    if (where := self.invisible_at(child, entry)) is not None:
                        result.character_locations[index] = where
                return result
            return self.mapping(node, path)
        finally:
            self.open.discard(id(node))

    def scalar(self, node: yaml.ScalarNode, path: tuple) -> Any:
        if node.tag in _NUMBERS and len(node.value) > 40:  # Python would not even print 4,300 digits
            self.problems.append(Problem(self.where(node), format_path(path), (
                f"this number is {len(node.value):,} characters long, more than any in a pathway: check "
                "it, or put it in quotes if it is text")))
            return None
        if node.tag == _INT and _LEADING_ZERO.fullmatch(node.value):
            return int(node.value, 10)  # YAML 1.1 reads 010 as octal 8; nobody writing minutes means that
        if node.tag in _NUMBERS and ":" in node.value:
            return node.value  # YAML 1.1 reads 09:30 in base 60, as 570; YAML 1.2 and every writer mean the text
        if (found := _UNPRINTABLE.search(node.value)) is not None:  # written as an escape: "\x1b", "\ud800"
            self.problems.append(Problem(self.where(node), format_path(path), (
                f"the text holds the character U+{ord(found.group()):04X}, which cannot be printed or "
                "saved: remove the escape that makes it")))
            return None
        if node.tag == _STR:  # most of a file: its text is its value, without the constructor's bookkeeping
            return node.value
        try:
            value = self.loader.construct_object(node)
        except (ValueError, TypeError, AttributeError):  # 2027-02-30 looks like a date but is none
            return node.value  # the text, for the message that follows
        return Written(value, node.value) if isinstance(value, float) else value

    def mapping(self, node: yaml.MappingNode, path: tuple) -> LocatedMap:
        result = LocatedMap(self.where(node))
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.problems.append(Problem(self.where(key_node), format_path(path),
                                             "merge keys (<<) are not supported: to build on another "
                                             "pathway, use 'extends'"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise UserError(Problem(self.where(key_node), format_path(path),
                                        "a key must be a plain word, not a list or mapping"))
            key = key_node.value
            if key in result:
                first = result.key_locations[key]
                self.problems.append(Problem(
                    self.where(key_node), format_path(path + (key,)),
                    f"duplicate key '{key}' (first given at line {first.line}): keep one of them, "
                    "or start a new list entry with '- '"))
                continue
            value = self.build(value_node, path + (key,))
            result.put(key, value, self.where(key_node), self.where(value_node), self.invisible_at(value_node, value))
        return result
