"""A zip file's bytes, the same bytes for the same files: what the packages for learning platforms are."""

from __future__ import annotations

import io
import zipfile

# The earliest date a zip can hold, for every entry: a package changes only when what it holds does.
WHEN = (1980, 1, 1, 0, 0, 0)


def zipped(files: dict[str, bytes]) -> bytes:
    """The files, by their names inside the archive, in the order given, compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, WHEN)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # readable by all once unpacked, on any system
            archive.writestr(entry, data)
    return buffer.getvalue()
