"""The README's commands are the ones CI runs, and every file it points at exists."""

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README, re.S)


def test_readme_has_two_commands_and_ci_runs_the_test_one_verbatim():
    build, test = shell_blocks()
    assert build == "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/pathway build"
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_links_and_images_exist():
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
