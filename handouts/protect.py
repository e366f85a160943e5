"""Protect a handout with a password: AES-256 (PDF 2.0 security handler, R=6) applied by pikepdf.

reportlab's own encryption is not used: its default is RC4-40, and its AES mode writes an old scheme
that pypdf and Poppler-based viewers cannot open. pikepdf (and `secrets`) are imported only when a
PDF is encrypted, so `import handouts.protect` stays cheap.

A password is never echoed: messages name the option or the environment variable, not the value.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping

from handouts.errors import InputError


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """`pdf` encrypted with AES-256 (R=6): `password` opens it; the owner password is random.

    The patient can open, print and copy from the file with the password; nobody holds the owner
    password, so the permissions cannot be changed. AES output is not byte-deterministic.
    """
    if not password:
        raise InputError("the password must not be empty")
    import secrets

    import pikepdf

    owner = secrets.token_urlsafe(32)
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        document.save(out, encryption=pikepdf.Encryption(user=password, owner=owner, R=6))
    return out.getvalue()


def password_from(
    option_text: str | None, env_var: str | None, environ: Mapping[str, str] = os.environ
) -> str | None:
    """The password given as text (--password) or read from the named variable (--password-env).

    None when neither is given. Giving both, an empty password, or naming a variable that is unset
    or empty is an InputError; no message ever contains the password.
    """
    if option_text is not None and env_var is not None:
        raise InputError("give --password or --password-env, not both")
    if option_text is not None:
        if not option_text:
            raise InputError("--password: the password must not be empty")
        return option_text
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
    return value
