"""What the PDF engine may read: data: URLs and files inside the allowed folders; nothing else.

WeasyPrint asks its URL fetcher for every image, stylesheet, font and attachment, including those
named inside an SVG image. A template or a pathway shared between trusts must not be able to put a
file from the facilitator's machine into a PDF, or make the engine reach out to the network.
Runs inside the engine's process (see pdf_worker.py), which alone imports WeasyPrint.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher


class Sandbox(URLFetcher):
    """Serves data: URLs, and files found in `folders`; records every URL it refuses or cannot find.

    Relative addresses in the templates resolve against `base` (the built-in templates folder); a
    file named that way is looked for in each of `folders` in turn, as templates are, so that a
    user's template folder can hold its own images and style sheets, or replace built-in ones.
    """

    def __init__(self, base: Path, folders: list[Path]):
        # No network protocol, and no redirects, even if a later change forgot the check below.
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.base = Path(os.path.abspath(base))
        self.folders = [folder.resolve() for folder in folders]
        self.refused: list[str] = []  # URLs outside the sandbox
        self.missing: list[str] = []  # files it would serve but cannot find: relative to `base`, or absolute

    def fetch(self, url: str, headers=None):
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            return self._refuse(url)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):  # file://server/share is the network too
            return self._refuse(url)
        wanted = Path(os.path.normpath(url2pathname(parts.path)))
        if wanted.is_relative_to(self.base):
            wanted = wanted.relative_to(self.base)
            candidates = [folder / wanted for folder in self.folders]
        else:
            candidates = [wanted]
        for candidate in candidates:
            real = candidate.resolve()  # a symbolic link must not lead out of the folders
            if not any(real.is_relative_to(folder) for folder in self.folders):
                return self._refuse(url)
            if real.is_file():
                return super().fetch(real.as_uri(), headers)
        _note(self.missing, str(wanted))
        raise FileNotFoundError(f"no such file in the allowed folders: {wanted}")

    def _refuse(self, url: str):
        _note(self.refused, url)
        raise PermissionError(f"the PDF engine may not fetch {url}")  # WeasyPrint logs it and goes on


def _note(urls: list[str], url: str) -> None:
    if url not in urls:
        urls.append(url)
