"""Text as the patient will read it: normalized, stripped of control characters, never markup."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """NFC-normalize (so a decomposed 'López' prints as typed), tabs to spaces, drop controls."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def markup(text: str) -> str:
    """Escape text for a reportlab Paragraph, keeping line breaks. Nothing in it is interpreted."""
    # (xml.sax.saxutils.escape does the same, but importing it costs a cold build 20-40 ms)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")
