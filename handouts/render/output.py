"""The finished PDF in memory once: what a handout of 900 exercises and 1,800 photos (a 110 MB
PDF) costs at its peak is the PDF's pieces and the PDF, not four copies of it.

reportlab keeps every picture's bytes in its image object from the page it is drawn on until
the document is written, formats each object into a piece of the file, joins the pieces, and
writes the joined bytes to the file it was given. Two copies are avoidable:

- the file: `PdfSink` keeps the bytes object reportlab writes (io.BytesIO copies it, and its
  getvalue() may copy it again);
- the pictures: `releasing` makes the canvas drop a picture's bytes once its piece of the file
  is made (the piece holds them), so they are not held twice while the pieces are joined.

Neither changes a byte of the PDF (tests/test_big_library.py compares them).
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.pdfgen.canvas import Canvas


class PdfSink:
    """A file for reportlab to write the PDF to, holding what it writes without copying it."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))  # (bytes of a bytes object is that object)
        return len(data)

    def getvalue(self) -> bytes:
        """The PDF: the one object written, itself (a join of one bytes object is that object)."""
        parts, self._parts = self._parts, []
        return b"".join(parts)


class _PictureOnce(PDFImageXObject):
    """A picture whose bytes are dropped once they are formatted into the file."""

    def format(self, document):  # reportlab's name and signature
        try:
            return super().format(document)
        finally:
            self.streamContent = b""


def releasing(canvas_class: type[Canvas]) -> type[Canvas]:
    """`canvas_class`, whose `save` lets each picture's bytes go once they are in the file."""

    class ReleasingCanvas(canvas_class):  # type: ignore[valid-type, misc]
        def save(self) -> None:
            for thing in self._doc.idToObject.values():
                if type(thing) is PDFImageXObject:
                    thing.__class__ = _PictureOnce
            super().save()

    ReleasingCanvas.__name__ = ReleasingCanvas.__qualname__ = canvas_class.__name__
    return ReleasingCanvas
