"""A pathway's logo: a PNG, JPEG or SVG file beside the pathway file, checked and made a data: URI.

It is read by the rule the PDF engine's sandbox keeps for every file (printing/confine.py):
inside the pathway file's own folder, reached through no link out of it, in no hidden folder;
and it is of a bounded size. An SVG may hold neither a script nor a reference to anything outside itself,
so that the HTML workbook stays one offline file that fetches nothing.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from .. import catalogue
from ..errors import Location, Problem, UserError
from ..printing.confine import Refused, first_inside
from ..printing.protocol import HIDDEN, LINK, MISSING, OUTSIDE

MOST = 2 * 1024 * 1024
_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
# In an SVG: a script, an event handler, or an address that is not a fragment of itself or data:.
_SCRIPT = re.compile(rb"<\s*script|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_REFERENCE = re.compile(rb"""(?:href\s*=\s*["']\s*|url\(\s*["']?\s*|@import\s+["']?)(?!#|data:)([^"')\s>]*)""",
                        re.IGNORECASE)


_REFUSALS = {
    OUTSIDE: "the logo must be a file in the pathway file's folder, or a folder inside it: '{name}' is outside it",
    LINK: "the logo must be a file in the pathway file's folder, or a folder inside it: '{name}' is a link to "
          "somewhere outside it",
    HIDDEN: "the logo '{name}' is in a hidden folder or file: move it beside the pathway file",
    MISSING: "cannot find the logo '{name}' beside {folder}/: put the image in the pathway file's folder, or "
             "correct the name",
}


def read_logo(name: str, folder: Path, where: Location | None) -> str:
    """The logo named in a pathway file in `folder`, as a data: URI; a UserError at `where` if it will not do."""
    def refuse(message: str) -> UserError:
        return UserError(Problem(where, "logo", message))

    home = folder.resolve()
    try:
        real = first_inside(home / name, [home / name], [home])
        data, size = catalogue.read_at_most(real, MOST)
    except Refused as refusal:
        raise refuse(_REFUSALS[refusal.why].format(name=name, folder=catalogue.display(folder))) from None
    except OSError as error:
        raise refuse(f"cannot read the logo '{name}': {error.strerror}") from None
    except (ValueError, RuntimeError):  # a NUL in the name, a loop of links
        raise refuse(f"cannot read the logo '{name}'") from None
    if size > MOST:
        raise refuse(f"the logo is {size / 1024 / 1024:.1f} MB; a logo may be at most 2 MB: save a smaller image")
    kind = next((kind for magic, kind in _TYPES.items() if data.startswith(magic)), None)
    if kind is None and _is_svg(data):
        kind = "image/svg+xml"
        _check_svg(data, name, refuse)
    if kind is None:
        raise refuse(f"'{name}' is not a PNG, JPEG or SVG image: save the logo as one of those")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _is_svg(data: bytes) -> bool:
    head = data[:1000].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data


def _check_svg(data: bytes, name: str, refuse) -> None:
    if _SCRIPT.search(data):
        raise refuse(f"the logo '{name}' holds a script: save the SVG without scripts or event handlers")
    if _DOCTYPE.search(data):
        raise refuse(f"the logo '{name}' declares a DOCTYPE or entities: save the SVG without them")
    if found := _REFERENCE.search(data):
        address = found.group(1).decode("utf-8", "replace")[:60]
        raise refuse(f"the logo '{name}' refers to something outside itself ('{address}'): save the SVG "
                     "with every image and font inside it")
