"""The builder's shape: no import cycle, no module over 300 lines, every format in the registry alone."""

import ast
import shutil
import subprocess
import sys

from conftest import ROOT

PACKAGE = ROOT / "builder"
MODULES = {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
           for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The builder's modules that a module imports anywhere: at the top, in a function, or for type checking."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:  # `from . import cache` imports the module cache
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


def test_the_builder_has_no_import_cycle():
    graph = {name: imports_of(name) for name in MODULES}
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            assert state.get(target) != "open", "import cycle: " + " -> ".join(path + [name, target])
            if target not in state:
                visit(target, path + [name])
        state[name] = "done"

    for name in MODULES:
        if name not in state:
            visit(name, [])
    assert graph["builder.printing.protocol"] == set()  # both sides read it, and it loads neither engine


def test_the_engine_and_pikepdf_are_imported_only_in_printing():
    for name in MODULES:
        for library in ("weasyprint", "pikepdf"):
            if any(module == library or module.startswith(library + ".") for module in libraries_of(name)):
                assert name.startswith("builder.printing.") and name != "builder.printing.protocol", (name, library)


def libraries_of(name: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module)
    return found


def test_no_module_is_over_300_lines():
    long = {name: count for name, path in MODULES.items()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


def test_only_the_formats_read_which_formats_were_asked_for():
    # The words of --format are read by the formats themselves, and hashed whole by the up-to-date
    # check; the command line and the build ask the registry.
    readers = {name for name, path in MODULES.items() if "options.formats" in path.read_text(encoding="utf-8")}
    assert readers == {"builder.formats.format", "builder.output.uptodate"}
    for name, path in MODULES.items():
        if not name.startswith("builder.formats"):
            text = path.read_text(encoding="utf-8")
            assert not any(f'"{word}" in' in text or f'"{word}" not in' in text
                           for word in ("html", "pdf", "print-html")), name


def test_the_builders_fingerprint_covers_the_modules_of_every_subpackage(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "builder", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    code = "from builder.output import cache; print(cache._fingerprint())"

    def fingerprint() -> str:
        return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                              check=True, env={"PYTHONPATH": str(tmp_path)}).stdout

    before = fingerprint()
    with open(tmp_path / "builder" / "printing" / "parts.py", "a", encoding="utf-8") as module:
        module.write("# an edit deep in the tree\n")
    assert fingerprint() != before
