"""The PDF engine's own process: WeasyPrint runs here, apart from the builder.

The builder starts this process before it loads anything, so that WeasyPrint's slow import
overlaps the builder's own work on another core. Jobs arrive on standard input and results go
back on standard output, each as one length-prefixed pickle; both ends are this package.
"""

from __future__ import annotations

import pickle
import struct
import sys
import traceback
from typing import BinaryIO

# Tagged, with the structure, language and alternative text a screen reader needs.
VARIANT = "pdf/ua-1"

_LENGTH = struct.Struct("!Q")


def send(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> object | None:
    """The next message, or None when the other end has closed the pipe."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    return pickle.loads(stream.read(_LENGTH.unpack(header)[0]))


def lay_out(html: str, base: str, forms: bool) -> tuple[bytes, int]:
    """The PDF for one print document, and its page count."""
    import weasyprint

    # Forms are decided when styles are computed, so that option belongs to render() as well.
    document = weasyprint.HTML(string=html, base_url=base).render(pdf_forms=forms, pdf_variant=VARIANT)
    return document.write_pdf(pdf_variant=VARIANT, pdf_forms=forms), len(document.pages)


def serve(jobs: BinaryIO, results: BinaryIO) -> None:
    """Answer each job with ("pdf", data, pages) or ("error", traceback), until the input ends."""
    try:
        import weasyprint  # noqa: F401  (now, while the builder loads and renders)
    except (ImportError, OSError) as error:  # most often the Pango library is missing
        if receive(jobs) is not None:
            send(results, ("unavailable", str(error)))
        return
    while (job := receive(jobs)) is not None:
        try:
            send(results, ("pdf", *lay_out(*job)))
        except Exception:  # the builder reports it as a bug, with this traceback
            send(results, ("error", traceback.format_exc()))


def main() -> None:
    jobs, results = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but results may reach the pipe
    serve(jobs, results)
