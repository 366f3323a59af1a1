"""The one place that writes files: every output to a temporary name, then renamed into place."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    pages: int | None = None


def check_folder(folder: Path) -> None:
    """Say now, before any work, if the output folder cannot be made."""
    for place in (folder, *folder.parents):
        if place.exists():
            if not place.is_dir():
                raise UserError(f"cannot write into '{folder}': '{place}' is a file, not a folder; "
                                "choose another --out")
            break


def write_all(folder: Path, documents: dict[str, tuple[bytes, int | None]]) -> list[Written]:
    """Write each document (name -> (bytes, page count)) into the folder, atomically."""
    check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [Written(write_atomic(folder, name, data), len(data), pages)
            for name, (data, pages) in documents.items()]


def write_atomic(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to folder/name so that readers see the old file or the new one, never half."""
    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")  # names come from our code, not input
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return folder / name
