"""The PDF engine's sandbox: data: URLs and files in the allowed folders, nothing else, and each refusal said."""

import base64
import io
import socket

import pytest
from PIL import Image
from pypdf import PdfReader

from builder.printing.engine import Engine
from conftest import run_pathway, write

pytestmark = pytest.mark.pdf  # every test here lays out a PDF

SECRET = "SECRET-7f3a-do-not-print"


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body>{body}<p>Hello</p></body></html>'


def png(path, colour=(200, 30, 30)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 4), colour).save(path)
    return path


@pytest.fixture(scope="module")
def engine():
    with Engine() as running:
        yield running


@pytest.fixture
def listener():
    """A port on this machine that notes any connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.setblocking(False)
    yield server
    server.close()


def connections(server) -> int:
    count = 0
    while True:
        try:
            server.accept()[0].close()
        except BlockingIOError:
            return count
        count += 1


@pytest.fixture
def places(tmp_path):
    """The built-in templates (base), a user's templates and the pathway's folder; and a secret beside them."""
    base, mine, beside, outside = (tmp_path / name for name in ("templates", "mine", "pathway", "outside"))
    for folder in (base, mine, beside, outside):
        folder.mkdir()
    (outside / "secret.css").write_text(f'p::after {{ content: "{SECRET}" }}', encoding="utf-8")
    png(outside / "secret.png")
    (mine / "link.css").symlink_to(outside / "secret.css")  # inside by name, outside in fact
    return base, mine, beside, outside


def text_and_images(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "".join(p.extract_text() for p in reader.pages), sum(len(p.images) for p in reader.pages)


def test_files_outside_the_folders_and_the_network_are_refused_and_named(engine, places, listener):
    base, mine, beside, outside = places
    port = listener.getsockname()[1]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><image width="4" height="4" '
           f'href="{(outside / "secret.png").as_uri()}"/></svg>')
    svg_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    result = engine.pdf(page(
        '<link rel="stylesheet" href="../outside/secret.css">'
        f'<link rel="stylesheet" href="{(outside / "secret.css").as_uri()}">'
        '<link rel="stylesheet" href="link.css">'
        f'<img src="http://127.0.0.1:{port}/logo.png" alt="">'
        f'<img src="https://127.0.0.1:{port}/logo.png" alt="">'
        f'<img src="//127.0.0.1:{port}/share.png" alt="">'
        f'<img src="{svg_uri}" alt="">'), base, folders=[mine, beside])
    assert result.left_out == (
        ("outside", str(outside / "secret.css")),
        ("link", "link.css"),
        ("network", f"http://127.0.0.1:{port}/logo.png"),
        ("network", f"https://127.0.0.1:{port}/logo.png"),
        ("network", f"file://127.0.0.1:{port}/share.png"),
        ("outside", str(outside / "secret.png")))
    text, images = text_and_images(result.data)
    assert "Hello" in text and SECRET not in text and images == 0
    assert connections(listener) == 0


def test_data_urls_and_files_in_the_folders_are_served_a_users_first(engine, places):
    base, mine, beside, _ = places
    png(base / "logo.png", (0, 0, 255))
    png(mine / "logo.png")  # the user's own replaces the built-in one, as its templates do
    png(beside / "photo.png")
    dot = "data:image/png;base64," + base64.b64encode((mine / "logo.png").read_bytes()).decode()
    result = engine.pdf(page(f'<img src="logo.png" alt=""><img src="{(beside / "photo.png").as_uri()}" alt="">'
                             f'<img src="{dot}" alt=""><img src="missing.png" alt="">'
                             f'<img src="{(beside / "gone.png").as_uri()}" alt="">'),
                        base, folders=[mine, beside])
    assert result.left_out == (("missing", "missing.png"), ("missing", str(beside / "gone.png")))
    reader = PdfReader(io.BytesIO(result.data))
    colours = sorted(image.image.convert("RGB").getpixel((0, 0)) for image in reader.pages[0].images)
    assert colours == [(200, 30, 30), (200, 30, 30), (200, 30, 30)]


def test_hidden_files_looped_links_and_impossible_names_are_left_out_and_said(engine, places):
    base, mine, beside, _ = places
    png(beside / ".ssh" / "key.png")
    png(mine / ".hidden.png")
    (mine / "loop1.png").symlink_to(mine / "loop2.png")
    (mine / "loop2.png").symlink_to(mine / "loop1.png")
    result = engine.pdf(page(f'<img src="{(beside / ".ssh" / "key.png").as_uri()}" alt=""><img src=".hidden.png" '
                             'alt=""><img src="loop1.png" alt=""><img src="a%00.png" alt="">'
                             f'<img src="{"x" * 300}.png" alt="">'), base, folders=[mine, beside])
    assert result.left_out == (("hidden", str(beside / ".ssh" / "key.png")), ("hidden", ".hidden.png"),
                               ("unreadable", "loop1.png"), ("unreadable", "a\x00.png"),
                               ("unreadable", f"{'x' * 300}.png"))
    assert text_and_images(result.data)[1] == 0


def test_a_template_that_reaches_outside_is_refused_at_its_line_and_nothing_is_written(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text(f'p::after {{ content: "{SECRET}" }}', encoding="utf-8")
    write(tmp_path, "mine/print/learner.html", """\
        {% extends "builtin/print/learner.html" %}
        {% block style %}
        .cover { background: url("logo.png"); }
        {% endblock %}
        {% block body %}
        <link rel="stylesheet" href="../../../../../../../../../../..""" + str(outside / "secret.css") + """">
        <img src="https://www.england.nhs.uk/logo.png" alt="">
        {{ super() }}
        {% endblock %}
        """)
    folder = tmp_path / "out" / "compassionate-inclusive-leadership"
    folder.mkdir(parents=True)
    (folder / "workbook.pdf").write_bytes(b"the earlier workbook")
    result = run_pathway("build", "--templates", "mine", "--edition", "learner", "--out", "out", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "error: mine/print/learner.html:3:27: workbook.pdf: cannot find 'logo.png' in the templates folders "
        "or the pathway's folder: check the name, or copy the file into your templates folder",
        "error: mine/print/learner.html:6:30: workbook.pdf: the PDF engine reads files only from the "
        f"templates folders and the pathway's folder, so it left out '{outside / 'secret.css'}': copy the "
        "file into your templates folder and name it by a relative address, like 'logo.png'",
        "error: mine/print/learner.html:7:11: workbook.pdf: the PDF engine fetches nothing from the network, "
        "so it left out 'https://www.england.nhs.uk/logo.png': save the file into your templates folder and "
        "name it by a relative address, like 'logo.png'",
        "3 problems found: nothing was written."]
    assert [p.name for p in folder.iterdir()] == ["workbook.pdf"]
    assert (folder / "workbook.pdf").read_bytes() == b"the earlier workbook"


def test_a_pathway_that_names_a_local_file_or_a_server_gets_neither_into_its_pdf(tmp_path, listener):
    port = listener.getsockname()[1]
    (tmp_path / "secret.css").write_text(f'p::after {{ content: "{SECRET}" }}', encoding="utf-8")
    png(tmp_path / "secret.png")
    payload = (f'<img src="{(tmp_path / "secret.png").as_uri()}"> <img src="http://127.0.0.1:{port}/a.png"> '
               f'<link rel="stylesheet" href="{(tmp_path / "secret.css").as_uri()}"> '
               f'<style>@import url("http://127.0.0.1:{port}/b.css");</style> '
               f'![secret]({(tmp_path / "secret.png").as_uri()}) ![remote](http://127.0.0.1:{port}/c.png)')
    write(tmp_path, "p.yaml", f"""\
        id: p
        title: P
        summary: '{payload}'
        levels:
          - id: one
            title: One
            items:
              - id: a
                kind: read
                title: A
                summary: '{payload}'
        """)
    result = run_pathway("build", "p.yaml", "--format", "pdf", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("workbook.pdf", "facilitator.pdf"):
        text, images = text_and_images((tmp_path / "out" / "p" / name).read_bytes())
        assert "P" in text and SECRET not in text and images == 0
    assert connections(listener) == 0
