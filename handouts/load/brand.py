"""Load a clinic's brand file; without one, the article's clinic (name and tagline only)."""

from __future__ import annotations

import re
import string
from pathlib import Path

from handouts.load.fields import Fields, Problems, closest, describe
from handouts.load.fonts import read_font
from handouts.load.languages import TEXT, read_translations
from handouts.load.source import is_file, read_yaml
from handouts.model import EMAIL_PLACEHOLDERS, Brand, EmailText, Translations

DEFAULT_BRAND = Brand(
    name="Pain Management & Injury Relief",
    tagline="Take the First Step Towards Pain-Free Living Today",
    origin="built-in brand",
    translations=Translations(
        texts={"es": {"tagline": "Dé hoy el primer paso hacia una vida sin dolor"}},
        lines={"tagline": ("built-in brand", 0)},
        where="brand",
    ),
)
BRAND_KEYS = (
    "name",
    "tagline",
    "logo",
    "primary_color",
    "accent_color",
    "phone",
    "email",
    "website",
    "address",
    "footer",
    "qr_link",
    "qr_caption",
    "message",
    "font",
    "translations",
)
# the brand's printed fields a translation may give (its name, contact and links stay as they are)
TRANSLATED = {"tagline": TEXT, "footer": TEXT, "qr_caption": TEXT}
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")  # en, es, pt-BR, zh-Hant-TW


def load_brand(path: Path | None) -> Brand:
    if path is None:
        return DEFAULT_BRAND
    source = read_yaml(path, "brand file")
    problems = Problems()
    if not isinstance(source.data, dict):
        problems.add(
            source, (), f"expected a mapping with name:, tagline:, ..., got {describe(source.data)}"
        )
        problems.raise_if_any()
    f = Fields(source, (), "", problems, source.data)
    f.check_keys(BRAND_KEYS)
    colors = {key: _color(f, key) for key in ("primary_color", "accent_color")}
    logo_text = f.text("logo")
    logo = (path.parent / logo_text) if logo_text else None
    if logo is not None and not is_file(logo):
        f.problem("logo", f"'{logo_text}' was not found (looked for {logo})")
    brand = Brand(
        name=f.text("name", required=True),
        tagline=f.text("tagline"),
        logo=logo,
        phone=f.text("phone"),
        email=f.text("email"),
        website=f.text("website"),
        address=f.text("address", lines=True),
        footer=f.text("footer", lines=True),
        qr_link=f.link("qr_link"),
        qr_caption=f.text("qr_caption"),
        messages=_messages(f),
        font=read_font(f),
        origin=str(path),
        translations=read_translations(f, TRANSLATED, where="brand"),
        **{k: v for k, v in colors.items() if v},
    )
    problems.raise_if_any()
    if logo is not None:  # decoded and checked now, as the header will draw it (check does too)
        from handouts.render.images import brand_logo

        brand_logo(brand)
    return brand


def _color(f: Fields, key: str) -> str | None:
    if key not in f.data:
        return None
    value = f.data[key]
    if not isinstance(value, str) or not COLOR.fullmatch(value):
        hint = " (in quotes: a # outside quotes starts a comment)" if value is None else ""
        f.problem(key, f"must be a colour like '#1f4e79'{hint}, got {describe(value)}")
        return None
    return value.lower()


def _messages(f: Fields) -> tuple[EmailText, ...]:
    """`message: {en: {subject: ..., body: ...}, es: {...}}`: the email's text per language."""
    block = f.mapping("message")
    texts = []
    for lang in block.data:
        if not LANG.fullmatch(lang):
            block.problem(lang, "is not a language code like en, es or pt-BR")
            continue
        value = block.data[lang]
        if not isinstance(value, dict):
            block.problem(lang, f"must be a mapping with subject: and body:, got {describe(value)}")
            continue
        one = block.mapping(lang)
        one.check_keys(("subject", "body"))
        unset = {k for k in ("phone", "email", "website") if not str(f.data.get(k) or "").strip()}
        subject = _template(one, "subject", unset, lines=True)  # (a line break is refused: below)
        if "\n" in subject:
            one.problem("subject", "must be one line")
            subject = ""
        body = _template(one, "body", unset, lines=True)
        if subject and body:
            where = tuple(f"{one.source.name}:{one.line_of(k)}: {one.key_path(k)}"
                          for k in ("subject", "body"))  # fmt: skip
            texts.append(EmailText(lang=lang, subject=subject, body=body, where=where))
    return tuple(texts)


def _template(f: Fields, key: str, unset: set[str], lines: bool) -> str:
    """Required text whose $placeholders are all known (string.Template syntax) and, for the
    contact details (`unset`: those the brand does not set), filled in."""
    text = f.text(key, required=True, lines=lines)
    known = [f"${p}" for p in EMAIL_PLACEHOLDERS]
    for match in string.Template.pattern.finditer(text):
        name = match.group("named") or match.group("braced")
        if name and name not in EMAIL_PLACEHOLDERS:
            f.problem(
                key,
                f"uses an unknown placeholder ${name}{closest(f'${name}', known)}; "
                "the placeholders are: " + ", ".join(known),
            )
        elif name in unset:
            f.problem(key, f"uses ${name}, but the brand sets no {name}: add {name}: to the "
                      f"brand file, or take ${name} out of the message")  # fmt: skip
    return text
