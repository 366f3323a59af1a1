"""The progress bar: on a terminal only, gone when the build is done, and never with --quiet."""

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_pathway, write

OUT = "compassionate-inclusive-leadership"
COHORT = "name,email,cohort,group\nZoë O'Brien,zoe@example.org,Spring 2027,A\nAda Lovelace,,,B\nSam Lee\n"
BROKEN = ("id: broken\ntitle: Broken\nlevels:\n  - id: one\n    title: One\n    items:\n"
          "      - {id: a, kind: vidoe, title: A}\n")
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def on_a_terminal(*args: str, cwd: Path, python_path: Path | None = None) -> tuple[int, str]:
    """Run the command as in a terminal 200 columns wide: its exit code, and all the terminal received.

    Standard input, output and error are all the terminal, as when a user types the command.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CI")}
    environment.update(TERM="xterm-256color", COLUMNS="200", LINES="50", PYTHONPATH=os.pathsep.join(
        filter(None, [str(python_path or ""), os.environ.get("PYTHONPATH", "")])))
    process = subprocess.Popen([sys.executable, "-m", "builder", *args], cwd=cwd, env=environment,
                               stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    received = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 300)
            if not ready:
                os.killpg(process.pid, signal.SIGKILL)
                raise AssertionError("the build has not ended in 300 s")
            try:
                data = os.read(master, 65536)
            except OSError:  # every writer has closed the terminal: the build and its engine are done
                break
            if not data:
                break
            received.append(data)
    finally:
        os.close(master)
    return process.wait(timeout=60), b"".join(received).decode("utf-8")


def plain(received: str) -> str:
    """What the terminal received, without its escape codes."""
    return ESCAPE.sub("", received)


def screen(received: str) -> list[str]:
    """The lines left on the terminal's screen at the end: a small terminal, enough for a progress bar.

    It moves the cursor on carriage returns, line feeds and 'cursor up', erases a line on 'erase line',
    and takes no notice of colours or of showing and hiding the cursor.
    """
    lines, row, column = [""], 0, 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b.|\r|\n|[^\x1b\r\n]+", received):
        if token == "\r":
            column = 0
        elif token == "\n":
            row += 1
            column = 0
            lines += [""] * (row + 1 - len(lines))
        elif token.startswith("\x1b[") and token[-1] == "A":
            row = max(0, row - int(token[2:-1] or 1))
        elif token.startswith("\x1b[") and token[-1] == "K":
            assert token == "\x1b[2K", f"unexpected {token!r}"
            lines[row] = ""
        elif token.startswith("\x1b"):
            assert token[-1] in "mhl", f"unexpected {token!r}"  # colours, and the cursor shown or hidden
        else:
            text = lines[row].ljust(column)
            lines[row] = text[:column] + token + text[column + len(token):]
            column += len(token)
    return [text.rstrip() for text in lines]


@pytest.mark.pdf
def test_the_bar_says_what_the_build_does_and_is_gone_when_it_is_done(tmp_path):
    write(tmp_path, "cohort.csv", COHORT)
    code, received = on_a_terminal("build", "--learners", "cohort.csv", cwd=tmp_path)
    assert code == 0, received
    shown = plain(received)
    for doing in ["Laying out workbook.pdf", "Laying out 3 covers", "Personalising learners/cohort/",
                  "Laying out facilitator.pdf"]:
        assert doing in shown, f"{doing!r} never shown"
    assert "6/6" in shown  # the workbook, the covers, three copies and the facilitator guide: all done
    # At the end the screen holds the summary alone: the bar left no line behind.
    lines = [text for text in screen(received) if text]
    assert lines[:-1] == [
        f"Built {OUT}: 4 levels, 11 items",
        f"  output/{OUT}/workbook.html  ({size(tmp_path, 'workbook.html')})",
        f"  output/{OUT}/workbook.pdf  ({pages(tmp_path, 'workbook.pdf')} pages, {size(tmp_path, 'workbook.pdf')})",
        f"  output/{OUT}/facilitator.pdf  ({pages(tmp_path, 'facilitator.pdf')} pages, "
        f"{size(tmp_path, 'facilitator.pdf')})",
        f"  output/{OUT}/learners/cohort/  (3 workbooks, {pages(tmp_path, 'learners/cohort/sam-lee.pdf')} pages "
        f"each, {size(tmp_path, *(f'learners/cohort/{stem}.pdf' for stem in STEMS))})"]
    assert re.fullmatch(r"Done in \d+\.\d s\.", lines[-1])


STEMS = ("ada-lovelace", "sam-lee", "zoe-obrien")


def pages(folder: Path, name: str) -> int:
    return len(PdfReader(folder / "output" / OUT / name).pages)


def size(folder: Path, *names: str) -> str:
    total = sum((folder / "output" / OUT / name).stat().st_size for name in names)
    return f"{total / 1024:.0f} KB" if total < 1024 * 1024 else f"{total / 1024 / 1024:.1f} MB"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """A build of a small pathway's workbook, its output going to pipes as under a script or CI."""
    folder = tmp_path_factory.mktemp("small")
    write(folder, "ward.yaml", "extends: compassionate-inclusive-leadership\nid: ward\n"
                               "omit: [team, organisation, system]\nsubtitle: Leading ourselves\n"
                               "summary: One level.\nchange:\n  individual: {intro: About you.}\n")
    # A WeasyPrint that cannot start: a build with nothing to lay out again still succeeds with it.
    write(folder, "broken-engine/weasyprint.py", 'raise ImportError("a broken engine")\n')
    return folder, run_pathway("build", "ward.yaml", "--edition", "learner", "--format", "pdf", cwd=folder)


@pytest.mark.pdf
def test_no_bar_and_no_escape_code_when_standard_error_is_not_a_terminal(small_build):
    _, result = small_build
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert re.fullmatch(r"Built ward: 1 level, 2 items\n  output/ward/workbook\.pdf  \(\d+ pages, \d+ KB\)\n"
                        r"Done in \d+\.\d s\.\n", result.stdout)
    assert "\x1b" not in result.stdout


@pytest.mark.pdf
def test_quiet_shows_no_bar_and_no_summary_on_a_terminal(small_build):
    folder, _ = small_build
    build = ("build", "ward.yaml", "--edition", "learner", "--format", "pdf", "--force")
    code, received = on_a_terminal(*build, cwd=folder)
    assert code == 0, received
    assert "1/1" in plain(received)  # without --quiet, the bar
    assert "Built ward: 1 level, 2 items" in plain(received)
    for quiet in ["--quiet", "-q"]:
        assert on_a_terminal(*build, quiet, cwd=folder) == (0, ""), quiet


def test_quiet_prints_nothing_for_a_good_build_when_nothing_is_a_terminal(tmp_path):
    result = run_pathway("build", "--format", "html", "--quiet", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "output" / OUT / "workbook.html").is_file()


def test_quiet_still_reports_every_problem(tmp_path):
    write(tmp_path, "broken.yaml", BROKEN)
    expected = ("error: broken.yaml:7:23: levels[0].items[0].kind: 'vidoe' is not one of read, watch, listen, do\n"
                "Nothing was written.\n")
    for quiet in [(), ("--quiet",), ("-q",)]:
        result = run_pathway("build", "broken.yaml", *quiet, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", expected), quiet
    code, received = on_a_terminal("build", "broken.yaml", "--quiet", cwd=tmp_path)
    assert (code, received) == (2, expected.replace("\n", "\r\n"))
    assert not (tmp_path / "output").exists()


def test_build_help_lists_the_new_options(tmp_path):
    result = run_pathway("build", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    options = re.findall(r"^  (-\w, )?(--[\w-]+)", result.stdout, flags=re.MULTILINE)
    for option in [("", "--learners"), ("", "--skip-bad-rows"), ("", "--force"), ("-q, ", "--quiet")]:
        assert option in options, option
