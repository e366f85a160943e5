"""Protect a handout with a password: AES-256 (PDF 2.0 security handler, R=6) applied by pikepdf.

reportlab's own encryption is not used: its default is RC4-40, and its AES mode writes an old scheme
that pypdf and Poppler-based viewers cannot open. pikepdf (and `secrets`) are imported only when a
PDF is encrypted, so `import handouts.protect` stays cheap.

A password is never echoed: messages name the option or the environment variable, not the value.

What the patient types must open the file in every viewer. PDF 2.0 (R=6) takes a password as at
most 127 bytes of UTF-8, after SASLprep (RFC 4013: Unicode compatibility forms folded, invisible
characters dropped, odd spaces made plain). qpdf (and so pikepdf), Poppler, PDFium (Chrome) and
Ghostscript compare the bytes as typed, without SASLprep; Acrobat applies it. So a password is
stored in NFC (the form a keyboard types), and one that SASLprep would change (a ligature, a
superscript, a full-width letter, a non-breaking or zero-width space, a control character), or
that is longer than 127 bytes, is refused: one viewer or another would not open the file with it.
"""

from __future__ import annotations

import io
import os
import stringprep
import unicodedata
from collections.abc import Callable, Mapping

from handouts.errors import InputError

MAX_PASSWORD_BYTES = 127  # PDF 2.0 (ISO 32000-2, 7.6.4.3.3): the UTF-8 password, at most 127 bytes
_PROHIBITED = (  # RFC 4013 section 2.3 (and the unassigned code points of section 2.5)
    stringprep.in_table_a1,
    stringprep.in_table_c12,
    stringprep.in_table_c21_c22,
    stringprep.in_table_c3,
    stringprep.in_table_c4,
    stringprep.in_table_c5,
    stringprep.in_table_c6,
    stringprep.in_table_c7,
    stringprep.in_table_c8,
    stringprep.in_table_c9,
)


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """`pdf` encrypted with AES-256 (R=6): `password` opens it; the owner password is random.

    The patient can open, print and copy from the file with the password; nobody holds the owner
    password, so the permissions cannot be changed. AES output is not byte-deterministic. A
    password that not every viewer would read the same way is an InputError (check_password).
    """
    password = check_password(password)
    import secrets

    import pikepdf

    owner = secrets.token_urlsafe(32)
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, encryption=pikepdf.Encryption(user=password, owner=owner, R=6))
    return out.getvalue()


def check_password(password: str, where: str = "") -> str:
    """`password` in NFC, the form that opens the PDF in every viewer; an InputError (naming
    `where`, e.g. '--password', never the password) when it is empty, not text (a byte that is
    not UTF-8), longer than 127 bytes of UTF-8, or changed by SASLprep."""
    lead = f"{where}: " if where else ""
    if not password:
        raise InputError(f"{lead}the password must not be empty")
    if any("\udc80" <= c <= "\udcff" for c in password):  # os/argv's surrogateescape
        raise InputError(
            f"{lead}the password is not valid UTF-8 text (it holds a byte the terminal's "
            "character encoding cannot read); type it again in a UTF-8 terminal"
        )
    text = unicodedata.normalize("NFC", password)
    if _saslprep(text) != text:
        raise InputError(
            f"{lead}the password holds a character that PDF viewers do not all read the same "
            "way (a control or invisible character, a non-breaking space, or a ligature, "
            "superscript or full-width form); use letters, digits, plain spaces and punctuation"
        )
    size = len(text.encode("utf-8"))
    if size > MAX_PASSWORD_BYTES:
        raise InputError(
            f"{lead}the password is too long: a PDF password is at most {MAX_PASSWORD_BYTES} "
            f"bytes of UTF-8 (a letter with an accent takes 2), and this one takes {size}"
        )
    return text


def _saslprep(text: str) -> str | None:
    """RFC 4013 SASLprep of `text`, or None when it holds a prohibited character or breaks the
    bidirectional rule."""
    mapped = "".join(
        " " if stringprep.in_table_c12(c) else c for c in text if not stringprep.in_table_b1(c)
    )
    prepared = unicodedata.normalize("NFKC", mapped)
    if any(test(c) for c in prepared for test in _PROHIBITED):
        return None
    rtl = [stringprep.in_table_d1(c) for c in prepared]
    if any(rtl) and (any(stringprep.in_table_d2(c) for c in prepared) or not (rtl[0] and rtl[-1])):
        return None
    return prepared


def password_from(
    option_text: str | None,
    env_var: str | None,
    environ: Mapping[str, str] = os.environ,
    *,
    prompt: Callable[[], str] | None = None,
) -> str | None:
    """The password given as text (--password), read from the named variable (--password-env),
    or typed at `prompt` (--password-prompt, asked only once the others are known to be
    absent), checked by check_password.

    None when none is given. Giving two, an empty password, or naming a variable that is unset
    or empty is an InputError; no message ever contains the password.
    """
    given = [
        name
        for name, value in (
            ("--password", option_text),
            ("--password-env", env_var),
            ("--password-prompt", prompt),
        )
        if value is not None
    ]
    if len(given) > 1:
        raise InputError(
            f"give {' or '.join(given)}, {'not both' if len(given) == 2 else 'only one'}"
        )
    if prompt is not None:
        return check_password(prompt(), "--password-prompt")
    if option_text is not None:
        return check_password(option_text, "--password")
    if env_var is None:
        return None
    name = env_var.strip()
    if not name or "=" in name or any(c.isspace() or ord(c) < 32 for c in name):
        raise InputError(f"--password-env: {env_var!r} is not an environment variable name")
    value = environ.get(name)
    if value is None:
        raise InputError(f"--password-env: the environment variable {name} is not set")
    if not value:
        raise InputError(f"--password-env: the environment variable {name} is empty")
    return check_password(value, f"--password-env: the environment variable {name}")
