"""workbook-fillable.pdf, with --fillable: the learner workbook with form fields in place of the
ruled lines; with --learners, learners-fillable/<cohort>/<name>.pdf with each learner's name filled in."""

from .printed import PrintedPdf

FORMAT = PrintedPdf("workbook-fillable", "learner", fillable=True, copies="learners-fillable")
