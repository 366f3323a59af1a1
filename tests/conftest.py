import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from builder.errors import UserError
from builder.pathway.assemble import load_pathway
from builder.sequence import sequence

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "pathways" / "compassionate-inclusive-leadership.yaml"
EXAMPLE = ROOT / "pathways" / "examples" / "ward-managers-spring-2027.yaml"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty working folder; messages name files relative to it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(reference: str) -> list[str]:
    """The messages a user sees for a pathway that must not load."""
    with pytest.raises(UserError) as caught:
        load_pathway(reference)
    return [str(problem) for problem in caught.value.problems]


def run_pathway(*args: str, cwd: Path, python_path: Path | None = None) -> subprocess.CompletedProcess:
    """The real command, in a fresh process, as a user runs it; `python_path` is searched first."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(python_path or ""), os.environ.get("PYTHONPATH", "")]))}
    return subprocess.run([sys.executable, "-m", "builder", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def programme():
    """The default pathway, sequenced: what the outputs are checked against."""
    return sequence(load_pathway(str(DEFAULT)))


def plain(markdown: str) -> str:
    """Markdown as it reads on the page: no asterisks, white space folded."""
    return " ".join(markdown.replace("**", "").split())


def assert_in_order(text: str, parts: list[str]) -> None:
    position = -1
    for part in parts:
        found = text.find(part, position + 1)
        assert found > position, f"{part!r} missing or out of order"
        position = found


# Debian's Chromium, never a downloaded one; the flags keep it from reaching for Google's services,
# which this machine's closed network refuses.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One real Chromium for the session. A missing browser fails the tests: it is not a skip."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's package with 'apt-get install chromium'"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
