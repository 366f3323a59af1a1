"""Every output a build can make, one module each (see format.py for their shape), and the registry.

The command line's --format choices and help, the build and the up-to-date check read REGISTRY
and nothing else: a new format is a module of its own and its place here.
"""

from __future__ import annotations

from . import (booklet_pdf, calendar_ics, facilitator_pdf, fillable_pdf, html, html_zip, large_print_pdf, learner_pdf,
               print_html, scorm)
from .format import Format

# In the order a build lists their files.
REGISTRY: tuple[Format, ...] = (html.FORMAT, html_zip.FORMAT, scorm.FORMAT, print_html.FORMAT, learner_pdf.FORMAT,
                                fillable_pdf.FORMAT, large_print_pdf.FORMAT, large_print_pdf.FILLABLE,
                                booklet_pdf.FORMAT, facilitator_pdf.FORMAT, calendar_ics.FORMAT)

OPTIONS = tuple(sorted({format.option for format in REGISTRY}))  # the words of --format
COPY_FOLDERS = tuple(format.copies for format in REGISTRY if format.copies)


def wanted(options) -> list[Format]:
    """The formats a build with these options makes."""
    return [format for format in REGISTRY if format.wanted(options)]


def printed(options) -> list[Format]:
    """The printed editions these options choose, whether or not PDFs are asked for."""
    return [format for format in REGISTRY if format.edition is not None and format.chosen(options)]
