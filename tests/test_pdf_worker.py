"""The PDF engine's own process: a PDF for each job, and plain words when it cannot run."""

import io
import sys

import pytest
from pypdf import PdfReader

from builder.errors import EngineUnavailable
from builder.printing import protocol, worker
from builder.printing.engine import Engine, EngineError
from conftest import run_pathway

PAGE = '<!DOCTYPE html><html lang="en-GB"><head><title>One</title></head><body><p>Hello</p></body></html>'
NO_PANGO = "raise OSError(\"cannot load library 'libpango-1.0-0'\")\n"


@pytest.mark.pdf
def test_engine_returns_a_tagged_pdf_and_its_page_count(tmp_path):
    with Engine() as running:
        first = running.pdf(PAGE, tmp_path)
        second = running.pdf(PAGE.replace("<p>Hello</p>", '<p style="break-after: page">A</p><p>B</p>'),
                             tmp_path)
    assert first.data.startswith(b"%PDF-1.7")
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(first.data)).trailer["/Root"]
    assert (first.pages, second.pages) == (1, 2)


def test_a_missing_library_is_named_with_a_way_forward(tmp_path, monkeypatch):
    # A stand-in for WeasyPrint that fails to load as it does when Pango is missing, found first.
    (tmp_path / "weasyprint.py").write_text(NO_PANGO, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with Engine() as running, pytest.raises(EngineUnavailable) as caught:
        running.pdf(PAGE, tmp_path)
    assert str(caught.value) == (
        "cannot make PDFs: WeasyPrint, the PDF engine, could not start (cannot load library "
        "'libpango-1.0-0'). It needs the Pango library: on Debian or Ubuntu, 'apt-get install "
        "libpango-1.0-0 libpangoft2-1.0-0'; or build the HTML workbook alone with '--format html'")


def test_the_command_says_so_and_writes_nothing_when_the_engine_cannot_start(tmp_path):
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "weasyprint.py").write_text(NO_PANGO, encoding="utf-8")
    result = run_pathway("build", "--out", "out", cwd=tmp_path, python_path=tmp_path / "fake")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: cannot make PDFs: WeasyPrint, the PDF engine, could not start (cannot load library "
        "'libpango-1.0-0'). It needs the Pango library: on Debian or Ubuntu, 'apt-get install "
        "libpango-1.0-0 libpangoft2-1.0-0'; or build the HTML workbook alone with '--format html'",
        "Nothing was written."]
    assert not (tmp_path / "out").exists()


def test_weasyprint_not_installed_is_told_apart_from_a_missing_library(tmp_path, monkeypatch):
    jobs, results = io.BytesIO(), io.BytesIO()
    protocol.send(jobs, (PAGE, str(tmp_path), False))
    jobs.seek(0)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # an import of it now fails as if absent
    worker.serve(jobs, results)
    results.seek(0)
    assert protocol.receive(results) == ("missing", "import of weasyprint halted; None in sys.modules")


def test_an_engine_that_dies_is_reported_not_waited_for(tmp_path):
    running = Engine()
    running._process.kill()
    running._process.wait()
    with pytest.raises(EngineError, match=r"^the PDF engine stopped \(exit code -9\); its messages are above$"):
        running.pdf(PAGE, tmp_path)
    running.close()  # and stopping it again is quiet


@pytest.mark.pdf
def test_a_failing_job_comes_back_as_an_error_and_the_engine_goes_on(tmp_path):
    jobs, results = io.BytesIO(), io.BytesIO()
    protocol.send(jobs, (None, str(tmp_path), [str(tmp_path)], False))  # no HTML: it cannot be laid out
    protocol.send(jobs, (PAGE, str(tmp_path), [str(tmp_path)], False))
    jobs.seek(0)
    worker.serve(jobs, results)
    results.seek(0)
    failed, done = protocol.receive(results), protocol.receive(results)
    assert failed[0] == "error" and "Traceback" in failed[1]
    assert done[0] == "pdf" and done[2:] == (1, [], [], ())  # one page, nothing left out or read, no parts
    assert protocol.receive(results) is None


def test_a_message_cut_short_reads_as_the_end_not_as_garbage():
    whole = io.BytesIO()
    protocol.send(whole, ("pdf", b"%PDF-1.7 ...", 3))
    assert protocol.receive(io.BytesIO(whole.getvalue()[:-4])) is None
    assert protocol.receive(io.BytesIO(b"\xff" * 8 + b"text")) is None
