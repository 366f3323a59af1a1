"""A safe file name for each learner's copy: the same on Windows, macOS and Linux, and unique in the cohort."""

from __future__ import annotations

import re
import unicodedata

STEM_LENGTH = 60  # 60 characters of 4 bytes, "-10000" and ".pdf" still fit Linux's 255 bytes
_APOSTROPHES = set("'\u2019\u2018\u02bc\u02bb`\u00b4\u2032")  # O'Brien, O’Brien, Oʼ Brien...
_JOINERS = set("\u200c\u200d")  # invisible: no place in a file name
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}


def file_stem(name: str, line: int) -> str:
    """A file name for the learner, without '.pdf': the same on Windows, macOS and Linux.

    Lower-case letters and digits of any script, and single '-' between words: 'Zoë O'Brien' ->
    'zoe-obrien'. A letter that is ASCII once its accents are gone loses them; others stay as they
    are, with their marks (Hebrew points, Indic vowel signs), which belong to the word before them.
    """
    if name.isascii():  # most names: the same result, ten times faster
        words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"['`]", "", name.lower())).split()
        stem = "-".join(words)[:STEM_LENGTH].rstrip("-")
        return _not_reserved(stem) if stem else f"learner-{line}"
    folded = []
    for character in unicodedata.normalize("NFC", name):
        plain = "".join(part for part in unicodedata.normalize("NFKD", character)
                        if not unicodedata.category(part).startswith("M"))
        if character in _APOSTROPHES or plain in _APOSTROPHES or character in _JOINERS:
            continue  # O'Brien -> obrien, not o-brien
        folded.append(plain if plain and plain.isascii() else character)
    text = unicodedata.normalize("NFC", "".join(folded).casefold())
    words: list[str] = []
    gap = False
    for character in text:
        category = unicodedata.category(character)
        if category[0] in "LN" or (category[0] == "M" and words and not gap):
            if gap and words:
                words.append("-")
            words.append(character)
            gap = False
        else:
            gap = True
    stem = "".join(words)[:STEM_LENGTH].rstrip("-")
    return _not_reserved(stem) if stem else f"learner-{line}"


def _not_reserved(stem: str) -> str:
    return f"{stem}-learner" if stem in _RESERVED else stem  # Windows can make no con.pdf, com1.pdf...


class Stems:
    """Hands out stems unique in the cohort, ignoring case: 'ann-lee', 'ann-lee-2', 'ann-lee-3'."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next: dict[str, int] = {}  # so that 10,000 namesakes take linear time, not quadratic

    def unique(self, stem: str) -> str:
        key = stem.casefold()
        if key in self.taken:
            number = self.next.get(key, 2)
            while f"{key}-{number}" in self.taken:
                number += 1
            self.next[key] = number + 1
            stem, key = f"{stem}-{number}", f"{key}-{number}"
        self.taken.add(key)
        return stem
