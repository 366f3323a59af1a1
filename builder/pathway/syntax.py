"""What a YAML syntax error means for someone writing a pathway, said at the place to fix."""

from __future__ import annotations

import yaml

from ..errors import Location, Problem


def syntax_problem(error: yaml.MarkedYAMLError, file: str, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "unreadable YAML"
    if error.context == "while scanning a quoted scalar" and error.context_mark:
        mark, message = error.context_mark, "this quoted text is never closed: add the closing quote"
    elif error.context == "expected a single document in the stream":
        message = ("a second YAML document starts here: a pathway file holds one; remove the '---' "
                   "line, or put what follows in a file of its own")
    elif "'\\t'" in problem or "tab character" in problem or _at(text, mark) == "\t":
        before = text.splitlines()[mark.line][:mark.column] if mark.line < len(text.splitlines()) else ""
        if before.strip(" -"):  # words come before it on the line: the tab is inside a value
            message = ("a tab character cannot appear in text without quotes: put the text in "
                       "double quotes, or use spaces instead")
        else:
            message = "a tab character is not allowed here: indent YAML with spaces, not tabs"
    elif "mapping values are not allowed" in problem:  # "here" in PyYAML's words, "in this context" in libyaml's
        message = ("a ':' here is not allowed: put text that contains ': ' in quotes, "
                   "or check the indentation of this line")
    elif "but got '?'" in problem:
        message = "a '?' here is not allowed: inside [ ] or { }, put text with a '?' in quotes"
    elif error.context in ("while parsing a flow sequence", "while parsing a flow mapping") and error.context_mark:
        opening, closing = ("[", "]") if "sequence" in error.context else ("{", "}")
        mark, message = error.context_mark, (f"this '{opening}' is never closed: add the closing "
                                             f"'{closing}', or a ',' between its entries")
    elif "expected <block end>" in problem or problem in ("did not find expected key",
                                                           "did not find expected '-' indicator"):
        message = ("this line's indentation does not match the lines above it: keys of one mapping "
                   "line up, and each list entry starts with '- '")
    elif "could not find expected ':'" in problem:
        message = "expected 'key: value' here: check the indentation, or close an open quote"
    else:
        message = f"this is not valid YAML ({problem}): check the indentation and the quotes"
    return Problem(Location(file, mark.line + 1, mark.column + 1), "",
                   message + _runaway_quote(text, mark))


def _at(text: str, mark: yaml.Mark) -> str:
    """The character at the error, as the line and column give it (libyaml's problem does not name it)."""
    lines = text.split("\n", mark.line + 1)
    return lines[mark.line][mark.column: mark.column + 1] if mark.line < len(lines) else ""


def _runaway_quote(text: str, mark: yaml.Mark) -> str:
    """A quoted text that runs over lines before an error is most often a closing quote forgotten."""
    line = mark.line
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader):  # libyaml: fast on a file of megabytes
            if token.start_mark.index > mark.index:  # what follows the error cannot end before it
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.start_mark.line < token.end_mark.line <= line:
                return (f" (the quoted text from line {token.start_mark.line + 1} runs on to line "
                        f"{token.end_mark.line + 1}: is its closing quote missing?)")
    except yaml.YAMLError:
        pass
    return ""
