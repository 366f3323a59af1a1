"""The builder's speed goals, measured on whole commands in fresh processes.

- The HTML workbook: `pathway build --format html` of the default pathway, interpreter start
  included, must take under 0.5 s, and `workbook.html` must stay under 400 KB.
- The PDFs: `pathway build --format pdf --edition learner` against the `weasyprint` command alone
  on the same print HTML with the same PDF variant; the builder may take at most 1.10 times the
  engine's time, and the two PDFs must be byte-identical.
- A YAML bomb (`tests/bad-pathways/billion-laughs.yaml`, a billion values in nine lines) must be
  refused within a second; the memory its refusal takes is reported beside it.

Every command is run as `python -m`, so that it is this checkout's code with no shell shim in
front; the package's bytecode is compiled first, as pip does when it installs it. The PDF commands
are interleaved so that both see the same machine. The best run of each is kept: this machine's
speed drifts (even `python -c pass` varies twofold), and the best run is the one least disturbed.
Exits with 1 when a goal is missed.

    python tests/benchmark.py [--rounds 5] [--html-rounds 20] [--limit 1.10] [--html-seconds 0.5]
                              [--html-kb 400] [--bomb-seconds 1] [PATHWAY]
"""

from __future__ import annotations

import argparse
import compileall
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from builder.errors import UserError  # noqa: E402
from builder.load import parse  # noqa: E402
from builder.pdf_worker import VARIANT  # noqa: E402  (what the builder writes)

PATHWAY = [sys.executable, "-m", "builder"]
WEASYPRINT = [sys.executable, "-m", "weasyprint"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def refuse_bomb() -> tuple[float, int]:
    """Seconds and peak bytes to refuse the YAML bomb, in this process (two runs: the memory is traced apart)."""
    data = (ROOT / "tests" / "bad-pathways" / "billion-laughs.yaml").read_bytes()
    results = []
    for traced in (False, True):
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        try:
            parse(data, "billion-laughs.yaml")
        except UserError:
            results.append((time.perf_counter() - start, tracemalloc.get_traced_memory()[1] if traced else 0))
        finally:
            tracemalloc.stop()
    if len(results) != 2:
        raise SystemExit("the YAML bomb was not refused")
    return results[0][0], results[1][1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pathway", nargs="?", default="compassionate-inclusive-leadership")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each PDF command")
    parser.add_argument("--html-rounds", type=int, default=20, help="runs of the HTML build")
    parser.add_argument("--limit", type=float, default=1.10, help="most PDF build time / engine time")
    parser.add_argument("--html-seconds", type=float, default=0.5, help="most seconds for the HTML build")
    parser.add_argument("--html-kb", type=float, default=400, help="largest workbook.html, in KB")
    parser.add_argument("--bomb-seconds", type=float, default=1.0, help="most seconds to refuse the YAML bomb")
    args = parser.parse_args()

    compileall.compile_dir(ROOT / "builder", quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        build = [*PATHWAY, "build", args.pathway]
        html_build = build + ["--format", "html", "--out", str(out / "screen")]
        print_html = build + ["--edition", "learner", "--format", "print-html", "--out", str(out / "html")]
        subprocess.run(print_html, check=True, stdout=subprocess.DEVNULL)
        (html,) = (out / "html").glob("*/workbook.print.html")
        ours = build + ["--edition", "learner", "--format", "pdf", "--out", str(out / "pdf")]
        engine = [*WEASYPRINT, "--pdf-variant", VARIANT, str(html), str(out / "engine.pdf")]

        times = {"build --format html": [], "build --format pdf": [], "weasyprint": []}
        timed(html_build)  # a first run warms the file cache; it is not counted
        for _ in range(args.html_rounds):
            times["build --format html"].append(timed(html_build))
        for _ in range(args.rounds):
            times["build --format pdf"].append(timed(ours))
            times["weasyprint"].append(timed(engine))

        (workbook,) = (out / "screen").glob("*/workbook.html")
        kilobytes = workbook.stat().st_size / 1024  # as the build itself reports it
        (pdf,) = (out / "pdf").glob("*/workbook.pdf")
        same = pdf.read_bytes() == (out / "engine.pdf").read_bytes()

    bomb_seconds, bomb_bytes = refuse_bomb()
    best = {name: min(runs) for name, runs in times.items()}
    ratio = best["build --format pdf"] / best["weasyprint"]
    html_ok = best["build --format html"] < args.html_seconds and kilobytes < args.html_kb
    print(f"{'command':<22}{'best':>7}   all runs (s)")
    for name, runs in times.items():
        print(f"{name:<22}{best[name]:>6.2f}s   " + " ".join(f"{run:.2f}" for run in runs))
    print(f"html: {best['build --format html']:.3f} s (limit {args.html_seconds:.2f} s), best of "
          f"{args.html_rounds}; workbook.html {kilobytes:.0f} KB (limit {args.html_kb:.0f} KB): "
          f"{'ok' if html_ok else 'OVER'}")
    print(f"pdf: ratio {ratio:.3f} (limit {args.limit:.2f}), best of {args.rounds}; "
          f"the two PDFs are {'byte-identical' if same else 'NOT identical'}")
    bomb_ok = bomb_seconds < args.bomb_seconds
    print(f"yaml bomb: refused in {bomb_seconds:.3f} s (limit {args.bomb_seconds:.2f} s), "
          f"peak {bomb_bytes / 1024:.0f} KB: {'ok' if bomb_ok else 'OVER'}")
    return 0 if html_ok and ratio <= args.limit and same and bomb_ok else 1


if __name__ == "__main__":
    sys.exit(main())
