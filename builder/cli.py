"""The `pathway` command: build, validate, list, schema. Exit 0 ok, 1 a build failed, 2 bad input or usage."""

from __future__ import annotations

import contextlib
import errno
import json
import sys
import time
import traceback
from pathlib import Path

import click

from . import __version__, catalogue, formats
from . import arguments
from .errors import EngineUnavailable, UserError
from .options import DEFAULT_EDITIONS, Options

DEFAULT_PATHWAY = "compassionate-inclusive-leadership"


def main() -> None:
    """The command itself; __main__.py runs it, with Ctrl-C and kill answered."""
    try:
        cli.main(prog_name="pathway", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except UserError as error:
        _report(error)
        sys.exit(2)
    except EngineUnavailable as error:
        click.echo(f"error: {error}\nNothing was written.", err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), err=True)
        sys.exit(1)
    except Exception:  # a bug: show everything needed to fix it
        traceback.print_exc()
        click.echo(f"\nThis is a bug in pathway builder {__version__}. Please report it with the "
                   "text above and the pathway file you used.", err=True)
        sys.exit(1)


def _report(error: UserError) -> None:
    for line in error.lines():
        click.echo(line, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pathway")
def cli() -> None:
    """Turn a pathway file into a learner workbook (HTML and PDF) and a facilitator guide."""


# The options that build and serve share.
_EDITIONS = click.option(
    "--edition", "editions", default=",".join(DEFAULT_EDITIONS), show_default=True, callback=arguments.editions,
    help="Comma-separated printed editions: learner (workbook.pdf), facilitator (facilitator.pdf), large-print "
         "(workbook-large-print.pdf), booklet (workbook-booklet.pdf, A5 pages imposed on A4 to fold), or all.")
_SIZE = click.option("--large-print-size", metavar="PT", callback=arguments.large_print_size,
                     help="The large-print edition's body text size in points, 16 to 28 (default 18).")


@cli.command()
@click.argument("pathways", nargs=-1, metavar="[PATHWAY]...")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder to build into; each pathway goes into a folder named by its id.")
@click.option("--format", "chosen", default="html,pdf,ics", show_default=True, callback=arguments.formats,
              help=arguments.formats_help())
@_EDITIONS
@_SIZE
@click.option("--fillable", is_flag=True, help="Also write workbook-fillable.pdf with form fields.")
@click.option("--templates", "templates", multiple=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="A folder of templates searched before the built-in ones (repeatable).")
@click.option("--learners", type=click.Path(path_type=Path), metavar="CSV",
              help="A cohort's CSV file (name, and optional email, cohort, group): one personalised "
                   "workbook per learner, in learners/<the CSV file's name>/.")
@click.option("--skip-bad-rows", is_flag=True,
              help="With --learners: build the good rows even if some rows are bad (they are listed).")
@click.option("--force", is_flag=True, help="Make every file anew, even those whose inputs have not changed.")
@click.option("--strict", is_flag=True, help="Make every warning an error: nothing is written while there is one.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems: no progress bar, no summary.")
def build(pathways, out, chosen, editions, large_print_size, fillable, templates, learners, skip_bad_rows, force,
          strict, quiet) -> None:
    """Build workbooks for PATHWAY files or ids (default: the built-in pathway)."""
    started = time.perf_counter()
    arguments.size_needs_large_print(large_print_size, editions)
    options = Options(out=out, formats=chosen, editions=editions, large_print_size=large_print_size or 18,
                      fillable=fillable, templates=tuple(templates), learners=learners,
                      skip_bad_rows=skip_bad_rows, force=force, strict=strict)
    if learners is not None and not any(format.copies for format in formats.wanted(options)):
        raise click.BadParameter("personalised workbooks are PDFs of the learner edition, in standard print: add "
                                 "'pdf' to --format, and learner to --edition", param_hint="'--learners'")
    if skip_bad_rows and learners is None:
        raise click.BadParameter("there are rows to skip only in a cohort file: add --learners CSV",
                                 param_hint="'--skip-bad-rows'")
    with _progress(quiet) as progress:
        from .build import build as run_build

        try:
            built = run_build(pathways or (DEFAULT_PATHWAY,), options, progress)
        except UserError as error:
            error.outcome = error.outcome or "nothing was written"
            raise
    for problem in (*built.warnings, *built.skipped):
        click.echo(f"warning: {problem}", err=True)
    if built.skipped:
        rows = len(built.skipped)
        click.echo(f"Skipped {rows} bad row{'s' * (rows != 1)} of the cohort file: no workbook for "
                   f"{'them' if rows != 1 else 'it'}.", err=True)
    if quiet:
        return
    for summary in built.pathways:
        click.echo(f"Built {summary.id}: {_shape(summary.levels, summary.items)}")
        for line in _listing(out / summary.id, summary.files) + _removed(summary.removed, learners):
            click.echo(f"  {line}")
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.")


@cli.command()
@click.argument("pathway", required=False, metavar="[PATHWAY]")
@click.option("--port", default="8000", show_default=True, callback=arguments.port, metavar="N",
              help="The port to serve on; 0 picks a free one.")
@click.option("--host", default="127.0.0.1", show_default=True, callback=arguments.host,
              help="The address to serve on: a loopback address only (127.0.0.1, ::1 or localhost).")
@_EDITIONS
@_SIZE
@click.option("--templates", "templates", multiple=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="A folder of templates searched before the built-in ones (repeatable); watched too.")
@click.option("--learners", type=click.Path(path_type=Path), metavar="CSV",
              help="A cohort's CSV file: each learner's workbook too; watched too.")
@click.option("--open", "open_browser", is_flag=True, help="Open the start page in the web browser.")
def serve(pathway, port, host, editions, large_print_size, templates, learners, open_browser) -> None:
    """Preview PATHWAY (default: the built-in pathway) in the browser, built again on every save.

    It builds into a temporary folder (never into output/), serves it on this computer alone, and
    watches the pathway file, each file it extends, its logo, the template folders and the cohort file:
    after each save, every open page reloads by itself, a print view on the page it showed. Ctrl-C stops it.
    """
    arguments.size_needs_large_print(large_print_size, editions)
    options = Options(formats=("html", "pdf", "ics"), editions=editions, large_print_size=large_print_size or 18,
                      templates=tuple(templates), learners=learners, skip_bad_rows=learners is not None)
    from .pathway.chain import find
    from .serve import serve as run_serve

    find(pathway or DEFAULT_PATHWAY)  # a file that is not there: said now (one that is wrong is shown as it is fixed)
    try:
        run_serve(pathway or DEFAULT_PATHWAY, options, host, port, open_browser, click.echo)
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        reason = {errno.EADDRINUSE: "is in use", errno.EACCES: "may not be used by this user",
                  errno.EADDRNOTAVAIL: "is not available here"}[error.errno]
        raise click.UsageError(f"cannot serve on {host} port {port}: it {reason}; choose another with --port, "
                               "or --port 0 for any free one") from None


def _listing(folder: Path, written) -> list[str]:
    """A line for each file, and one for each folder of personalised copies (learners/<cohort>/)."""
    lines, folders = [], {}
    for file in written:
        inner = file.path.relative_to(folder).parts
        if len(inner) == 3 and inner[0] in formats.COPY_FOLDERS:
            folders.setdefault(file.path.parent, []).append(file)
            continue
        pages = f"{file.pages} pages, " if file.pages else ""
        lines.append(f"{catalogue.display(file.path)}  ({pages}{_size(file.size)}{_unchanged([file])})")
    for folder, files in folders.items():
        count, pages = len(files), {file.pages for file in files}
        each = f", {pages.pop()} pages each" if len(pages) == 1 else ""
        lines.append(f"{catalogue.display(folder)}/  ({count} workbook{'s' * (count != 1)}{each}, "
                     f"{_size(sum(file.size for file in files))}{_unchanged(files)})")
    return lines


def _removed(removed, learners: Path | None) -> list[str]:
    """A line for each folder of copies that lost some: every file a build removes is named."""
    folders = {}
    for path in removed:
        folders.setdefault(path.parent, []).append(path.name)
    lines = []
    for folder, names in folders.items():
        count = len(names)
        lines.append(f"{catalogue.display(folder)}/: removed {count} workbook{'s' * (count != 1)} of learners no "
                     f"longer in {catalogue.display(learners)}: {', '.join(sorted(names))}")
    return lines


def _unchanged(files) -> str:
    same = sum(file.unchanged for file in files)
    if not same:
        return ""
    return ", unchanged" if same == len(files) else f", {same} unchanged"


def _progress(quiet: bool):
    """A progress bar on a terminal; nothing when output goes to a file or a pipe, or with --quiet."""
    from .progress import Bar, Quiet

    progress = Quiet() if quiet or not sys.stderr.isatty() else Bar()
    return contextlib.closing(progress)


def _shape(levels: int, items: int) -> str:
    return f"{levels} level{'s' * (levels != 1)}, {items} item{'s' * (items != 1)}"


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


@cli.command()
@click.argument("pathways", nargs=-1, required=True, metavar="PATHWAY...")
@click.option("--strict", is_flag=True, help="Make every warning an error.")
def validate(pathways, strict) -> None:
    """Check PATHWAY files and report every problem, without building anything."""
    from .pathway.assemble import load

    problems, refused = [], False
    for reference in pathways:
        try:
            loaded = load(reference)
        except UserError as error:
            problems += error.problems
            continue
        if strict and loaded.warnings:
            problems += loaded.warnings
            refused = True
            continue
        for warning in loaded.warnings:
            click.echo(f"warning: {warning}", err=True)
        pathway = loaded.pathway
        click.echo(f"ok: {reference} ({pathway.id}: {_shape(len(pathway.levels), pathway.item_count)})")
    if problems:
        failure = UserError(problems)
        failure.outcome = "with --strict, a warning is an error" if refused else ""
        raise failure


@cli.command(name="list")
def list_pathways() -> None:
    """List the built-in pathways."""
    from .pathway.assemble import load_pathway

    for path in catalogue.builtin_pathways():
        try:
            pathway = load_pathway(str(path))
        except UserError:
            click.echo(f"{path.stem}  (has problems: run 'pathway validate {path}')")
            continue
        shape = _shape(len(pathway.levels), pathway.item_count)
        click.echo(f"{pathway.id}\n  {pathway.title}: {shape}\n  {catalogue.display(path)}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the pathway format (for editors and yaml-language-server)."""
    from .pathway.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
