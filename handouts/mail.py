"""Email a handout: the message (brand text, PDF attached), SMTP settings from the environment,
sending with errors a front desk can act on, and `.eml` files for a dry run.

Standard library only (smtplib, email). Nothing here logs or prints: a failure is one DeliveryError
(exit 1) naming the server and, when it refused one, the recipient; never the password, and nothing
else about the patient.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.policy
import email.utils
import ipaddress
import os
import re
import smtplib
import socket
import ssl
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from handouts.deliver import write_atomic
from handouts.errors import DeliveryError, InputError
from handouts.language import Labels
from handouts.load.brand import DEFAULT_BRAND
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

        def get(name: str) -> str:
            return environ.get(name, "").strip()

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
        password = environ.get("HANDOUTS_SMTP_PASSWORD") or None
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
        if user and security == "none" and not _is_loopback(host):
            raise InputError(
                "HANDOUTS_SMTP_SECURITY=none would send the password unencrypted to "
                f"{host}: use starttls or ssl, or none only for a relay on this computer"
            )
        return cls(host=host, port=port, user=user, password=password, security=security)


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOST.match(host)) and ".." not in host


def _is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    patient: str,
    title: str,
    date: dt.date,
    lang: str = "en",
    labels: Labels | None = None,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The email that carries one handout: from the brand's name and address, to `to`, with the
    subject and body from the brand's `message:` for `lang`, else from the handout's `labels`
    (its language's email text), else in English; the PDF attached as `filename`. `now`
    (default: the current time) is the Date header."""
    sender = sender_address(brand)
    recipient = check_address(to)
    text = email_text(brand, lang, patient=patient, labels=labels)
    same = labels is not None and text.lang.lower() == labels.code.lower()
    values = {  # plain text, substituted once: a patient named '$clinic' stays '$clinic'
        "patient": _one_line(patient),
        "clinic": _one_line(brand.name),
        "phone": brand.phone,
        "email": brand.email,
        "website": brand.website,
        "date": labels.date(date) if same and labels else _date_text(date, text.lang),
        "title": _one_line(title),
    }
    local, domain = sender.split("@")

    message = EmailMessage(policy=email.policy.default)
    message["From"] = Address(display_name=_one_line(brand.name), username=local, domain=domain)
    message["To"] = recipient
    message["Subject"] = _one_line(string.Template(text.subject).safe_substitute(values))
    message["Date"] = email.utils.format_datetime(now or email.utils.localtime())
    message["Message-ID"] = email.utils.make_msgid(domain=domain)
    message.set_content(string.Template(text.body).safe_substitute(values))
    message.add_attachment(
        pdf, maintype="application", subtype="pdf", filename=Path(filename).name or "handout.pdf"
    )
    return message


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
            smtp.login(settings.user, settings.password)
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
def write_eml(message: EmailMessage, path: Path) -> None:
    """Write `message` as an .eml file (what would be sent), atomically: a temporary file beside
    `path`, then a rename; a failure leaves no partial file."""
    write_atomic(path, message.as_bytes(policy=email.policy.SMTP), what="message")
