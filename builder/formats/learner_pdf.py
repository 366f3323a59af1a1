"""workbook.pdf: the printed learner workbook; with --learners, learners/<cohort>/<name>.pdf for each learner."""

from .printed import PrintedPdf

FORMAT = PrintedPdf("workbook", "learner", copies="learners")
