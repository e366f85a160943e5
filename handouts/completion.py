"""Shell completion of the values that matter (click does the options and commands).

    eval "$(_HANDOUTS_COMPLETE=bash_source handouts)"      # bash (zsh_source, fish_source)

Program ids, exercise ids and their other names, layout names (and files), languages and
printers complete from what this machine has: the library typed with --library, else the
settings' library, else the built-in one. Completing never imports reportlab, never fails (a
library with mistakes completes nothing) and never waits long (asking CUPS has a 1 s limit).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click
    from click.shell_completion import CompletionItem

Values = Callable[["click.Context", str], "list[CompletionItem]"]


def _quiet(values: Values) -> Values:
    """Completion that never fails: any problem (a broken library, settings file) completes
    nothing rather than printing a traceback into the user's shell."""

    @functools.wraps(values)
    def complete(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        try:
            return values(ctx, incomplete)
        except Exception:  # noqa: BLE001 - completion must never fail
            return []

    return complete


def _library(ctx: click.Context):
    from handouts.load import load_library
    from handouts.load.settings import load_settings

    typed = ctx.params.get("library")
    return load_library(typed if typed is not None else load_settings().library)


def _items(pairs, incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    return [
        CompletionItem(value, help=help) for value, help in pairs if value.startswith(incomplete)
    ]


@_quiet
def programs(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    return _items(((p.id, p.title) for p in _library(ctx).programs.values()), incomplete)


@_quiet
def exercises(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Exercise ids, then their other names ('anterior pelvic tilt')."""
    found = _library(ctx).exercises.values()
    ids = [(e.id, e.title) for e in found]
    aliases = [(alias, f"= {e.id}") for e in found for alias in e.aliases]
    return _items([*ids, *aliases], incomplete)


@_quiet
def layouts(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """The built-in layouts' names; a path (with / or .yaml) completes as a file."""
    from click.shell_completion import CompletionItem

    from handouts.resources import builtin_layouts_dir

    names = sorted(p.stem for p in builtin_layouts_dir().glob("*.yaml"))
    found = _items(((name, None) for name in names), incomplete)
    return found or [CompletionItem(incomplete, type="file")]


@_quiet
def languages(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    found = _library(ctx).languages.values()
    return _items(((lang.code, f"{lang.name} ({lang.status})") for lang in found), incomplete)


@_quiet
def printers(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    return _items(((name, None) for name in printer_names()), incomplete)


def printer_names(timeout: float = 1.0) -> list[str]:
    """The printers CUPS knows (`lpstat -e`), or none: no CUPS, no scheduler, or too slow."""
    import shutil
    import subprocess

    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        return []
    try:
        done = subprocess.run(["lpstat", "-e"], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


# each parameter's name (in every command) and the values it completes
VALUES: dict[str, Values] = {
    "program": programs,
    "ids": exercises,
    "exercise": exercises,
    "layout": layouts,
    "lang": languages,
    "languages": languages,
    "printer": printers,
    "print_to": printers,
}


def attach(group: click.Group) -> None:
    """Give every parameter named in VALUES, in every command under `group`, its completion."""
    import click

    for command in group.commands.values():
        if isinstance(command, click.Group):
            attach(command)
        for param in command.params:
            values = VALUES.get(param.name or "")
            if values is not None:
                param.shell_complete = values  # type: ignore[method-assign]
