"""What the builder and the engine's process say to each other, shared by both sides.

Each message is one length-prefixed pickle; both ends are this package, so the pickles are
trusted. The refusal reasons are the sandbox's (sandbox.py, in the engine) and the builder's
(engine.py) alike. Nothing here imports WeasyPrint or pikepdf, so the builder can speak to the
engine without loading either.
"""

from __future__ import annotations

import pickle
import struct
from typing import BinaryIO

# Tagged, with the structure, language and alternative text a screen reader needs.
VARIANT = "pdf/ua-1"

# Why the sandbox left a file out of a PDF; the builder says each its own way.
NETWORK = "network"  # a URL of any scheme but data: and file:, or a file: URL on another machine
OUTSIDE = "outside"  # a file outside the allowed folders
LINK = "link"  # a name in an allowed folder that is a symbolic link to somewhere outside them
HIDDEN = "hidden"  # a hidden file, or one in a hidden folder: .ssh, .env and their like
MISSING = "missing"  # nothing by that name in any allowed folder
UNREADABLE = "unreadable"  # a name that cannot be read: a loop of links, a NUL, too long a name

_LENGTH = struct.Struct("!Q")
_MOST = 1 << 31  # no job or PDF comes near 2 GB: a longer length means the pipe is corrupt


def send(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> object | None:
    """The next message, or None when the other end has closed the pipe or broken off."""
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    if length > _MOST:
        return None
    data = stream.read(length)
    return pickle.loads(data) if len(data) == length else None
