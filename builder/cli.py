"""The `pathway` command: build, validate, list, schema. Exit 0 ok, 1 a build failed, 2 bad input or usage."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import time
import traceback
from pathlib import Path

import click

from . import __version__, catalogue
from .errors import EngineUnavailable, UserError, did_you_mean
from .options import FORMATS, Options

DEFAULT_PATHWAY = "compassionate-inclusive-leadership"


def main() -> None:
    # A polite kill stops a build as Ctrl-C does: the engine is stopped and nothing is half-written.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        cli.main(prog_name="pathway", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.Abort:
        click.echo("Stopped.", err=True)
        sys.exit(1)
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
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    count = len(error.problems)
    if count > 1 or error.outcome:
        found = f"{count} problems found" if count > 1 else ""
        click.echo(": ".join(part for part in (found, error.outcome) if part).capitalize() + ".", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pathway")
def cli() -> None:
    """Turn a pathway file into a learner workbook (HTML and PDF) and a facilitator guide."""


def _formats(_ctx, _param, value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    for name in chosen:
        if name not in FORMATS:
            raise click.BadParameter(f"unknown format '{name}'{did_you_mean(name, FORMATS)}: "
                                     f"choose from {', '.join(FORMATS)}")
    if not chosen:
        raise click.BadParameter(f"name at least one of {', '.join(FORMATS)}")
    return chosen


@cli.command()
@click.argument("pathways", nargs=-1, metavar="[PATHWAY]...")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder to build into; each pathway goes into a folder named by its id.")
@click.option("--format", "formats", default="html,pdf", show_default=True, callback=_formats,
              help="Comma-separated: html, pdf, print-html (the HTML the PDF engine is given).")
@click.option("--edition", type=click.Choice(["learner", "facilitator", "all"]), default="all",
              show_default=True, help="Which printed editions to make.")
@click.option("--fillable", is_flag=True, help="Also write workbook-fillable.pdf with form fields.")
@click.option("--templates", "templates", multiple=True,
              type=click.Path(path_type=Path, file_okay=False, exists=True),
              help="A folder of templates searched before the built-in ones (repeatable).")
def build(pathways, out, formats, edition, fillable, templates) -> None:
    """Build workbooks for PATHWAY files or ids (default: the built-in pathway)."""
    started = time.perf_counter()
    # The engine starts first, so that it loads while the builder imports, loads and renders.
    with _engine(formats) as engine:
        from .build import build as run_build

        options = Options(out=out, formats=formats, edition=edition, fillable=fillable,
                          templates=tuple(templates))
        try:
            results = run_build(pathways or (DEFAULT_PATHWAY,), options, engine)
        except UserError as error:
            error.outcome = error.outcome or "nothing was written"
            raise
    for pathway, written in results:
        click.echo(f"Built {pathway.id}: {_shape(pathway)}")
        for file in written:
            pages = f"{file.pages} pages, " if file.pages else ""
            click.echo(f"  {catalogue.display(file.path)}  ({pages}{_size(file.size)})")
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.")


def _engine(formats: tuple[str, ...]):
    """The PDF engine, started now, for a build that makes PDFs; nothing for one that does not."""
    if "pdf" not in formats:
        return contextlib.nullcontext()
    from .pdf import Engine  # an HTML build never loads it

    return Engine()


def _shape(pathway) -> str:
    levels, items = len(pathway.levels), sum(len(level.items) for level in pathway.levels)
    return f"{levels} level{'s' * (levels != 1)}, {items} item{'s' * (items != 1)}"


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


@cli.command()
@click.argument("pathways", nargs=-1, required=True, metavar="PATHWAY...")
def validate(pathways) -> None:
    """Check PATHWAY files and report every problem, without building anything."""
    from .pathways import load_pathway

    problems = []
    for reference in pathways:
        try:
            pathway = load_pathway(reference)
        except UserError as error:
            problems += error.problems
            continue
        click.echo(f"ok: {reference} ({pathway.id}: {_shape(pathway)})")
    if problems:
        raise UserError(problems)


@cli.command(name="list")
def list_pathways() -> None:
    """List the built-in pathways."""
    from .pathways import load_pathway

    for path in catalogue.builtin_pathways():
        try:
            pathway = load_pathway(str(path))
        except UserError:
            click.echo(f"{path.stem}  (has problems: run 'pathway validate {path}')")
            continue
        click.echo(f"{pathway.id}\n  {pathway.title}: {_shape(pathway)}\n  {catalogue.display(path)}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the pathway format (for editors and yaml-language-server)."""
    from .model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))
