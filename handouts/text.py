"""Text as the patient will read it: normalized, stripped of control characters, never markup."""

from __future__ import annotations

import re
import unicodedata

# every character that ends a line (str.splitlines' list): each becomes "\n", so that a multi-line
# field keeps its lines and a one-line field folds them; none is ever drawn as a box
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_DIGITS = re.compile(r"[0-9]{1,18}")


def is_digits(text: str) -> bool:
    """Whether `text` is a whole number written in ASCII digits 0-9 (at most 18 of them).

    Use it before int(): str.isdigit() also accepts "²", "①" and other digits that int()
    refuses (an internal error) or reads as a number nobody meant (Arabic-Indic ones)."""
    return _DIGITS.fullmatch(text) is not None


def clean(text: str) -> str:
    """NFC-normalize (so a decomposed 'López' prints as typed), every line break to "\\n", tabs
    to spaces, drop other control characters."""
    text = unicodedata.normalize("NFC", text).replace("\t", " ")
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def one_line(text: str) -> str:
    """`clean` text for a one-line field (a name, a title, a label): each line break, with the
    spaces around it, becomes one space. Other spaces are kept as typed."""
    text = clean(text)
    if "\n" not in text:
        return text
    return " ".join(line.strip(" ") for line in text.split("\n") if line.strip(" "))


def markup(text: str) -> str:
    """Escape text for a reportlab Paragraph, keeping line breaks. Nothing in it is interpreted."""
    # (xml.sax.saxutils.escape does the same, but importing it costs a cold build 20-40 ms)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")
