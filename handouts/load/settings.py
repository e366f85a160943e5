"""Read the clinic's settings file: the defaults every command uses for the options not typed.

The file is at $HANDOUTS_CONFIG, else `settings.yaml` in the platform's configuration folder
(platformdirs: ~/.config/handouts on Linux, ~/Library/Application Support/handouts on macOS,
%LOCALAPPDATA%\\handouts on Windows). No file is no settings: nothing is read, no YAML imported.
Paths in it are relative to it. The environment wins over the file, setting by setting:
HANDOUTS_SMTP_HOST, _PORT, _SECURITY and _USER over `smtp:`, LPDEST then PRINTER over `printer:`
(as `lp` reads them). The SMTP password is only ever read from the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from handouts.model import Settings

KEYS = ("brand", "library", "layout", "paper", "lang", "therapist", "output_folder", "printer",
        "smtp", "access_code", "signing_key")  # fmt: skip
SMTP_KEYS = ("host", "port", "security", "user")
SECURITY = ("starttls", "ssl", "none")
PAPERS = ("letter", "a4")
FILE_NAME = "settings.yaml"
# each setting the environment can give, and its variables (the first one set wins)
ENVIRONMENT = {
    "smtp_host": ("HANDOUTS_SMTP_HOST",),
    "smtp_port": ("HANDOUTS_SMTP_PORT",),
    "smtp_security": ("HANDOUTS_SMTP_SECURITY",),
    "smtp_user": ("HANDOUTS_SMTP_USER",),
    "printer": ("LPDEST", "PRINTER"),
    "access_code": ("HANDOUTS_ACCESS_CODE",),
    "signing_key": ("HANDOUTS_SIGNING_KEY",),
}
# (compiled when a file is read, not at import: `handouts list` reads no file most of the time)
LANG = r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z"
PRINTER_BAD = r"[\s/#\\'\"]"  # CUPS names: printable, no space, slash or hash


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the settings file is, or would be: $HANDOUTS_CONFIG, else the platform's folder."""
    environ = os.environ if environ is None else environ
    named = environ.get("HANDOUTS_CONFIG", "")
    if named:
        return Path(named).expanduser()
    import platformdirs  # (~2 ms) only when HANDOUTS_CONFIG does not say

    return platformdirs.user_config_path("handouts") / FILE_NAME


def load_settings(environ: Mapping[str, str] | None = None, path: Path | None = None) -> Settings:
    """The settings in force: the file at `path` (default: settings_path()) when it exists, with
    the environment over it. A file with problems raises ValidationError listing them all."""
    environ = os.environ if environ is None else environ
    path = settings_path(environ) if path is None else path
    found = read_settings(path) if os.path.lexists(path) else Settings()
    return with_environment(found, environ)


def with_environment(settings: Settings, environ: Mapping[str, str]) -> Settings:
    """`settings` with each setting the environment gives (a variable set and not empty)."""
    changes, origins = {}, dict(settings.origins)
    for name, variables in ENVIRONMENT.items():
        for variable in variables:
            value = environ.get(variable, "").strip()
            if value:
                changes[name], origins[name] = value, f"env:{variable}"
                break
    return replace(settings, **changes, origins=origins) if changes else settings


def read_settings(path: Path) -> Settings:
    """Read and check one settings file; every problem is reported at once."""
    from handouts.load.fields import Fields, Problems, describe
    from handouts.load.source import read_yaml

    source = read_yaml(path, "settings file")
    problems = Problems()
    if source.data is None:  # an empty file (or only comments): nothing set
        return Settings(path=path)
    if not isinstance(source.data, dict):
        problems.add(source, (), "expected settings like 'brand: clinic.yaml', got "
                     f"{describe(source.data)}")  # fmt: skip
        problems.raise_if_any()
    f = Fields(source, (), "", problems, source.data)
    f.check_keys(KEYS)
    folder = path.absolute().parent
    smtp = f.mapping("smtp")
    smtp.check_keys((*SMTP_KEYS, "password"))
    if "password" in smtp.data:
        smtp.problem("password", "is never read from a file (anyone who can read the file "
                     "could read it): set HANDOUTS_SMTP_PASSWORD in the environment instead")  # fmt: skip
    port = smtp.whole("port", 1, 65535)
    values = {
        "brand": _file(f, "brand", folder),
        "library": _file(f, "library", folder),
        "layout": _layout(f, folder),
        "paper": f.choice("paper", PAPERS),
        "lang": _lang(f),
        "therapist": f.text("therapist") or None,
        "output_folder": _folder(f, "output_folder", folder),
        "printer": _printer(f),
        "smtp_host": _host(smtp),
        "smtp_port": str(port) if port is not None else None,
        "smtp_security": smtp.choice("security", SECURITY),
        "smtp_user": smtp.text("user") or None,
        "access_code": _secret(f, "access_code", 6),
        "signing_key": _secret(f, "signing_key", 16),
    }
    problems.raise_if_any()
    origins = {}
    for name, value in values.items():
        if value is not None:
            keys = ("smtp", name[5:]) if name.startswith("smtp_") else (name,)
            origins[name] = f"{path}:{source.line(keys)}"
    return Settings(path=path, origins=origins, **values)


def _file(f, key: str, folder: Path) -> Path | None:
    """A file named by the settings (relative to them); a missing one is a problem here."""
    from handouts.load.source import expand_user, is_dir, is_file

    name = f.text(key) or None
    if name is None:
        return None
    path = Path(os.path.normpath(folder / expand_user(name)))
    if not is_file(path):
        seen = "is a folder, expected a YAML file" if is_dir(path) else "was not found"
        f.problem(key, f"'{name}' {seen} (looked for {path})")
        return None
    return path


def _layout(f, folder: Path) -> str | None:
    """A built-in layout's name, or a layout file (relative to the settings)."""
    from handouts.load.fields import closest
    from handouts.resources import builtin_layouts_dir

    name = f.text("layout") or None
    if name is None:
        return None
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = _file(f, "layout", folder)
        return str(path) if path is not None else None
    names = sorted(p.stem for p in builtin_layouts_dir().glob("*.yaml"))
    if name not in names:
        f.problem("layout", f"must be one of {', '.join(names)} or a layout file, "
                  f"got '{name}'{closest(name, names)}")  # fmt: skip
        return None
    return name


def _folder(f, key: str, folder: Path) -> Path | None:
    from handouts.load.source import expand_user, is_dir

    name = f.text(key) or None
    if name is None:
        return None
    path = Path(os.path.normpath(folder / expand_user(name)))
    if not is_dir(path):
        seen = "is a file, expected a folder" if os.path.exists(path) else "was not found"
        f.problem(key, f"'{name}' {seen} (looked for {path})")
        return None
    return path


def _lang(f) -> str | None:
    code = f.text("lang") or None
    if code is not None and not re.match(LANG, code):
        f.problem("lang", f"must be a language code like en or es, got '{code}'")
        return None
    return code


def _printer(f) -> str | None:
    name = f.text("printer") or None
    if name is not None and (re.search(PRINTER_BAD, name) or len(name) > 127):
        f.problem("printer", "must be a printer's name as 'handouts printers' lists it (no "
                  f"spaces, slashes or #), got '{name}'")  # fmt: skip
        return None
    return name


def _host(smtp) -> str | None:
    host = smtp.text("host") or None
    if host is not None and (any(c.isspace() or c in "/@" for c in host) or host.count(":") == 1):
        smtp.problem("host", f"must be a server name like smtp.example.org, got '{host}' "
                     "(give the port as smtp.port)")  # fmt: skip
        return None
    return host


def _secret(f, key: str, shortest: int) -> str | None:
    """An access code or signing secret: text of `shortest` characters or more (never shown)."""
    value = f.text(key) or None
    if value is not None and len(value.strip()) < shortest:
        f.problem(key, f"must be at least {shortest} characters long, got {len(value.strip())}")
        return None
    return value.strip() if value is not None else None
