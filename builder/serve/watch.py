"""What `pathway serve` watches, and the watchers that tell it of a change.

It watches the pathway file and every file it extends, the logo, the cohort file and the
template folders, with watchfiles (inotify on Linux, FSEvents on macOS). A file's folder is
watched, not the file: an editor that saves by writing a temporary file and renaming it over the
old one replaces the file a watch on it would follow. Each folder of files is watched alone (not
what is inside its subfolders: the pathway's folder may hold a virtual environment of thousands);
the template folders with all they hold. The build folder is never among them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import catalogue
from ..errors import UserError
from ..options import Options

STEP_MS = 50  # a burst of changes ends when none has come for this long
MOST_MS = 1_000  # and is told at the latest after this, however long it goes on


@dataclass(frozen=True)
class Watched:
    """The files and folders whose changes start a rebuild."""
    files: frozenset[Path] = frozenset()  # resolved
    folders: tuple[Path, ...] = ()  # template folders, resolved: everything in them counts
    broken: bool = False  # the chain could not be followed to its end: any pathway file beside it counts

    def places(self) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
        """The folders there are now to watch alone, and those to watch with everything inside them.

        A folder inside a template folder is watched once, with it. A template folder that is not
        there (taken away by a checkout, say) has its parent watched instead, to see it come back.
        """
        within = tuple(folder for folder in self.folders if folder.is_dir())
        alone = {path.parent for path in self.files} | {folder.parent for folder in self.folders
                                                         if folder not in within}
        alone = sorted(place for place in alone
                       if place.is_dir() and not any(place.is_relative_to(folder) for folder in within))
        return tuple(alone), within

    def shown(self) -> tuple[str, ...]:
        """Each file and folder, as the start page lists them."""
        return (*sorted(catalogue.display(path) for path in self.files),
                *(catalogue.display(folder) + "/" for folder in self.folders))

    def counts(self, path: Path) -> bool:
        """Whether a change to `path` is one to rebuild for."""
        if path in self.files:
            return True
        for folder in self.folders:  # but not an editor's hidden swap file, nor .git: the build reads neither
            if path.is_relative_to(folder):
                return not any(part.startswith(".") for part in path.relative_to(folder).parts)
        return self.broken and path.suffix in (".yaml", ".yml") and not path.name.startswith(".")


def watched(reference: str, options: Options, build_folder: Path) -> Watched:
    """Everything a build of `reference` with `options` reads, as far as it can be found now."""
    from ..pathway.chain import find, follow

    files, broken = set(), False
    if catalogue.looks_like_path(reference):  # watched even while it is missing: it may be put back
        files.add(_resolved(Path(reference)))
    try:
        for link in follow(find(reference)):
            files.add(link.path)
            logo = link.raw.get("logo")
            if isinstance(logo, str):
                files.add(_resolved(link.path.parent / logo))
    except UserError:  # the build says what is wrong; meanwhile a new or renamed file may be the fix
        broken = True
    if options.learners is not None:
        files.add(_resolved(options.learners))
    folders = tuple(dict.fromkeys(_resolved(folder) for folder in options.templates))
    build = _resolved(build_folder)
    return Watched(frozenset(path for path in files if not path.is_relative_to(build)),
                   tuple(folder for folder in folders if not build.is_relative_to(folder)), broken)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


@dataclass
class Watchers:
    """Threads that call `changed` with the paths of each burst of changes that count."""
    changed: Callable[[set[Path]], None]
    failed: Callable[[str], None]
    now: Watched = field(default_factory=Watched)
    _places: tuple = ()
    _blind: bool = False  # a folder watched has gone: its watcher sees nothing of it from now on
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def watch(self, what: Watched) -> None:
        """Watch `what` from now on: nothing to do if it and the folders there are the same as before,
        and each watcher still runs (watchfiles sees nothing in a folder made again after it went)."""
        places = what.places()
        if (what, places) == (self.now, self._places) and not self._blind \
                and all(thread.is_alive() for thread in self._threads):
            return
        self.stop()
        self.now, self._places, self._stop, self._blind = what, places, threading.Event(), False
        alone, within = places
        for places, recursive in ((alone, False), (within, True)):
            if places:
                thread = threading.Thread(target=self._run, args=(places, recursive, what, self._stop),
                                          name="pathway-serve-watch", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _run(self, places: list[Path], recursive: bool, what: Watched, stop: threading.Event) -> None:
        import watchfiles

        try:
            for changes in watchfiles.watch(*places, watch_filter=None, recursive=recursive, step=STEP_MS,
                                            debounce=MOST_MS, stop_event=stop, raise_interrupt=False,
                                            ignore_permission_denied=True):
                paths = {Path(name) for _, name in changes}
                if paths & set(places):  # a folder watched went (and may come back): watch it anew
                    self._blind = True
                counted = {path for path in paths if what.counts(path)}
                if counted and not stop.is_set():
                    self.changed(counted)
        except Exception as error:  # noqa: BLE001  (the system's limit of watches, most often: said, and the rest go on)
            self.failed(f"warning: cannot watch {', '.join(map(catalogue.display, places))} for changes "
                        f"({error}); save again once it is fixed, or restart pathway serve")

    def stop(self) -> None:
        self._stop.set()
        self._threads = []  # daemon threads: each ends within a step of the event
