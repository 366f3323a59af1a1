"""The PDF engine's own process: a PDF for each job, and plain words when it cannot run."""

import io
import os

import pytest
from pypdf import PdfReader

import builder
from builder import engine, pdf

PAGE = '<!DOCTYPE html><html lang="en-GB"><head><title>One</title></head><body><p>Hello</p></body></html>'


def test_engine_returns_a_tagged_pdf_and_its_page_count(tmp_path):
    with pdf.Engine() as running:
        first = running.pdf(PAGE, tmp_path)
        second = running.pdf(PAGE.replace("<p>Hello</p>", '<p style="break-after: page">A</p><p>B</p>'),
                             tmp_path)
    assert first.data.startswith(b"%PDF-1.7")
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(first.data)).trailer["/Root"]
    assert (first.pages, second.pages) == (1, 2)


def test_a_missing_library_is_named_with_a_way_forward(tmp_path, monkeypatch):
    # A stand-in for WeasyPrint that fails to load as it does when Pango is missing, found first.
    (tmp_path / "weasyprint.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0'\")\n", encoding="utf-8")
    os.symlink(os.path.dirname(builder.__file__), tmp_path / "builder")
    monkeypatch.setattr(pdf, "_PACKAGE_ROOT", str(tmp_path))
    with pdf.Engine() as running, pytest.raises(pdf.EngineUnavailable) as caught:
        running.pdf(PAGE, tmp_path)
    assert str(caught.value) == (
        "cannot make PDFs: WeasyPrint, the PDF engine, could not start (cannot load library "
        "'libpango-1.0-0'). It needs the Pango library: on Debian or Ubuntu, 'apt-get install "
        "libpango-1.0-0 libpangoft2-1.0-0'; or build the HTML workbook alone with '--format html'")


def test_an_engine_that_dies_is_reported_not_waited_for(tmp_path):
    running = pdf.Engine()
    running._process.kill()
    with pytest.raises(pdf.EngineError, match=r"^the PDF engine stopped \(exit code -9\); its messages are above$"):
        running.pdf(PAGE, tmp_path)
    running.close()


def test_a_failing_job_comes_back_as_an_error_and_the_engine_goes_on(tmp_path):
    jobs, results = io.BytesIO(), io.BytesIO()
    engine.send(jobs, (None, str(tmp_path), False))  # no HTML: a job the engine cannot lay out
    engine.send(jobs, (PAGE, str(tmp_path), False))
    jobs.seek(0)
    engine.serve(jobs, results)
    results.seek(0)
    failed, done = engine.receive(results), engine.receive(results)
    assert failed[0] == "error" and "Traceback" in failed[1]
    assert done[0] == "pdf" and done[2] == 1
    assert engine.receive(results) is None
