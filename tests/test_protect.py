"""Password protection: AES-256 (R=6) by pikepdf; the password from an option or a variable."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdf
import pytest
from conftest import Pdf, build_pdf, need_tool

from handouts.errors import InputError
from handouts.protect import encrypt_pdf, password_from

PASSWORD = "blue-heron 42"


@pytest.fixture(scope="module")
def handout() -> Pdf:
    return build_pdf(ids=("pelvic-tilt",), patient="Jane Doe")[1]


@pytest.fixture(scope="module")
def encrypted(handout: Pdf) -> bytes:
    return encrypt_pdf(handout.data, PASSWORD)


def test_opens_only_with_the_password(encrypted: bytes) -> None:
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(encrypted))
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(encrypted), password="blue-heron")
    with pikepdf.open(io.BytesIO(encrypted), password=PASSWORD) as document:
        assert document.is_encrypted
        assert (document.encryption.R, document.encryption.bits) == (6, 256)


def test_the_encrypt_dictionary_says_aes_256(encrypted: bytes) -> None:
    crypt = pypdf.PdfReader(io.BytesIO(encrypted)).trailer["/Encrypt"].get_object()
    assert (crypt["/Filter"], crypt["/V"], crypt["/R"], crypt["/Length"]) == (
        "/Standard",
        5,
        6,
        256,
    )
    assert crypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert (crypt["/StmF"], crypt["/StrF"]) == ("/StdCF", "/StdCF")


def test_decrypted_text_is_the_handouts(encrypted: bytes, handout: Pdf) -> None:
    plain = io.BytesIO()
    with pikepdf.open(io.BytesIO(encrypted), password=PASSWORD) as document:
        document.save(plain)
    decrypted = Pdf(plain.getvalue())
    assert decrypted.texts == handout.texts
    assert "Jane Doe" in decrypted.text
    assert b"Jane Doe" not in encrypted  # nothing readable without the password


def test_pypdf_opens_it_with_the_password(encrypted: bytes, handout: Pdf) -> None:
    reader = pypdf.PdfReader(io.BytesIO(encrypted))
    assert reader.is_encrypted
    assert reader.decrypt(PASSWORD) == pypdf.PasswordType.USER_PASSWORD
    assert len(reader.pages) == handout.page_count


def test_each_file_gets_its_own_owner_password(handout: Pdf) -> None:
    first, second = (encrypt_pdf(handout.data, PASSWORD) for _ in range(2))
    keys = []
    for data in (first, second):
        crypt = pypdf.PdfReader(io.BytesIO(data)).trailer["/Encrypt"].get_object()
        keys.append(bytes(crypt["/O"].original_bytes))
    assert keys[0] != keys[1]


def test_an_empty_password_is_refused(handout: Pdf) -> None:
    with pytest.raises(InputError) as caught:
        encrypt_pdf(handout.data, "")
    assert caught.value.exit_code == 2
    assert caught.value.format_message() == "the password must not be empty"


# -- where the password comes from -------------------------------------------------------------
def test_password_from_the_option_or_the_environment() -> None:
    env = {"HANDOUT_PW": PASSWORD}
    assert password_from(None, None, env) is None
    assert password_from(PASSWORD, None, env) == PASSWORD
    assert password_from(None, "HANDOUT_PW", env) == PASSWORD


@pytest.mark.parametrize(
    ("text", "var", "message"),
    [
        (PASSWORD, "HANDOUT_PW", "give --password or --password-env, not both"),
        ("", None, "--password: the password must not be empty"),
        (None, "NO_SUCH_VAR", "--password-env: the environment variable NO_SUCH_VAR is not set"),
        (None, "EMPTY_PW", "--password-env: the environment variable EMPTY_PW is empty"),
        (None, "", "--password-env: '' is not an environment variable name"),
        (None, "A=B", "--password-env: 'A=B' is not an environment variable name"),
    ],
)
def test_bad_password_sources(text: str | None, var: str | None, message: str) -> None:
    env = {"HANDOUT_PW": PASSWORD, "EMPTY_PW": ""}
    with pytest.raises(InputError) as caught:
        password_from(text, var, env)
    assert caught.value.exit_code == 2
    assert caught.value.format_message() == message
    assert PASSWORD not in message


def test_importing_protect_does_not_import_pikepdf() -> None:
    code = "import sys, handouts.protect; print('pikepdf' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_poppler_and_qpdf_open_it(encrypted: bytes, tmp_path: Path) -> None:
    path = tmp_path / "handout.pdf"
    path.write_bytes(encrypted)
    info = subprocess.run(
        [need_tool("pdfinfo"), "-upw", PASSWORD, str(path)], capture_output=True, text=True
    )
    assert info.returncode == 0, info.stderr
    assert "algorithm:AES-256" in info.stdout
    refused = subprocess.run([need_tool("pdfinfo"), str(path)], capture_output=True, text=True)
    assert refused.returncode != 0
    assert "Incorrect password" in refused.stderr
    check = subprocess.run(
        [need_tool("qpdf"), f"--password={PASSWORD}", "--check", str(path)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "R = 6" in check.stdout
