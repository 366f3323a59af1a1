"""The one place that writes files: every output to a temporary name, then all renamed into place."""

from __future__ import annotations

import contextlib
import enum
import os
import signal
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .. import stopping
from ..errors import UserError


class Keep(enum.Enum):
    FILE = "the file the last build left, kept as it is"


KEEP = Keep.FILE
_NAME_BYTES = 255  # the most a file name may take on Linux and macOS (in UTF-8) and most disks


@dataclass(frozen=True)
class Document:
    """One file a build makes: its name inside the pathway's folder, and its bytes, or KEEP."""

    name: str
    data: bytes | Keep
    pages: int | None = None  # a PDF's


@dataclass(frozen=True)
class Written:
    path: Path
    size: int
    pages: int | None = None
    unchanged: bool = False  # the file there already held these bytes, and was left as it was


def check_folder(folder: Path, names: Iterable[str] = ()) -> None:
    """Say now, before any work or any write, if the output folder or a file in it cannot be made."""
    for place in (folder, *folder.parents):
        if place.is_symlink() and not place.exists():
            raise UserError(f"cannot write into '{folder}': '{place}' is a link to a folder that does not "
                            "exist; choose another --out")
        if place.exists():
            if not place.is_dir():
                raise UserError(f"cannot write into '{folder}': '{place}' is a file, not a folder; "
                                "choose another --out")
            break
    for name in names:
        for inner in reversed(Path(name).parents[:-1]):  # learners/ and learners/spring/, for learners/spring/ada.pdf
            if (folder / inner).exists() and not (folder / inner).is_dir():
                raise UserError(f"cannot write into '{folder / inner}': it is a file, not a folder; move it "
                                "away, or choose another --out")
        if (folder / name).is_dir():
            raise UserError(f"cannot write '{folder / name}': a folder has that name; move it away, "
                            "or choose another --out")


def write_all(folder: Path, documents: Sequence[Document], remove: Iterable[str] = ()) -> list[Written]:
    """Write each document into the folder: all of them, or none.

    Each goes to a temporary file beside its place first; only when every one is written are they
    renamed into place, with Ctrl-C and polite kills held off for those few renames. So a failed or
    stopped build leaves the earlier files as they were and no temporary file behind, and readers
    never see half a file. A document to KEEP, or of the bytes its file already holds, is
    left as it is. The files named in `remove` (made by an earlier build, and no longer wanted)
    go with the renames.
    """
    names = [document.name for document in documents]
    check_folder(folder, names)
    temporaries, replaced = [], []
    made = [place for place in (*reversed(folder.parents), folder, *_folders(folder, names)) if not place.exists()]
    kept = {document.name for document in documents
            if document.data is KEEP or _holds(folder / document.name, document.data)}
    failed = folder  # the file or folder being made when an error comes: the one the message names
    try:
        for failed in made:
            failed.mkdir(parents=True, exist_ok=True)
        for document in documents:
            if document.name not in kept:
                failed = folder / document.name
                temporaries.append((_temporary(folder, document.name, document.data), failed))
        with _signals_held():
            for temporary, failed in temporaries:
                os.replace(temporary, failed)
                replaced.append(str(failed.relative_to(folder)))
            for name in remove:
                failed = folder / name
                failed.unlink(missing_ok=True)
    except OSError as error:  # a full disk, a read-only folder, a file that may not be replaced
        problem = UserError(f"cannot write '{failed}': {error.strerror or error}; choose another --out")
        problem.outcome = (f"{' and '.join(replaced)} {'were' if len(replaced) > 1 else 'was'} already "
                           "replaced" if replaced else "")
        raise problem from None
    finally:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)  # gone already, once renamed
        for place in reversed(made):
            if place.is_dir() and not any(place.iterdir()):
                place.rmdir()  # a build that wrote nothing leaves no empty folder either
    return [Written(folder / document.name, (folder / document.name).stat().st_size if document.data is KEEP
                    else len(document.data), document.pages, unchanged=document.name in kept)
            for document in documents]


def _folders(folder: Path, names: Iterable[str]) -> list[Path]:
    """The folders inside `folder` that the names need, outermost first."""
    return sorted({folder / inner for name in names for inner in Path(name).parents[:-1]}, key=lambda p: len(p.parts))


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file is there with exactly these bytes."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def plain_name(name: str) -> bool:
    """A name of a file inside the output folder: relative, and never up and out of it."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and all(part not in ("", ".", "..") for part in parts)


def _temporary(folder: Path, name: str, data: bytes) -> str:
    """`data` in a new file beside folder/name, on the disk; its name is unique, so builds never collide."""
    if not plain_name(name):
        raise ValueError(f"not a plain file name: {name!r}")  # names come from our code, not input
    place = folder / name
    # '.', mkstemp's 8 random characters and '.tmp' take 14 bytes: the name is cut to fit 255 in all.
    short = place.name.encode()[:_NAME_BYTES - 14].decode(errors="ignore")
    handle, temporary = tempfile.mkstemp(dir=place.parent, prefix=f".{short}.", suffix=".tmp")
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
    earlier = signal.pthread_sigmask(signal.SIG_BLOCK, stopping.SIGNALS)
    try:
        stopping.check()  # a stop that Python swallowed on the way: still nothing is renamed
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, earlier)
