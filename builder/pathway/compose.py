"""A YAML file's node graph, composed from libyaml's events in a loop, within bounds on its size."""

from __future__ import annotations

import bisect
import re

import yaml

from ..errors import Location, Problem, UserError, format_path

MAX_BYTES = 5_000_000  # a 500-item pathway with notes like the default's is 1.4 MB
# Values (keys, texts, numbers, lists, mappings), once aliases are copied out: a 5 MB pathway like the default
# holds 57,000, and 100,000 are read in well under a second, where a billion through aliases would never end.
MAX_NODES = 100_000
MAX_DEPTH = 50
MAX_KEYS = 2_000  # in one mapping: an extension may change each of the 1,700 items a 5 MB pathway holds
MAX_CHARACTERS = 2 * MAX_BYTES  # text, once aliases are copied out: a little more than a file can hold
# What YAML lets a file hold as it is (PyYAML's Reader.NON_PRINTABLE): checked here, before libyaml, whose
# message gives no character.
NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A comment starts at a '#' at the start of a line or after a space or tab.
_COMMENT = re.compile("(?:^|[ \t])#")


def compose(text: str, file: str) -> tuple[yaml.SafeLoader, yaml.Node | None]:
    """The file's node graph, read by libyaml, ten times faster than PyYAML, where it reads the file as PyYAML
    does; a UserError at the first bound crossed, or a MarkedYAMLError (syntax.py words it)."""
    loader = yaml.CSafeLoader(text)
    try:
        return loader, _Composer(file, text).compose(loader)
    except yaml.MarkedYAMLError as error:
        if error.problem not in _PYYAML_READS_ON:
            raise
    finally:
        loader.dispose()
    loader = yaml.SafeLoader(text)  # up to its own error, or the composer's bound
    try:
        return loader, _Composer(file).compose(loader)
    finally:
        loader.dispose()


# What libyaml refuses and PyYAML reads: a "\ud800" escape, which the loader gives a message of its own, and
# lists nested a thousand deep, which libyaml refuses while it looks ahead, before the composer counts 51.
_PYYAML_READS_ON = {"found invalid Unicode character escape code", "exceeded maximum nesting depth"}


class _Open:
    """A list or mapping whose end is still to come, and what it holds so far once aliases are copied out."""

    __slots__ = ("node", "anchor", "part", "key", "values", "characters")

    def __init__(self, node: yaml.CollectionNode, anchor: str | None, part: str | int | None):
        self.node, self.anchor, self.part, self.key = node, anchor, part, None  # part: its place in its parent
        self.values, self.characters = 1, 0


def _part(parent: _Open) -> str | int | None:
    """The place in `parent` of the node that starts next: an index, or the key it is the value of."""
    if isinstance(parent.node, yaml.SequenceNode):
        return len(parent.node.value)
    return parent.key.value if isinstance(parent.key, yaml.ScalarNode) else None


def _path(stack: list[_Open], *last: str | int | None) -> str:
    """The path of the innermost open list or mapping, and of `last` in it."""
    return format_path(part for part in [*(entry.part for entry in stack[1:]), *last] if part is not None)


class _Composer:
    """Composes a parser's events into nodes, as PyYAML's composer does, but in a loop: it recurses once a level,
    and libyaml's crashes on a deep '[[[['. It counts as it reads, and stops at the first bound crossed.

    A few lines of aliases can stand for billions of values ("billion laughs"), or one long text for a
    hundred thousand: each alias adds what its anchor stands for, counted once, so that such a file is
    refused in the time it takes to read it, where copying it out would run out of time or memory.
    """

    def __init__(self, file: str, text: str | None = None):
        """With `text`, the file that libyaml reads, which is checked where PyYAML reads it otherwise."""
        self.file, self.text = file, text
        self.anchors: dict[str, tuple[yaml.Node, int, int]] = {}  # node, values, characters
        self.values = self.characters = self.copied = 0  # copied: values that aliases added
        self.spans: list[tuple[int, int]] = []  # where quoted and block texts are, which may hold tabs

    def compose(self, loader: yaml.SafeLoader) -> yaml.Node | None:
        loader.get_event()  # the stream's start
        root = None
        if not loader.check_event(yaml.StreamEndEvent):
            loader.get_event()  # the document's start
            root = self.node(loader)
            loader.get_event()  # the document's end
        if not loader.check_event(yaml.StreamEndEvent):
            raise yaml.composer.ComposerError("expected a single document in the stream", root.start_mark,
                                              "but found another document", loader.get_event().start_mark)
        if self.text is not None and "\t" in self.text:
            self.check_tabs(self.text)
        return root

    def node(self, loader: yaml.SafeLoader) -> yaml.Node:
        stack: list[_Open] = []
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                done = stack.pop()
                done.node.end_mark = event.end_mark
                node, values, characters = done.node, done.values, done.characters
                if done.anchor is not None:
                    self.anchors[done.anchor] = (node, values, characters)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                      event.start_mark)
                node, values, characters = self.anchors[event.anchor]
                self.copied += values - 1
                self.count(values, characters, event, stack)
            else:
                self.check_place(event, stack)
                anchor = event.anchor
                if anchor is not None and anchor in self.anchors:
                    raise yaml.composer.ComposerError(
                        f"found duplicate anchor {anchor!r}; first occurrence", self.anchors[anchor][0].start_mark,
                        "second occurrence", event.start_mark)
                tag = event.tag
                if isinstance(event, yaml.ScalarEvent):
                    if tag is None or tag == "!":
                        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                           style=event.style or None)  # libyaml's plain style is ''
                    values, characters = 1, len(event.value)
                    if event.style:
                        self.spans.append((event.start_mark.index, event.end_mark.index))
                    elif stack and stack[-1].node.flow_style and "?" in event.value and self.text is not None:
                        self.question_mark(event, stack[-1])
                    if anchor is not None:
                        self.anchors[anchor] = (node, values, characters)
                    self.count(values, characters, event, stack)
                else:
                    kind = yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingNode
                    if tag is None or tag == "!":
                        tag = loader.resolve(kind, None, event.implicit)
                    node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
                    if anchor is not None:  # an alias inside it counts once; the builder refuses it, at its place
                        self.anchors[anchor] = (node, 1, 0)
                    self.count(1, 0, event, stack)
                    opened = _Open(node, anchor, _part(stack[-1]) if stack else None)
                    self.attach(node, stack)
                    stack.append(opened)
                    continue
            if not stack:
                return node
            if not isinstance(event, yaml.CollectionEndEvent):  # a list or mapping is attached as it starts
                self.attach(node, stack)
            stack[-1].values += values
            stack[-1].characters += characters

    @staticmethod
    def attach(node: yaml.Node, stack: list[_Open]) -> None:
        if not stack:
            return  # the document's own
        parent = stack[-1]
        if isinstance(parent.node, yaml.SequenceNode):
            parent.node.value.append(node)
        elif parent.key is None:
            parent.key = node
        else:
            parent.node.value.append((parent.key, node))
            parent.key = None

    def count(self, values: int, characters: int, event: yaml.Event, stack: list[_Open]) -> None:
        self.values += values
        self.characters += characters
        if self.values > MAX_NODES:
            raise UserError(Problem(self.where(event), "", (
                f"the file expands to more than {MAX_NODES:,} values, through aliases (*name): a pathway is far "
                "smaller") if self.copied else (
                f"the file holds more than {MAX_NODES:,} values (texts, numbers, keys, lists and mappings): "
                "a pathway has far fewer")))
        if self.characters > MAX_CHARACTERS:  # more than the file holds: only aliases can do it
            raise UserError(Problem(self.where(event), "",
                                    f"the file expands to more than {MAX_CHARACTERS:,} characters of text, "
                                    "through aliases (*name): a pathway is far smaller"))

    def check_place(self, event: yaml.Event, stack: list[_Open]) -> None:
        """At most MAX_DEPTH levels, counted as the builder counts them (a key is at its mapping's level), and at
        most MAX_KEYS keys in a mapping."""
        is_key = bool(stack) and stack[-1].key is None and isinstance(stack[-1].node, yaml.MappingNode)
        if is_key and len(stack[-1].node.value) >= MAX_KEYS:
            raise UserError(Problem(self.where(event), _path(stack),
                                    f"a mapping holds more than {MAX_KEYS:,} keys here: a pathway's hold a few, "
                                    "or one for each of its items"))
        if len(stack) > MAX_DEPTH and not is_key:
            raise UserError(Problem(self.where(event), _path(stack, _part(stack[-1])),
                                    f"nested more than {MAX_DEPTH} levels deep"))

    def question_mark(self, event: yaml.ScalarEvent, parent: _Open) -> None:
        """Inside [ ] or { }, PyYAML ends a text without quotes at a '?' (libyaml keeps it): PyYAML's error."""
        place = self.text.index("?", event.start_mark.index)
        closing = "]" if isinstance(parent.node, yaml.SequenceNode) else "}"
        raise yaml.parser.ParserError(f"while parsing a flow {'sequence' if closing == ']' else 'mapping'}",
                                      parent.node.start_mark, f"expected ',' or '{closing}', but got '?'",
                                      self.mark(place))

    def mark(self, place: int) -> yaml.Mark:
        line_start = self.text.rfind("\n", 0, place) + 1
        return yaml.Mark(self.file, place, self.text.count("\n", 0, place), place - line_start, None, None)

    def check_tabs(self, text: str) -> None:
        """PyYAML refuses a tab wherever a token could start, libyaml only where it breaks the indentation: a tab
        outside quoted and block texts and comments gets PyYAML's error, at the first such tab."""
        spans = sorted(self.spans)
        for found in re.finditer("\t", text):
            place = found.start()
            inside = bisect.bisect_right(spans, (place, len(text))) - 1
            if inside >= 0 and spans[inside][0] <= place < spans[inside][1]:
                continue
            line_start = text.rfind("\n", 0, place) + 1
            before = text[max(line_start, spans[inside][1] if inside >= 0 else 0):place]
            if _COMMENT.search(before):
                continue
            raise yaml.scanner.ScannerError("while scanning for the next token", None,
                                            "found character '\\t' that cannot start any token", self.mark(place))

    def where(self, event: yaml.Event) -> Location:
        return Location(self.file, event.start_mark.line + 1, event.start_mark.column + 1)
