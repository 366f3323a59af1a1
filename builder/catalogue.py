"""Where pathway files are: the built-in ones shipped with the tool, and those the user names."""

from __future__ import annotations

import os
import re
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# An id names a pathway's file and its output folder: lower-case letters, digits and single hyphens.
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_MOST = 64


def is_id(text: str) -> bool:
    return len(text) <= ID_MOST and ID.fullmatch(text) is not None


def template_files(folder: Path, out: Path | None = None) -> list[Path]:
    """Every file of a user's template folder, sorted: not hidden ones (an editor's swap file, .git),
    which the engine never reads, nor any in the output folder `out`, which `--templates .` may hold:
    what a build makes is not what it is made from."""
    leave_out, found = _resolved(out), []
    for place, folders, files in os.walk(folder):
        folders[:] = [name for name in folders  # pruned here, so the output folder is never read
                      if not name.startswith(".") and _resolved(Path(place, name)) != leave_out]
        found += [Path(place, name) for name in files if not name.startswith(".")]
    return sorted(found)


def _resolved(path: Path | None) -> Path | None:
    try:
        return path.resolve() if path is not None else None
    except (OSError, RuntimeError):  # a loop of links: then it is no folder of ours
        return None


def builtin(folder: str) -> Path:
    """The built-in `pathways` or `templates` folder: inside the wheel, or beside the package in a checkout."""
    packaged = _HERE / "_data" / folder
    return packaged if packaged.is_dir() else _HERE.parent / folder


def builtin_pathways() -> list[Path]:
    """Every built-in pathway file, the default first, then the examples."""
    root = builtin("pathways")
    return sorted(root.glob("*.yaml")) + sorted((root / "examples").glob("*.yaml"))


def looks_like_path(reference: str) -> bool:
    return reference.endswith((".yaml", ".yml")) or "/" in reference or os.sep in reference


def find(reference: str, beside: Path | None = None) -> Path | None:
    """A pathway file by path or by id; None when there is none.

    A path is relative to `beside` (the file that extends it), else to the working folder. An id
    names the file <id>.yaml: beside the extending file, then among the built-in pathways.
    """
    try:
        if looks_like_path(reference):
            path = (beside or Path.cwd()) / reference
            return path if path.is_file() else None
        places = ([beside] if beside else []) + [builtin("pathways"), builtin("pathways") / "examples"]
        return next((folder / f"{reference}.yaml" for folder in places
                     if (folder / f"{reference}.yaml").is_file()), None)
    except OSError:  # a name too long for the file system names no file
        return None


def known_ids(beside: Path | None = None) -> list[str]:
    """Ids a user might have meant, for 'did you mean' suggestions."""
    local = [path.stem for path in beside.glob("*.yaml")] if beside else []
    return local + [path.stem for path in builtin_pathways()]


def display(path: Path) -> str:
    """How a file is named in messages: relative to the working folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_at_most(path: Path, most: int) -> tuple[bytes, int]:
    """The first `most` + 1 bytes of a file, and its size: a 3 GB file is never read whole,
    whatever its size says. Raises OSError for the caller to put into words."""
    with path.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        chunks, taken = [], 0
        # In pieces, so that a file of a few bytes takes a few bytes of memory, not `most`.
        while taken <= most and (chunk := stream.read(min(1 << 16, most + 1 - taken))):
            chunks.append(chunk)
            taken += len(chunk)
    data = b"".join(chunks)
    return data, max(size, len(data))
