"""The command line's arguments, each read and checked: the words of --format and --edition, a size, a port, a host."""

from __future__ import annotations

import click

from . import formats as registry
from .errors import did_you_mean
from .options import EDITIONS, LARGE_PRINT_SIZES


def _words(value: str, kind: str, known: tuple[str, ...]) -> tuple[str, ...]:
    """The comma-separated words of an option, each one of `known`."""
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    for name in chosen:
        if name not in known:
            raise click.BadParameter(f"unknown {kind} '{name}'{did_you_mean(name, known)}: "
                                     f"choose from {', '.join(known)}")
    if not chosen:
        raise click.BadParameter(f"name at least one of {', '.join(known)}")
    return chosen


def formats(_ctx, _param, value: str) -> tuple[str, ...]:
    return _words(value, "format", registry.OPTIONS)


def editions(_ctx, _param, value: str) -> tuple[str, ...]:
    chosen = _words(value, "edition", (*EDITIONS, "all"))
    return EDITIONS if "all" in chosen else tuple(edition for edition in EDITIONS if edition in chosen)


def large_print_size(_ctx, _param, value: str | None) -> int | None:
    if value is None:
        return None
    least, most = LARGE_PRINT_SIZES
    if not value.isdigit() or not least <= int(value) <= most:
        raise click.BadParameter(f"'{value}' is not a size for large print: give a whole number of points "
                                 f"from {least} to {most} (large print is {least} pt at least; 18 pt is usual)")
    return int(value)


def size_needs_large_print(size: int | None, editions: tuple[str, ...]) -> None:
    if size is not None and "large-print" not in editions:
        raise click.BadParameter("only the large-print edition has a size to set: add large-print to --edition",
                                 param_hint="'--large-print-size'")


def formats_help() -> str:
    helps = {option: next(format.help for format in registry.REGISTRY if format.option == option)
             for option in registry.OPTIONS}
    return "Comma-separated: " + ", ".join(f"{option} ({what})" for option, what in helps.items()) + "."


def port(_ctx, _param, value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise click.BadParameter(f"'{value}' is not a port: give a whole number from 1 to 65535, "
                                 "or 0 for any free one")
    return int(value)


def host(_ctx, _param, value: str) -> str:
    from .serve.server import loopback

    if not loopback(value):
        raise click.BadParameter(
            f"'{value}' is not an address of this computer alone: pathway serve answers anyone who can reach it, "
            "with no password, so it listens only on a loopback address (127.0.0.1, ::1 or localhost); to share "
            "a workbook, build it with 'pathway build' and share the files")
    return value
