"""Email a handout: the message (brand text, PDF attached), SMTP settings from the environment,
sending with errors a front desk can act on, and `.eml` files for a dry run.

Standard library only (smtplib, email), but for pikepdf, imported only when `handouts send`
reads a written PDF's title and language. Nothing here logs or prints: a failure is one DeliveryError
(exit 1) naming the server and, when it refused one, the recipient; never the password, and nothing
else about the patient.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email.policy
import email.utils
import io
import ipaddress
import os
import re
import shlex
import smtplib
import socket
import ssl
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from handouts.deliver import write_new
from handouts.errors import DeliveryError, InputError
from handouts.language import Labels
from handouts.load.brand import DEFAULT_BRAND
from handouts.load.source import is_file
from handouts.model import Brand, EmailText
from handouts.text import is_digits

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
HOST_EXAMPLE = "HANDOUTS_SMTP_HOST=smtp.example.org"
DEFAULT_SUBJECT = "Your home exercises from $clinic"
_ADDRESS = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_HOST = re.compile(r"^[A-Za-z0-9_.-]+$")


# -- settings ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: read from HANDOUTS_SMTP_* environment variables, never from a file."""

    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    security: str = "starttls"  # one of SECURITY_PORTS

    @property
    def server(self) -> str:
        """'host:port' as messages show it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SmtpSettings:
        """Read the settings; each bad value is an InputError (exit 2) naming its variable.

        An empty variable counts as unset.
        """

        def get(name: str, strip: bool = True) -> str:
            value = environ.get(name, "")
            if _not_utf8(value):
                raise InputError(
                    f"{name} is not valid UTF-8 text (it holds a byte the character encoding "
                    "cannot read); set it again from a UTF-8 terminal"
                )
            return value.strip() if strip else value

        host = get("HANDOUTS_SMTP_HOST")
        if not host:
            raise InputError(f"set HANDOUTS_SMTP_HOST to your mail server, e.g. {HOST_EXAMPLE}")
        if not _is_host(host):
            raise InputError(
                f"HANDOUTS_SMTP_HOST must be a server name like smtp.example.org, got {host!r}"
                " (set the port in HANDOUTS_SMTP_PORT)"
            )
        security = get("HANDOUTS_SMTP_SECURITY").lower() or "starttls"
        if security not in SECURITY_PORTS:
            raise InputError(
                f"HANDOUTS_SMTP_SECURITY must be one of {', '.join(SECURITY_PORTS)}, "
                f"got {get('HANDOUTS_SMTP_SECURITY')!r}"
            )
        port_text = get("HANDOUTS_SMTP_PORT")
        port = SECURITY_PORTS[security]
        if port_text:
            if not is_digits(port_text) or not 1 <= int(port_text) <= 65535:
                raise InputError(
                    f"HANDOUTS_SMTP_PORT must be a port number from 1 to 65535, got {port_text!r}"
                )
            port = int(port_text)
        user = get("HANDOUTS_SMTP_USER") or None
        password = get("HANDOUTS_SMTP_PASSWORD", strip=False) or None
        if (user is None) != (password is None):
            given, missing = (
                ("HANDOUTS_SMTP_USER", "HANDOUTS_SMTP_PASSWORD")
                if user
                else ("HANDOUTS_SMTP_PASSWORD", "HANDOUTS_SMTP_USER")
            )
            raise InputError(
                f"{given} is set but {missing} is not: set both to log in to the mail server, "
                "or neither"
            )
        allow = get("HANDOUTS_SMTP_ALLOW_PLAINTEXT").lower()
        if allow not in ("", "yes", "no"):
            raise InputError(
                f"HANDOUTS_SMTP_ALLOW_PLAINTEXT must be yes or no, "
                f"got {get('HANDOUTS_SMTP_ALLOW_PLAINTEXT')!r}"
            )
        if security == "none" and not _is_loopback(host) and allow != "yes":
            what = "the handout and the password" if user else "the handout"
            raise InputError(
                f"HANDOUTS_SMTP_SECURITY=none would send {what} unencrypted over the network "
                f"to {host}: use starttls or ssl; none is for a relay on this computer "
                "(localhost), or set HANDOUTS_SMTP_ALLOW_PLAINTEXT=yes for a trusted network"
            )
        return cls(host=host, port=port, user=user, password=password, security=security)


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOST.match(host)) and ".." not in host


def _is_loopback(host: str) -> bool:
    """Whether `host` is this computer: localhost, 127.0.0.0/8 or ::1 (also as ::ffff:127.x)."""
    if host.lower().rstrip(".") in ("localhost", "localhost.localdomain"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def _not_utf8(text: str) -> bool:
    """Whether `text` holds bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    return any("\udc80" <= c <= "\udcff" for c in text)


# -- addresses ---------------------------------------------------------------------------------
def check_address(address: str) -> str:
    """One plain address like jane@example.org (spaces around it dropped), or an InputError.

    Names, lists, comments, spaces and control characters (CR/LF: header injection) are refused.
    """
    text = address.strip(" \t")
    if (
        not _ADDRESS.match(text)
        or email.utils.parseaddr(text) != ("", text)
        or text.count("@") != 1
        or ".." in text
        or text.startswith(".")
        or ".@" in text
        or len(text) > 254
    ):
        raise InputError(f"{address!r} is not an email address")
    return text


# -- the message -------------------------------------------------------------------------------
def sender_address(brand: Brand) -> str:
    """The brand's address, which handouts are emailed from; an InputError when it has none."""
    if not brand.email:
        where = (
            "give a brand file (--brand)"
            if brand.origin == DEFAULT_BRAND.origin
            else f"add it to {brand.origin}"
        )
        raise InputError(
            "a handout is emailed from the clinic's address, and the brand has no email: "
            f"{where}, like email: front.desk@example.org"
        )
    try:
        sender = check_address(brand.email)
    except InputError:
        raise InputError(
            f"{brand.origin}: email: {brand.email!r} is not an email address; "
            "the handout is emailed from it"
        ) from None
    return sender


def make_message(
    pdf: bytes,
    filename: str,
    to: str,
    brand: Brand,
    *,
    patient: str | None,
    title: str | None,
    date: dt.date | None,
    lang: str = "en",
    labels: Labels | None = None,
    now: dt.datetime | None = None,
    encrypted: bool = False,
    html: bytes | None = None,
) -> EmailMessage:
    """The email that carries one handout: from the brand's name and address, to `to`, with the
    subject and body of message_text; the PDF attached as `filename`, and its accessible `html`
    copy after it when given (the same name, .html; the body says what it is). `now` (default:
    the current time) is the Date header."""
    sender = sender_address(brand)
    recipient = check_address(to)
    subject, body = message_text(brand, lang, patient=patient, title=title, date=date,
                                 labels=labels, encrypted=encrypted,
                                 html=html is not None)  # fmt: skip
    local, domain = sender.split("@")
    name = Path(filename).name
    if not name or _not_utf8(name):
        name = "handout.pdf"

    message = EmailMessage(policy=email.policy.default)
    message["From"] = Address(display_name=_one_line(brand.name), username=local, domain=domain)
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(now or email.utils.localtime())
    message["Message-ID"] = email.utils.make_msgid(domain=domain)
    message.set_content(body)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
    if html is not None:  # as bytes (base64): the file arrives exactly as written
        message.add_attachment(html, maintype="text", subtype="html",
                               filename=str(Path(name).with_suffix(".html")))  # fmt: skip
    return message


def message_text(
    brand: Brand,
    lang: str,
    *,
    patient: str | None,
    title: str | None,
    date: dt.date | None,
    labels: Labels | None = None,
    encrypted: bool = False,
    html: bool = False,
) -> tuple[str, str]:
    """The email's subject and body: the brand's `message:` for `lang`, else the handout's
    `labels` (its language's email text), else English, with the placeholders filled in (each
    value once: a patient named '$clinic' stays '$clinic'). None is a value not known (a PDF
    sent again, see send_handout). A placeholder with no value is an InputError naming the
    brand's file and line, so nothing is ever sent with a blank. An `encrypted` handout's email
    says that a password is needed and how the patient will get it (never the password); one
    with the `html` copy attached says that it is the accessible copy and how to open it.

    Called before the PDF is written, then again for the message itself."""
    text = email_text(brand, lang, patient=patient or "", labels=labels)
    same = labels is not None and _base(text.lang) == _base(labels.code)
    if date is None:
        day = ""
    else:
        day = labels.date(date) if same and labels else _date_text(date, text.lang)
    values = {
        "patient": _one_line(patient or ""),
        "clinic": _one_line(brand.name),
        "phone": brand.phone,
        "email": brand.email,
        "website": brand.website,
        "date": day,
        "title": _one_line(title or ""),
    }
    for part, where, key in zip(
        (text.subject, text.body), text.where, ("subject", "body"), strict=True
    ):
        for match in string.Template.pattern.finditer(part):
            name = match.group("named") or match.group("braced")
            if name in values and not values[name].strip():
                where = where or f"{brand.origin}: message.{text.lang}.{key}"
                raise InputError(f"{where} uses ${name}, but {_UNFILLED[name]}")
    subject = _one_line(string.Template(text.subject).safe_substitute(values))
    body = string.Template(text.body).safe_substitute(values)
    if encrypted:
        note = labels["email_password"] if same and labels else PASSWORD_NOTE
        body = _add_paragraph(body, note, after=labels["email_body"] if same and labels else "")
    if html:
        note = labels["email_html"] if same and labels else HTML_NOTE
        body = _add_paragraph(body, note, after=labels["email_body"] if same and labels else "")
    return subject, body


PASSWORD_NOTE = (  # the English catalog's email_password (exercises.yaml), for English texts
    "This handout is protected with a password. You need the password to open the file. For "
    "your privacy, we do not send it by email: we will give it to you by phone or in person."
)
HTML_NOTE = (  # the English catalog's email_html (exercises.yaml), for English texts
    "The .html file attached is the same handout as a web page, for a screen reader, large text "
    "or a phone: open it in a web browser."
)
_UNFILLED = {
    "patient": "no patient name was given: give --patient (or fill the patient column of a "
    "batch), or take $patient out of the message",
    "clinic": "the brand has no name",
    "phone": "the brand sets no phone: add phone: to the brand file",
    "email": "the brand sets no email: add email: to the brand file",
    "website": "the brand sets no website: add website: to the brand file",
    "date": "the handout's date is not known (a PDF does not carry it): give --date",
    "title": "the handout's title is not known (an encrypted PDF does not show it): give --title",
}


def _add_paragraph(body: str, note: str, after: str = "") -> str:
    """`body` with the paragraph `note` after the line `after`, else at the end."""
    lines = body.split("\n")
    if after and after in lines:
        at = lines.index(after) + 1
        return "\n".join([*lines[:at], "", note, *lines[at:]])
    return body.rstrip("\n") + "\n\n" + note + "\n"


def _base(code: str) -> str:
    return code.split("-")[0].lower()


def email_text(
    brand: Brand, lang: str, *, patient: str = "", labels: Labels | None = None
) -> EmailText:
    """The brand's text for `lang` ('pt-BR', then 'pt'), else the text in `labels` when they
    are in `lang`, else the brand's English ('en'), else the built-in English text. The texts
    from labels name only the contact details the brand sets."""
    by_lang = {text.lang.lower(): text for text in brand.messages}
    for key in (lang.lower(), lang.split("-")[0].lower()):
        if key in by_lang:
            return by_lang[key]
    if labels is not None and labels.code.lower() == lang.lower():
        return _from_labels(brand, labels, patient)
    if "en" in by_lang:
        return by_lang["en"]
    lines = [
        "Hello $patient," if patient.strip() else "Hello,",
        "",
        "Your physical therapist made this handout for you. It is attached as a PDF.",
    ]
    contact = [
        f"{label}: ${key}"
        for label, key in (("Phone", "phone"), ("Email", "email"), ("Website", "website"))
        if getattr(brand, key)
    ]
    if contact:
        lines += ["", "If you have questions, you can reach us:", *contact]
    lines += ["", "$clinic", ""]
    return EmailText(lang="en", subject=DEFAULT_SUBJECT, body="\n".join(lines))


def _from_labels(brand: Brand, labels: Labels, patient: str) -> EmailText:
    """The email text in the labels' language, as a string.Template like a brand's message."""
    hello = labels.fill("email_hello", patient="$patient") if patient.strip() else None
    lines = [hello or labels["email_hello_no_name"], "", labels["email_body"]]
    contact = [
        f"{labels.label(key)} ${key}"
        for key in ("phone", "email", "website")
        if getattr(brand, key)
    ]
    if contact:
        lines += ["", labels["email_questions"], *contact]
    lines += ["", "$clinic", ""]
    subject = labels.fill("email_subject", clinic="$clinic")
    return EmailText(lang=labels.code, subject=subject, body="\n".join(lines))


def _date_text(date: dt.date, lang: str) -> str:
    """'November 29, 2026' in English (as the handout prints it), '2026-11-29' otherwise."""
    if lang.lower().split("-")[0] == "en":
        return f"{date:%B} {date.day}, {date.year}"
    return date.isoformat()


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- sending -----------------------------------------------------------------------------------
def send(message: EmailMessage, settings: SmtpSettings, *, timeout: float = 20) -> None:
    """Send `message` over SMTP; any failure is one DeliveryError (exit 1) naming the server."""
    server = settings.server
    stage = "connect"
    smtp: smtplib.SMTP | None = None
    context = ssl.create_default_context()
    try:
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        if settings.security == "starttls":
            stage = "starttls"
            smtp.starttls(context=context)
        if settings.user and settings.password:
            stage = "login"
            _login(smtp, settings.user, settings.password)
        stage = "send"
        refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(
            f"the mail server {server} refused the login for user {settings.user} "
            f"({_reply(exc.smtp_code, exc.smtp_error, settings)}); check HANDOUTS_SMTP_USER and "
            "HANDOUTS_SMTP_PASSWORD"
        ) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        refused = exc.recipients
    except smtplib.SMTPSenderRefused as exc:
        raise DeliveryError(
            f"the mail server {server} refused the sender address {exc.sender}, the brand's "
            f"email: ({_reply(exc.smtp_code, exc.smtp_error, settings)})"
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        what, hint = {
            "starttls": ("STARTTLS", "set HANDOUTS_SMTP_SECURITY=ssl, or none for a local relay"),
            "login": ("a login (AUTH)", "unset HANDOUTS_SMTP_USER and HANDOUTS_SMTP_PASSWORD"),
        }.get(stage, (_scrub(str(exc), settings), "check the HANDOUTS_SMTP_* settings"))
        raise DeliveryError(f"the mail server {server} does not offer {what}; {hint}") from exc
    except smtplib.SMTPResponseException as exc:
        doing = {
            "connect": "refused the connection",
            "starttls": "refused STARTTLS",
            "login": "refused the login",
        }.get(stage, "did not accept the message")
        raise DeliveryError(
            f"the mail server {server} {doing}: {_reply(exc.smtp_code, exc.smtp_error, settings)}"
        ) from exc
    except smtplib.SMTPServerDisconnected as exc:
        if isinstance(exc.__context__, OSError):  # smtplib's wrapping of a timeout or a reset
            problem = _network_problem(exc.__context__, stage, server, timeout, settings)
            raise DeliveryError(problem) from exc
        raise DeliveryError(
            f"the mail server {server} closed the connection{_security_hint(stage, settings)}"
        ) from exc
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"the mail server {server}: {_scrub(str(exc), settings)}") from exc
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(
            f"could not verify the certificate of the mail server {server} ({exc.verify_message})"
        ) from exc
    except ssl.SSLError as exc:
        raise DeliveryError(
            f"a secure connection to the mail server {server} failed "
            f"({exc.reason or exc}){_security_hint('connect', settings)}"
        ) from exc
    except OSError as exc:  # refused, unknown host, timeout, network down
        raise DeliveryError(_network_problem(exc, stage, server, timeout, settings)) from exc
    finally:
        if smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()
            smtp.close()
    if refused:
        address, (code, reply) = next(iter(refused.items()))
        raise DeliveryError(
            f"the mail server {server} refused the address {address} "
            f"({_reply(code, reply, settings)})"
        )


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in as smtplib's login does, but send the user and password as UTF-8 (RFC 4954, 4616):
    smtplib encodes them as ASCII and fails on 'contraseña'. PLAIN is used when the server
    offers it, else LOGIN; an ASCII login keeps smtplib's own choice (CRAM-MD5 first)."""
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    offered = smtp.esmtp_features["auth"].upper().split()

    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + b64(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + b64(user))
        if code == 334:
            code, reply = smtp.docmd(b64(password))
    else:
        raise smtplib.SMTPAuthenticationError(
            504,
            f"the server offers only {', '.join(offered) or 'no'} login methods, which cannot "
            "carry a user or password with letters outside ASCII (PLAIN or LOGIN can)".encode(),
        )
    if code not in (235, 503):  # 503: already logged in
        raise smtplib.SMTPAuthenticationError(code, reply)


def _network_problem(
    exc: OSError, stage: str, server: str, timeout: float, settings: SmtpSettings
) -> str:
    if isinstance(exc, socket.gaierror):
        reason = "unknown server name; check HANDOUTS_SMTP_HOST"
    elif isinstance(exc, ConnectionRefusedError):
        reason = "connection refused; check HANDOUTS_SMTP_HOST and HANDOUTS_SMTP_PORT"
    elif isinstance(exc, TimeoutError):
        reason = f"no answer within {timeout:g} seconds"
        if stage == "connect":
            reason += _security_hint(stage, settings)
    else:
        reason = exc.strerror or str(exc) or type(exc).__name__
    if stage != "connect":
        return f"the connection to the mail server {server} failed ({reason})"
    return f"could not reach the mail server {server} ({reason})"


def _security_hint(stage: str, settings: SmtpSettings) -> str:
    if stage != "connect" or settings.port == SECURITY_PORTS[settings.security]:
        return ""
    return f"; is HANDOUTS_SMTP_SECURITY={settings.security} right for port {settings.port}?"


def _reply(code: int, reply: bytes | str, settings: SmtpSettings) -> str:
    """The server's answer on one line, at most 200 characters, without the password."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = _one_line(_scrub(f"{code} {text}", settings))
    return text if len(text) <= 200 else text[:197] + "..."


def _scrub(text: str, settings: SmtpSettings) -> str:
    return text.replace(settings.password, "***") if settings.password else text


# -- dry run -----------------------------------------------------------------------------------
def write_eml(message: EmailMessage, path: Path) -> Path:
    """Write `message` as a new .eml file (what would be sent) at `path`, or at the next free
    name (path-2.eml...) claimed atomically: never over an existing file. Returns the path."""
    return write_new(path, message.as_bytes(policy=email.policy.SMTP), what="message")


# -- sending a handout again ---------------------------------------------------------------------
@dataclass(frozen=True)
class PdfFacts:
    """What a written handout tells about itself, read from the PDF (render/pdf.py sets the
    title and the /Lang tag). An encrypted PDF shows neither without its password."""

    encrypted: bool
    title: str = ""
    locale: str = ""  # "es-US"


def pdf_facts(path: Path) -> tuple[bytes, PdfFacts]:
    """The bytes of the PDF at `path` and what it says about itself; an InputError when it is
    missing, unreadable or not a PDF."""
    if not is_file(path):
        what = "is not a file" if os.path.exists(path) else "was not found"
        raise InputError(f"{path}: {what}; give the handout's PDF file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.startswith(b"%PDF-"):
        raise InputError(f"{path}: is not a PDF file")
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            title = document.docinfo.get("/Title")
            lang = document.Root.get("/Lang")
            return data, PdfFacts(False, _one_line(str(title or "")), str(lang or "").strip())
    except pikepdf.PasswordError:
        return data, PdfFacts(True)
    except (pikepdf.PdfError, ValueError, TypeError):
        raise InputError(f"{path}: is a damaged PDF file that cannot be read") from None


def send_handout(
    path: Path,
    to: str,
    *,
    brand: Path | None = None,
    library: Path | None = None,
    lang: str | None = None,
    patient: str | None = None,
    title: str | None = None,
    date: dt.date | None = None,
    dry_run: bool = False,
    environ: Mapping[str, str] = os.environ,
    html: bool = False,
) -> Path | None:
    """Email the handout already written at `path` to `to`, as `handouts build --email` would
    have: the brand's message in the handout's language (`lang`, else the PDF's language tag,
    else English), with the PDF's own title, and a note when the PDF is encrypted. The patient's
    name and the date are not in the PDF: placeholders that need them want `patient`/`date`.
    With `html`, the accessible copy written beside it (the same name, .html) goes with it.

    Everything is checked before anything is sent or written (InputError, exit 2); a sending
    problem is a DeliveryError (exit 1), and the PDF is never changed. A dry run writes the
    message as a .eml file beside the PDF (a new name, never over a file) and returns its path.
    """
    from handouts.language import language_of
    from handouts.load import load_library
    from handouts.load.brand import load_brand

    recipient = check_address(to)
    found = load_brand(brand)
    sender_address(found)
    data, facts = pdf_facts(path)
    copy = _html_copy(path) if html else None
    books = load_library(library)
    code = lang or _language_for(books, facts.locale)
    labels = _labels(language_of(books, code), books)
    settings = None if dry_run else SmtpSettings.from_env(environ)
    message = make_message(data, path.name, recipient, found, patient=patient,
                           title=title or facts.title, date=date, lang=labels.code,
                           labels=labels, encrypted=facts.encrypted, html=copy)  # fmt: skip
    if settings is None:
        return write_eml(message, path.with_suffix(".eml"))
    try:
        send(message, settings)
    except DeliveryError as exc:
        raise DeliveryError(
            f"{exc.message}\nNothing was sent, and {path} is unchanged: run the same command "
            "again to try once more."
        ) from exc
    return None


def _html_copy(pdf: Path) -> bytes:
    """The accessible copy written beside the PDF at `pdf` (same stem, .html), for `send --html`."""
    path = pdf.with_suffix(".html")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: not found: --html sends the accessible copy written beside "
                         f"{pdf.name} by build --html (the same name, .html)") from None  # fmt: skip
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror}") from None


def resend_hint(path: Path, to: str, brand: Brand, *, lang: str, library: Path | None,
                text: tuple[str, str], date: dt.date, title: str, encrypted: bool,
                html: bool = False) -> str:  # fmt: skip
    """How to send the handout at `path` again without building it again: a `handouts send`
    command with what the message needs (`text`: its subject and body templates); the patient's
    name is never printed (NAME stands for it)."""
    used = {
        m.group("named") or m.group("braced")
        for part in text
        for m in string.Template.pattern.finditer(part)
    }
    words = ["handouts", "send", str(path), "--email", to]
    if brand.origin != DEFAULT_BRAND.origin:
        words += ["--brand", brand.origin]
    if library is not None:
        words += ["--library", str(library)]
    if lang.lower() != "en":
        words += ["--lang", lang]
    if "date" in used:
        words += ["--date", date.isoformat()]
    if "title" in used and encrypted:
        words += ["--title", title]
    if html:
        words.append("--html")
    command = " ".join(shlex.quote(w) for w in words)
    if "patient" in used:
        command += " --patient NAME  (NAME: the patient's name)"
    return (
        f"The handout is saved as {path}. To send it again without building it again:\n  {command}"
    )


def _language_for(library, locale: str) -> str:
    """The library's language whose PDF tag is `locale` ('es-US'), else one with its first part
    ('es'), else English."""
    for language in library.languages.values():
        if locale and language.locale.lower() == locale.lower():
            return language.code
    for language in library.languages.values():
        if locale and _base(language.code) == _base(locale):
            return language.code
    return "en"


def _labels(language, library) -> Labels:
    """The labels of `language`, English where it lacks one (only the email's are used)."""
    from dataclasses import replace

    english = library.languages["en"].labels
    return Labels(replace(language, labels={**english, **language.labels}))
