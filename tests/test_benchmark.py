"""The benchmark script runs, and the builder's PDF is the engine's own PDF, byte for byte.

The timings it prints are not checked here: speed goals live in the script, not in timed tests.
"""

import re
import subprocess
import sys

from conftest import ROOT


def test_benchmark_reports_every_command_and_identical_pdfs(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmark.py"), "--rounds", "1",
                             "--html-rounds", "2", "--limit", "1000", "--html-seconds", "1000",
                             "--bomb-seconds", "1000"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "command                  best   all runs (s)"
    assert re.fullmatch(r"build --format html +\d+\.\d\ds   \d+\.\d\d \d+\.\d\d", lines[1])
    assert re.fullmatch(r"build --format pdf +\d+\.\d\ds   \d+\.\d\d", lines[2])
    assert re.fullmatch(r"weasyprint +\d+\.\d\ds   \d+\.\d\d", lines[3])
    assert re.fullmatch(r"html: \d\.\d{3} s \(limit 1000\.00 s\), best of 2; workbook\.html \d+ KB "
                        r"\(limit 400 KB\): ok",
                        lines[4])
    assert re.fullmatch(r"pdf: ratio \d+\.\d{3} \(limit 1000\.00\), best of 1; the two PDFs are byte-identical",
                        lines[5])
    assert re.fullmatch(r"yaml bomb: refused in \d+\.\d{3} s \(limit 1000\.00 s\), peak \d+ KB: ok", lines[6])
