"""The PDF engine's own process: WeasyPrint runs here, apart from the builder.

The builder starts this process before it loads anything, so that WeasyPrint's slow import
overlaps the builder's own work on another core. Jobs arrive on standard input and results go
back on the original standard output, as protocol.py frames them.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path
from typing import BinaryIO

from . import fit, parts
from .finish import finish
from .protocol import VARIANT, receive, send


def lay_out(html: str, base: str, folders: list[str], forms: bool, apart: bool = False,
            part_bytes: int | None = None) -> tuple[bytes | list[bytes], int, list[tuple[str, str]], list[str]]:
    """The PDF for one print document, its page count, what the sandbox left out and why, and the files it read.

    The engine reads only through the sandbox: data: URLs, and files inside `folders`. A page
    that would be near-empty gets writing space (see fit.py); a long document is laid out in
    parts (see parts.py). With `apart` (the learners' covers), the document is laid out once and
    each page written as a PDF of its own: its fonts then hold its own glyphs only, so its bytes
    depend on that page alone, never on the pages laid out with it.
    """
    import weasyprint

    from . import languages
    from .sandbox import Sandbox

    languages.install()

    sandbox = Sandbox(Path(base), [Path(folder) for folder in folders])

    def render(source: str):
        # Forms are decided when styles are computed, so that option belongs to render() as well.
        return weasyprint.HTML(string=source, base_url=base, url_fetcher=sandbox).render(
            pdf_forms=forms, pdf_variant=VARIANT)

    # Near-empty pages are filled by laying the document out again where they occur (fit.py).
    fitted = fit.Fitter(render).render

    def write(document, pages=None) -> bytes:
        chosen = document if pages is None else document.copy(pages)
        return chosen.write_pdf(pdf_variant=VARIANT, pdf_forms=forms)

    # Every PDF handed back is put right for a screen reader once it is whole (see finish.py): a
    # joined one after the join, a cover before it is spliced into a learner's copy.
    if apart:
        document = render(html)
        return [finish(write(document, [page]), html) for page in document.pages], len(document.pages), \
            sandbox.left_out, sandbox.served
    # Only tests pass part_bytes: it makes even a small document come out in parts of that size.
    planned = parts.split(html) if part_bytes is None else parts.split(html, part_bytes, whole=0)
    if planned is not None:
        from .join import join

        try:
            laid, pages = parts.lay_out(*planned, fitted, write)
            return finish(join(laid), html), pages, sandbox.left_out, sandbox.served
        except parts.Unsettled:  # a layout that depends on where it falls: whole, then, at more memory
            pass
    document = fitted(html)
    return finish(write(document), html), len(document.pages), sandbox.left_out, sandbox.served


def serve(jobs: BinaryIO, results: BinaryIO) -> None:
    """Answer each job with ("pdf", data, pages, left_out, served) or ("error", traceback), until the input ends."""
    try:
        import weasyprint  # noqa: F401  (now, while the builder loads and renders)
    except ModuleNotFoundError as error:
        failure = ("missing", str(error))
    except (ImportError, OSError) as error:  # most often the Pango library is missing
        failure = ("unavailable", str(error))
    else:
        failure = None
    while (job := receive(jobs)) is not None:
        if failure:
            reply = failure
        else:
            try:
                reply = ("pdf", *lay_out(*job))
            except Exception:  # the builder reports it as a bug, with this traceback
                reply = ("error", traceback.format_exc())
        try:
            send(results, reply)
        except BrokenPipeError:  # the builder has gone: nobody is waiting for the answer
            return


def main() -> None:
    # Results get the original standard output; anything else written there, even by a C
    # library straight to file descriptor 1, goes to standard error instead of the pipe.
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    with open(0, "rb", closefd=False) as jobs:
        serve(jobs, results)


if __name__ == "__main__":
    main()
