"""The local server of `pathway serve`: the current build's files, its start page and print views, and the
stream of events that makes every open page reload after a rebuild.

Safe to run on a computer with other users' pages open in its browser:
- it listens on a loopback address only (the command refuses any other);
- it answers only requests whose Host header is its own address, so that a page of another site
  cannot read it by making its own name point at 127.0.0.1 (DNS rebinding);
- it serves only the files the current build made, each looked up by name in that list, never a
  path joined from the request: '..', '%2e%2e', a backslash, an absolute path or a link out of the
  build folder reaches nothing; and no folder is listed;
- every answer says Cache-Control: no-store, so a browser never shows an earlier build.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
import stat
import sys
from html import escape, unescape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .site import PRINT, SCREEN, Site

PAGES = Path(__file__).resolve().parent / "pages"
EVENTS = "_serve/events"
ASSETS = "_serve/"
VIEW = "view/"
KEEP_ALIVE = 15  # seconds between comments on a quiet event stream, so that a closed page is noticed
_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf", ".ics": "text/calendar; charset=utf-8",
          ".mjs": "text/javascript; charset=utf-8", ".js": "text/javascript; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".txt": "text/plain; charset=utf-8", ".zip": "application/zip",
          ".md": "text/markdown; charset=utf-8", ".json": "application/json"}
# The serve pages' own policy: their scripts and styles are files of this server; PDF.js draws pages
# on canvases, with fonts and images it makes from the PDF, and reads it in a worker.
_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; worker-src 'self'; "
           "img-src 'self' data: blob:; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
           "frame-ancestors 'none'")


def loopback(host: str) -> bool:
    """Whether `host` is an address of this computer alone: 127.0.0.0/8, ::1 or 'localhost'."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Server(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never keeps the command from stopping
    allow_reuse_address = True

    def __init__(self, host: str, port: int, site: Site, folder: Path):
        host = "127.0.0.1" if host == "localhost" else str(ipaddress.ip_address(host))  # as a browser writes it
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.site, self.folder = site, folder.resolve()
        super().__init__((host, port), Handler)
        port = self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        self.address = f"http://{shown}:{port}/"
        # The names this server answers to: the address it listens on, and localhost for 127.0.0.1.
        names = {shown} | ({"localhost"} if host == "127.0.0.1" else set())
        self.hosts = {f"{name}:{port}" for name in names} | (names if port == 80 else set())  # :80 goes unsaid
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        self.pages = Environment(loader=FileSystemLoader(PAGES), autoescape=select_autoescape(["html"]))

    def handle_error(self, request, client_address) -> None:
        """A page that went away mid-request is no news; anything else is a bug, with its traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    timeout = 60  # s: a connection that sends nothing for this long is closed (an event stream writes every 15)

    def log_message(self, format, *args) -> None:  # noqa: A002  (the terminal shows rebuilds, not requests)
        pass

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        try:
            self._route(body)
        except (BrokenPipeError, ConnectionResetError):  # the page went away mid-answer
            pass

    def _route(self, body: bool) -> None:
        if self.headers.get("Host", "") not in self.server.hosts:
            return self._text(HTTPStatus.FORBIDDEN, "This server answers only to "
                              f"{self.server.address} (this request named the host "
                              f"'{self.headers.get('Host', '')}'): open that address.", body)
        name = _name(self.path)
        site = self.server.site
        if name is None:
            return self._missing(body)
        if name == EVENTS:
            return self._events() if body else self._send(HTTPStatus.OK, "text/event-stream", b"", body)
        if name.startswith(ASSETS):
            return self._asset(name.removeprefix(ASSETS), body)
        if name == "":
            state = site.ready(SCREEN)
            return self._page("start.html", body, state=state, site=site, files=_listed(site))
        if name.startswith(VIEW):
            shown = name.removeprefix(VIEW)
            state = site.ready(PRINT)
            if not shown.endswith(".pdf") or site.file(shown) is None:
                return self._missing(body)
            return self._page("viewer.html", body, state=state, name=shown)
        state = site.ready(PRINT if name.endswith(".pdf") else SCREEN)
        found = site.file(name)
        if found is None:
            return self._missing(body)
        data = _read_inside(found.path, self.server.folder)
        if data is None:
            return self._missing(body)
        kind = _TYPES.get(found.path.suffix, "application/octet-stream")
        if found.path.suffix == ".html":
            data = live(data, found.step, state.builds[found.step])
        return self._send(HTTPStatus.OK, kind, data, body)

    def _events(self) -> None:
        """A stream of the site's state: at once, then after every change of it. The page says which
        builds it shows (?html=3&pdf=2), so that the next step can wait for it to reload first."""
        self.send_response(HTTPStatus.OK)
        self._headers("text/event-stream; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        site, version = self.server.site, None
        asked = parse_qs(urlsplit(self.path).query)
        shows = {step: int(values[0]) for step, values in asked.items()
                 if step in (SCREEN, PRINT) and values[0].isascii() and values[0].isdigit() and len(values[0]) < 10}
        page = asked.get("page", [""])[0]
        page = page if page.isascii() and page.isalnum() and len(page) <= 40 else ""
        token = site.opened(page, shows)
        try:
            while True:
                state = site.now() if version is None else site.after(version, KEEP_ALIVE)
                if state.version == version:
                    self.wfile.write(b": still here\n\n")
                else:
                    self.wfile.write(b"data: " + json.dumps(state.told()).encode() + b"\n\n")
                    version = state.version
                self.wfile.flush()
        finally:
            site.closed(page, token)

    def _asset(self, name: str, body: bool) -> None:
        if "/" in name or name.endswith(".html") or not (PAGES / name).is_file():
            return self._missing(body)
        kind = _TYPES.get(Path(name).suffix, "application/octet-stream")
        return self._send(HTTPStatus.OK, kind, (PAGES / name).read_bytes(), body)

    def _page(self, template: str, body: bool, **values) -> None:
        data = self.server.pages.get_template(template).render(**values).encode()
        self._send(HTTPStatus.OK, _TYPES[".html"], data, body, policy=True)

    def _missing(self, body: bool) -> None:
        site = self.server.site
        data = self.server.pages.get_template("missing.html").render(site=site, state=site.now()).encode()
        self._send(HTTPStatus.NOT_FOUND, _TYPES[".html"], data, body, policy=True)

    def _text(self, status: HTTPStatus, text: str, body: bool) -> None:
        self._send(status, _TYPES[".txt"], (text + "\n").encode(), body)

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool, policy: bool = False) -> None:
        self.send_response(status)
        self._headers(kind)
        if policy:
            self.send_header("Content-Security-Policy", _POLICY)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _headers(self, kind: str) -> None:
        self.send_header("Content-Type", kind)
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("X-Frame-Options", "DENY")  # no other site's page may frame a built page either


def _name(target: str) -> str | None:
    """The name a request asks for ('' for the start page), or None if it could name nothing of ours."""
    path = urlsplit(target).path if target.startswith("/") else None
    if path is None or "\\" in path:
        return None
    try:
        name = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if name == "/":
        return ""
    parts = name[1:].split("/")
    if "\\" in name or "\0" in name or any(part in ("", ".", "..") for part in parts):
        return None
    return name[1:]


def _read_inside(path: Path, folder: Path) -> bytes | None:
    """The file's bytes, if it is a plain file inside `folder` reached by no symbolic link."""
    try:
        if not Path(os.path.realpath(path)).is_relative_to(folder):
            return None
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (OSError, ValueError):
        return None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return None
        return stream.read()


def _listed(site: Site) -> dict[str, list]:
    """The current files for the start page: the screen's, the PDFs, and the learners' copies."""
    shown = {"screen": [], "print": [], "copies": []}
    for name, file in site.files.items():  # in the order the build lists them
        group = "copies" if "/" in name else "print" if file.step == PRINT else "screen"
        shown[group].append((name, file))
    return shown


_POLICY_META = re.compile(rb'(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")', re.I)


def live(html: bytes, step: str, build: int) -> bytes:
    """A built HTML page as served: with the script that reloads it after a rebuild, which its policy
    is widened to let in (the file in the build folder is left as it is)."""
    def widen(found: re.Match) -> bytes:
        directives = [part.strip() for part in unescape(found.group(2).decode()).split(";") if part.strip()]
        named = {part.split()[0].lower(): index for index, part in enumerate(directives)}
        for directive in ("script-src", "style-src", "connect-src"):
            if directive in named:
                index = named[directive]
                sources = [source for source in directives[index].split()[1:] if source != "'none'"]
                directives[index] = " ".join([directive, "'self'", *sources])
            elif "default-src" in named:
                directives.append(f"{directive} 'self'")
        return found.group(1) + escape("; ".join(directives)).replace("&#x27;", "&#39;").encode() + found.group(3)

    html = _POLICY_META.sub(widen, html, count=1)
    script = f'<script src="/_serve/live.js" data-steps="{step}" data-builds="{build}"></script>'.encode()
    at = html.lower().rfind(b"</body>")
    return html[:at] + script + html[at:] if at >= 0 else html + script

