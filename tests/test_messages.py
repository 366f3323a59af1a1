"""Every bad input gets one exact message per problem, with file:line:column and the key path."""

import io
import sys
import tracemalloc
from pathlib import Path

import pytest

from builder.cli import main
from conftest import problems_of, write

CORPUS = Path(__file__).parent / "bad-pathways"
CASES = sorted(CORPUS.glob("*.yaml"))


def run_in_process(*args: str) -> tuple[int, str, str]:
    """The `pathway` command run here, as main() runs it: exit status, output and errors."""
    with pytest.MonkeyPatch.context() as patch, pytest.raises(SystemExit) as exited:
        patch.setattr(sys, "argv", ["pathway", *args])
        output, errors = io.StringIO(), io.StringIO()
        patch.setattr(sys, "stdout", output)
        patch.setattr(sys, "stderr", errors)
        main()
    return exited.value.code, output.getvalue(), errors.getvalue()


def test_the_corpus_has_an_expected_message_for_each_of_at_least_40_bad_files():
    assert len(CASES) >= 40
    assert sorted(CORPUS.glob("*.expected")) == [case.with_suffix(".expected") for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_bad_pathway_gets_exact_located_messages_and_nothing_is_written(case, tmp_path, monkeypatch):
    monkeypatch.chdir(CORPUS)  # messages name files relative to the working folder
    result = run_in_process("build", case.name, "--format", "html", "--out", str(tmp_path / "out"))
    assert result == (2, "", case.with_suffix(".expected").read_text(encoding="utf-8"))
    assert not (tmp_path / "out").exists()


def test_file_too_large_is_refused_before_parsing(workdir):
    (workdir / "p.yaml").write_bytes(b"# " + b"x" * 5_000_000 + b"\n")
    assert problems_of("p.yaml") == [
        "p.yaml:1:1: the file is 5,000,003 bytes; a pathway file may be at most 5,000,000 bytes"]


def test_a_yaml_bomb_is_refused_without_being_built(workdir):
    """A billion values in nine lines: refused after reading the lines, in a few hundred KB of memory."""
    tracemalloc.start()
    try:
        problems = problems_of(str(CORPUS / "billion-laughs.yaml"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(problems) == 1 and problems[0].endswith("the file expands to more than 100,000 values, "
                                                       "through aliases (*name): a pathway is far smaller")
    assert peak < 2_000_000, f"{peak:,} bytes"


def test_unknown_pathway_reference_suggests_the_builtin_one(workdir):
    assert problems_of("compassionate-inclusive-leadershp") == [
        "no pathway file or built-in pathway called 'compassionate-inclusive-leadershp' "
        "(did you mean 'compassionate-inclusive-leadership'?): give the path to a .yaml file, "
        "or run 'pathway list'"]


def test_leading_zero_minutes_are_decimal_not_octal(workdir):
    from builder.pathway.assemble import load_pathway

    write(workdir, "p.yaml", """\
        id: p
        title: P
        levels:
          - id: one
            title: One
            items:
              - {id: a, kind: read, title: A, minutes: 010}
        """)
    assert load_pathway("p.yaml").levels[0].items[0].minutes == 10
