"""Load: text the clinic edits (YAML files) into validated, frozen model objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from handouts.model import Library


def load_library(extra: Path | None = None) -> Library:
    """The built-in library, with a clinic's own file on top (same id replaces) when given.

    Every problem in a file is reported together, sorted by line. A library read before from
    the same, unchanged files comes from the cache (load/cache.py) without importing the YAML
    reader and checks at all: `handouts list` stays quick. A file named but missing or
    unreadable is never looked up there: the reader reports it, cache or no cache.
    """
    from handouts.load.cache import cached
    from handouts.model import Library
    from handouts.resources import builtin_library_path

    def read() -> Library:
        from handouts.load.library import read_library

        return read_library(extra)

    files = [builtin_library_path(), *([extra] if extra is not None else [])]
    return cached("library", files, read, Library)


def load_listing(extra: Path | None = None):
    """What `handouts list` prints of load_library(extra) (a load/listing.Listing), kept in the
    cache under the same files: a hit unpickles a few strings an exercise, not every exercise
    in full, and checks the library's photos again as a library's hit does (the checks its
    library recorded), so it lists, leaves out and fails exactly as load_library would."""
    from handouts.load.cache import cached
    from handouts.load.listing import Listing, listing_of
    from handouts.resources import builtin_library_path

    files = [builtin_library_path(), *([extra] if extra is not None else [])]
    return cached("listing", files, lambda: listing_of(load_library(extra)), Listing)


# what `show` prints comes from the whole package's top level (catalog, compose, dose, language,
# names, text) and the loaders, so a change to any of them makes it again
_SHOW_CODE = ("*.py", "load/*.py")


def load_shown(extra: Path | None, name: str, lang: str):
    """What `handouts show NAME --lang LANG` prints of load_library(extra) (a load/listing.Shown),
    kept in the cache under the same files, the name and the language: a hit unpickles one text,
    not every exercise of a big library, and checks the library's photos again as a library's hit
    does, so it shows, leaves out and fails exactly as load_library and catalog.show_text would
    (an unknown name is never kept: it is looked for again, and fails the same way)."""
    from handouts.load.cache import cached
    from handouts.load.listing import Shown
    from handouts.resources import builtin_library_path

    def make() -> Shown:
        from handouts import catalog

        library = load_library(extra)
        text = catalog.show_text(library, name, lang)
        return Shown(text, dict.fromkeys(library.broken, ()), library.files)

    files = [builtin_library_path(), *([extra] if extra is not None else [])]
    return cached("shown", files, make, Shown, key=f"{name}\0{lang}", code=_SHOW_CODE)
