import fcntl
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import warnings
from pathlib import Path

import pytest

from builder.errors import UserError
from builder.pathway.assemble import load_pathway
from builder.sequence import sequence

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "pathways" / "compassionate-inclusive-leadership.yaml"
EXAMPLE = ROOT / "pathways" / "examples" / "ward-managers-spring-2027.yaml"
WELSH = ROOT / "tests" / "welsh" / "welsh.yaml"  # the default pathway, its interface in Welsh
WELSH_ID = "arweinyddiaeth-dosturiol"


def pytest_addoption(parser):
    parser.addoption("--benchmark", action="store_true",
                     help="also run the benchmark script's own test (half a minute)")
    parser.addoption("--without-engine", action="store_true",
                     help="give the builder a WeasyPrint that cannot be imported: a test that lays out a "
                          "PDF without the 'pdf' mark then fails (run it with -m 'not pdf and not browser')")


def pytest_configure(config):
    if config.getoption("--without-engine"):
        broken = Path(tempfile.mkdtemp(prefix="pathway-without-engine-"))
        (broken / "weasyprint.py").write_text(
            'raise ImportError("this test laid out a PDF: mark it @pytest.mark.pdf")\n', encoding="utf-8")
        sys.path.insert(0, str(broken))  # for the engine started here, which takes this process's path
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(broken), os.environ.get("PYTHONPATH")]))


@pytest.hookimpl(tryfirst=True)  # before -m chooses
def pytest_collection_modifyitems(config, items):
    for item in items:
        # A test file's tests run on one worker, with its fixtures (--dist loadgroup), unless the file
        # splits a long one's work into groups of its own (tests/test_page_fill.py's shapes).
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
        if "browser" in item.fixturenames:  # every test that starts Chromium does so through the fixture
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("benchmark") and not config.getoption("--benchmark"):
            item.add_marker(pytest.mark.skip(reason="the benchmark's own test runs with --benchmark"))


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


def shared(tmp_path_factory, name: str, *args: str) -> tuple[Path, subprocess.CompletedProcess]:
    """A folder in which `pathway *args` ran once for the whole run, across pytest-xdist's workers
    too, and what it printed. For tests that only read what it made: copy it to change it."""
    root = tmp_path_factory.getbasetemp()
    root = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root  # the workers' common folder
    folder, said = root / name, root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker builds; the others wait, then read
        if not said.exists():
            folder.mkdir()
            result = run_pathway(*args, cwd=folder)
            said.write_text(json.dumps([result.returncode, result.stdout, result.stderr]), encoding="utf-8")
    code, stdout, stderr = json.loads(said.read_text(encoding="utf-8"))
    return folder, subprocess.CompletedProcess(["pathway", *args], code, stdout, stderr)


@pytest.fixture(scope="session")
def default_build(tmp_path_factory):
    """`pathway build` of the default pathway, as a newcomer runs it: in output/<id>/."""
    return shared(tmp_path_factory, "default-build", "build")


@pytest.fixture(scope="session")
def default_printed(tmp_path_factory):
    """Every printed file of the default pathway: its PDFs, fillable too, and their print HTML."""
    folder, result = shared(tmp_path_factory, "default-printed", "build", "--format", "pdf,print-html",
                            "--fillable", "--out", ".")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # the engine had nothing to warn about: no missing alt text, no bad CSS
    return folder / "compassionate-inclusive-leadership"


@pytest.fixture(scope="session")
def example_printed(tmp_path_factory):
    """Every PDF of the example pathway (pathways/examples/): learner, fillable and facilitator."""
    folder, result = shared(tmp_path_factory, "example-printed", "build", str(EXAMPLE), "--format", "pdf",
                            "--fillable", "--out", ".")
    assert result.returncode == 0, result.stderr
    return folder / "ward-managers-spring-2027"


@pytest.fixture(scope="session")
def default_editions(tmp_path_factory):
    """The default pathway's large print, fillable too, and its booklet; and what the build printed."""
    folder, result = shared(tmp_path_factory, "editions-default", "build", "--edition", "large-print,booklet",
                            "--fillable", "--format", "pdf", "--out", ".")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return folder / "compassionate-inclusive-leadership", result


@pytest.fixture(scope="session")
def welsh_printed(tmp_path_factory):
    """Every PDF of the Welsh build: learner, fillable, facilitator, and large print, fillable too."""
    folder, result = shared(tmp_path_factory, "welsh-printed", "build", str(WELSH), "--format", "pdf",
                            "--edition", "learner,facilitator,large-print", "--fillable", "--out", ".")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return folder / WELSH_ID


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


STORAGE_PROBE = ROOT / "tests" / "storage-probe.html"
PROBE_MARK = "storage-probe"  # the key the probe writes, and takes away, into an empty storage
PROBE_WAIT = 5000  # ms: a page with the browser's storage sees another page's write well within this


def reached_storage(page) -> bool:
    """Whether a page just loaded from a file has the browser's localStorage. Under load, Chromium now and
    then gives one a localStorage cut off from the browser's: it reads empty for as long as the page
    lives, no other page's write reaches it, and its own reach no other page; a reload mends it. (Seen
    here and in CI with Chromium 156, fresh or on-disk profile, 0.05 to 1 s after the last write.) Such
    a page reads empty while a page opened beside it reads what is stored; and when nothing is stored, it
    never sees the mark such a page writes, which a page that has the browser's storage sees at once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if page.evaluate("localStorage.length"):
        return True
    probe = page.context.new_page()
    try:
        probe.goto(STORAGE_PROBE.as_uri())
        if probe.evaluate("localStorage.length"):
            return page.evaluate("localStorage.length") > 0
        if not probe.evaluate("mark => { try { localStorage.setItem(mark, '1'); return true; } "
                              "catch (error) { return false; } }", PROBE_MARK):
            return True  # a browser that keeps nothing, as a test may make it: there is no storage to reach
        try:
            # As functions: the workbook's policy forbids evaluating a string of script in it.
            page.wait_for_function("mark => localStorage.getItem(mark) === '1'", arg=PROBE_MARK, timeout=PROBE_WAIT)
        except PlaywrightTimeout:
            return False
        finally:
            probe.evaluate("mark => localStorage.removeItem(mark)", PROBE_MARK)
        # Gone again before the test reads the storage, which then holds only what the workbook wrote.
        page.wait_for_function("mark => localStorage.getItem(mark) === null", arg=PROBE_MARK)
        return True
    finally:
        probe.close()


def load(page, go) -> None:
    """`go()` loads or reloads the page, and does again, up to twice, while the browser cuts the page off
    from its storage: what a test of the workbook's storage looks at is then what the browser holds."""
    for _ in range(3):
        go()
        if reached_storage(page):
            return
        warnings.warn(f"Chromium loaded {page.url} with a localStorage cut off from the browser's: loaded again")
    raise AssertionError(f"Chromium loaded {page.url} three times with a localStorage cut off from the browser's")


def reload(page, **options) -> None:
    load(page, lambda: page.reload(**options))
