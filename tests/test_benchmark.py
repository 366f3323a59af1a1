"""The benchmark script runs and reports every goal: the builder's PDF has the engine's text on every page, and one
made again after an edit is byte for byte a whole build's.

The timings it prints are not checked here: speed goals live in the script, not in timed tests.
This runs it small (one round, 3 learners, pathways of 2 and 3 times the default) and with every
limit lifted, so that only a failed command or a PDF unlike the engine's or a whole build's fails it. It takes half
a minute, so it runs only when asked for: `python -m pytest --benchmark tests/test_benchmark.py`.
"""

import re
import subprocess
import sys

import pytest

from benchmark import hostile_files
from conftest import ROOT

SECONDS = r"\d+\.\d{3}s"


@pytest.mark.benchmark
@pytest.mark.pdf
@pytest.mark.slow
def test_benchmark_reports_every_goal_with_its_ratio_to_the_baseline(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "benchmark.py"), "--rounds", "1",
                             "--html-rounds", "2", "--cohort", "3", "--large", "2", "--huge", "3",
                             "--pdf-limit", "1000", "--cohort-limit", "1000", "--again-limit", "1000",
                             "--large-limit", "1000", "--huge-mb", "100000", "--huge-limit", "1000",
                             "--edit-limit", "1000", "--huge-edit-limit", "1000", "--html-seconds", "1000",
                             "--bomb-seconds", "1000", "--load-seconds", "1000", "--reload-seconds", "1000"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"machine: \d+ cores \(.+\), \d+ GiB, Linux .+, Python 3\.\d+\.\d+, WeasyPrint \d+\.\d+",
                        lines[0])
    assert lines[1].split() == ["measure", "best", "ratio", "to", "baseline", "goal", "result", "all", "runs",
                                "(s)"]
    rows = [
        rf"weasyprint alone \(the baseline\) +{SECONDS}  1\.00 +ok +[\d.]+",
        rf"build --format pdf --edition learner +{SECONDS}  \d+\.\d\d +<= 1000\.00, the same text +ok +[\d.]+",
        rf"\.\.\. after an edit to one question +{SECONDS}  \d\.\d\d of the build +<= 1000\.00, byte-identical +ok "
        r"+[\d.]+",
        rf"3 personalised workbooks +{SECONDS}  \d+\.\d\d +<= 1000\.00 +ok +[\d.]+",
        rf"pathway build, the first time +{SECONDS}  \d+\.\d\d +ok +[\d.]+",
        rf"pathway build again, nothing changed +{SECONDS}  \d+\.\d{{3}} of the first +< 1000\.00 +ok +[\d.]+",
        rf"pathway build, 22 items +{SECONDS}  \d+\.\d\d of 11 items +<= 1000\.00 +ok +[\d.]+",
        rf"build --format pdf --edition learner, 33 items \(0\.1 MB file\): peak \d+ MB +{SECONDS}  \d+\.\d\d "
        r"+< 100000 MB +ok +[\d.]+",
        rf"\.\.\. against weasyprint alone on its HTML +{SECONDS}  \d+\.\d\d of it +<= 1000\.00 +ok +[\d.]+",
        rf"\.\.\. after an edit to one question +{SECONDS}  \d\.\d{{3}} of the build +<= 1000\.00, byte-identical +ok "
        r"+[\d.]+",
        rf"pathway serve: a save to its text on screen +{SECONDS}   +< 1000\.00 s +ok +[\d. ]+",
        rf"build --format html: workbook\.html \d+ KB +{SECONDS}  \d+\.\d\d +< 1000\.00 s, < 400 KB +ok +[\d. ]+",
        *(rf"refused {re.escape(name)} +{SECONDS}   +< 1000\.00 s +ok +[\d.]+" for name in hostile_files()),
        rf"loaded pathway-5-mb\.yaml +{SECONDS}   +< 1000\.00 s +ok +[\d.]+",
        rf"YAML bomb refused, in \d+ KB +{SECONDS}   +< 1000\.00 s +ok +[\d.]+",
    ]
    assert len(lines) == 2 + len(rows)
    for pattern, line in zip(rows, lines[2:]):
        assert re.fullmatch(pattern, line), line
