"""Delivery that keeps its promises: passwords every viewer opens with, a non-ASCII SMTP login,
a failed send that says how to send again (`handouts send`), the password note in an encrypted
handout's email, plaintext SMTP only to this computer, email placeholders the brand cannot fill,
and non-UTF-8 bytes in any argument (exit 2, naming the option)."""

from __future__ import annotations

import email
import email.policy
import io
import os
import pty
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner, Result
from conftest import build_pdf
from test_mail import Recorder, free_port, message_for

from handouts.cli import cli
from handouts.errors import DeliveryError, InputError
from handouts.load import load_library
from handouts.load.brand import load_brand
from handouts.mail import PASSWORD_NOTE, SmtpSettings, send
from handouts.protect import MAX_PASSWORD_BYTES, check_password, encrypt_pdf, password_from

CLINIC = "Riverside Physical Therapy"
SENDER = "front.desk@example.org"
TO = "jane@example.org"
ACCENTED = "Contraseña-Ñandú 42"  # 21 characters, 24 bytes: within poppler's tools' 32-byte buffer
SMTP_PASSWORD = "pässwörd-Ñ-ß-€"


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return build_pdf(ids=("pelvic-tilt",), patient="Jane Doe")[1].data


def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env or {}, input=input)


def clinic_brand(folder: Path, extra: str = "") -> Path:
    path = folder / "clinic.yaml"
    text = f"name: {CLINIC}\nemail: {SENDER}\nphone: (555) 010-0199\n{extra}"
    path.write_text(text, encoding="utf-8")
    return path


def received(envelope: Any) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.content, policy=email.policy.default)


def body_of(message: email.message.EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def attachment_of(message: email.message.EmailMessage) -> tuple[str, bytes]:
    (part,) = list(message.iter_attachments())
    return part.get_filename(), part.get_content()


class LocalServer:
    """aiosmtpd on 127.0.0.1; with `password`, it wants a login as frontdesk with it (UTF-8)."""

    def __init__(self, password: str | None = None, exclude: tuple[str, ...] = ()) -> None:
        self.handler = Recorder()
        self.logins: list[tuple[str, bytes, bytes]] = []
        params: dict[str, Any] = {}
        if password is not None:
            params = {"authenticator": self.check, "auth_require_tls": False,
                      "auth_exclude_mechanism": list(exclude)}  # fmt: skip
        self.password = password
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port(), **params)

    def check(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
        assert isinstance(data, LoginPassword)
        self.logins.append((mechanism, data.login, data.password))
        good = data.login == b"frontdesk" and data.password == self.password.encode("utf-8")
        return AuthResult(success=good, handled=False)  # handled=False: aiosmtpd answers

    def env(self, **more: str) -> dict[str, str]:
        env = {"HANDOUTS_SMTP_HOST": "127.0.0.1", "HANDOUTS_SMTP_PORT": str(self.controller.port),
               "HANDOUTS_SMTP_SECURITY": "none"}  # fmt: skip
        return {**env, **more}

    def __enter__(self) -> LocalServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


# -- 1. passwords every viewer opens with ----------------------------------------------------------
def opens_in_pdfium(data: bytes, password: str) -> bool:
    try:
        pypdfium2.PdfDocument(data, password=password).close()
    except pypdfium2.PdfiumError:
        return False
    return True


def test_an_accented_password_opens_in_pikepdf_qpdf_poppler_and_pdfium(
    plain_pdf: bytes, tmp_path: Path
) -> None:
    data = encrypt_pdf(plain_pdf, ACCENTED)
    path = tmp_path / "jane.pdf"
    path.write_bytes(data)
    with pikepdf.open(path, password=ACCENTED) as opened:
        assert opened.encryption.R == 6
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(path, password=ACCENTED.replace("ñ", "n"))
    qpdf = subprocess.run(["qpdf", f"--password={ACCENTED}", "--check", str(path)],
                          capture_output=True, text=True)  # fmt: skip
    assert qpdf.returncode == 0, qpdf.stdout + qpdf.stderr
    text = subprocess.run(["pdftotext", "-upw", ACCENTED, str(path), "-"],
                          capture_output=True, text=True)  # fmt: skip
    assert text.returncode == 0, text.stderr
    assert "Jane Doe" in text.stdout
    wrong = subprocess.run(["pdftotext", "-upw", "Contrasena-Nandu 42", str(path), "-"],
                           capture_output=True, text=True)  # fmt: skip
    assert wrong.returncode != 0
    assert opens_in_pdfium(data, ACCENTED) and not opens_in_pdfium(data, "x")


def test_a_decomposed_password_is_stored_as_a_keyboard_types_it(plain_pdf: bytes) -> None:
    typed_on_a_mac = unicodedata.normalize("NFD", ACCENTED)
    assert typed_on_a_mac != ACCENTED
    data = encrypt_pdf(plain_pdf, typed_on_a_mac)
    with pikepdf.open(io.BytesIO(data), password=ACCENTED):
        pass
    assert opens_in_pdfium(data, ACCENTED)


def test_the_longest_password_opens_and_one_byte_more_is_refused(plain_pdf: bytes) -> None:
    longest = "ñ" * 63 + "a"  # 127 bytes
    assert len(longest.encode()) == MAX_PASSWORD_BYTES
    data = encrypt_pdf(plain_pdf, longest)
    with pikepdf.open(io.BytesIO(data), password=longest):
        pass
    assert opens_in_pdfium(data, longest)
    with pytest.raises(InputError) as caught:
        encrypt_pdf(plain_pdf, "ñ" * 64)
    assert caught.value.format_message() == (
        "the password is too long: a PDF password is at most 127 bytes of UTF-8 (a letter with "
        "an accent takes 2), and this one takes 128"
    )


@pytest.mark.parametrize(
    "password",
    ["ﬁsh-42", "x²", "ｆｕｌｌ", "a\u00a0b", "zero\u200bwidth", "tab\there", "bell\x07"],
    ids=["ligature", "superscript", "full-width", "nbsp", "zero-width", "tab", "control"],
)
def test_a_password_viewers_read_differently_is_refused(password: str) -> None:
    with pytest.raises(InputError) as caught:
        check_password(password, "--password")
    message = caught.value.format_message()
    assert message.startswith("--password: the password holds a character that PDF viewers")
    assert password not in message


def test_too_long_on_the_command_line_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    secret = "x" * 128
    for args, env in ((["--password", secret], {}), (["--password-env", "PW"], {"PW": secret})):
        result = invoke("build", "pelvic-tilt", "-o", str(out), *args, env=env)
        assert result.exit_code == 2, result.output
        assert "is at most 127 bytes of UTF-8" in result.output
        assert secret not in result.output
        assert not out.exists() and os.listdir(tmp_path) == []


def test_password_from_three_sources() -> None:
    assert password_from(None, None, {}, prompt=lambda: ACCENTED) == ACCENTED
    with pytest.raises(InputError) as caught:
        password_from("a", None, {}, prompt=lambda: pytest.fail("asked"))
    assert caught.value.format_message() == "give --password or --password-prompt, not both"
    with pytest.raises(InputError) as caught:
        password_from("a", "PW", {"PW": "b"}, prompt=lambda: "c")
    assert caught.value.format_message() == (
        "give --password or --password-env or --password-prompt, only one"
    )
    with pytest.raises(InputError) as caught:
        password_from(None, "PW", {"PW": "\udcff"})
    assert caught.value.format_message().startswith(
        "--password-env: the environment variable PW: the password is not valid UTF-8 text"
    )


def test_password_prompt_without_a_terminal_is_refused(tmp_path: Path) -> None:
    result = invoke("build", "pelvic-tilt", "--password-prompt", "-o", str(tmp_path / "a.pdf"),
                    input="secret\nsecret\n")  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        "Error: --password-prompt: there is no terminal to type the password in; "
        "use --password-env VAR instead\n"
    )
    assert os.listdir(tmp_path) == []


def test_password_prompt_reads_it_hidden_and_twice(tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    code = "from handouts.cli import main; main()"
    args = [sys.executable, "-c", code, "build", "pelvic-tilt", "--password-prompt", "-o", str(out)]
    pid, fd = pty.fork()
    if pid == 0:  # the child: handouts on a terminal
        os.environ["PYTHONPATH"] = os.pathsep.join(sys.path)
        os.execv(sys.executable, args)
    seen = b""

    def read_until(text: bytes) -> None:
        nonlocal seen
        while text not in seen:
            chunk = os.read(fd, 1024)
            assert chunk, seen
            seen += chunk

    read_until(b"Password for the PDF: ")
    os.write(fd, ACCENTED.encode() + b"\n")
    read_until(b"Repeat for confirmation: ")
    os.write(fd, ACCENTED.encode() + b"\n")
    read_until(b"Wrote")
    _, status = os.waitpid(pid, 0)
    with pytest.raises(OSError):
        while os.read(fd, 1024):
            pass
    assert os.waitstatus_to_exitcode(status) == 0
    assert ACCENTED.encode() not in seen  # not echoed
    with pikepdf.open(out, password=ACCENTED) as opened:
        assert opened.is_encrypted


# -- 2. a non-ASCII SMTP login ---------------------------------------------------------------------
@pytest.mark.parametrize("exclude", [("LOGIN",), ("PLAIN",)], ids=["PLAIN", "LOGIN"])
def test_a_non_ascii_smtp_password_logs_in_as_utf8(plain_pdf: bytes, exclude: tuple) -> None:
    with LocalServer(SMTP_PASSWORD, exclude) as server:
        env = server.env(HANDOUTS_SMTP_USER="frontdesk", HANDOUTS_SMTP_PASSWORD=SMTP_PASSWORD)
        send(message_for(plain_pdf), SmtpSettings.from_env(env))
        ((mechanism, login, password),) = server.logins
        assert (login, password) == (b"frontdesk", SMTP_PASSWORD.encode("utf-8"))
        assert mechanism == ({"PLAIN", "LOGIN"} - set(exclude)).pop()
        assert len(server.handler.envelopes) == 1


def test_a_refused_non_ascii_login_never_shows_the_password(plain_pdf: bytes) -> None:
    with LocalServer("something else") as server:
        env = server.env(HANDOUTS_SMTP_USER="frontdesk", HANDOUTS_SMTP_PASSWORD=SMTP_PASSWORD)
        with pytest.raises(DeliveryError) as caught:
            send(message_for(plain_pdf), SmtpSettings.from_env(env))
    message = caught.value.format_message()
    assert message.startswith("the mail server 127.0.0.1:")
    assert "refused the login for user frontdesk" in message
    chain = [caught.value, caught.value.__cause__, caught.value.__context__]
    for text in [message, *(repr(e) for e in chain), *(str(e) for e in chain)]:
        for piece in ("pässw", "wörd", "Ñ-ß", SMTP_PASSWORD):
            assert piece not in text


def test_the_cli_sends_with_a_non_ascii_smtp_password(tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    with LocalServer(SMTP_PASSWORD) as server:
        env = server.env(HANDOUTS_SMTP_USER="frontdesk", HANDOUTS_SMTP_PASSWORD=SMTP_PASSWORD)
        result = invoke("build", "pelvic-tilt", "--brand", str(clinic_brand(tmp_path)),
                        "--email", TO, "-o", str(out), env=env)  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.output == f"Wrote {out}\nSent it to {TO}\n"
        assert attachment_of(received(server.handler.envelopes[0]))[1] == out.read_bytes()


def test_a_non_utf8_smtp_password_is_refused_before_writing(tmp_path: Path) -> None:
    env = {"HANDOUTS_SMTP_HOST": "smtp.example.org", "HANDOUTS_SMTP_USER": "frontdesk",
           "HANDOUTS_SMTP_PASSWORD": "caf\udce9"}  # fmt: skip
    result = invoke("build", "pelvic-tilt", "--brand", str(clinic_brand(tmp_path)), "--email", TO,
                    "-o", str(tmp_path / "a.pdf"), env=env)  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        "Error: HANDOUTS_SMTP_PASSWORD is not valid UTF-8 text (it holds a byte the character "
        "encoding cannot read); set it again from a UTF-8 terminal\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["clinic.yaml"]


# -- 3. a failed send says how to send again; handouts send ---------------------------------------
def test_a_failed_send_names_the_pdf_and_the_command_that_sends_it(tmp_path: Path) -> None:
    brand = clinic_brand(tmp_path)
    out = tmp_path / "jane doe.pdf"
    env = {"HANDOUTS_SMTP_HOST": "127.0.0.1", "HANDOUTS_SMTP_PORT": str(free_port()),
           "HANDOUTS_SMTP_SECURITY": "none"}  # fmt: skip
    result = invoke("build", "pelvic-tilt", "--patient", "Jane Doe", "--brand", str(brand),
                    "--email", TO, "-o", str(out), "--lang", "es", env=env)  # fmt: skip
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: could not reach the mail server 127.0.0.1:")
    assert lines[1:] == [
        f"The handout is saved as {out}. To send it again without building it again:",
        f"  handouts send '{out}' --email {TO} --brand {brand} --lang es",
    ]
    written = out.read_bytes()
    with LocalServer() as server:
        again = invoke(
            *lines[2].split(" ", 2)[2].replace(f"'{out}'", "OUT").split(), env=server.env()
        )
        assert again.exit_code == 2  # (the command above, with OUT: not a file)
        result = invoke("send", str(out), "--email", TO, "--brand", str(brand), "--lang", "es",
                        env=server.env())  # fmt: skip
        assert result.exit_code == 0, result.output
        assert result.output == f"Sent {out} to {TO}\n"
        message = received(server.handler.envelopes[0])
    assert attachment_of(message) == ("jane doe.pdf", written)
    assert out.read_bytes() == written
    assert message["Subject"] == f"Sus ejercicios para hacer en casa, de {CLINIC}"
    assert body_of(message).startswith("Hola:\n\nSu fisioterapeuta preparó esta hoja")
    assert "Jane" not in body_of(message)


def test_send_reads_the_language_and_title_from_the_pdf(tmp_path: Path) -> None:
    brand = clinic_brand(tmp_path, "message:\n  es:\n    subject: $title\n    body: Hola.\n")
    out = tmp_path / "ana.pdf"
    assert invoke("build", "--program", "sciatica", "--lang", "es", "-o", str(out)).exit_code == 0
    result = invoke("send", str(out), "--email", TO, "--brand", str(brand), "--dry-run")
    assert result.exit_code == 0, result.output
    eml = tmp_path / "ana.eml"
    assert result.output == f"Wrote {eml} (the email, not sent)\n"
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    with pikepdf.open(out) as opened:
        title = str(opened.docinfo["/Title"])
    assert message["Subject"] == title and title.strip()
    again = invoke("send", str(out), "--email", TO, "--brand", str(brand), "--dry-run")
    assert again.output == f"Wrote {tmp_path / 'ana-2.eml'} (the email, not sent)\n"
    assert (tmp_path / "ana.eml").read_bytes() == eml.read_bytes()  # never overwritten


def test_send_asks_for_what_the_brand_message_needs(tmp_path: Path) -> None:
    text = "message:\n  en:\n    subject: Hi\n    body: |\n      Hello $patient, from $date.\n"
    brand = clinic_brand(tmp_path, text)
    out = tmp_path / "a.pdf"
    assert invoke("build", "pelvic-tilt", "--patient", "Jane", "-o", str(out)).exit_code == 0
    result = invoke("send", str(out), "--email", TO, "--brand", str(brand), "--dry-run")
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {brand}:7: message.en.body uses $patient, but no patient name was given: give "
        "--patient (or fill the patient column of a batch), or take $patient out of the message\n"
    )
    result = invoke("send", str(out), "--email", TO, "--brand", str(brand), "--dry-run",
                    "--patient", "Jane")  # fmt: skip
    assert result.exit_code == 2
    assert "uses $date, but the handout's date is not known" in result.output
    result = invoke("send", str(out), "--email", TO, "--brand", str(brand), "--dry-run",
                    "--patient", "Jane", "--date", "2026-11-29")  # fmt: skip
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes((tmp_path / "a.eml").read_bytes(),
                                       policy=email.policy.default)  # fmt: skip
    assert body_of(message) == "Hello Jane, from November 29, 2026.\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "was not found; give the handout's PDF file"),
        (b"hello", "is not a PDF file"),
        (b"%PDF-1.4\ngarbage", "is a damaged PDF file that cannot be read"),
    ],
)
def test_send_refuses_what_is_not_a_handout(tmp_path: Path, content, message: str) -> None:
    path = tmp_path / "x.pdf"
    if content is not None:
        path.write_bytes(content)
    result = invoke("send", str(path), "--email", TO, "--brand", str(clinic_brand(tmp_path)),
                    "--dry-run")  # fmt: skip
    assert result.exit_code == 2
    assert result.output == f"Error: {path}: {message}\n"
    assert sorted(os.listdir(tmp_path)) == sorted(["clinic.yaml", *(["x.pdf"] if content else [])])


def test_send_failure_leaves_the_pdf_and_says_to_run_it_again(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    assert invoke("build", "pelvic-tilt", "-o", str(out)).exit_code == 0
    env = {"HANDOUTS_SMTP_HOST": "127.0.0.1", "HANDOUTS_SMTP_PORT": str(free_port()),
           "HANDOUTS_SMTP_SECURITY": "none"}  # fmt: skip
    before = out.read_bytes()
    result = invoke("send", str(out), "--email", TO, "--brand", str(clinic_brand(tmp_path)),
                    env=env)  # fmt: skip
    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        f"Nothing was sent, and {out} is unchanged: run the same command again to try once more."
    )
    assert out.read_bytes() == before


# -- 4. an encrypted handout's email ------------------------------------------------------------
def test_every_language_has_the_password_note() -> None:
    library = load_library()
    for language in library.languages.values():
        note = language.labels["email_password"]
        assert "password" in note or "contraseña" in note, language.code
    assert library.languages["en"].labels["email_password"] == PASSWORD_NOTE


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_encrypted_handouts_email_says_a_password_is_needed(tmp_path: Path, lang: str) -> None:
    out = tmp_path / "jane.pdf"
    with LocalServer() as server:
        result = invoke("build", "pelvic-tilt", "--patient", "Jane Doe", "--lang", lang,
                        "--brand", str(clinic_brand(tmp_path)), "--email", TO,
                        "--password-env", "PW", "-o", str(out),
                        env=server.env(PW=ACCENTED))  # fmt: skip
        assert result.exit_code == 0, result.output
        message = received(server.handler.envelopes[0])
    note = load_library().languages[lang].labels["email_password"]
    text = body_of(message)
    body_label = load_library().languages[lang].labels["email_body"]
    assert f"{body_label}\n\n{note}\n" in text
    assert ACCENTED not in message.as_string() and "Contrase" not in text.replace(note, "")
    with LocalServer() as server:  # sent again: the same note, read from the encrypted PDF
        again = invoke("send", str(out), "--email", TO, "--brand", str(tmp_path / "clinic.yaml"),
                       "--lang", lang, env=server.env())  # fmt: skip
        assert again.exit_code == 0, again.output
        assert note in body_of(received(server.handler.envelopes[0]))


def test_a_brand_message_gets_the_note_at_its_end(plain_pdf: bytes, tmp_path: Path) -> None:
    brand = load_brand(clinic_brand(tmp_path, "message:\n  en: {subject: Hi, body: See you.}\n"))
    message = message_for(plain_pdf, brand, encrypted=True)
    assert body_of(message) == f"See you.\n\n{PASSWORD_NOTE}\n"
    assert body_of(message_for(plain_pdf, brand)) == "See you.\n"


# -- 5. plaintext SMTP only to this computer --------------------------------------------------------
@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]
)
def test_plaintext_to_this_computer(host: str) -> None:
    env = {"HANDOUTS_SMTP_HOST": host, "HANDOUTS_SMTP_SECURITY": "none"}
    assert SmtpSettings.from_env(env).security == "none"


@pytest.mark.parametrize("host", ["smtp.example.org", "10.0.0.5", "0.0.0.0", "::ffff:10.0.0.5"])
def test_plaintext_elsewhere_needs_the_second_setting(host: str) -> None:
    env = {"HANDOUTS_SMTP_HOST": host, "HANDOUTS_SMTP_SECURITY": "none"}
    with pytest.raises(InputError) as caught:
        SmtpSettings.from_env(env)
    assert caught.value.format_message() == (
        f"HANDOUTS_SMTP_SECURITY=none would send the handout unencrypted over the network to "
        f"{host}: use starttls or ssl; none is for a relay on this computer (localhost), or set "
        "HANDOUTS_SMTP_ALLOW_PLAINTEXT=yes for a trusted network"
    )
    assert SmtpSettings.from_env({**env, "HANDOUTS_SMTP_ALLOW_PLAINTEXT": "yes"}).host == host
    with pytest.raises(InputError) as caught:
        SmtpSettings.from_env({**env, "HANDOUTS_SMTP_ALLOW_PLAINTEXT": "sure"})
    assert caught.value.format_message() == (
        "HANDOUTS_SMTP_ALLOW_PLAINTEXT must be yes or no, got 'sure'"
    )


def test_plaintext_elsewhere_is_refused_before_writing(tmp_path: Path) -> None:
    env = {"HANDOUTS_SMTP_HOST": "smtp.example.org", "HANDOUTS_SMTP_SECURITY": "none"}
    result = invoke("build", "pelvic-tilt", "--brand", str(clinic_brand(tmp_path)), "--email", TO,
                    "-o", str(tmp_path / "a.pdf"), env=env)  # fmt: skip
    assert result.exit_code == 2
    assert "HANDOUTS_SMTP_ALLOW_PLAINTEXT=yes" in result.output
    assert sorted(os.listdir(tmp_path)) == ["clinic.yaml"]


# -- 6. placeholders the brand cannot fill ----------------------------------------------------------
def test_a_placeholder_the_brand_does_not_set_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "brand.yaml"
    path.write_text(
        "name: Riverside\nemail: a@example.org\nmessage:\n  en:\n    subject: From $clinic\n"
        "    body: Call $phone or see ${website}; $patinet\n",
        encoding="utf-8",
    )
    result = invoke("build", "pelvic-tilt", "--brand", str(path), "--email", TO, "--dry-run",
                    "-o", str(tmp_path / "a.pdf"))  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        "Error: 3 problems found:\n"
        f"  {path}:6: message.en.body uses $phone, but the brand sets no phone: add phone: to "
        "the brand file, or take $phone out of the message\n"
        f"  {path}:6: message.en.body uses $website, but the brand sets no website: add website: "
        "to the brand file, or take $website out of the message\n"
        f"  {path}:6: message.en.body uses an unknown placeholder $patinet (did you mean "
        "'$patient'?); the placeholders are: $patient, $clinic, $phone, $email, $website, $date, "
        "$title\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["brand.yaml"]


def test_patient_in_the_message_without_a_patient_is_refused_before_writing(tmp_path: Path) -> None:
    brand = clinic_brand(tmp_path, "message:\n  en:\n    subject: For $patient\n    body: Hi\n")
    result = invoke("build", "pelvic-tilt", "--brand", str(brand), "--email", TO, "--dry-run",
                    "-o", str(tmp_path / "a.pdf"))  # fmt: skip
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: {brand}:6: message.en.subject uses $patient, but no")
    assert sorted(os.listdir(tmp_path)) == ["clinic.yaml"]


# -- 7. non-UTF-8 bytes in arguments ---------------------------------------------------------------
BAD = "\udcff"  # how Python keeps the byte 0xff of an argument that is not UTF-8
NOT_TEXT = ": the text is not valid UTF-8 (it holds a byte the terminal's character encoding " \
    "cannot read); type it again in a UTF-8 terminal\n"  # fmt: skip


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["build", "--patient", f"Jane{BAD}"], "--patient"),
        (["build", "pelvic-tilt", f"--therapist=Sam{BAD}"], "--therapist"),
        (["build", "pelvic-tilt", "--notes", BAD], "--notes"),
        (["build", "pelvic-tilt", "--password", f"pw{BAD}"], "--password"),
        (["build", "pelvic-tilt", "--password-env", BAD], "--password-env"),
        (["build", "pelvic-tilt", "--email", f"{BAD}@example.org"], "--email"),
        (["build", "-p", BAD], "-p/--program"),
        (["build", f"-p{BAD}"], "-p/--program"),
        (["build", "pelvic-tilt", "--lang", BAD], "--lang"),
        (["build", "pelvic-tilt", "--layout", BAD], "--layout"),
        (["build", "pelvic-tilt", "--date", BAD], "--date"),
        (["build", "pelvic-tilt", BAD], "IDS"),
        (["build", "--log", BAD], "IDS"),
        (["list", "--condition", BAD], "--condition"),
        (["show", BAD], "EXERCISE"),
        (["rx", "new", "--patient", BAD], "--patient"),
        (["send", "a.pdf", "--email", TO, "--patient", BAD], "--patient"),
        (["send", "a.pdf", "--email", TO, "--title", BAD], "--title"),
        (["batch", "a.csv", "--out-dir", ".", "--lang", BAD], "--lang"),
    ],
)
def test_a_non_utf8_text_argument_is_exit_2_naming_the_option(
    tmp_path: Path, args: list[str], name: str
) -> None:
    os.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.output == f"Error: {name}{NOT_TEXT}"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["build", "pelvic-tilt", "-o", f"{BAD}.pdf"], "-o/--output"),
        (["build", "pelvic-tilt", f"--output={BAD}.pdf"], "-o/--output"),
        (["build", "pelvic-tilt", "--brand", f"{BAD}.pdf"], "--brand"),
        (["build", "pelvic-tilt", "--rx", f"{BAD}.pdf"], "--rx"),
        (["batch", f"{BAD}.pdf", "--out-dir", "."], "FILE.csv"),
        (["send", f"{BAD}.pdf", "--email", TO], "FILE.pdf"),
        (["check", "--library", f"{BAD}.pdf"], "--library"),
    ],
)
def test_a_non_utf8_file_name_is_exit_2_showing_the_byte(
    tmp_path: Path, args: list[str], name: str
) -> None:
    os.chdir(tmp_path)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {name}: the file name '\\xff.pdf' is not valid UTF-8 text; rename the file (or "
        "give another name) with letters the terminal can show\n"
    )
    assert os.listdir(tmp_path) == []


def test_a_non_utf8_argument_from_a_real_terminal(tmp_path: Path) -> None:
    """The bytes as a shell passes them, in a strict UTF-8 output: exit 2, nothing written."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "HANDOUTS_CACHE": "off",
           "PYTHONPATH": os.pathsep.join(sys.path)}  # fmt: skip
    env.pop("HANDOUTS_DEBUG", None)
    for args in ([b"--patient", b"J\xffne"], [b"-o", b"\xff.pdf"], [b"--password", b"\xe9"]):
        done = subprocess.run(
            [sys.executable.encode(), b"-m", b"handouts", b"build", b"pelvic-tilt", *args],
            cwd=tmp_path, env=env, capture_output=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert b"not valid UTF-8" in done.stderr and b"internal error" not in done.stderr
        assert os.listdir(tmp_path) == []
