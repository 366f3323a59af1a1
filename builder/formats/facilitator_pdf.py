"""facilitator.pdf: the facilitator guide, with the session plan and each session's running order."""

from .printed import PrintedPdf

FORMAT = PrintedPdf("facilitator", "facilitator")
