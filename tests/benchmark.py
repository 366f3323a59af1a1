"""How much the builder adds to the PDF engine's own work.

Times, in fresh processes, the command a user runs (`pathway build --format pdf --edition learner`,
run as `python -m builder` so that it is this checkout's code)
and the `weasyprint` command alone on the same print HTML with the same PDF variant. The two are
interleaved so that both see the same machine, and the best of each is kept. Exits with 1 when the
ratio is over the limit.

    python tests/benchmark.py [--rounds 5] [--limit 1.10] [PATHWAY]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from builder.pdf_worker import VARIANT  # noqa: E402  (what the builder writes)

# Both through this interpreter: `python -m builder` is `pathway`, without a shell shim in front.
PATHWAY = [sys.executable, "-m", "builder"]
WEASYPRINT = [sys.executable, "-m", "weasyprint"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pathway", nargs="?", default="compassionate-inclusive-leadership")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        build = [*PATHWAY, "build", args.pathway, "--edition", "learner"]
        subprocess.run(build + ["--format", "print-html", "--out", str(out / "html")], check=True,
                       stdout=subprocess.DEVNULL)
        (html,) = (out / "html").glob("*/workbook.print.html")
        ours = build + ["--format", "pdf", "--out", str(out / "pdf")]
        engine = [*WEASYPRINT, "--pdf-variant", VARIANT, str(html), str(out / "engine.pdf")]

        times = {"pathway build": [], "weasyprint": []}
        for _ in range(args.rounds):
            times["pathway build"].append(timed(ours))
            times["weasyprint"].append(timed(engine))

        (pdf,) = (out / "pdf").glob("*/workbook.pdf")
        same = pdf.read_bytes() == (out / "engine.pdf").read_bytes()

    best = {name: min(runs) for name, runs in times.items()}
    ratio = best["pathway build"] / best["weasyprint"]
    print(f"{'command':<16}{'best':>8}   all runs (s)")
    for name, runs in times.items():
        print(f"{name:<16}{best[name]:>7.2f}s   " + " ".join(f"{run:.2f}" for run in runs))
    print(f"ratio {ratio:.3f} (limit {args.limit:.2f}), best of {args.rounds}; "
          f"the two PDFs are {'byte-identical' if same else 'NOT identical'}")
    return 0 if ratio <= args.limit and same else 1


if __name__ == "__main__":
    sys.exit(main())
