"""One PDF of many, written as it is read: a batch's print file of 10,000 handouts holds one
handout in memory at a time.

Each source is opened with pikepdf in turn; the objects its pages reach are renumbered and
written straight to the output. What is kept until the end (the offset of each object for the
cross-reference table, and the page objects for the page tree) goes to anonymous temporary files
as it is known, so memory does not grow with the number of sources. The objects are numbered in
the order they are written (breadth first from each page), so the table is written in order.
The output is deterministic: the same sources give the same bytes. (pikepdf is imported here
only: batch.py imports this module when it merges.)
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections import deque
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import pikepdf

from handouts.deliver import write_streamed

PAGES, CATALOG = 1, 2  # the object numbers of the page tree's root and of the catalog
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")  # a page may take from its tree
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
COPY_BLOCK = 1 << 14  # bytes of the temporary files copied to the output at a time


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """One PDF of all these, in order, for one print job."""
    out = io.BytesIO()
    merge_into((io.BytesIO(data) for data in pdfs), out)
    return out.getvalue()


def write_merged(sources: Iterable[Path], target: Path, *, pad_odd: bool = False) -> int:
    """Write one PDF of the PDF files `sources`, in order, at `target` (atomically, through
    deliver.write_streamed: a regular or new file only, private to the user as a handout is, no
    temporary file left whatever stops it). With `pad_odd`, a blank page follows each source
    with an odd number of pages, so that each starts on a new sheet when printed on both sides.
    Returns the number of pages."""
    pages = 0

    def fill(out: BinaryIO) -> None:
        nonlocal pages
        pages = merge_into(sources, out, pad_odd=pad_odd)

    write_streamed(target, fill, what="merged PDF")
    return pages


def merge_into(sources: Iterable[Path | BinaryIO], out: BinaryIO, *, pad_odd: bool = False) -> int:
    """Write one PDF of `sources` (files or binary streams), in order, to `out` (with `pad_odd`,
    a blank page after each source with an odd number of pages)."""
    with tempfile.TemporaryFile() as xref, tempfile.TemporaryFile() as kids:
        writer = _Writer(out, xref, kids)
        for source in sources:
            with pikepdf.open(source) as pdf:
                writer.add(pdf)
                if pad_odd and len(pdf.pages) % 2:
                    writer.blank(pdf.pages[-1].mediabox)
        writer.finish()
    return writer.pages


class _Writer:
    def __init__(self, out: BinaryIO, xref: BinaryIO, kids: BinaryIO) -> None:
        self.out = out
        self.offset = 0
        self.digest = hashlib.md5(usedforsecurity=False)  # for the file's /ID
        self.xref = xref  # 20 bytes an object, from object 3 on (anonymous temporary files)
        self.kids = kids  # b"N 0 R " a page
        self.last = CATALOG  # the highest object number given
        self.pages = 0

    def write(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.offset += len(data)

    def add(self, pdf) -> None:
        """Every page of `pdf` and what it uses, numbered from here on."""
        self.numbers: dict[tuple[int, int], int] = {}  # this source's objects -> ours
        self.queue: deque = deque()
        for page in pdf.pages:
            number = self._number(page.obj)
            self.kids.write(b"%d 0 R " % number)
            self.pages += 1
        while self.queue:
            number, obj = self.queue.popleft()
            self.xref.write(b"%010d 00000 n \n" % self.offset)
            self.write(b"%d 0 obj\n" % number)
            self._object(obj)
            self.write(b"\nendobj\n")

    def blank(self, mediabox) -> None:
        """A blank page of this size (after a source with an odd number of pages)."""
        self.last += 1
        self.kids.write(b"%d 0 R " % self.last)
        self.pages += 1
        self.xref.write(b"%010d 00000 n \n" % self.offset)
        box = b" ".join(_real(Decimal(str(value))) for value in mediabox)
        self.write(b"%d 0 obj\n<< /Type /Page /Parent %d 0 R /MediaBox [ %s ] /Resources << >> >>"
                   b"\nendobj\n" % (self.last, PAGES, box))  # fmt: skip

    def finish(self) -> None:
        if self.offset == 0:
            self.write(HEADER)
        pages_at = self.offset
        self.write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [ " % (PAGES, self.pages))
        self._copy(self.kids)
        self.write(b"] >>\nendobj\n")
        catalog_at = self.offset
        self.write(b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (CATALOG, PAGES))
        xref_at = self.offset
        ident = self.digest.hexdigest().encode()
        self.write(b"xref\n0 %d\n0000000000 65535 f \n" % (self.last + 1))
        self.write(b"%010d 00000 n \n%010d 00000 n \n" % (pages_at, catalog_at))
        self._copy(self.xref)
        self.write(b"trailer\n<< /Size %d /Root %d 0 R /ID [<%s> <%s>] >>\n"
                   % (self.last + 1, CATALOG, ident, ident))  # fmt: skip
        self.write(b"startxref\n%d\n%%%%EOF\n" % xref_at)

    def _copy(self, spool) -> None:
        spool.seek(0)
        while block := spool.read(COPY_BLOCK):
            self.write(block)

    def _number(self, obj) -> int:
        """Our number for the indirect object `obj`, queued to be written when it is new."""
        if _is_dictionary(obj) and obj.get("/Type") == "/Pages":  # the source's page tree: ours
            return PAGES
        key = obj.objgen
        number = self.numbers.get(key)
        if number is None:
            if self.offset == 0:
                self.write(HEADER)
            self.last += 1
            number = self.numbers[key] = self.last
            self.queue.append((number, obj))
        return number

    def _object(self, obj) -> None:
        kind = obj._type_code
        if kind == pikepdf.ObjectType.stream:
            data = obj.read_raw_bytes()
            self._dictionary(obj, skip=("/Length",), extra=b"/Length %d " % len(data))
            self.write(b"\nstream\n")
            self.write(data)
            self.write(b"\nendstream")
        elif kind == pikepdf.ObjectType.dictionary and obj.get("/Type") == "/Page":
            extra = b"/Parent %d 0 R " % PAGES
            inherited = [key for key in INHERITED if key not in obj]
            self._dictionary(obj, skip=("/Parent",), extra=extra, inherited=inherited)
        else:
            self._direct(obj)

    def _dictionary(self, obj, skip=(), extra=b"", inherited=()) -> None:
        self.write(b"<< " + extra)
        for key in obj.keys():  # noqa: SIM118 - a pikepdf object, not a dict
            if key not in skip:
                self.write(_name(key) + b" ")
                self._value(obj[key])
                self.write(b" ")
        for key in inherited:  # from the page's ancestors in the source's tree
            node = obj.get("/Parent")
            while node is not None and key not in node:
                node = node.get("/Parent")
            if node is not None:
                self.write(_name(key) + b" ")
                self._value(node[key])
                self.write(b" ")
        self.write(b">>")

    def _value(self, value) -> None:
        if value is None:
            self.write(b"null")
        elif isinstance(value, bool):
            self.write(b"true" if value else b"false")
        elif isinstance(value, int):
            self.write(b"%d" % value)
        elif isinstance(value, (Decimal, float)):
            self.write(_real(value))
        elif value.is_indirect:
            self.write(b"%d 0 R" % self._number(value))
        else:
            self._direct(value)

    def _direct(self, value) -> None:
        kind = value._type_code
        if kind == pikepdf.ObjectType.array:
            self.write(b"[")
            for item in value:
                self.write(b" ")
                self._value(item)
            self.write(b" ]")
        elif kind == pikepdf.ObjectType.dictionary:
            self._dictionary(value)
        elif kind in (pikepdf.ObjectType.integer, pikepdf.ObjectType.real):
            self.write(_real(Decimal(str(value))))
        else:  # a name, a string, a boolean or null, written by qpdf itself
            self.write(value.unparse())


def _is_dictionary(obj) -> bool:
    return obj._type_code in (pikepdf.ObjectType.dictionary, pikepdf.ObjectType.stream)


@lru_cache(maxsize=1024)
def _name(key: str) -> bytes:
    return pikepdf.Name(key).unparse()


def _real(value: Decimal | float) -> bytes:
    text = format(Decimal(str(value)), "f")  # never an exponent: PDF has none
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return text.encode()
