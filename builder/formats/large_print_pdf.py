"""workbook-large-print.pdf, and workbook-large-print-fillable.pdf with --fillable: the learner workbook
re-typeset in large print, to UKAAF's guidance (templates/print/large-print.css), at --large-print-size."""

from .printed import PrintedPdf

FORMAT = PrintedPdf("workbook-large-print", "large-print")
FILLABLE = PrintedPdf("workbook-large-print-fillable", "large-print", fillable=True)
