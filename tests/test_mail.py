"""Email: the message a patient receives, sent to a real SMTP server on localhost (aiosmtpd) and
read back; settings from the environment; addresses; delivery errors; the .eml of a dry run; the
brand's `message:` text."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from conftest import DATE, Pdf, build_pdf

from handouts.errors import DeliveryError, InputError, ValidationError
from handouts.language import Labels
from handouts.load.brand import DEFAULT_BRAND, load_brand
from handouts.load.library import load_library
from handouts.mail import SmtpSettings, check_address, make_message, send, write_eml
from handouts.model import Brand, EmailText
from handouts.protect import encrypt_pdf

CLINIC = "Riverside Physical Therapy"
SENDER = "front.desk@example.org"
PATIENT_ADDRESS = "jane@example.org"
PASSWORD = "s3cret-Pa55word"  # the SMTP login's, never to be seen in a message
BRAND = Brand(name=CLINIC, phone="(555) 010-0199", email=SENDER, origin="clinic.yaml")
NOW = dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.timezone.utc)
FILENAME = "pelvic-tilt-jane-doe-2026-11-29.pdf"
DEFAULT_BODY = (
    "Hello Jane Doe,\n"
    "\n"
    "Your physical therapist made this handout for you. It is attached as a PDF.\n"
    "\n"
    "If you have questions, you can reach us:\n"
    "Phone: (555) 010-0199\n"
    "Email: front.desk@example.org\n"
    "\n"
    "Riverside Physical Therapy\n"
)


# -- a real SMTP server on localhost -------------------------------------------------------------
class Recorder:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


class NoSuchUser(Recorder):
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list
    ) -> str:
        return "550 no such user"


def refuse_everyone(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
    return AuthResult(success=False, handled=False)  # handled=False: aiosmtpd answers 535


def free_port() -> int:
    """A port nothing listens on (bound to port 0, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_settings(port: int, **env: str) -> SmtpSettings:
    return SmtpSettings.from_env(
        {
            "HANDOUTS_SMTP_HOST": "127.0.0.1",
            "HANDOUTS_SMTP_PORT": str(port),
            "HANDOUTS_SMTP_SECURITY": "none",
            **env,
        }
    )


@dataclass
class Server:
    handler: Recorder
    settings: SmtpSettings

    def received(self) -> EmailMessage:
        (envelope,) = self.handler.envelopes
        return email.message_from_bytes(envelope.content, policy=email.policy.default)


def body(message: EmailMessage) -> str:
    """The plain-text body with line ends as written (SMTP sends CRLF)."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


@contextmanager
def smtp_server(handler: Recorder, **env: str) -> Iterator[Server]:
    """aiosmtpd on 127.0.0.1 at a free port, stopped afterwards; extra kwargs go to its SMTP."""
    params = {}
    if env.pop("refuse_login", None):
        params = {"authenticator": refuse_everyone, "auth_require_tls": False}
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **params)
    controller.start()
    try:
        yield Server(handler, local_settings(controller.port, **env))
    finally:
        controller.stop()


@pytest.fixture
def server() -> Iterator[Server]:
    with smtp_server(Recorder()) as running:
        yield running


@pytest.fixture(scope="module")
def handout() -> Pdf:
    return build_pdf(ids=("pelvic-tilt",), patient="Jane Doe")[1]


def message_for(pdf: bytes, brand: Brand = BRAND, **kwargs: Any) -> EmailMessage:
    kwargs.setdefault("patient", "Jane Doe")
    kwargs.setdefault("title", "Your Home Exercises")
    kwargs.setdefault("date", DATE)
    kwargs.setdefault("now", NOW)
    return make_message(pdf, FILENAME, PATIENT_ADDRESS, brand, **kwargs)


def attachment(message: EmailMessage) -> tuple[str | None, str, bytes]:
    (part,) = list(message.iter_attachments())
    return part.get_filename(), part.get_content_type(), part.get_content()


# -- sending -----------------------------------------------------------------------------------
def test_the_server_receives_the_handout(server: Server, handout: Pdf) -> None:
    send(message_for(handout.data), server.settings)

    (envelope,) = server.handler.envelopes
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == [PATIENT_ADDRESS]
    got = server.received()
    assert got["From"] == f"{CLINIC} <{SENDER}>"
    assert got["To"] == PATIENT_ADDRESS
    assert got["Subject"] == f"Your home exercises from {CLINIC}"
    assert got["Date"] == "Sun, 29 Nov 2026 09:30:00 +0000"
    assert got["Message-ID"].endswith("@example.org>")
    assert body(got) == DEFAULT_BODY
    assert attachment(got) == (FILENAME, "application/pdf", handout.data)


def test_brand_text_with_placeholders(tmp_path: Path, server: Server, handout: Pdf) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(
        f"name: {CLINIC}\n"
        f"email: {SENDER}\n"
        "website: example.org\n"
        "message:\n"
        "  en:\n"
        "    subject: $title for $patient ($date)\n"
        "    body: |\n"
        "      Dear $patient,\n"
        '      here is "$title" from $clinic. Book again at $website; it costs $$5, not $5.\n',
        encoding="utf-8",
    )
    send(message_for(handout.data, load_brand(path), title="Sciatica Relief"), server.settings)

    got = server.received()
    assert got["Subject"] == "Sciatica Relief for Jane Doe (November 29, 2026)"
    assert body(got) == (
        "Dear Jane Doe,\n"
        f'here is "Sciatica Relief" from {CLINIC}. Book again at example.org; it costs $5, not $5.\n'
    )
    assert attachment(got)[2] == handout.data


def test_an_encrypted_handout_arrives_encrypted(server: Server, handout: Pdf) -> None:
    send(message_for(encrypt_pdf(handout.data, "blue-heron")), server.settings)

    data = attachment(server.received())[2]
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(data))
    plain = io.BytesIO()
    with pikepdf.open(io.BytesIO(data), password="blue-heron") as document:
        assert document.encryption.R == 6
        document.save(plain)
    assert Pdf(plain.getvalue()).texts == handout.texts


# -- the message -------------------------------------------------------------------------------
def test_default_text_names_only_the_contact_details_the_brand_sets(handout: Pdf) -> None:
    brand = Brand(name=CLINIC, email=SENDER, website="example.org")
    body = message_for(handout.data, brand, patient="").get_body(("plain",)).get_content()
    assert body == (
        "Hello,\n"
        "\n"
        "Your physical therapist made this handout for you. It is attached as a PDF.\n"
        "\n"
        "If you have questions, you can reach us:\n"
        "Email: front.desk@example.org\n"
        "Website: example.org\n"
        "\n"
        "Riverside Physical Therapy\n"
    )
    assert "Phone" not in body


def test_patient_text_is_inserted_as_plain_text(handout: Pdf) -> None:
    brand = Brand(
        name=CLINIC,
        email=SENDER,
        messages=(EmailText("en", "For $patient", "Hello $patient from $clinic"),),
    )
    message = message_for(handout.data, brand, patient="$clinic\r\nBcc: evil@example.net")
    assert message["Subject"] == "For $clinic Bcc: evil@example.net"
    assert message["Bcc"] is None
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "For $clinic Bcc: evil@example.net"
    body = parsed.get_body(("plain",)).get_content()
    assert body == f"Hello $clinic Bcc: evil@example.net from {CLINIC}\n"


@pytest.mark.parametrize(
    ("lang", "subject"),
    [("es", "Hola"), ("es-MX", "Hola"), ("pt-BR", "Olá (BR)"), ("PT", "Olá"), ("en-US", "Hi"),
     ("fr", "Hi")],
)  # fmt: skip
def test_the_text_in_the_patients_language(lang: str, subject: str, handout: Pdf) -> None:
    texts = (("en", "Hi"), ("es", "Hola"), ("pt", "Olá"), ("pt-BR", "Olá (BR)"))
    brand = Brand(name=CLINIC, email=SENDER, messages=tuple(EmailText(*t, "-") for t in texts))
    assert message_for(handout.data, brand, lang=lang)["Subject"] == subject
    without_english = Brand(name=CLINIC, email=SENDER, messages=(EmailText("es", "Hola", "-"),))
    expected = "Hola" if lang.startswith("es") else f"Your home exercises from {CLINIC}"
    assert message_for(handout.data, without_english, lang=lang)["Subject"] == expected


def test_date_is_iso_outside_english(handout: Pdf) -> None:
    texts = (EmailText("es", "Del $date", "-"), EmailText("en", "Of $date", "-"))
    brand = Brand(name=CLINIC, email=SENDER, messages=texts)
    assert message_for(handout.data, brand, lang="es")["Subject"] == "Del 2026-11-29"
    assert message_for(handout.data, brand, lang="fr")["Subject"] == "Of November 29, 2026"


def test_a_brand_without_email_cannot_send(handout: Pdf) -> None:
    with pytest.raises(InputError) as caught:
        message_for(handout.data, Brand(name=CLINIC, origin="clinic.yaml"))
    assert caught.value.exit_code == 2
    assert caught.value.format_message() == (
        "a handout is emailed from the clinic's address, and the brand has no email: "
        "add it to clinic.yaml, like email: front.desk@example.org"
    )
    with pytest.raises(InputError) as caught:
        message_for(handout.data, DEFAULT_BRAND)
    assert caught.value.format_message() == (
        "a handout is emailed from the clinic's address, and the brand has no email: "
        "give a brand file (--brand), like email: front.desk@example.org"
    )


def test_a_brand_email_that_is_no_address(handout: Pdf) -> None:
    with pytest.raises(InputError) as caught:
        message_for(handout.data, Brand(name=CLINIC, email="call us", origin="clinic.yaml"))
    assert caught.value.format_message() == (
        "clinic.yaml: email: 'call us' is not an email address; the handout is emailed from it"
    )


# -- delivery errors ---------------------------------------------------------------------------
def delivery_error(message: EmailMessage, settings: SmtpSettings, **kwargs: Any) -> str:
    with pytest.raises(DeliveryError) as caught:
        send(message, settings, **kwargs)
    assert caught.value.exit_code == 1
    text = caught.value.format_message()
    assert PASSWORD not in text
    assert "Jane Doe" not in text
    return text


def test_unreachable_server(handout: Pdf) -> None:
    port = free_port()
    settings = local_settings(port)
    assert delivery_error(message_for(handout.data), settings) == (
        f"could not reach the mail server 127.0.0.1:{port} "
        "(connection refused; check HANDOUTS_SMTP_HOST and HANDOUTS_SMTP_PORT)"
    )


def test_unknown_server_name(handout: Pdf) -> None:
    settings = SmtpSettings(host="no-such-host.invalid", port=587, security="none")
    assert delivery_error(message_for(handout.data), settings) == (
        "could not reach the mail server no-such-host.invalid:587 "
        "(unknown server name; check HANDOUTS_SMTP_HOST)"
    )


def test_a_server_that_never_answers(handout: Pdf) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        settings = local_settings(port, HANDOUTS_SMTP_SECURITY="starttls")
        assert delivery_error(message_for(handout.data), settings, timeout=0.3) == (
            f"could not reach the mail server 127.0.0.1:{port} (no answer within 0.3 seconds; "
            f"is HANDOUTS_SMTP_SECURITY=starttls right for port {port}?)"
        )


def test_refused_login(handout: Pdf) -> None:
    env = {"HANDOUTS_SMTP_USER": "frontdesk", "HANDOUTS_SMTP_PASSWORD": PASSWORD}
    with smtp_server(Recorder(), refuse_login="yes", **env) as running:
        text = delivery_error(message_for(handout.data), running.settings)
        assert running.handler.envelopes == []
    assert text == (
        f"the mail server {running.settings.server} refused the login for user frontdesk "
        "(535 5.7.8 Authentication credentials invalid); "
        "check HANDOUTS_SMTP_USER and HANDOUTS_SMTP_PASSWORD"
    )


def test_refused_recipient(handout: Pdf) -> None:
    with smtp_server(NoSuchUser()) as running:
        text = delivery_error(message_for(handout.data), running.settings)
        assert running.handler.envelopes == []
    assert text == (
        f"the mail server {running.settings.server} refused the address {PATIENT_ADDRESS} "
        "(550 no such user)"
    )


def test_starttls_asked_of_a_server_without_it(server: Server, handout: Pdf) -> None:
    settings = local_settings(server.settings.port, HANDOUTS_SMTP_SECURITY="starttls")
    assert delivery_error(message_for(handout.data), settings) == (
        f"the mail server {settings.server} does not offer STARTTLS; "
        "set HANDOUTS_SMTP_SECURITY=ssl, or none for a local relay"
    )
    assert server.handler.envelopes == []


def test_ssl_asked_of_a_plain_server(server: Server, handout: Pdf) -> None:
    settings = local_settings(server.settings.port, HANDOUTS_SMTP_SECURITY="ssl")
    text = delivery_error(message_for(handout.data), settings)
    assert text.startswith(f"a secure connection to the mail server {settings.server} failed (")
    assert text.endswith(f"; is HANDOUTS_SMTP_SECURITY=ssl right for port {settings.port}?")
    assert server.handler.envelopes == []


class NoSuchSender(Recorder):
    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list
    ) -> str:
        return "553 5.7.1 sender not allowed"


class TooLarge(Recorder):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "552 5.3.4 message too big"


def test_refused_sender(handout: Pdf) -> None:
    with smtp_server(NoSuchSender()) as running:
        text = delivery_error(message_for(handout.data), running.settings)
    assert text == (
        f"the mail server {running.settings.server} refused the sender address {SENDER}, "
        "the brand's email: (553 5.7.1 sender not allowed)"
    )


def test_refused_message(handout: Pdf) -> None:
    with smtp_server(TooLarge()) as running:
        text = delivery_error(message_for(handout.data), running.settings)
    assert text == (
        f"the mail server {running.settings.server} did not accept the message: "
        "552 5.3.4 message too big"
    )


# -- settings ----------------------------------------------------------------------------------
HOST = {"HANDOUTS_SMTP_HOST": "smtp.example.org"}
LOGIN = {"HANDOUTS_SMTP_USER": "frontdesk", "HANDOUTS_SMTP_PASSWORD": PASSWORD}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (HOST, SmtpSettings("smtp.example.org", 587, None, None, "starttls")),
        ({**HOST, "HANDOUTS_SMTP_SECURITY": "ssl"}, SmtpSettings("smtp.example.org", 465, security="ssl")),
        ({**HOST, "HANDOUTS_SMTP_SECURITY": " None ", "HANDOUTS_SMTP_ALLOW_PLAINTEXT": "yes"}, SmtpSettings("smtp.example.org", 25, security="none")),
        ({**HOST, "HANDOUTS_SMTP_PORT": "2525", "HANDOUTS_SMTP_SECURITY": ""}, SmtpSettings("smtp.example.org", 2525)),
        ({**HOST, **LOGIN}, SmtpSettings("smtp.example.org", 587, "frontdesk", PASSWORD)),
        ({"HANDOUTS_SMTP_HOST": "localhost", "HANDOUTS_SMTP_SECURITY": "none", **LOGIN},
         SmtpSettings("localhost", 25, "frontdesk", PASSWORD, "none")),
        ({"HANDOUTS_SMTP_HOST": "::1", "HANDOUTS_SMTP_SECURITY": "none", **LOGIN},
         SmtpSettings("::1", 25, "frontdesk", PASSWORD, "none")),
    ],
)  # fmt: skip
def test_settings_from_the_environment(env: dict[str, str], expected: SmtpSettings) -> None:
    assert SmtpSettings.from_env(env) == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "set HANDOUTS_SMTP_HOST to your mail server, e.g. HANDOUTS_SMTP_HOST=smtp.example.org"),
        ({"HANDOUTS_SMTP_HOST": "  "}, "set HANDOUTS_SMTP_HOST to your mail server, e.g. HANDOUTS_SMTP_HOST=smtp.example.org"),
        ({"HANDOUTS_SMTP_HOST": "smtp.example.org:587"}, "HANDOUTS_SMTP_HOST must be a server name like smtp.example.org, got 'smtp.example.org:587' (set the port in HANDOUTS_SMTP_PORT)"),
        ({"HANDOUTS_SMTP_HOST": "smtp://example.org"}, "HANDOUTS_SMTP_HOST must be a server name like smtp.example.org, got 'smtp://example.org' (set the port in HANDOUTS_SMTP_PORT)"),
        ({**HOST, "HANDOUTS_SMTP_SECURITY": "tls"}, "HANDOUTS_SMTP_SECURITY must be one of starttls, ssl, none, got 'tls'"),
        ({**HOST, "HANDOUTS_SMTP_PORT": "smtp"}, "HANDOUTS_SMTP_PORT must be a port number from 1 to 65535, got 'smtp'"),
        ({**HOST, "HANDOUTS_SMTP_PORT": "0"}, "HANDOUTS_SMTP_PORT must be a port number from 1 to 65535, got '0'"),
        ({**HOST, "HANDOUTS_SMTP_PORT": "65536"}, "HANDOUTS_SMTP_PORT must be a port number from 1 to 65535, got '65536'"),
        ({**HOST, "HANDOUTS_SMTP_PORT": "-25"}, "HANDOUTS_SMTP_PORT must be a port number from 1 to 65535, got '-25'"),
        ({**HOST, "HANDOUTS_SMTP_USER": "frontdesk"}, "HANDOUTS_SMTP_USER is set but HANDOUTS_SMTP_PASSWORD is not: set both to log in to the mail server, or neither"),
        ({**HOST, "HANDOUTS_SMTP_PASSWORD": PASSWORD}, "HANDOUTS_SMTP_PASSWORD is set but HANDOUTS_SMTP_USER is not: set both to log in to the mail server, or neither"),
        ({**HOST, **LOGIN, "HANDOUTS_SMTP_SECURITY": "none"}, "HANDOUTS_SMTP_SECURITY=none would send the handout and the password unencrypted over the network to smtp.example.org: use starttls or ssl; none is for a relay on this computer (localhost), or set HANDOUTS_SMTP_ALLOW_PLAINTEXT=yes for a trusted network"),
    ],
)  # fmt: skip
def test_bad_settings(env: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        SmtpSettings.from_env(env)
    assert caught.value.exit_code == 2
    assert caught.value.format_message() == message


def test_settings_never_show_the_password() -> None:
    settings = SmtpSettings.from_env({**HOST, **LOGIN})
    assert settings.password == PASSWORD
    assert PASSWORD not in repr(settings)
    assert PASSWORD not in str(settings)
    assert repr(settings) == (
        "SmtpSettings(host='smtp.example.org', port=587, user='frontdesk', security='starttls')"
    )


# -- addresses ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "address"),
    [
        ("jane@example.org", "jane@example.org"),
        ("  jane.doe+pt@mail.example.co.uk ", "jane.doe+pt@mail.example.co.uk"),
        ("o'brien@example.ie", "o'brien@example.ie"),
    ],
)
def test_good_addresses(given: str, address: str) -> None:
    assert check_address(given) == address


@pytest.mark.parametrize(
    "given",
    [
        "", "jane", "jane@", "@example.org", "jane@example", "jane@@example.org",
        "jane@doe@example.org", "Jane <jane@example.org>", "<jane@example.org>",
        "jane@example.org, bob@example.org", "jane@example.org;bob@example.org",
        "jane doe@example.org", "jane@exa mple.org", "a@b.org\r\nBcc: x@y.org",
        "a@b.org\nBcc: x@y.org", "a@b.org\r", "a@b.org\n", "jane@example.org\x00", ".jane@example.org",
        "jane.@example.org", "jane..doe@example.org", "jane@.example.org", "jane@example..org",
        "jane@example.org.", '"jane"@example.org', "jane(doe)@example.org", "josé@example.org",
    ],
)  # fmt: skip
def test_bad_addresses(given: str) -> None:
    with pytest.raises(InputError) as caught:
        check_address(given)
    message = caught.value.format_message()
    assert message == f"{given!r} is not an email address"
    assert "\n" not in message and "\r" not in message


def test_no_header_can_be_injected_through_the_recipient(handout: Pdf) -> None:
    with pytest.raises(InputError):
        make_message(
            handout.data, FILENAME, "a@b.org\r\nBcc: x@y.org", BRAND,
            patient="Jane Doe", title="Handout", date=DATE,
        )  # fmt: skip


# -- dry run -----------------------------------------------------------------------------------
def test_write_eml(tmp_path: Path, handout: Pdf) -> None:
    path = tmp_path / "jane.eml"
    write_eml(message_for(handout.data), path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["jane.eml"]  # no .part left behind
    got = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert (got["From"], got["To"]) == (f"{CLINIC} <{SENDER}>", PATIENT_ADDRESS)
    assert got["Subject"] == f"Your home exercises from {CLINIC}"
    assert body(got) == DEFAULT_BODY
    assert attachment(got) == (FILENAME, "application/pdf", handout.data)


def test_write_eml_into_a_missing_folder(tmp_path: Path, handout: Pdf) -> None:
    path = tmp_path / "nope" / "jane.eml"
    with pytest.raises(InputError) as caught:
        write_eml(message_for(handout.data), path)
    assert caught.value.format_message() == (
        f"{path}: cannot write the message, the folder {path.parent} does not exist"
    )


# -- the brand's message: --------------------------------------------------------------------------
def brand_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    Path("brand.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_brand(Path("brand.yaml"))
    return caught.value.problems


def test_brand_message_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "brand.yaml"
    path.write_text(
        "name: Riverside\n"
        "message:\n"
        '  en: {subject: Exercises from $clinic, body: "Hello $patient,\\n\\nSee you soon."}\n'
        "  pt-BR:\n"
        "    subject: Exercícios de ${clinic}\n"
        "    body: Olá $patient\n",
        encoding="utf-8",
    )
    assert load_brand(path).messages == (
        EmailText("en", "Exercises from $clinic", "Hello $patient,\n\nSee you soon."),
        EmailText("pt-BR", "Exercícios de ${clinic}", "Olá $patient"),
    )


def test_brand_message_unknown_placeholder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems = brand_problems(
        tmp_path,
        monkeypatch,
        "name: Riverside\n"
        "message:\n"
        "  en:\n"
        "    subject: Your exercises, $patinet\n"
        "    body: |\n"
        "      From ${clinc}, on $date.\n",
    )
    placeholders = (
        "the placeholders are: $patient, $clinic, $phone, $email, $website, $date, $title"
    )
    assert problems == [
        "brand.yaml:4: message.en.subject uses an unknown placeholder $patinet "
        f"(did you mean '$patient'?); {placeholders}",
        "brand.yaml:5: message.en.body uses an unknown placeholder $clinc "
        f"(did you mean '$clinic'?); {placeholders}",
    ]


def test_brand_message_missing_and_bad_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = brand_problems(
        tmp_path,
        monkeypatch,
        "name: Riverside\n"
        "message:\n"
        "  es:\n"
        "    body: Hola $patient\n"
        "  english:\n"
        "    subject: Hi\n"
        "    body: Hi\n"
        "  fr: Bonjour\n"
        "  de:\n"
        '    subject: "Hallo\\nWelt"\n'
        "    body: Hallo\n"
        "    footer: Tschüss\n",
    )
    assert problems == [
        "brand.yaml:4: message.es.subject is required (text)",
        "brand.yaml:6: message.english is not a language code like en, es or pt-BR",
        "brand.yaml:8: message.fr must be a mapping with subject: and body:, got 'Bonjour'",
        "brand.yaml:10: message.de.subject must be one line",
        "brand.yaml:12: message.de.footer is not a known key; expected one of: subject, body",
    ]


# -- the command line: handouts build --email / batch with an email column -----------------------
def cli_env(server: Server) -> dict[str, str]:
    return {
        "HANDOUTS_SMTP_HOST": "127.0.0.1",
        "HANDOUTS_SMTP_PORT": str(server.settings.port),
        "HANDOUTS_SMTP_SECURITY": "none",
    }


def clinic_brand(folder: Path) -> Path:
    path = folder / "clinic.yaml"
    path.write_text(f"name: {CLINIC}\nemail: {SENDER}\nphone: (555) 010-0199\n", encoding="utf-8")
    return path


def run_cli(args: list[str], env: dict[str, str] | None = None):
    from click.testing import CliRunner

    from handouts.cli import cli

    return CliRunner().invoke(cli, args, env=env or {})


def test_build_emails_the_pdf_it_wrote(server: Server, tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    args = ["build", "pelvic-tilt", "--patient", "Jane Doe", "--brand", str(clinic_brand(tmp_path)),
            "--email", PATIENT_ADDRESS, "-o", str(out), "--date", "2026-11-29"]  # fmt: skip
    result = run_cli(args, cli_env(server))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}\nSent it to {PATIENT_ADDRESS}\n"
    received = server.received()
    assert received["To"] == PATIENT_ADDRESS
    assert received["From"].addresses[0].addr_spec == SENDER
    assert attachment(received) == ("jane.pdf", "application/pdf", out.read_bytes())


def test_build_encrypts_before_writing_and_sending(server: Server, tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    args = ["build", "pelvic-tilt", "--brand", str(clinic_brand(tmp_path)), "--email",
            PATIENT_ADDRESS, "--password-env", "RX_PASSWORD", "-o", str(out)]  # fmt: skip
    result = run_cli(args, {**cli_env(server), "RX_PASSWORD": "s3cret-1950"})
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output
    _, _, sent = attachment(server.received())
    assert sent == out.read_bytes()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(out)
    with pikepdf.open(out, password="s3cret-1950") as opened:
        assert opened.is_encrypted and len(opened.pages) >= 2


def test_a_delivery_failure_exits_1_and_keeps_the_pdf(tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    env = {"HANDOUTS_SMTP_HOST": "127.0.0.1", "HANDOUTS_SMTP_PORT": str(free_port()),
           "HANDOUTS_SMTP_SECURITY": "none"}  # fmt: skip
    args = ["build", "pelvic-tilt", "--brand", str(clinic_brand(tmp_path)), "--email",
            PATIENT_ADDRESS, "-o", str(out)]  # fmt: skip
    result = run_cli(args, env)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: could not reach the mail server 127.0.0.1:{env['HANDOUTS_SMTP_PORT']}"
    )
    assert out.read_bytes().startswith(b"%PDF-")  # the handout is on disk to print or send later


@pytest.mark.parametrize(
    ("brand_text", "env", "message"),
    [
        (f"name: {CLINIC}\nemail: {SENDER}\n", {},
         "Error: set HANDOUTS_SMTP_HOST to your mail server, e.g. HANDOUTS_SMTP_HOST=smtp.example.org\n"),
        (f"name: {CLINIC}\n", {"HANDOUTS_SMTP_HOST": "127.0.0.1"},
         "Error: a handout is emailed from the clinic's address, and the brand has no email: "
         "add it to {brand}, like email: front.desk@example.org\n"),
    ],
)  # fmt: skip
def test_missing_mail_settings_stop_before_anything_is_written(tmp_path, brand_text, env, message):
    brand = tmp_path / "clinic.yaml"
    brand.write_text(brand_text, encoding="utf-8")
    out = tmp_path / "jane.pdf"
    result = run_cli(["build", "pelvic-tilt", "--brand", str(brand), "--email", PATIENT_ADDRESS,
                      "-o", str(out)], {"HANDOUTS_SMTP_HOST": "", **env})  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == message.format(brand=brand)
    assert not out.exists()


def test_dry_run_writes_the_message_beside_the_pdf(tmp_path: Path) -> None:
    out = tmp_path / "jane.pdf"
    args = ["build", "pelvic-tilt", "--brand", str(clinic_brand(tmp_path)), "--email",
            PATIENT_ADDRESS, "--dry-run", "-o", str(out)]  # fmt: skip
    result = run_cli(args, {"HANDOUTS_SMTP_HOST": ""})
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}\nWrote {tmp_path / 'jane.eml'} (the email, not sent)\n"
    parsed = email.message_from_bytes(
        (tmp_path / "jane.eml").read_bytes(), policy=email.policy.default
    )
    assert parsed["To"] == PATIENT_ADDRESS
    assert attachment(parsed)[2] == out.read_bytes()


def test_batch_emails_the_rows_that_have_an_address(server: Server, tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(
        "patient,program,email\n"
        f"Jane Doe,sciatica-gentle,{PATIENT_ADDRESS}\n"
        "Bob Smith,sciatica-strength,\n"
        "Ann Lee,sciatica-gentle,not an address\n",
        encoding="utf-8",
    )
    (tmp_path / "out").mkdir()
    args = ["batch", str(csv), "--out-dir", str(tmp_path / "out"), "--jobs", "1",
            "--brand", str(clinic_brand(tmp_path)), "--date", "2026-11-29"]  # fmt: skip
    result = run_cli(args, cli_env(server))
    assert result.exit_code == 1
    assert result.stdout == f"Wrote 2 handouts in {tmp_path / 'out'}.\nEmailed 1 of them.\n"
    assert result.stderr == f"1 row failed:\n  {csv}:4: 'not an address' is not an email address\n"
    (envelope,) = server.handler.envelopes
    assert envelope.rcpt_tos == [PATIENT_ADDRESS]
    received = server.received()
    jane = tmp_path / "out" / "0002-jane-doe-sciatica-gentle-2026-11-29.pdf"
    assert attachment(received)[2] == jane.read_bytes()


def test_the_default_text_follows_the_handouts_language(handout: Pdf) -> None:
    """A Spanish handout's email is in Spanish even when the brand wrote no Spanish message."""
    spanish = Labels(load_library().languages["es"])
    brand = Brand(name=CLINIC, email=SENDER, phone="(555) 010-0199")
    message = message_for(handout.data, brand, lang="es", labels=spanish, patient="Ana")
    assert message["Subject"] == f"Sus ejercicios para hacer en casa, de {CLINIC}"
    assert message.get_body(("plain",)).get_content() == (
        "Hola, Ana:\n\nSu fisioterapeuta preparó esta hoja para usted. Va adjunta como archivo "
        f"PDF.\n\nSi tiene preguntas, puede comunicarse con nosotros:\nTeléfono: (555) 010-0199\nCorreo electrónico: {SENDER}\n\n"
        f"{CLINIC}\n"
    )
    # the brand's own Spanish wins, and its $date reads as the handout prints it
    brand = Brand(name=CLINIC, email=SENDER, messages=(EmailText("es", "Del $date", "-"),))
    message = message_for(handout.data, brand, lang="es", labels=spanish)
    assert message["Subject"] == "Del 29 de noviembre de 2026"
