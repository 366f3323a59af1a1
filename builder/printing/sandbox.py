"""What the PDF engine may read: data: URLs and files inside the allowed folders; nothing else.

WeasyPrint asks its URL fetcher for every image, stylesheet, font and attachment, including those
named inside an SVG image. A template or a pathway shared between trusts must not be able to put a
file from the facilitator's machine into a PDF, or make the engine reach out to the network.
Runs inside the engine's process (see worker.py), which alone imports WeasyPrint.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher

from .confine import Refused, first_inside
from .protocol import NETWORK, UNREADABLE


class Sandbox(URLFetcher):
    """Serves data: URLs, and files found in `folders`; notes everything it leaves out, and why.

    Relative addresses in the templates resolve against `base` (the built-in templates folder); a
    file named that way is looked for in each of `folders` in turn, as templates are, so that a
    user's template folder can hold its own images and style sheets, or replace built-in ones.
    """

    def __init__(self, base: Path, folders: list[Path]):
        # No network protocol, and no redirects, even if a later change forgot the checks below.
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.base = Path(os.path.abspath(base))  # as WeasyPrint joins relative addresses to it: unresolved
        self.folders = [folder.resolve() for folder in folders]
        self.left_out: list[tuple[str, str]] = []  # (why, the address or the name asked for)
        self.served: list[str] = []  # each file read, once: what a cached PDF depends on

    def fetch(self, url: str, headers=None):
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if scheme != "file" or parts.netloc not in ("", "localhost"):  # file://server/share is the network too
            self._leave_out(NETWORK, url)
        wanted = Path(os.path.normpath(url2pathname(parts.path)))
        if wanted.is_relative_to(self.base):  # a relative name: each folder in turn, the user's first
            wanted = wanted.relative_to(self.base)
            candidates = [folder / wanted for folder in self.folders]
        else:
            candidates = [wanted]
        try:
            found = self._first(wanted, candidates)
        except (OSError, ValueError, RuntimeError):  # a NUL, a name too long, a loop of links
            self._leave_out(UNREADABLE, str(wanted))
        if str(found) not in self.served:
            self.served.append(str(found))
        return super().fetch(found.as_uri(), headers)

    def _first(self, wanted: Path, candidates: list[Path]) -> Path:
        """The first candidate that is a file inside the folders; else LeftOut, saying why."""
        try:
            return first_inside(wanted, candidates, self.folders)
        except Refused as refusal:
            self._leave_out(refusal.why, str(wanted))

    def _leave_out(self, why: str, what: str) -> NoReturn:
        if (why, what) not in self.left_out:
            self.left_out.append((why, what))
        raise LeftOut(f"the PDF engine left out {what} ({why})")  # WeasyPrint notes it and goes on


class LeftOut(Exception):
    """Not an OSError: a refusal must not read as a file that could not be read."""
