"""What the last build of a pathway made, and from what: a build with nothing changed skips the PDF engine.

Each PDF gets a key: a hash of everything that decides its bytes. That is the exact HTML handed
to the engine, whether it has form fields, the contents of the user's template folders, and this
builder and its engine: their versions, and the builder's own source, so that an edited checkout
counts as a change. A file the engine read while laying out (an image beside the pathway, say)
is recorded with the hash of its contents, and must still match.

The record is kept beside the outputs, in MANIFEST, and written with them. A file is reused only
if its key is the one recorded and the file on disk is still byte for byte what was written.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .. import __version__, catalogue
from .write import plain_name

MANIFEST = ".pathway-build.json"
_FORMAT = 1  # the manifest's own layout; another number means an old or newer builder wrote it


@dataclass(frozen=True)
class Record:
    key: str
    digest: str  # sha256 of the file as written
    pages: int | None = None
    fetched: tuple[tuple[str, str], ...] = ()  # (file the engine read, sha256 of its contents)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def key(*parts: str | bytes | bool) -> str:
    """The hash of a PDF's inputs, `parts` (its HTML, options and templates_digest), with this builder's."""
    hashed = hashlib.sha256(_fingerprint().encode())
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        hashed.update(len(data).to_bytes(8, "big") + data)  # lengths, so that no two lists hash alike
    return hashed.hexdigest()


def templates_digest(folders: Iterable[Path], out: Path) -> str:
    """The user's template folders, by every file's name and contents, leaving out the output folder.

    `--templates .` may well hold the output folder: its files are what a build makes, not what it
    is made from, and counting them would make every build look changed.
    """
    return " ".join(_folder_digest(folder, out) for folder in folders)


# The libraries whose versions can change an output: parsing, rendering, QR codes, the engine.
_LIBRARIES = ("pyyaml", "pydantic", "jinja2", "markdown", "nh3", "segno", "weasyprint", "pydyf", "fonttools",
              "pikepdf")


@functools.cache
def _fingerprint() -> str:
    """This builder and what it builds with: its version, source and built-in templates, and its libraries."""
    from importlib import metadata  # 20 ms to import: only a build that records its PDFs needs it

    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} none")
    source, package = hashlib.sha256(), Path(__file__).resolve().parents[1]  # every module, in every subpackage
    for path in sorted(package.rglob("*.py")):
        source.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    templates = _folder_digest(catalogue.builtin("templates"))
    return f"pathway-builder {__version__} {source.hexdigest()} {templates} " + " ".join(versions)


def _folder_digest(folder: Path, out: Path | None = None) -> str:
    """Every file in a template folder, by name and contents (see catalogue.template_files)."""
    hashed = hashlib.sha256()
    for path in catalogue.template_files(folder, out):
        hashed.update(str(path.relative_to(folder)).encode() + b"\0" + (file_digest(path) or "").encode())
    return hashed.hexdigest()


class Cache:
    """The record of the last build into one folder, and the record of this one as it is made."""

    def __init__(self, folder: Path, reuse: bool = True):
        self.folder = folder
        self.earlier, self.last_build, self.earlier_cohorts = _read(folder / MANIFEST)
        self._reuse = reuse  # False with --force: every file is made anew, but the earlier records still count
        self.records: dict[str, Record] = {}
        self.cohorts: dict[str, str] = {}  # the folder of a cohort's copies -> the cohort file it was made from
        self._digests: dict[str, str | None] = {}

    def _on_disk(self, name: str) -> str | None:
        """The digest of the file there now (each read once: nothing is written until the build is done)."""
        if name not in self._digests:
            self._digests[name] = file_digest(self.folder / name)
        return self._digests[name]

    def reuse(self, name: str, key: str) -> Record | None:
        """The earlier record of `name` if the file on disk can be kept as it is; then it is recorded again."""
        record = self.earlier.get(name) if self._reuse else None
        if record is None or record.key != key or not self._intact(name, record):
            return None
        self.records[name] = record
        return record

    def kept(self, name: str) -> bytes | None:
        """The file the last build left for this one to build from (the parts of a PDF), if it is as
        written and so is every file read to make it; None with --force."""
        record = self.earlier.get(name) if self._reuse else None
        if record is None or not self._intact(name, record):
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def _intact(self, name: str, record: Record) -> bool:
        """Whether the file is still as written, and so is every file the engine read to make it."""
        return self._on_disk(name) == record.digest and all(
            file_digest(Path(path)) == hashed for path, hashed in record.fetched)

    def record(self, name: str, key: str, data: bytes, pages: int | None = None,
               fetched: Iterable[str] = ()) -> None:
        self.records[name] = Record(key, digest(data), pages,
                                    tuple((path, file_digest(Path(path)) or "") for path in fetched))

    def unchanged(self, inputs: str) -> list[tuple[str, Record]] | None:
        """Every file of the last build, if it was made from these inputs and each is still as it was written."""
        if not self._reuse or self.last_build.get("inputs") != inputs:
            return None
        names = self.last_build.get("files", [])
        kept = [(name, self.earlier.get(name)) for name in names]
        if not kept or any(record is None or not self._intact(name, record) for name, record in kept):
            return None
        return kept

    def claim(self, cohort: str, source: str) -> str | None:
        """Take the copies' folder `cohort` (learners/<cohort>/) for the cohort file `source`, unless the last
        build left in it copies made from another file: then that file, and the folder stays as it is."""
        other = self.earlier_cohorts.get(cohort)
        if other is not None and other != source and any(_cohort_of(name) == cohort for name in self.earlier):
            return other
        self.cohorts[cohort] = source
        return None

    def stale(self) -> list[str]:
        """Files the last build made that this one does not, and that nobody has changed since: to remove."""
        return [name for name, record in self.earlier.items()
                if name not in self.records and self._on_disk(name) == record.digest]

    def manifest(self, removed: Iterable[str] = (), build: dict | None = None) -> bytes:
        """The records of this build, and those of the last for the files it left alone and did not remove.

        `build` says what this build was made from and what it made: {"inputs": key, "files": [...]}.
        """
        records = {name: record for name, record in self.earlier.items()
                   if name not in removed and self._on_disk(name) == record.digest}
        records.update(self.records)
        files = {name: {"key": record.key, "sha256": record.digest, "pages": record.pages,
                        "fetched": [list(pair) for pair in record.fetched]}
                 for name, record in sorted(records.items())}
        held = {_cohort_of(name) for name in records}
        cohorts = {cohort: source for cohort, source in sorted({**self.earlier_cohorts, **self.cohorts}.items())
                   if cohort in held}
        data = {"format": _FORMAT, "build": build or {}, "files": files, "cohorts": cohorts}
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()


def _cohort_of(name: str) -> str | None:
    """The cohort folder of a learner's copy, 'spring' for 'learners/spring/ada.pdf'; None for other files."""
    parts = name.split("/")
    return parts[1] if len(parts) == 3 else None


def _read(path: Path) -> tuple[dict[str, Record], dict, dict[str, str]]:
    """The manifest's records, its last build and the cohort file of each cohort folder; none if it is
    missing, damaged or of another format (everything is then made anew)."""
    try:
        data = json.loads(path.read_bytes())
        if data.get("format") != _FORMAT:
            return {}, {}, {}
        records = {name: Record(entry["key"], entry["sha256"], entry["pages"],
                                tuple((path, hashed) for path, hashed in entry["fetched"]))
                   for name, entry in data["files"].items()
                   if isinstance(name, str) and plain_name(name)}  # the manifest may have been tampered with
        build = data.get("build")
        if not isinstance(build, dict) or not isinstance(build.get("files", []), list) or not all(
                isinstance(name, str) and name in records for name in build.get("files", [])):
            build = {}
        cohorts = data.get("cohorts", {})  # a manifest from before cohort folders has none
        cohorts = {cohort: source for cohort, source in cohorts.items()
                   if isinstance(cohort, str) and isinstance(source, str)} if isinstance(cohorts, dict) else {}
        return records, build, cohorts
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, {}, {}

