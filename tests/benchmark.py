"""The builder's speed and memory goals, measured on whole commands in fresh processes.

The baseline is one plain render: the `weasyprint` command alone, laying out the default learner
workbook's print HTML with the same PDF variant. Against it:

- `build --format pdf --edition learner` may take at most 1.10 times the baseline, and its PDF
  must have the engine's text on every page (the builder lays it out in parts and joins them);
- after an edit to one item's question, the same command at most 40% of that build's time (the
  builder lays out again only the part that changed), to the bytes of a whole build;
- 30 personalised workbooks (`--learners`, a cohort of 30) at most 4 times the baseline;
- a second `pathway build` with nothing changed under 10% of the first, which made every file;
- a pathway of 10 times the default's items (110) at most 11 times the default's build;
- `build --format pdf --edition learner` of a pathway of 46 times the default's items (506), one
  file of 1.4 MB, under 600 MB at its peak: the sum of the builder's and its engine processes'
  memory (their proportional set sizes: what they share counted once), sampled every 100 ms; in at
  most 0.75 times what the `weasyprint` command alone takes to lay out its print HTML whole; and
  after an edit to one item's question, at most 15% of its time;
- `build --format html` under 0.5 s, and `workbook.html` under 400 KB;
- with `pathway serve` running, a save of the default pathway shown on the workbook page in Chromium
  under 0.5 s (the page reloads by itself);
- the YAML bomb (`tests/bad-pathways/billion-laughs.yaml`) refused within a second;
- each file made to be slow to read (`hostile_files`), and a pathway as large as a file may be (5 MB),
  refused or loaded within a second, in this process (best of --rounds).

Every command is run as `python -m`, so that it is this checkout's code with no shell shim in
front; the package's bytecode is compiled first, as pip does when it installs it. Commands that
are compared run interleaved, so that both see the same machine, and the best run of each is
kept: this machine's speed drifts (even `python -c pass` varies twofold), and the best run is the
one least disturbed. Exits with 1 when a goal is missed.

    python tests/benchmark.py [--rounds 3] [--html-rounds 20] [--cohort 30] [--large 10] [--huge 46]

`python tests/benchmark.py --loading-only` measures the loading goals alone, in seconds.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from builder.errors import UserError  # noqa: E402
from builder.pathway.load import MAX_BYTES, parse  # noqa: E402
from builder.printing.protocol import VARIANT  # noqa: E402  (what the builder writes)

PATHWAY = [sys.executable, "-m", "builder"]
LARGEST = 165  # copies of the default's items that make a pathway file of nearly 5 MB, the most it may be
WEASYPRINT = [sys.executable, "-m", "weasyprint"]
DEFAULT = ROOT / "pathways" / "compassionate-inclusive-leadership.yaml"
NAMES = ["Zoë O'Brien", "محمد عبد الله", "דוד כהן", "Siobhán Ní Bhriain", "Aisha Khan", "Tom Jones",
         "Priya Patel", "Kwame Mensah", "Li Wei", "Olúwaseun Adéyemí"]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_memory(command: list[str]) -> tuple[float, int]:
    """Seconds and the peak memory (bytes) of a command and every process it starts, summed.

    Each process's proportional set size (Pss): a page that processes share, as the engine shares
    WeasyPrint and the document with the second process it forks, counts once among them."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak, start = 0, time.perf_counter()
    while process.poll() is None:
        peak = max(peak, _tree_memory(process.pid))
        time.sleep(0.1)  # reading Pss walks the page tables: more often would slow what it measures
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return time.perf_counter() - start, peak


def _tree_memory(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as stream:
                total += next(int(line.split()[1]) for line in stream if line.startswith("Pss:")) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as stream:
                    todo += [int(child) for child in stream.read().split()]
        except (OSError, ValueError, StopIteration):  # it ended between two reads
            pass
    return total


QUESTION = "held back a question"  # in one question of each copy of the default's items


def edited_builds(pathway: Path, out: Path, rounds: int) -> tuple[list[float], bool]:
    """Seconds of `build --format pdf --edition learner` into `out` (which a build of `pathway` holds) after
    each of `rounds` edits to one item's question (a new word, in the middle item's copy); and whether,
    with the file as it was once more, the next build's PDF is byte for byte the one in `out` before."""
    base = pathway.read_text(encoding="utf-8")
    at = -1
    for _ in range(base.count(QUESTION) // 2 + 1):
        at = base.index(QUESTION, at + 1)
    command = [*PATHWAY, "build", str(pathway), "--edition", "learner", "--format", "pdf", "--out", str(out)]
    (whole,) = out.glob("*/workbook.pdf")
    before = whole.read_bytes()
    times = []
    for round_ in range(rounds):
        pathway.write_text(base[:at] + f"held back a word{round_} question" + base[at + len(QUESTION):],
                           encoding="utf-8")
        times.append(timed(command))
    pathway.write_text(base, encoding="utf-8")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return times, whole.read_bytes() == before


def serve_reloads(folder: Path, rounds: int) -> list[float]:
    """Seconds from each save of the default pathway (an editor's save: a temporary file renamed over it)
    to its new text on the workbook page that `pathway serve` shows in Chromium, which nobody touches.
    Each round waits for the PDFs to be done, as a user who saves, looks and saves again."""
    import shutil

    from playwright.sync_api import sync_playwright
    from served import Served, save

    shutil.copy(DEFAULT, folder / "served.yaml")
    served = Served(folder, "served.yaml", "--port", "0", "--edition", "learner")
    seconds = []
    try:
        served.wait_for("the PDFs in")
        text, old = (folder / "served.yaml").read_text(encoding="utf-8"), "Which part of his argument"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"{served.address}workbook.html")
            for number in range(rounds):
                new = f"Which part (round {number}) of his argument"
                mark = served.mark()
                start = time.perf_counter()
                save(folder / "served.yaml", text.replace(old, new))
                page.get_by_text(new).wait_for()
                seconds.append(time.perf_counter() - start)
                served.wait_for("the PDFs", mark)
            browser.close()
    finally:
        served.process.send_signal(signal.SIGINT)
        served.process.wait(60)
    return seconds


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


# One level of one item: what a file needs beside its hostile part to be a pathway.
_REST = "levels:\n  - id: one\n    title: One\n    items:\n      - {id: a, kind: read, title: A}\n"


def hostile_files() -> dict[str, str]:
    """Files made to be slow to read, each as large as a pathway file may be (or 960 KB, the size first
    reported): name -> text. tests/test_hostile.py gives the message each gets."""
    most = MAX_BYTES - 100
    return {
        "flow-list-960-kb.yaml": "title: [a" + ", a" * (960_000 // 3 - 4) + "]\n",
        "flow-list-5-mb.yaml": "title: [a" + ", a" * (most // 3) + "]\n",
        "deep-brackets.yaml": "title: " + "[" * 100_000 + "\n",
        "deep-braces.yaml": "title: " + "{a: " * (most // 4) + "\n",
        "long-text.yaml": "id: p\ntitle: " + "a" * (most - 200) + "\n" + _REST,
        "many-keys.yaml": "".join(f"k{number}: v\n" for number in range(most // 11)),
        "alias-bomb.yaml": (ROOT / "tests" / "bad-pathways" / "billion-laughs.yaml").read_text(encoding="utf-8"),
        # 2,000 items of long summaries, then a line indented out of line: a syntax error at the end.
        "error-at-the-end.yaml": "id: p\ntitle: P\n" + _REST.replace("      - {id: a, kind: read, title: A}\n", "".join(
            f"      - {{id: a-{number}, kind: read, title: A, summary: {'x' * (most // 2_000 - 60)}}}\n"
            for number in range(2_000))) + "  - id: two\n   title: Two\n",
    }


def loading(folder: Path, rounds: int) -> list[tuple[str, list[float], str]]:
    """Each hostile file, and the largest pathway a file may hold, loaded as a build loads them (in this
    process): name, the seconds of each of `rounds` runs, and 'loaded' or the first message."""
    from builder.pathway.assemble import load_pathway

    files = {**hostile_files(), "pathway-5-mb.yaml": scaled_pathway(folder, LARGEST).read_text(encoding="utf-8")}
    results = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        runs = []
        for _ in range(rounds):
            start = time.perf_counter()
            try:
                load_pathway(str(path))
                outcome = "loaded"
            except UserError as error:
                outcome = str(error.problems[0])
            runs.append(time.perf_counter() - start)
        results.append((name, runs, outcome))
    return results


def scaled_pathway(folder: Path, copies: int) -> Path:
    """The default pathway with each item `copies` times over (new ids and titles), in one file.

    Each copy's notes, questions and prompts are written out in full, as a user's own would be: with
    PyYAML's aliases for the texts they share, 46 copies would be 0.8 MB, not the 1.4 MB a user's file is.
    """
    source = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    document = {**source, "id": f"scaled-{copies}x", "levels": [
        {**level, "items": [{**item, "id": f"{item['id']}-{number}", "title": f"{item['title']} ({number})"}
                            for number in range(1, copies + 1) for item in level["items"]]}
        for level in source["levels"]]}
    text = yaml.dump(document, Dumper=_Unaliased, allow_unicode=True, sort_keys=False, width=100)
    if len(text.encode()) > MAX_BYTES:
        raise SystemExit(f"{copies} copies of the default's items make more than a pathway file may hold")
    path = folder / f"scaled-{copies}x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class _Unaliased(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown processor")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    from importlib.metadata import version
    return (f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, WeasyPrint {version('weasyprint')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each compared command")
    parser.add_argument("--html-rounds", type=int, default=20, help="runs of the HTML build")
    parser.add_argument("--cohort", type=int, default=30, help="learners in the personalised build")
    parser.add_argument("--large", type=int, default=10, help="the scaled pathway: the default's items times this")
    parser.add_argument("--huge", type=int, default=46, help="the pathway whose memory is measured, likewise")
    parser.add_argument("--pdf-limit", type=float, default=1.10)
    parser.add_argument("--cohort-limit", type=float, default=4.0)
    parser.add_argument("--again-limit", type=float, default=0.10)
    parser.add_argument("--large-limit", type=float, default=11.0)
    parser.add_argument("--huge-mb", type=float, default=600)
    parser.add_argument("--huge-limit", type=float, default=0.75)
    parser.add_argument("--edit-limit", type=float, default=0.40)
    parser.add_argument("--huge-edit-limit", type=float, default=0.15)
    parser.add_argument("--html-seconds", type=float, default=0.5)
    parser.add_argument("--reload-seconds", type=float, default=0.5)
    parser.add_argument("--html-kb", type=float, default=400)
    parser.add_argument("--bomb-seconds", type=float, default=1.0)
    parser.add_argument("--load-seconds", type=float, default=1.0)
    parser.add_argument("--loading-only", action="store_true", help="measure only the loading goals")
    args = parser.parse_args()

    compileall.compile_dir(ROOT / "builder", quiet=1)
    print(f"machine: {machine()}")
    results = []  # (measure, seconds or None, ratio text, goal text, ok)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        if not args.loading_only:  # the commands, then the loading goals
            cohort = out / "cohort.csv"
            cohort.write_text("name,cohort,group\n" + "".join(
                f"\"{NAMES[n % len(NAMES)]}{'' if n < len(NAMES) else f' {n}'}\",Spring 2027,Set {n % 4 + 1}\n"
                for n in range(args.cohort)), encoding="utf-8")
            default = "compassionate-inclusive-leadership"
            large, huge = scaled_pathway(out, args.large), scaled_pathway(out, args.huge)

            learner_pdf = ["--edition", "learner", "--format", "pdf", "--force"]
            subprocess.run([*PATHWAY, "build", "--edition", "learner", "--format", "print-html",
                            "--out", str(out / "html")], check=True, stdout=subprocess.DEVNULL)
            (html,) = (out / "html").glob("*/workbook.print.html")
            commands = {
                "weasyprint alone": [*WEASYPRINT, "--pdf-variant", VARIANT, str(html), str(out / "engine.pdf")],
                "build --format pdf": [*PATHWAY, "build", *learner_pdf, "--out", str(out / "pdf")],
                "cohort": [*PATHWAY, "build", *learner_pdf, "--learners", str(cohort), "--out", str(out / "cohort")],
            }
            times = {name: [] for name in commands}
            for _ in range(args.rounds):
                for name, command in commands.items():
                    times[name].append(timed(command))
            # The builder's PDF is the engine's layout, laid out in parts and joined: the same text on every page.
            from pypdf import PdfReader

            same = ([page.extract_text() for page in PdfReader(next((out / "pdf").glob("*/workbook.pdf"))).pages]
                    == [page.extract_text() for page in PdfReader(out / "engine.pdf").pages])
            base = min(times["weasyprint alone"])
            results.append(("weasyprint alone (the baseline)", times["weasyprint alone"], "1.00", "", True))
            ratio = min(times["build --format pdf"]) / base
            results.append(("build --format pdf --edition learner", times["build --format pdf"], f"{ratio:.2f}",
                            f"<= {args.pdf_limit:.2f}, the same text", ratio <= args.pdf_limit and same))
            edit = out / "edit.yaml"
            edit.write_text(DEFAULT.read_text(encoding="utf-8"), encoding="utf-8")
            subprocess.run([*PATHWAY, "build", str(edit), *learner_pdf, "--out", str(out / "edit")], check=True,
                           stdout=subprocess.DEVNULL)
            edits, same = edited_builds(edit, out / "edit", args.rounds)
            ratio = min(edits) / min(times["build --format pdf"])
            results.append(("... after an edit to one question", edits, f"{ratio:.2f} of the build",
                            f"<= {args.edit_limit:.2f}, byte-identical", ratio <= args.edit_limit and same))
            ratio = min(times["cohort"]) / base
            results.append((f"{args.cohort} personalised workbooks", times["cohort"], f"{ratio:.2f}",
                            f"<= {args.cohort_limit:.2f}", ratio <= args.cohort_limit))

            firsts, agains = [], []
            for round_ in range(args.rounds):
                target = ["--out", str(out / f"again{round_}")]
                firsts.append(timed([*PATHWAY, "build", *target]))
                agains.append(timed([*PATHWAY, "build", *target]))
            ratio = min(agains) / min(firsts)
            results.append(("pathway build, the first time", firsts, f"{min(firsts) / base:.2f}", "", True))
            results.append(("pathway build again, nothing changed", agains, f"{ratio:.3f} of the first",
                            f"< {args.again_limit:.2f}", ratio < args.again_limit))

            forced = ["--force", "--out", str(out / "scale")]
            small, big = [], []
            for _ in range(max(1, args.rounds - 1)):
                small.append(timed([*PATHWAY, "build", default, *forced]))
                big.append(timed([*PATHWAY, "build", str(large), *forced]))
            ratio = min(big) / min(small)
            items = 11 * args.large
            results.append((f"pathway build, {items} items", big, f"{ratio:.2f} of 11 items",
                            f"<= {args.large_limit:.2f}", ratio <= args.large_limit))
            seconds, peak = peak_memory([*PATHWAY, "build", str(huge), *learner_pdf, "--out", str(out / "huge")])
            results.append((f"build --format pdf --edition learner, {11 * args.huge} items "
                            f"({huge.stat().st_size / 1e6:.1f} MB file): peak {peak / 2 ** 20:.0f} MB", [seconds],
                            f"{seconds / base:.2f}", f"< {args.huge_mb:.0f} MB", peak / 2 ** 20 < args.huge_mb))
            subprocess.run([*PATHWAY, "build", str(huge), "--edition", "learner", "--format", "print-html",
                            "--out", str(out / "huge-html")], check=True, stdout=subprocess.DEVNULL)
            (huge_html,) = (out / "huge-html").glob("*/workbook.print.html")
            alone = timed([*WEASYPRINT, "--pdf-variant", VARIANT, str(huge_html), str(out / "huge-engine.pdf")])
            ratio = seconds / alone
            results.append(("... against weasyprint alone on its HTML", [alone], f"{ratio:.2f} of it",
                            f"<= {args.huge_limit:.2f}", ratio <= args.huge_limit))
            edits, same = edited_builds(huge, out / "huge", 1)
            ratio = min(edits) / seconds
            results.append(("... after an edit to one question", edits, f"{ratio:.3f} of the build",
                            f"<= {args.huge_edit_limit:.2f}, byte-identical", ratio <= args.huge_edit_limit and same))

            reloads = serve_reloads(out, max(args.html_rounds // 2, 3))
            results.append(("pathway serve: a save to its text on screen", reloads, "",
                            f"< {args.reload_seconds:.2f} s", min(reloads) < args.reload_seconds))

            html_build = [*PATHWAY, "build", "--format", "html", "--force", "--out", str(out / "screen")]
            timed(html_build)  # a first run warms the file cache; it is not counted
            html_times = [timed(html_build) for _ in range(args.html_rounds)]
            kilobytes = next((out / "screen").glob("*/workbook.html")).stat().st_size / 1024
            results.append((f"build --format html: workbook.html {kilobytes:.0f} KB", html_times,
                            f"{min(html_times) / base:.2f}", f"< {args.html_seconds:.2f} s, < {args.html_kb:.0f} KB",
                            min(html_times) < args.html_seconds and kilobytes < args.html_kb))

        for name, runs, outcome in loading(out, args.rounds):
            results.append((f"{'loaded' if outcome == 'loaded' else 'refused'} {name}", runs, "",
                            f"< {args.load_seconds:.2f} s", min(runs) < args.load_seconds))

    bomb_seconds, bomb_bytes = refuse_bomb()
    results.append((f"YAML bomb refused, in {bomb_bytes / 1024:.0f} KB", [bomb_seconds], "",
                    f"< {args.bomb_seconds:.2f} s", bomb_seconds < args.bomb_seconds))

    print(f"{'measure':<48}{'best':>8}  {'ratio to baseline':<22}{'goal':<34}result   all runs (s)")
    for name, runs, ratio, goal, ok in results:
        print(f"{name:<48}{min(runs):>7.3f}s  {ratio:<22}{goal:<34}{'ok' if ok else 'MISSED':<9}"
              + " ".join(f"{run:.2f}" for run in runs))
    return 0 if all(ok for *_, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
