"""The README's commands are the ones CI runs, and every file it points at exists."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DEFAULT, ROOT

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


def examples() -> list[tuple[str, str]]:
    """Each command the README shows after a '$ ', in order, with the output it shows under it.
    A command with a here-document ('<<'EOF'') runs on to its 'EOF' line."""
    found = []
    for block in re.findall(r"```\n(\$ .*?)\n```", README, re.S):
        lines = block.split("\n")
        while lines:
            command = [lines.pop(0).removeprefix("$ ")]
            if "<<'EOF'" in command[0]:
                while command[-1] != "EOF":
                    command.append(lines.pop(0))
            output = []
            while lines and not lines[0].startswith("$ "):
                output.append(lines.pop(0))
            found.append(("\n".join(command), "\n".join(output)))
    return found


def test_the_readme_shows_its_examples_with_the_commands_that_make_their_files():
    commands = [command for command, _ in examples()]
    assert [command.split("\n")[0] for command in commands] == [
        "cat > ward-managers.yaml <<'EOF'", "pathway build ward-managers.yaml",
        "cat > ward-managers.yaml <<'EOF'", "pathway validate ward-managers.yaml",
        "pathway build ward-managers-spring-2027 --edition large-print --large-print-size 20 -q",
        "pathway build ward-managers-spring-2027 --edition booklet --format pdf -q",
        "pathway build ward-managers-spring-2027 --format scorm,html-zip -q",
        'python -m zipfile -l output/ward-managers-spring-2027/workbook-scorm12.zip | cut -d " " -f 1',
        "pathway build ward-managers-spring-2027 --format ics -q",
        'grep "^DTSTART;" output/ward-managers-spring-2027/sessions.ics',
        "cat > cohort.csv <<'EOF'",
        "pathway build ward-managers-spring-2027 --learners cohort.csv --edition learner -q",
        "pathway schema > pathway.schema.json"]


@pytest.mark.pdf
def test_every_example_in_the_readme_runs_as_written_and_prints_what_it_shows(tmp_path):
    # In a folder of the reader's own, with `pathway` on the PATH as the quick start's
    # environment puts it there once activated.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    for command, shown in examples():
        ran = subprocess.run(["sh", "-c", command], cwd=tmp_path, env={**os.environ, "PATH": path},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
        assert ran.stdout.rstrip("\n") == shown, command
        assert ran.returncode == (2 if shown.startswith("error:") else 0), command
    copies = tmp_path / "output" / "ward-managers-spring-2027" / "learners"
    assert sorted(path.name for path in copies.rglob("*.pdf")) == ["okafor-chidi.pdf", "zoe-obrien.pdf"]


def test_the_schema_line_of_a_pathway_works_in_a_folder_of_ones_own(tmp_path):
    # What yaml-language-server does with the line: the schema, by a path relative to the pathway
    # file, checks the file. Here the file is the README's own first line over the default pathway.
    first = re.search(r"```yaml\n(# yaml-language-server: \$schema=(\S+))\n", README)
    written = subprocess.run([sys.executable, "-m", "builder", "schema"], capture_output=True, text=True)
    (tmp_path / first[2]).write_text(written.stdout, encoding="utf-8")
    default = DEFAULT.read_text(encoding="utf-8").split("\n", 1)[1]
    mine = tmp_path / "my-pathway.yaml"
    mine.write_text(f"{first[1]}\n{default}", encoding="utf-8")
    line = mine.read_text(encoding="utf-8").split("\n", 1)[0]
    schema = json.loads((mine.parent / line.split("$schema=")[1]).read_text(encoding="utf-8"))
    checker = jsonschema.validators.validator_for(schema)
    checker.check_schema(schema)
    assert list(checker(schema).iter_errors(yaml.safe_load(mine.read_text(encoding="utf-8")))) == []
    # And it finds a mistake, as an editor would underline it.
    wrong = yaml.safe_load(mine.read_text(encoding="utf-8").replace("reflection_model:", "reflection_modle:", 1))
    (error,) = checker(schema).iter_errors(wrong)  # neither a whole pathway nor an extending file, and why
    assert [each.message for each in error.context] == [
        "Additional properties are not allowed ('reflection_modle' was unexpected)",
        "Additional properties are not allowed ('levels', 'reflection_modle' were unexpected)",
        "'extends' is a required property"]
