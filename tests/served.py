"""A running `pathway serve`, as its tests and the benchmark drive it: the process, and every line it prints."""

import http.client
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

WAIT = 120  # s: the most any step may take before a test fails, however slow the machine


class Served:
    """A running `pathway serve`, and every line it has printed."""

    def __init__(self, folder: Path, *args: str):
        self.folder = folder
        self.process = subprocess.Popen([sys.executable, "-m", "builder", "serve", *args], cwd=folder,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: list[str] = []
        self.said = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        first = self.wait_for(r"Serving at (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C to stop\); building into (\S+)")
        self.address, self.port, self.build = first.group(1), int(first.group(2)), Path(first.group(3))

    def _read(self) -> None:
        for line in self.process.stdout:
            with self.said:
                self.lines.append(line.rstrip("\n"))
                self.said.notify_all()
        with self.said:
            self.said.notify_all()

    def mark(self) -> int:
        with self.said:
            return len(self.lines)

    def wait_for(self, pattern: str, after: int = 0) -> re.Match:
        """The first line from `after` on that matches, once it is printed."""
        found = None

        def seen() -> bool:
            nonlocal found
            found = next((match for line in self.lines[after:] if (match := re.search(pattern, line))), None)
            return found is not None or self.process.poll() is not None

        with self.said:
            assert self.said.wait_for(seen, WAIT), f"no line like {pattern!r} in {WAIT} s: {self.lines[after:]}"
        assert found is not None, f"serve ended ({self.process.returncode}) without {pattern!r}: {self.lines}"
        return found

    def since(self, after: int) -> list[str]:
        with self.said:
            return self.lines[after:]

    def request(self, target: str, host: str | None = None, method: str = "GET") -> http.client.HTTPResponse:
        """A raw request, the target sent as it is written (http.client would not tidy it)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{self.port}")
        connection.endheaders()
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


def save(path: Path, text: str) -> None:
    """As an editor saves: a temporary file beside it, renamed over it."""
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
