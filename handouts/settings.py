"""The clinic's settings put to use: the one place they are merged into a command's options,
`handouts config` (what is in force and where it came from) and `handouts config init`.

The order, for every option: typed on the command line, then (for `build --rx`) the
prescription, then the environment, then the settings file, then the command's own default.
Reading is cheap: without a settings file nothing is parsed and no YAML reader is imported.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

    from handouts.model import Settings

# the options of each command that the settings fill when they are not typed (same names)
OPTIONS: dict[str, tuple[str, ...]] = {
    "build": ("brand", "library", "layout", "paper", "lang", "therapist"),
    "batch": ("brand", "library", "layout", "lang"),
    "check": ("brand", "library", "layout"),
    "list": ("library",),
    "show": ("library",),
    "programs": ("library",),
    "figures": ("library", "paper"),
    "send": ("brand", "library"),
    "rx new": ("library",),
}
SMTP_VARIABLES = {"smtp_host": "HANDOUTS_SMTP_HOST", "smtp_port": "HANDOUTS_SMTP_PORT",
                  "smtp_security": "HANDOUTS_SMTP_SECURITY", "smtp_user": "HANDOUTS_SMTP_USER"}  # fmt: skip
# what `handouts config` shows for a setting that is not set (what the commands then do)
DEFAULTS = {
    "brand": "(built-in: Pain Management & Injury Relief)",
    "library": "(the built-in exercises and programs)",
    "layout": "standard",
    "paper": "(the layout's: letter)",
    "lang": "en",
    "therapist": "(none: a line to write on)",
    "output_folder": "(the current folder)",
    "printer": "(the system's default printer)",
    "smtp_host": "(not set: needed to send email)",
    "smtp_port": "(587 for starttls, 465 for ssl, 25 for none)",
    "smtp_security": "starttls",
    "smtp_user": "(none: no login)",
    "access_code": "(none: 'handouts serve' answers this computer only)",
    "signing_key": "(none: a new one each time 'handouts serve' starts)",
}
SECRETS = ("access_code", "signing_key")  # shown only as set, never their values


def settings_of(ctx: click.Context) -> Settings:
    """The settings for this run of a command, read once (and only when asked for)."""
    from handouts.load.settings import load_settings

    meta = ctx.meta  # shared by every context of one command line
    if "handouts.settings" not in meta:
        meta["handouts.settings"] = load_settings()
    return meta["handouts.settings"]


def option_defaults(settings: Settings, command: str) -> dict[str, object]:
    """The options of `command` ('build', 'rx new') that `settings` set, with their values: what
    the command line (apply_settings) and the web page use for each option not given."""
    values = {name: getattr(settings, name) for name in OPTIONS.get(command, ())}
    return {name: value for name, value in values.items() if value is not None}


def apply_settings(ctx: click.Context) -> None:
    """Fill each option of this command that was not typed from the settings, when they set it."""
    from click.core import ParameterSource

    command = _command_name(ctx)
    if command not in OPTIONS:
        return  # (the settings are not even read)
    for name, value in option_defaults(settings_of(ctx), command).items():
        if name in ctx.params and ctx.get_parameter_source(name) in (ParameterSource.DEFAULT, None):
            ctx.params[name] = value


def _command_name(ctx: click.Context) -> str:
    """'build', 'rx new': the command's name under the top group."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def smtp_environ(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The HANDOUTS_SMTP_* values to send mail with (mail.SmtpSettings.from_env reads them): the
    environment's, with the settings file filling what it does not set (the password and
    HANDOUTS_SMTP_ALLOW_PLAINTEXT only ever come from the environment)."""
    environ = os.environ if environ is None else environ
    values = {k: v for k, v in environ.items() if k.startswith("HANDOUTS_SMTP_")}
    for name, variable in SMTP_VARIABLES.items():
        value = getattr(settings, name)
        if value is not None:
            values[variable] = value
    return values


def describe_settings(settings: Settings, path: Path, environ: Mapping[str, str] | None = None):
    """What `handouts config` prints: the settings file, then each setting in force with where
    it came from (`file:PATH:LINE`, `env:VARIABLE` or `default`), like git config --show-origin.
    The SMTP password is shown only as set or not set."""
    environ = os.environ if environ is None else environ
    found = "" if settings.path is not None else " (not found: 'handouts config init' writes one)"
    rows = []
    for name, default in DEFAULTS.items():
        value = getattr(settings, name)
        origin = settings.origins.get(name)
        where = origin if origin is None or origin.startswith("env:") else f"file:{origin}"
        where = where or "default"
        shown = "(set)" if value is not None and name in SECRETS else value
        rows.append((where, name.replace("smtp_", "smtp."), default if value is None else shown))
    password = environ.get("HANDOUTS_SMTP_PASSWORD", "")
    rows.append(("env:HANDOUTS_SMTP_PASSWORD" if password else "default", "smtp.password",
                 "(set)" if password else "(not set: no login)"))  # fmt: skip
    width = max(len(where) for where, _, _ in rows)
    lines = [f"Settings file: {path}{found}"]
    lines += [f"{where:<{width}}  {key}={_shown(value)}" for where, key, value in rows]
    return "\n".join(lines)


def _shown(value: object) -> str:
    """A value as text the terminal can show (a byte that is not UTF-8, escaped)."""
    return os.fsencode(str(value)).decode("utf-8", "backslashreplace")


STARTER = """\
# The clinic's settings for handouts: the defaults of every command.
# Remove the # in front of a setting to use it. Paths are relative to this file (~ is your home).
# An option typed on the command line wins over these, and so does what a prescription names;
# the HANDOUTS_SMTP_* environment variables win over smtp:, and LPDEST or PRINTER over printer:.
# 'handouts config' shows the settings in force and where each one comes from.

# brand: clinic.yaml             # your clinic's brand file: name, logo, colours, contact details
# library: our-exercises.yaml    # your own exercises and programs, on top of the built-in ones
# layout: standard               # standard, compact, large-print, or a layout file
# paper: letter                  # letter or a4 (without it: the layout's)
# lang: en                       # the language handouts print in: en, es, ...
# therapist: Sam Lee, PT         # printed on every handout when --therapist is not given
# output_folder: ~/Handouts      # where new handouts are written (without it: the current folder)
# printer: front-desk            # where --print sends handouts ('handouts printers' lists them)
# smtp:                          # the mail server for --email and 'handouts send'
#   host: smtp.example.org
#   port: 587                    # without it: 587 for starttls, 465 for ssl, 25 for none
#   security: starttls           # starttls, ssl, or none (only for a server on this computer)
#   user: front.desk@example.org
#   # the password is never kept here: set HANDOUTS_SMTP_PASSWORD in the environment
# access_code: a-long-code       # 'handouts serve --host 0.0.0.0' asks staff for it (or set
#                                # HANDOUTS_ACCESS_CODE); at least 6 characters
# signing_key: long-random-text  # signs the web page's cookies; the same on every instance
#                                # behind one address (or set HANDOUTS_SIGNING_KEY)
"""


def write_starter(output: Path | None = None) -> Path:
    """Write the commented settings file to start from, at `output` or where the settings are
    looked for (its folder made, private, when missing); never over an existing file."""
    from handouts.deliver import check_writable, write_new
    from handouts.load.settings import settings_path

    path = output if output is not None else settings_path()
    if output is None and not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    check_writable(path, "settings file")
    if os.path.lexists(path):
        hint = "give another name with -o" if output is not None else "edit it, or delete it first"
        from handouts.errors import InputError

        raise InputError(f"{path}: already exists; {hint}")
    return write_new(path, STARTER.encode("utf-8"), "settings file", number=False)
