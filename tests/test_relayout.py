"""After an edit, a PDF is made by laying out again only the parts that changed, to the bytes a whole build gives.

A build keeps each PDF's parts beside the outputs (.pathway-parts/NAME.parts). The next build
lays out again, in place, only a part whose in-place document changed; when its page count no
longer holds, the document is laid out whole. Either way the PDF is byte for byte the one a
`--force` build of the same file makes. Which documents the engine laid out is seen by recording
each one WeasyPrint is handed, not by timing.
"""

import shutil
from pathlib import Path

import pytest
import yaml

from builder.printing import kept, parts, worker
from builder.printing.fit import Edits
from conftest import DEFAULT, ROOT, run_pathway

OUT = "compassionate-inclusive-leadership"
QUESTION = "held back a question"  # in one question of one item of the default pathway
EDITED = "held back a quiet question"
SHAPES = Path(__file__).parent / "shapes"


def kept_parts(folder: Path, name: str) -> tuple[parts.Part, ...]:
    found = kept.unpack((folder / kept.name_for(name)).read_bytes())
    assert found, f"no parts kept for {name}"
    return found


def build(cwd: Path, pathway: str, *args: str, fillable: bool = True) -> None:
    result = run_pathway("build", pathway, "--edition", "learner", "--format", "pdf", *["--fillable"] * fillable,
                         *args, cwd=cwd)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def default_copy(tmp_path) -> Path:
    shutil.copy(DEFAULT, tmp_path / "pathway.yaml")
    assert (tmp_path / "pathway.yaml").read_text(encoding="utf-8").count(QUESTION) == 1
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.pdf
@pytest.mark.slow
def test_an_edited_question_lays_out_its_part_again_to_the_bytes_of_a_whole_build(default_copy):
    build(default_copy, "pathway.yaml")
    out = default_copy / "output" / OUT
    before = {name: kept_parts(out, name) for name in ("workbook.pdf", "workbook-fillable.pdf")}
    edit(default_copy / "pathway.yaml", QUESTION, EDITED)
    build(default_copy, "pathway.yaml")
    build(default_copy, "pathway.yaml", "--force", "--out", "whole")
    for name, earlier in before.items():
        assert (out / name).read_bytes() == (default_copy / "whole" / OUT / name).read_bytes(), name
        now = kept_parts(out, name)
        changed = [number for number, (old, new) in enumerate(zip(earlier, now)) if old.key != new.key]
        # The one part that holds item "psychological-safety" (and an item beside it), and no other.
        assert len(changed) == 1, name
        assert "item-psychological-safety" in dict(now[changed[0]].anchors), name
        assert [part.data for number, part in enumerate(now) if number not in changed] == [
            part.data for number, part in enumerate(earlier) if number not in changed]
        assert (out / kept.name_for(name)).read_bytes() == (default_copy / "whole" / OUT / kept.name_for(name)
                                                             ).read_bytes()


@pytest.mark.pdf
@pytest.mark.slow
def test_an_edit_that_changes_a_page_count_lays_the_document_out_whole_to_the_same_bytes(default_copy):
    build(default_copy, "pathway.yaml")
    out = default_copy / "output" / OUT
    pages = sum(part.pages for part in kept_parts(out, "workbook.pdf"))
    long_question = QUESTION + " " + "and then said nothing, for days " * 40
    edit(default_copy / "pathway.yaml", QUESTION, long_question)
    build(default_copy, "pathway.yaml")
    build(default_copy, "pathway.yaml", "--force", "--out", "whole")
    assert sum(part.pages for part in kept_parts(out, "workbook.pdf")) > pages
    for name in ("workbook.pdf", "workbook-fillable.pdf"):
        assert (out / name).read_bytes() == (default_copy / "whole" / OUT / name).read_bytes(), name


@pytest.mark.pdf
@pytest.mark.slow
def test_a_pathway_of_another_shape_comes_out_the_same_after_each_kind_of_edit(tmp_path):
    """Items of one to eight questions, filled pages among them: a question, then a title (in the contents
    too), each give a whole build's bytes."""
    pathway = yaml.safe_load((SHAPES / "question-counts.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "shape.yaml"

    def save():
        path.write_text(yaml.safe_dump(pathway, allow_unicode=True, sort_keys=False), encoding="utf-8")

    save()
    build(tmp_path, "shape.yaml", fillable=False)
    first = pathway["levels"][0]["items"]
    edits = [lambda: first[3]["questions"].__setitem__(0, "**What?** Which point of it would you tell a colleague?"),
             lambda: first[5].__setitem__("title", "A fictional resource, renamed, with many questions")]
    for number, change in enumerate(edits):
        change()
        save()
        build(tmp_path, "shape.yaml", fillable=False)
        build(tmp_path, "shape.yaml", "--force", "--out", f"whole-{number}", fillable=False)
        made, whole = (folder / "question-counts" / "workbook.pdf" for folder in (tmp_path / "output",
                                                                                  tmp_path / f"whole-{number}"))
        assert made.read_bytes() == whole.read_bytes(), number


class Recorded:
    """Stands in for weasyprint.HTML, recording each document handed to the engine to lay out."""
    documents: list[str] = []
    html = None  # weasyprint.HTML itself

    def __init__(self, string: str, **options):
        self.documents.append(string)
        self._html = self.html(string=string, **options)

    def render(self, **options):
        return self._html.render(**options)


def lay_out(html: str, salt: str = "salt", kept_parts=()):
    return worker.lay_out(html, str(DEFAULT.parent), [str(ROOT / "templates"), str(DEFAULT.parent)], False,
                          salt=salt, kept=kept_parts)


@pytest.mark.pdf
@pytest.mark.slow
def test_the_engine_lays_out_only_the_changed_part_and_only_once(default_printed, monkeypatch):
    import weasyprint

    Recorded.html = weasyprint.HTML
    html = (default_printed / "workbook.print.html").read_text(encoding="utf-8")
    assert html.count(QUESTION) == 1
    first = lay_out(html)
    changed = html.replace(QUESTION, EDITED)
    monkeypatch.setattr(Recorded, "documents", [])
    monkeypatch.setattr(weasyprint, "HTML", Recorded)
    again = lay_out(changed, kept_parts=first[4])
    (laid,) = Recorded.documents
    assert EDITED in laid and 'id="item-psychological-safety"' in laid and 'id="item-five-myths"' not in laid
    monkeypatch.undo()
    assert again[:2] == lay_out(changed)[:2]  # the PDF and its page count
    # With another salt (another builder, say) no part is the same: one whole layout, not one a part.
    monkeypatch.setattr(Recorded, "documents", [])
    monkeypatch.setattr(weasyprint, "HTML", Recorded)
    lay_out(changed, salt="another", kept_parts=first[4])
    assert Recorded.documents == [changed]


PART = parts.Part("k" * 64, 3, [("item-a", 0), ("café-é", 2)], [1, 2], Edits({"q1": 2}, {"q2": 40.25}, {"f"},
                                                                            {"j"}, {"j"}), b"%PDF-1.7 one")


def test_kept_parts_read_back_as_they_were_written():
    other = parts.Part("m" * 64, 1, [], [], Edits(), b"%PDF-1.7 two")
    assert kept.unpack(kept.pack((PART, other))) == (PART, other)


@pytest.mark.parametrize("damage", [
    lambda data: data[:-1], lambda data: data + b"x", lambda data: b"x" + data,
    lambda data: data.replace(b'"size": 12', b'"size": -1'), lambda data: data.replace(b'"pages": 3', b'"pages": "3x"'),
    lambda data: data.replace(b'[[', b'[', 1), lambda data: b"", lambda data: data.split(b"\n")[0] + b"\n{}\n",
], ids=["cut short", "a byte more", "not the first line", "a negative size", "a page count not a number",
        "an anchor not a pair", "empty", "not a list"])
def test_a_damaged_parts_file_is_read_as_no_parts_kept(damage):
    assert kept.unpack(damage(kept.pack((PART,)))) == ()
