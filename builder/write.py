"""The one place that writes files: every output to a temporary name, then all renamed into place."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
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
    """Write each document (name -> (bytes, page count)) into the folder: all of them, or none.

    Each goes to a temporary file beside its place first; only when every one is written are they
    renamed into place, with Ctrl-C and polite kills held off meanwhile. So a failed or stopped
    build leaves the earlier files as they were and no temporary file behind, and readers never
    see half a file.
    """
    check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in documents:
        if (folder / name).is_dir():
            raise UserError(f"cannot write '{folder / name}': a folder has that name; move it away, "
                            "or choose another --out")
    temporaries = []
    with _signals_held():
        try:
            for name, (data, _) in documents.items():
                temporaries.append((_temporary(folder, name, data), folder / name))
            for temporary, path in temporaries:
                os.replace(temporary, path)
        finally:
            for temporary, _ in temporaries:
                Path(temporary).unlink(missing_ok=True)  # gone already, once renamed
    return [Written(folder / name, len(data), pages) for name, (data, pages) in documents.items()]


def _temporary(folder: Path, name: str, data: bytes) -> str:
    """`data` in a new file beside folder/name, on the disk; its name is unique, so builds never collide."""
    if Path(name).name != name or name in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")  # names come from our code, not input
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # a crash after the rename must not leave an empty file
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


@contextlib.contextmanager
def _signals_held():
    """Hold Ctrl-C and kill's SIGTERM until the block ends, when they take effect as usual."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    earlier = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, earlier)
