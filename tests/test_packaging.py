"""`pip install .` (not editable) gives a working `pathway` with the templates and pathways inside the wheel."""

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(folder), str(ROOT)], check=True, capture_output=True, timeout=300)
    (path,) = folder.glob("pathway_builder-*.whl")
    return path


def test_wheel_carries_the_default_pathway_the_example_and_the_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("builder/_data/pathways/compassionate-inclusive-leadership.yaml",
                     "builder/_data/pathways/examples/ward-managers-spring-2027.yaml",
                     "builder/_data/pathways/pathway.schema.json",
                     "builder/_data/templates/print/learner.html",
                     "builder/_data/templates/print/print.css",
                     "builder/_data/templates/screen/workbook.html",
                     "builder/_data/templates/icons/read.svg",
                     "builder/locale/cy/LC_MESSAGES/messages.po",
                     "builder/locale/cy/LC_MESSAGES/messages.mo",
                     "builder/locale/en_GB/LC_MESSAGES/messages.mo",
                     "builder/cli.py"):
        assert expected in names
    assert not any(name.startswith(("tests/", "output/")) for name in names)


@pytest.mark.pdf
def test_installed_wheel_builds_the_default_workbook_in_an_empty_folder(wheel, tmp_path):
    # The wheel goes into a folder of its own, found first on the path; this environment supplies
    # its dependencies, so the test needs no network.
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, timeout=300)
    environment = {**os.environ, "PYTHONPATH": str(target)}
    empty = tmp_path / "empty"
    empty.mkdir()
    where = subprocess.run([sys.executable, "-c", "import builder; print(builder.__file__)"],
                           cwd=empty, capture_output=True, text=True, check=True, env=environment)
    assert where.stdout.startswith(str(target))
    pathway = target / "bin" / "pathway"
    result = subprocess.run([pathway, "build"], cwd=empty, capture_output=True, text=True,
                            timeout=300, env=environment)
    assert result.returncode == 0, result.stderr
    folder = empty / "output" / "compassionate-inclusive-leadership"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".pathway-build.json", ".pathway-parts", "facilitator.pdf", "workbook.html", "workbook.pdf"]
    assert (folder / "workbook.pdf").read_bytes().startswith(b"%PDF-")
    listed = subprocess.run([pathway, "list"], cwd=empty, capture_output=True, text=True, env=environment)
    assert "/builder/_data/pathways/compassionate-inclusive-leadership.yaml" in listed.stdout
