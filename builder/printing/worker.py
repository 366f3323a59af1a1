"""The PDF engine's own process: WeasyPrint runs here, apart from the builder.

The builder starts this process before it loads anything, so that WeasyPrint's slow import
overlaps the builder's own work on another core. Jobs arrive on standard input and results go
back on the original standard output, as protocol.py frames them.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from pathlib import Path
from typing import BinaryIO, Sequence

from . import fit, parts, relay
from .finish import finish
from .parts import Part
from .pool import Pool
from .protocol import VARIANT, receive, send


def lay_out(html: str, base: str, folders: list[str], forms: bool, apart: bool = False, salt: str = "",
            kept: Sequence[Part] = (), part_bytes: int = parts.PART_BYTES):
    """(PDF, page count, what the sandbox left out and why, the files it read, each part's Part).

    The engine reads only through the sandbox: data: URLs, and files inside `folders`. A page
    that would be near-empty gets writing space (see fit.py). A document that can be is laid out
    in parts (parts.py, relay.py); `kept` holds the parts of the last build, `salt` what else
    their keys hash. With `apart` (the learners' covers), the document is laid out once and each
    page written as a PDF of its own: its fonts then hold its own glyphs only, so its bytes
    depend on that page alone, never on the pages laid out with it.
    """
    import weasyprint

    from . import languages
    from .links import Words
    from .sandbox import Sandbox

    languages.install()
    sandbox = Sandbox(Path(base), [Path(folder) for folder in folders])
    words = Words(html)  # for finish.py: once, not once a part

    def render(source: str):
        # Forms are decided when styles are computed, so that option belongs to render() as well.
        return weasyprint.HTML(string=source, base_url=base, url_fetcher=sandbox).render(
            pdf_forms=forms, pdf_variant=VARIANT)

    def write(document, pages=None, where=None, number=None) -> bytes:
        """The PDF of these pages of a layout (all of them by default), put right for a screen reader
        (finish.py): a part told where its links lead in the whole document."""
        chosen = document if pages is None else document.copy(pages)
        data = chosen.write_pdf(pdf_variant=VARIANT, pdf_forms=forms)
        return finish(data, words, where, "th-" if number is None else f"th-{number + 1}-")

    def key(number: int, document: str) -> str:
        return hashlib.sha256(f"{salt}\0{number}\0{document}".encode()).hexdigest()

    if apart:
        document = render(html)
        return [write(document, [page]) for page in document.pages], len(document.pages), \
            sandbox.left_out, sandbox.served, ()
    plan = parts.split(html, part_bytes)
    if plan is not None:
        from .join import join

        def merge(theirs) -> None:  # what the sandbox did in the second process, in an order of its own
            left_out, served = theirs
            sandbox.left_out[:] = sorted({*sandbox.left_out, *left_out})
            sandbox.served[:] = sorted({*sandbox.served, *served})

        pool = Pool(lambda: (sandbox.left_out, sandbox.served), merge)
        laid = relay.again(plan, kept, render, write, key, pool) if kept else None
        try:
            if laid is None and len(html) <= relay.WHOLE_BYTES:
                laid = relay.cut(plan, render, write, key)
            elif laid is None:
                laid = relay.counted(plan, render, write, key, pool)
            return join(laid), sum(part.pages for part in laid), sandbox.left_out, sandbox.served, laid
        except parts.Unsettled:  # a layout that depends on where it falls: whole, then, at more memory
            pass
    # Near-empty pages are filled by laying the document out again where they occur (fit.py).
    document = fit.Fitter(render).render(html)
    return write(document), len(document.pages), sandbox.left_out, sandbox.served, ()


def serve(jobs: BinaryIO, results: BinaryIO) -> None:
    """Answer each job with ("pdf", data, pages, left_out, served, parts) or ("error", traceback), until the
    input ends."""
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
