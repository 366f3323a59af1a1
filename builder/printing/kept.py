"""The parts of a PDF laid out in parts (parts.py), as one file kept beside the outputs for the next build.

The file is a first line naming its format, a line of JSON with each part's key, page count,
anchors, bookmark levels, page-filling edits and size, then the parts' PDFs one after another.
It is read only when the build's manifest says it is as written (output/cache.py); anything
else in it is read as no parts kept, and the PDF is laid out anew.

Bytes in, bytes out: reuse.py reads the file, and write.py writes it with the outputs.
"""

from __future__ import annotations

import json

from .fit import Edits
from .parts import Part

FOLDER = ".pathway-parts"  # in the pathway's output folder: hidden, as the manifest is
_FIRST = b"pathway-builder parts 1\n"


def name_for(pdf: str) -> str:
    """Where the parts of the PDF `pdf` are kept, inside the pathway's output folder."""
    return f"{FOLDER}/{pdf}.parts"


def pack(parts: tuple[Part, ...]) -> bytes:
    header = [{"key": part.key, "pages": part.pages, "anchors": [list(anchor) for anchor in part.anchors],
               "levels": part.levels, "edits": _edits_json(part.edits), "size": len(part.data)} for part in parts]
    return _FIRST + json.dumps(header, ensure_ascii=False).encode() + b"\n" + b"".join(part.data for part in parts)


def unpack(data: bytes) -> tuple[Part, ...]:
    """The parts in a kept file, or none if it is not one."""
    if not data.startswith(_FIRST):
        return ()
    end = data.find(b"\n", len(_FIRST))
    try:
        header = json.loads(data[len(_FIRST):end])
        at, parts = end + 1, []
        for entry in header:
            size = entry["size"]
            if not isinstance(size, int) or size < 0 or at + size > len(data):
                return ()
            anchors = [(str(name), int(page)) for name, page in entry["anchors"]]
            parts.append(Part(str(entry["key"]), int(entry["pages"]), anchors,
                              [int(level) for level in entry["levels"]], _edits(entry["edits"]),
                              data[at:at + size]))
            at += size
    except (ValueError, TypeError, KeyError, AttributeError):
        return ()
    return tuple(parts) if at == len(data) else ()


def _edits_json(edits: Edits) -> dict:
    return {"rules": edits.rules, "heights": edits.heights, "shown": sorted(edits.shown),
            "joined": sorted(edits.joined), "loosened": sorted(edits.loosened)}


def _edits(entry: dict) -> Edits:
    return Edits({str(name): int(count) for name, count in entry["rules"].items()},
                 {str(name): float(height) for name, height in entry["heights"].items()},
                 {str(name) for name in entry["shown"]}, {str(name) for name in entry["joined"]},
                 {str(name) for name in entry["loosened"]})
