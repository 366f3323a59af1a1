"""Characters that no installed font can draw: each would print as an empty box, so each is named.

`undrawable` is pure: the located raw pathway data and a predicate in, a warning for each
character the predicate says no font covers out, at the value that holds it. `font_coverage` is
the predicate for this machine: the characters the fonts fontconfig knows can draw, which are the
fonts the PDF engine (Pango, through fontconfig) falls back on, read once a process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import unicodedata
from typing import Any, Callable, Iterator

from .errors import Problem, format_path
from .pathway.load import LocatedList, LocatedMap, locate

# Characters that are never drawn as glyphs of their own: spaces and line breaks, controls, and
# format characters (joiners, direction marks, soft hyphens, the tags of a flag emoji), and the
# variation selectors that only choose how the character before them looks.
_NOT_DRAWN = {"Zs", "Zl", "Zp", "Cc", "Cf"}
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


def undrawable(raw: Any, covered: Callable[[str], bool]) -> list[Problem]:
    """A warning for each character of each text in `raw` (a LocatedMap, as load.py reads it) that
    `covered` says no font can draw: once for each text it is in, in the order the file gives them."""
    texts = list(_texts(raw, ()))
    # Each distinct character is asked about once: a 5 MB pathway holds millions, of a few hundred kinds.
    distinct = set().union(*(set(text) for _, text in texts))
    undrawn = {character for character in distinct if _drawn(character) and not covered(character)}
    problems = []
    for path, text in texts if undrawn else ():
        missing = [character for character in dict.fromkeys(text) if character in undrawn]
        problems += [Problem(locate(raw, path), format_path(path),
                             f"no installed font can draw '{character}' (U+{ord(character):04X}): it would "
                             "print as an empty box")
                     for character in missing]
    return problems


def _texts(node: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, LocatedMap):
        for key, value in node.items():
            yield from _texts(value, path + (key,))
    elif isinstance(node, LocatedList):
        for index, value in enumerate(node):
            yield from _texts(value, path + (index,))


def _drawn(character: str) -> bool:
    return unicodedata.category(character) not in _NOT_DRAWN and not any(
        ord(character) in selectors for selectors in _SELECTORS)


@functools.lru_cache(maxsize=1)
def font_coverage() -> Callable[[str], bool]:
    """Whether any font fontconfig knows has a glyph for a character. Where fontconfig cannot be
    loaded it cannot be asked, and every character counts as drawn: no warning is better than a
    false one."""
    try:
        fontconfig = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    except OSError:
        return lambda character: True
    fontconfig.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fontconfig.FcPatternCreate.restype = ctypes.c_void_p
    fontconfig.FcObjectSetBuild.restype = ctypes.c_void_p
    fontconfig.FcObjectSetBuild.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    fontconfig.FcFontList.restype = ctypes.POINTER(_FontSet)
    fontconfig.FcFontList.argtypes = [ctypes.c_void_p] * 3
    fontconfig.FcPatternGetCharSet.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                               ctypes.POINTER(ctypes.c_void_p)]
    fontconfig.FcCharSetCreate.restype = ctypes.c_void_p
    fontconfig.FcCharSetMerge.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    fontconfig.FcCharSetHasChar.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    config = fontconfig.FcInitLoadConfigAndFonts()
    fonts = fontconfig.FcFontList(config, fontconfig.FcPatternCreate(),
                                  fontconfig.FcObjectSetBuild(b"charset", None))
    every = fontconfig.FcCharSetCreate()
    for index in range(fonts.contents.nfont if fonts else 0):
        charset = ctypes.c_void_p()
        if fontconfig.FcPatternGetCharSet(fonts.contents.fonts[index], b"charset", 0, ctypes.byref(charset)) == 0:
            fontconfig.FcCharSetMerge(every, charset, None)
    # The union stays for the process: the predicate below keeps it, and fontconfig with it.
    return lambda character: bool(fontconfig.FcCharSetHasChar(every, ord(character)))


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]
