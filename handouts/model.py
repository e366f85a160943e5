"""The validated library, brand and layout: frozen dataclasses, no raw dicts past loading."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from handouts.pose import Figure

SIDES = ("each", "both", "left", "right")
KINDS = ("stretch", "strengthen", "balance", "mobility", "cardio", "plyometrics")
LEVELS = ("beginner", "intermediate", "expert")
LINKS = ("easier", "harder", "alternatives")
# when a tip prints (a tip's `when:`): "not chosen", only while nobody has chosen between the
# exercise and its other versions (a tip that says "ask which one is right for you")
TIP_WHEN = ("not chosen",)
NOT_PRINTED = frozenset({"tips_when"})  # translated fields that are not text (the tips' when:s)


TextValue = str | tuple[str, ...]  # a printed field: one text, or a list of them


@dataclass(frozen=True)
class Translations:
    """An object's printed text in other languages, written beside its English in the same file.

    `texts` maps a language code to the translated fields ("title": "...", "steps": (...)).
    `lines` says where each English field is (file name, line), and `where` names the object
    ("exercises[3] 'glute-bridge'"), so a missing translation can be reported at its place.
    """

    texts: Mapping[str, Mapping[str, TextValue]] = field(default_factory=dict)
    lines: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    where: str = ""


@dataclass(frozen=True)
class Count:
    """A counted phrase: `one` for exactly 1, `other` for any other number ({n} is the number)."""

    one: str
    other: str


LabelValue = str | tuple[str, ...] | Count
STATUSES = ("original", "reviewed", "draft")


@dataclass(frozen=True)
class Language:
    """A language the library can print in: its label catalog and how far its text is trusted."""

    code: str  # "es", "pt-BR": the key used with --lang and in translations:
    name: str  # "Español"
    status: str  # original, reviewed (by a qualified medical translator) or draft
    locale: str  # the PDF's language tag, "es-US"
    note: str = ""
    labels: Mapping[str, LabelValue] = field(default_factory=dict)
    label_lines: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    origin: tuple[str, int] = ("", 0)


@dataclass(frozen=True)
class Dose:
    """How much of an exercise to do. Every field is optional; unset fields print nothing."""

    hold: int | None = None  # seconds
    reps: int | None = None
    sets: int | None = None
    times_per_day: int | None = None
    days_per_week: int | None = None
    side: str | None = None  # one of SIDES
    rest: int | None = None  # seconds between sets
    load: str | None = None  # free text: "light band"
    duration: int | None = None  # seconds of doing it: "Do this for 10 minutes."

    def overridden_by(self, other: Dose) -> Dose:
        """This dose with every field that `other` sets replaced."""
        changes = {k: v for k, v in vars(other).items() if v is not None}
        # how long it lasts, or how long it is held and how many times: one replaces the other
        if other.duration is not None:
            changes = {"hold": None, "reps": None, **changes}
        elif other.hold is not None or other.reps is not None:
            changes = {"duration": None, **changes}
        return replace(self, **changes)


# A starting dose for each kind of exercise, for a library that gives none (an import writes it
# into the file it makes, marked as guessed, for the clinic to check): how much and how often.
KIND_DOSES = {
    "stretch": Dose(hold=30, reps=3, times_per_day=2, days_per_week=7),
    "strengthen": Dose(reps=10, sets=2, rest=60, times_per_day=1, days_per_week=3),
    "balance": Dose(hold=30, reps=3, times_per_day=1, days_per_week=7),
    "mobility": Dose(reps=10, times_per_day=2, days_per_week=7),
    "cardio": Dose(duration=600, times_per_day=1, days_per_week=5),
    "plyometrics": Dose(reps=8, sets=2, rest=90, times_per_day=1, days_per_week=2),
}


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    purpose: str
    steps: tuple[str, ...]
    position: str = ""
    equipment: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    # each tip's `when:` (one of TIP_WHEN, or "" for always), beside `tips`; () when none has one
    tips_when: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    dose: Dose = field(default_factory=Dose)
    regions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    kind: str = ""
    aliases: tuple[str, ...] = ()
    easier: tuple[str, ...] = ()
    harder: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    level: str = ""  # one of LEVELS, or ""
    primary_muscles: tuple[str, ...] = ()  # what it works, free text ("hamstrings")
    secondary_muscles: tuple[str, ...] = ()
    figure: Figure | None = None  # line-art start and end positions
    captions: tuple[str, ...] = ()  # what the start and end pictures show, in words (or none)
    images: tuple[Path, ...] = ()  # the clinic's own pictures (start, end), instead of the figure
    video: str | None = None  # an https link, printed as a QR code
    origin: str = ""  # "file:line" where it was defined, for messages
    translations: Translations = field(default_factory=Translations)


@dataclass(frozen=True)
class ProgramEntry:
    id: str
    variant_of: str | None = None


@dataclass(frozen=True)
class Choice:
    """One exercise a therapist chose for a patient (a prescription): its dose and a note."""

    id: str
    variant_of: str | None = None
    dose: Dose = field(default_factory=Dose)  # only the fields set here change the exercise's
    notes: str = ""


@dataclass(frozen=True)
class Program:
    id: str
    title: str
    intro: str
    entries: tuple[ProgramEntry, ...]
    origin: str = ""
    translations: Translations = field(default_factory=Translations)


@dataclass(frozen=True)
class Disclaimers:
    red_flags_title: str
    red_flags: tuple[str, ...]
    red_flags_action: str  # what to do, printed in bold under the signs ("Call 911 ...")
    safety_title: str
    safety: tuple[str, ...]
    footer: str
    origin: str = ""
    translations: Translations = field(default_factory=Translations)


@dataclass(frozen=True)
class Library:
    exercises: dict[str, Exercise]
    programs: dict[str, Program]
    disclaimers: Disclaimers
    files: tuple[Path, ...] = ()
    languages: dict[str, Language] = field(default_factory=dict)
    # exercises with problems, left out of `exercises`: their id (or "exercises[4]" in a file
    # when it has none) -> the problems ("file:line: ..."); a handout that uses one fails with
    # them, the others print (see handouts.names)
    broken: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # every name staff may type for an exercise (names.key of its id, title, aliases and
    # translated titles) -> its id; a broken exercise's names too
    names: dict[str, str] = field(default_factory=dict)
    # what `check` says of the names: a clinic's exercise whose name was a built-in's and now
    # finds the clinic's ("file:line: ...")
    name_warnings: tuple[str, ...] = ()
    # the languages the clinic's library file claims to translate into (its languages:), or
    # every language when only the built-in library is read: `check` wants those complete
    declared: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmailText:
    """The subject and body of the email that carries a handout, in one language.

    Both are string.Template text; the only placeholders are those in EMAIL_PLACEHOLDERS.
    """

    lang: str  # "en", "es", "pt-BR"
    subject: str
    body: str
    # where the subject and the body are written ("clinic.yaml:12: message.en.body"), for messages
    where: tuple[str, str] = field(default=("", ""), compare=False)


EMAIL_PLACEHOLDERS = ("patient", "clinic", "phone", "email", "website", "date", "title")


@dataclass(frozen=True)
class Font:
    """A typeface: a built-in name, or TrueType files for its regular and bold faces."""

    name: str  # "atkinson-hyperlegible", or the regular file's name
    regular: Path | None = None  # None for a built-in font
    bold: Path | None = None
    origin: str = ""  # "file:line" of the font: setting


DEFAULT_FONT = Font("atkinson-hyperlegible")


@dataclass(frozen=True)
class Brand:
    name: str
    tagline: str = ""
    logo: Path | None = None
    primary_color: str = "#1f4e79"
    accent_color: str = "#2e75b6"
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    footer: str = ""
    qr_link: str | None = (
        None  # an https link (booking, website) printed as a QR code in the header
    )
    qr_caption: str = ""
    messages: tuple[EmailText, ...] = ()  # the email's subject and body, one per language
    font: Font | None = None  # the clinic's own typeface, for every layout
    origin: str = ""
    translations: Translations = field(default_factory=Translations)


SHOW = ("purpose", "position", "equipment", "figures", "tips", "cautions", "qr", "links", "safety",
        "notes", "intro", "summary")  # fmt: skip
HEADER = ("logo", "tagline", "contact", "qr")
FOOTER = ("brand_footer", "brand_footer_later")
ARRANGEMENTS = ("side", "stacked")
STYLES = ("full", "brief")  # brief: steps, dose and cautions run on as paragraphs
VERSIONS = ("cards", "mention")  # a program's harder/easier/other versions: own cards, or a line


@dataclass(frozen=True)
class Layout:
    """How a handout is laid out (layouts/*.yaml). Lengths and sizes are in points."""

    name: str
    description: str
    paper: str
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    font: Font
    body_size: float
    heading_size: float
    title_size: float
    small_size: float  # header and footer lines
    leading: float  # line height as a multiple of the size
    primary_color: str | None = None  # None or "": the brand's
    accent_color: str | None = None
    columns: int = 1  # exercise cards side by side
    arrangement: str = "side"  # dose, tips and cautions beside the steps, or stacked below
    style: str = "full"
    versions: str = "cards"
    figure_height: float = 0.0  # start/end pictures with their captions; 0 leaves them out
    # a figure with a second view or a close-up: its pictures' height (0: figure_height)
    views_height: float = 0.0
    show: frozenset[str] = frozenset(SHOW)
    header: frozenset[str] = frozenset(HEADER)
    footer: frozenset[str] = frozenset(FOOTER)
    origin: str = ""

    def shows(self, part: str) -> bool:
        return part in self.show


@dataclass(frozen=True)
class Settings:
    """The clinic's defaults (the settings file, then the environment over it): what a command
    uses for each option not typed. None: not set, the command's own default applies."""

    path: Path | None = None  # the settings file these came from (None: there is none)
    brand: Path | None = None
    library: Path | None = None
    layout: str | None = None  # a built-in layout's name, or a layout file's path
    paper: str | None = None
    lang: str | None = None
    therapist: str | None = None
    output_folder: Path | None = None  # where `build` writes a new handout without -o
    printer: str | None = None  # None: the system's default printer
    smtp_host: str | None = None
    smtp_port: str | None = None  # as typed ("587"); checked with the others when mail is sent
    smtp_security: str | None = None
    smtp_user: str | None = None
    access_code: str | None = None  # what staff type to use `handouts serve` off this computer
    signing_key: str | None = None  # signs the web app's cookies (None: a new one each start)
    # where each setting that is set came from: "settings.yaml:3" or "env:HANDOUTS_SMTP_HOST"
    origins: Mapping[str, str] = field(default_factory=dict, compare=False)
