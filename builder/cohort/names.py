"""A safe file name for each learner's copy: the same on Windows, macOS and Linux, and unique in the cohort."""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

STEM_LENGTH = 60  # 60 characters of 4 bytes, "-10000" and ".pdf" still fit Linux's 255 bytes
_APOSTROPHES = set("'\u2019\u2018\u02bc\u02bb`\u00b4\u2032")  # O'Brien, O’Brien, Oʼ Brien...
_JOINERS = set("\u200c\u200d")  # invisible: no place in a file name
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}


def file_stem(name: str, fallback: str = "learner") -> str:
    """A file or folder name for a learner (or a cohort file), without '.pdf': the same on Windows, macOS and Linux.

    Lower-case letters and digits of any script, and single '-' between words: 'Zoë O'Brien' ->
    'zoe-obrien'. A letter that is ASCII once its accents are gone loses them; others stay as they
    are, with their marks (Hebrew points, Indic vowel signs), which belong to the word before them.
    A name with no letter or digit at all ('???') is `fallback`.
    """
    if name.isascii():  # most names: the same result, ten times faster
        words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"['`]", "", name.lower())).split()
        stem = "-".join(words)[:STEM_LENGTH].rstrip("-")
        return _not_reserved(stem, fallback) if stem else fallback
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
    return _not_reserved(stem, fallback) if stem else fallback


def _not_reserved(stem: str, word: str) -> str:
    return f"{stem}-{word}" if stem in _RESERVED else stem  # Windows can make no con.pdf, com1.pdf...


def unique_stems(wanted: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
    """For each (stem, identity), a stem unique in the cohort, whatever order the rows come in.

    Of namesakes (stems alike but for case), the first in the order of their identities (the email,
    then the name: see rows.identity) keeps the stem; the others are numbered on in that order,
    after every stem a name gives of itself ('Ann 2' keeps 'ann-2'). The rows' order plays no part,
    so sorting the file renames nobody.
    """
    order = sorted(range(len(wanted)), key=lambda index: (wanted[index][0].casefold(), wanted[index][1]))
    stems, unique, firsts = Stems(), [""] * len(wanted), {}
    for index in order:
        firsts.setdefault(wanted[index][0].casefold(), index)
    for index in firsts.values():
        unique[index] = stems.unique(wanted[index][0])
    for index in order:
        if not unique[index]:
            unique[index] = stems.unique(wanted[index][0])
    return unique


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
