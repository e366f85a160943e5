"""The command line: each command turns options into one call of the Python API.

Nothing here imports reportlab: `handouts --help` and `handouts list` must feel instant.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from handouts import __version__

PAPERS = ("letter", "a4")  # (as options.PAPERS: not imported on the --help path)
FILE = click.Path(path_type=Path, dir_okay=False)


def _print_options(them: str):
    """--print, --printer, --copies, --duplex (build: "it", batch: "them")."""

    def add(command):
        for option in reversed((
            click.option("--print", "print_", is_flag=True,
                         help=f"Print {them} on the default printer once written (see 'handouts "
                              "printers')."),
            click.option("--printer", metavar="NAME",
                         help=f"Print {them} on this printer (implies --print)."),
            click.option("--copies", type=click.IntRange(1, 99), metavar="N",
                         help="With --print: N copies, each one whole [default: 1]."),
            click.option("--duplex", is_flag=True,
                         help="With --print: on both sides of the paper, each handout starting "
                              "on a new sheet."),
        )):  # fmt: skip
            command = option(command)
        return command

    return add


def _printing(print_: bool, printer: str | None, copies: int | None, duplex: bool):
    """The print options asked for (None: not printing); --copies or --duplex alone is an error."""
    if not (print_ or printer):
        if copies is not None or duplex:
            raise click.UsageError(
                f"{'--copies' if copies is not None else '--duplex'} goes with --print "
                "(or --printer NAME)"
            )
        return None
    from handouts.printing import PrintOptions
    from handouts.settings import settings_of

    # without --printer: the settings' printer (LPDEST, PRINTER, then the file), else the default
    printer = printer or settings_of(click.get_current_context()).printer
    return PrintOptions(printer or None, copies or 1, duplex)


def _printed(job, copies: int = 1) -> str:
    """What was sent to the printer, in words."""
    many = f", {copies} copies" if copies > 1 else ""
    return f"on {job.printer} (job {job.id}{many})"


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    from handouts.options import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class _Command(click.Command):
    """A command that refuses, before anything else, an argument that is not UTF-8 text."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _check_utf8(self, args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        from handouts.settings import apply_settings

        apply_settings(ctx)  # the clinic's settings fill the options not typed
        return super().invoke(ctx)


class _Group(click.Group):
    command_class = _Command
    group_class = type  # subgroups (rx) are _Group too

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None) -> None:
        from handouts import completion  # only when the shell asks (_HANDOUTS_COMPLETE is set)

        completion.attach(self)  # program ids, exercises, layouts, languages, printers
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


def _check_utf8(command: click.Command, args: list[str]) -> None:
    """Exit 2 naming the option (never the value: it may be a name or a password) when an
    argument holds a byte that is not UTF-8: Python keeps such bytes as lone surrogates, which
    would fail later when the text is printed, written to a PDF or sent. A file name shows
    with its bad byte escaped, so the user sees which file to rename."""
    takes_value = {
        opt: param
        for param in command.params
        if isinstance(param, click.Option) and not param.is_flag and not param.count
        for opt in param.opts
    }
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    previous = None
    for arg in args:
        if any("\udc80" <= c <= "\udcff" for c in arg):
            name, param, value = _owner(arg, previous, takes_value, arguments)
            from handouts.errors import InputError

            if isinstance(getattr(param, "type", None), click.Path):
                shown = os.fsencode(value).decode("utf-8", "backslashreplace")
                raise InputError(
                    f"{name}: the file name '{shown}' is not valid UTF-8 text; rename the file "
                    "(or give another name) with letters the terminal can show"
                )
            raise InputError(
                f"{name}: the text is not valid UTF-8 (it holds a byte the terminal's character "
                "encoding cannot read); type it again in a UTF-8 terminal"
            )
        previous = None if previous in takes_value else arg
        if arg == "--":
            break


def _owner(arg, previous, takes_value, arguments):
    """(the option or argument's name, its parameter, the value) that `arg` belongs to."""
    if previous in takes_value:
        param = takes_value[previous]
        return "/".join(sorted(param.opts, key=len)), param, arg
    if arg.startswith("--") and "=" in arg:
        opt, _, value = arg.partition("=")
        param = takes_value.get(opt)
        return "/".join(sorted(param.opts, key=len)) if param else opt, param, value
    if arg.startswith("-") and len(arg) > 2 and arg[:2] in takes_value:
        param = takes_value[arg[:2]]
        return "/".join(sorted(param.opts, key=len)), param, arg[2:]
    if arg.startswith("-"):
        return "an option", None, arg
    if arguments:
        param = arguments[0] if len(arguments) == 1 else None
        names = "/".join(a.human_readable_name for a in arguments)
        return names, param, arg
    return "an argument", None, arg


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="handouts")
def cli() -> None:
    """Make clinic-branded, printable PDF exercise handouts from a YAML library.

    \b
    Start here:
      handouts build --program sciatica --patient "Jane Doe"
      handouts list            # every exercise
      handouts programs        # ready-made selections
    """


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--program", "-p", metavar="NAME", help="A program from 'handouts programs'.")
@click.option("--patient", default="", metavar="TEXT", help="The patient's name, printed as typed.")
@click.option("--therapist", default="", metavar="TEXT", help="The therapist's name.")
@click.option(
    "--notes",
    default="",
    metavar="TEXT",
    help="Notes for the patient (blank line = new paragraph).",
)
@click.option(
    "--choose",
    multiple=True,
    metavar="ID",
    help="Of a pair of versions (child-pose or cobra-pose), the one the patient does; repeatable. "
    "Without it, the paper has a box for you to tick.",
)
@click.option(
    "--dose",
    "doses",
    multiple=True,
    metavar="ID:FIELD=N,...",
    help="Change one exercise's dose, e.g. hip-hinge:reps=8,sets=3 (fields: hold, reps, sets, "
    "rest, times_per_day, days_per_week, side, load); repeatable.",
)
@click.option(
    "--note",
    "exercise_notes",
    multiple=True,
    metavar="ID:TEXT",
    help='A note printed on one exercise\'s card, e.g. "hip-hinge:Keep the weight light."; '
    "repeatable.",
)
@click.option(
    "--date",
    "date",
    callback=_date,
    metavar="YYYY-MM-DD",
    help="The date printed [default: today].",
)
@click.option(
    "--paper", type=click.Choice(PAPERS, case_sensitive=False), help="Paper size [default: letter]."
)
@click.option("--brand", type=FILE, metavar="FILE", help="Your clinic's brand file (YAML).")
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option(
    "--layout",
    default="standard",
    metavar="NAME|FILE",
    help="standard, compact, large-print (see 'handouts layouts'), or your own layout file.",
)
@click.option("--log/--no-log", help="Add a weekly log page to tick off each day (or none).")
@click.option(
    "--weeks",
    type=click.IntRange(0, 12),
    metavar="N",
    help="Log pages for N weeks (implies --log; 0: none) [default: 1].",
)
@click.option(
    "--rx",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="A prescription file (see 'handouts rx new'); options given here win over it.",
)
@click.option(
    "-o",
    "--output",
    type=FILE,
    metavar="PATH",
    help="Where to write the PDF [default: a new file here].",
)
@click.option("--email", metavar="ADDRESS", help="Email the handout (SMTP settings: see README).")
@click.option("--no-email", is_flag=True, help="Do not email it (skips the --rx file's email).")
@click.option(
    "--password", metavar="TEXT", help="Encrypt the PDF (AES-256); the patient needs it to open it."
)
@click.option(
    "--password-env", metavar="VAR", help="Encrypt with the password in this environment variable."
)
@click.option(
    "--password-prompt",
    is_flag=True,
    help="Encrypt with a password typed at a prompt (not shown, asked twice).",
)
@click.option(
    "--dry-run", is_flag=True, help="With --email: write the message as a .eml file, do not send."
)
@click.option(
    "--lang",
    metavar="CODE",
    help="The language to print in, e.g. es (see 'handouts list') [default: en].",
)
@click.option(
    "--allow-fallback",
    is_flag=True,
    help="Print English where a translation is missing (and say where).",
)
@click.option("--open", "open_after", is_flag=True, help="Open the PDF when it is written.")
@click.option("--html", "html", is_flag=True,
              help="Also write the accessible HTML copy beside the PDF (same name, .html).")  # fmt: skip
@_print_options("it")
def build(
    ids, program, patient, therapist, notes, choose, doses, exercise_notes, date, paper, brand,
    library, layout, log, weeks, rx, email, no_email, password, password_env, password_prompt,
    dry_run, output, lang, allow_fallback, open_after, html, print_, printer, copies, duplex,
):  # fmt: skip
    """Build a handout from exercise IDS and/or a --program.

    \b
    Examples:
      handouts build --program sciatica --patient "Jane Doe" --therapist "Sam Lee, PT"
      handouts build glute-bridge hip-hinge --notes "Start slowly." -o jane.pdf
      handouts build --program sciatica-gentle pelvic-tilt --paper a4
      handouts build --program sciatica --patient "Jane Doe" --print --duplex
    """
    printing = _printing(print_, printer, copies, duplex)
    from handouts.build import BuildRequest, with_prescription
    from handouts.build import build as build_handout
    from handouts.dose import dose_option, note_option
    from handouts.protect import password_from
    from handouts.settings import settings_of, smtp_environ

    ctx = click.get_current_context()
    settings = settings_of(ctx)
    if no_email and email:
        raise click.UsageError("--email and --no-email: give one of them")
    request = BuildRequest(
        ids=tuple(ids), program=program, patient=patient, therapist=therapist, notes=notes,
        choose=tuple(choose), doses=tuple(dose_option(d) for d in doses),
        exercise_notes=tuple(note_option(n) for n in exercise_notes),
        date=date, paper=paper.lower() if paper else None, brand=brand, library=library,
        layout=layout, log_weeks=_log_weeks(log, weeks), output=output, email=email,
        password=password_from(password, password_env,
                               prompt=_type_password if password_prompt else None),
        dry_run=dry_run, lang=lang or "en",
        allow_fallback=allow_fallback, folder=settings.output_folder or Path("."),
        smtp=smtp_environ(settings), printing=printing, html=html,
    )  # fmt: skip
    typed = _typed()
    if rx is not None:
        if "weeks" in typed or "log" in typed:
            typed.add("log_weeks")
        if no_email:
            typed.add("email")
        request = with_prescription(request, rx, typed)
    _check_typed(request, typed)
    built = build_handout(request)
    _warn_fallbacks([str(m) for m in built.fallbacks])
    _warn_drafts(built.drafts)
    _warn_left_out(built.left_out)
    click.echo(f"Wrote {built.path}")
    if built.html:
        click.echo(f"Wrote {built.html} (the accessible copy)")
    if built.eml:
        click.echo(f"Wrote {built.eml} (the email, not sent)")
    if built.sent_to:
        click.echo(f"Sent it to {built.sent_to}")
    if built.printed:
        click.echo(f"Printed it {_printed(built.printed, printing.copies)}")
    if open_after:
        click.launch(str(built.path))


def _log_weeks(log: bool, weeks: int | None) -> int:
    """Pages of the weekly log (options.log_weeks), --log or --no-log typed or not."""
    from handouts.options import log_weeks

    source = click.get_current_context().get_parameter_source("log")
    return log_weeks(log, weeks, source is ParameterSource.COMMANDLINE)


def _type_password() -> str:
    """The password typed at the terminal (--password-prompt): hidden, asked twice."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        from handouts.errors import InputError

        raise InputError(
            "--password-prompt: there is no terminal to type the password in; "
            "use --password-env VAR instead"
        )
    return click.prompt("Password for the PDF", hide_input=True, confirmation_prompt=True,
                        err=True)  # fmt: skip


@cli.command()
@click.argument("pdf", type=FILE, metavar="FILE.pdf")
@click.option("--email", required=True, metavar="ADDRESS", help="The address to send it to.")
@click.option("--brand", type=FILE, metavar="FILE", help="Your clinic's brand file (YAML).")
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's library (for its languages)."
)
@click.option("--lang", metavar="CODE", help="The email's language [default: the PDF's].")
@click.option("--patient", metavar="TEXT", help="The patient's name, when the message uses it.")
@click.option("--title", metavar="TEXT", help="The handout's title [default: the PDF's].")
@click.option("--date", "date", callback=lambda c, p, v: None if v is None else _date(c, p, v),
              metavar="YYYY-MM-DD", help="The handout's date, when the message uses it.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Write the message as a .eml file, do not send.")
@click.option(
    "--html", is_flag=True, help="Attach the accessible copy beside it (same name, .html)."
)
def send(pdf, email, brand, library, lang, patient, title, date, dry_run, html):
    """Email a handout already written (after a failed --email), without building it again."""
    from handouts.mail import send_handout
    from handouts.settings import settings_of, smtp_environ

    eml = send_handout(pdf, email, brand=brand, library=library, lang=lang, patient=patient,
                       title=title, date=date, dry_run=dry_run, html=html,
                       environ=smtp_environ(settings_of(click.get_current_context())))  # fmt: skip
    click.echo(f"Wrote {eml} (the email, not sent)" if eml else f"Sent {pdf} to {email}")


def _typed() -> set[str]:
    """The options of the running command that were typed on the command line."""
    ctx = click.get_current_context()
    return {n for n in ctx.params if ctx.get_parameter_source(n) is ParameterSource.COMMANDLINE}


def _check_typed(request, typed: set[str]) -> None:
    from handouts.options import check_typed

    check_typed(request, typed)


def _warn_drafts(drafts) -> None:
    """Once per command: each language printed whose translation is a draft."""
    for line in dict.fromkeys(drafts):
        click.echo(f"Warning: {line}", err=True)


def _warn_left_out(warning: str) -> None:
    """The exercises of the library left out for their problems (see handouts.names)."""
    if warning:
        click.echo(f"Warning: {warning}", err=True)


def _warn_left_out_of(library) -> None:
    from handouts.names import left_out_warning

    _warn_left_out(left_out_warning(library))


def _warn_fallbacks(fallbacks: list[str]) -> None:
    if fallbacks:
        count = len(fallbacks)
        click.echo(f"Warning: {count} piece{'s' if count != 1 else ''} of text printed in English "
                   "(no translation):", err=True)  # fmt: skip
        click.echo("\n".join(f"  {line}" for line in fallbacks), err=True)


LANG_HELP = "Titles in this language (e.g. es)."


@cli.command("list")
@click.option("--condition", metavar="X", help="Only exercises for this condition (e.g. sciatica).")
@click.option("--region", metavar="X", help="Only exercises for this body region (e.g. hip).")
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option("--lang", metavar="CODE", help=LANG_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other programs.")
def list_command(condition, region, library, lang, as_json):
    """List the exercises (id, kind, title) and the languages with their review status."""
    from handouts import catalog
    from handouts.load import load_listing

    found = load_listing(library)  # (only what it prints: a big library's hit stays quick)
    _warn_left_out_of(found)
    exercises = catalog.select(found, condition, region)
    if as_json:
        click.echo(catalog.list_json(exercises, found, lang))
    else:
        click.echo(catalog.list_text(exercises, found, lang))


@cli.command()
@click.argument("exercise")
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option("--lang", metavar="CODE", help="Show it in this language (e.g. es).")
def show(exercise, library, lang):
    """Show one exercise in full: steps, dose, tips, cautions, links."""
    from handouts.load import load_shown

    found = load_shown(library, exercise, lang or "en")  # (a big library's hit stays quick)
    _warn_left_out_of(found)
    click.echo(found.text)


@cli.command()
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for other programs.")
def programs(library, as_json):
    """List the programs (ready-made selections of exercises)."""
    from handouts import catalog
    from handouts.load import load_library

    found = load_library(library)
    _warn_left_out_of(found)
    click.echo(catalog.programs_json(found) if as_json else catalog.programs_text(found))


@cli.command()
@click.option(
    "-o",
    "--output",
    type=FILE,
    metavar="PATH",
    help="Where to write the PDF [default: figures.pdf here, never overwritten].",
)
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option(
    "--paper", type=click.Choice(PAPERS, case_sensitive=False), default="letter", help="Paper size."
)
def figures(output, library, paper):
    """Print every exercise's start and end pictures on a contact sheet."""
    from handouts.build import build_figure_sheet

    click.echo(f"Wrote {build_figure_sheet(library, output, paper.lower())}")


@cli.command("check")
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option("--brand", type=FILE, metavar="FILE", help="Your clinic's brand file (YAML).")
@click.option("--layout", default="standard", metavar="NAME|FILE", help="A layout to check.")
@click.option("--lang", "languages", multiple=True, metavar="CODE",
              help="Check the translations into this language only (repeat for more) "
                   "[default: every language of the library].")  # fmt: skip
@click.option("--strict", is_flag=True, help="Fail on warnings (plain language too).")
@click.option("--grades", is_flag=True, help="Also print each text's reading grade.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check_command(library, brand, layout, languages, strict, grades, as_json):
    """Check the library, brand and layout files: every problem and warning at once, then one
    summary line. Translations are checked for the languages your library file lists
    (languages: [es]) or --lang names.

    Exit status: 0 when clean, 1 when problems were found (or warnings, with --strict).
    """
    import json

    from handouts.check import GRADE_LIMIT, check

    report = check(library, brand, layout, languages)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        if grades:
            click.echo(
                f"Reading level (Flesch-Kincaid grade; {GRADE_LIMIT:g} or lower, aim for 6):"
            )
            for what, grade in report.grades:
                click.echo(f"  {grade:4.1f}  {what}")
        for title, items in (("Problems", report.problems), ("Warnings", report.warnings)):
            if items:
                click.echo(f"{title} ({len(items)}):")
                click.echo("\n".join(f"  {item}" for item in items))
        click.echo(report.summary())
    if report.problems or (strict and report.warnings):
        sys.exit(1)


@cli.command()
def layouts():
    """List the layouts, with what each is for."""
    from handouts.load.layout import layout_summaries

    rows = layout_summaries()
    width = max(len(name) for name, _ in rows)
    click.echo("\n".join(f"{name:<{width}}  {description}" for name, description in rows))


@cli.command()
@click.argument("csv_file", type=FILE, metavar="FILE.csv")
@click.option("--out-dir", required=True, type=click.Path(path_type=Path, file_okay=False),
              metavar="DIR",
              help="The folder to write the handouts in (made, private, when missing).")  # fmt: skip
@click.option("--jobs", "-j", type=click.IntRange(1, 64), metavar="N",
              help="Rows built at once [default: the number of cores].")  # fmt: skip
@click.option(
    "--merge", type=FILE, metavar="PATH", help="Also write one PDF of them all, in row order."
)
@click.option("--date", "date", callback=_date, metavar="YYYY-MM-DD",
              help="The date for rows without one [default: today].")  # fmt: skip
@click.option(
    "--layout", default="standard", metavar="NAME|FILE", help="For rows without a layout."
)
@click.option("--brand", type=FILE, metavar="FILE", help="Your clinic's brand file (YAML).")
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option(
    "--dry-run", is_flag=True, help="Write emails as .eml files beside the PDFs, do not send."
)
@click.option("--lang", default="en", metavar="CODE",
              help="The language for rows without one [default: en].")  # fmt: skip
@click.option("--allow-fallback", is_flag=True,
              help="Print English where a translation is missing (and say where).")  # fmt: skip
@_print_options("them")
def batch(csv_file, out_dir, jobs, merge, date, layout, brand, library, dry_run, lang,
          allow_fallback, print_, printer, copies, duplex):  # fmt: skip
    """Build one handout per row of a CSV file (see the README for its columns).

    With --print, they are printed once all are built: the --merge PDF as one job, else one job
    a handout, in row order.
    """
    printing = _printing(print_, printer, copies, duplex)
    from handouts.batch import run_batch
    from handouts.build import BuildRequest
    from handouts.settings import settings_of, smtp_environ

    settings = settings_of(click.get_current_context())
    base = BuildRequest(date=date, brand=brand, library=library, layout=layout, dry_run=dry_run,
                        lang=lang, allow_fallback=allow_fallback, printing=printing,
                        therapist=settings.therapist or "", smtp=smtp_environ(settings))  # fmt: skip
    _check_typed(base, _typed())
    bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        result = run_batch(csv_file, out_dir, base, jobs=jobs, merge=merge,
                           progress=bar.update if bar else lambda done, total: None)  # fmt: skip
    finally:
        if bar:
            bar.close()
    click.echo(
        f"Wrote {len(result.written)} handout{'s' if len(result.written) != 1 else ''} in {out_dir}."
    )
    _warn_fallbacks(list(dict.fromkeys(m for o in result.outcomes for m in o.fallbacks)))
    _warn_drafts(result.drafts)
    _warn_left_out(result.left_out)
    if result.merged:
        click.echo(f"Wrote {result.merged} with all of them, for printing.")
    if result.sent:
        click.echo(f"Emailed {len(result.sent)} of them.")
    emails = [o.eml for o in result.outcomes if o.eml]
    if emails:
        click.echo(
            f"Wrote {len(emails)} email{'s' if len(emails) != 1 else ''} as .eml files (not sent)."
        )
    if result.printed:
        count = len(result.printed)
        what = "the merged PDF" if result.merged else f"{count} handout{'s' if count != 1 else ''}"
        ids = result.printed[0].id + (f" to {result.printed[-1].id}" if count > 1 else "")
        many = f", {printing.copies} copies of each" if printing.copies > 1 else ""
        click.echo(f"Printed {what} on {result.printed[0].printer} (job{'s' if count > 1 else ''} "
                   f"{ids}{many}).")  # fmt: skip
    if result.merge_problem:
        click.echo(f"Error: {result.merge_problem}", err=True)
        if printing:
            click.echo("Nothing was printed.", err=True)
    if result.failed:
        click.echo(
            f"{len(result.failed)} row{'s' if len(result.failed) != 1 else ''} failed:", err=True
        )
        for outcome in result.failed:
            click.echo(f"  {outcome.problem}", err=True)
    if result.print_problem:
        click.echo(f"Error: {result.print_problem}", err=True)
        sys.exit(2)  # (as a printing problem of build: the handouts are written)
    if result.failed or result.merge_problem:
        sys.exit(1)


class _ProgressBar:
    """click's progress bar on the terminal, sized once the rows are counted."""

    def __init__(self) -> None:
        self.bar = None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Building handouts", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command()
def printers():
    """List the printers (CUPS): name, state, and which one is the default."""
    from handouts.printing import printers as found

    known = found()
    if not known:
        click.echo("No printer is set up (add one at http://localhost:631 or with lpadmin).")
        return
    width = max(len(p.name) for p in known)
    for p in known:
        click.echo(f"{p.name:<{width}}  {p.state:<8}{'  default' if p.default else ''}".rstrip())


@cli.command("print")
@click.argument("pdfs", nargs=-1, required=True, type=FILE, metavar="FILE.pdf...")
@click.option("--printer", metavar="NAME", help="The printer [default: the default printer].")
@click.option("--copies", type=click.IntRange(1, 99), default=1, metavar="N",
              help="N copies of each, each one whole [default: 1].")  # fmt: skip
@click.option("--duplex", is_flag=True, help="On both sides of the paper, each on a new sheet.")
def print_command(pdfs, printer, copies, duplex):
    """Print handouts already written (after a failed --print), one job each, in order."""
    from handouts.printing import PrintOptions, check_printer, print_pdf
    from handouts.settings import settings_of

    printer = printer or settings_of(click.get_current_context()).printer
    options = PrintOptions(printer or None, copies, duplex)
    name = check_printer(options.printer)  # every job to the same printer, checked once
    for pdf in pdfs:
        job = print_pdf(pdf, name, copies, duplex)
        click.echo(f"Printed {pdf} {_printed(job, copies)}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="The address to answer on; any other than this computer's (0.0.0.0: the "
                   "clinic's network) needs the access code (HANDOUTS_ACCESS_CODE).")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=8800, show_default=True,
              metavar="N", help="The port (0: any free one).")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
def serve(host, port, open_browser):
    """Serve the front desk's web page (and its API) until stopped with Ctrl-C."""
    from handouts.settings import settings_of
    from handouts.web.serve import serve as run_server

    run_server(host, port, open_browser, settings_of(click.get_current_context()), click.echo)


@cli.group()
def rx():
    """Prescriptions: one patient's exercises, doses and notes in a file."""


@rx.command("new")
@click.option("--program", "-p", default="sciatica", show_default=True, metavar="NAME",
              help="The program to start from.")  # fmt: skip
@click.option("--patient", default="", metavar="TEXT", help="The patient's name.")
@click.option(
    "--library", type=FILE, metavar="FILE", help="Your clinic's exercises and programs (YAML)."
)
@click.option("--brand", type=FILE, metavar="FILE", help="The brand to name in the file.")
@click.option("--layout", metavar="NAME|FILE", help="The layout to name in the file.")
@click.option("-o", "--output", type=FILE, metavar="PATH",
              help="Where to write it [default: rx-PROGRAM(-PATIENT).yaml here].")  # fmt: skip
def rx_new(program, patient, library, brand, layout, output):
    """Write a commented prescription file to edit, starting from a program.

    The --library, --brand and --layout given here are written in the file (relative to it), so
    it rebuilds the same handout from any folder."""
    from handouts.build import new_prescription

    ctx = click.get_current_context()
    typed = ctx.get_parameter_source("library") is ParameterSource.COMMANDLINE
    path = new_prescription(program, patient, library, output, brand=brand, layout=layout,
                            named_library=library if typed else None)  # fmt: skip
    click.echo(f"Wrote {path}")


@cli.group("import")
def import_group():
    """Make a clinic library folder from another library: exercises.yaml, photos/ and a report."""


@import_group.command("free-exercise-db")
@click.argument("source", type=click.Path(path_type=Path), metavar="SOURCE")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, metavar="FOLDER",
              help="The folder to write (new or empty).")  # fmt: skip
@click.option("--force", is_flag=True,
              help="Import again into an earlier import's folder whose exercises.yaml is unchanged.")  # fmt: skip
def import_free_exercise_db(source, output, force):
    """Import free-exercise-db: SOURCE is a checkout (dist/exercises.json and exercises/) or
    the JSON file with its exercises/ folder beside it."""
    from handouts.importers.free_exercise_db import import_free_exercise_db as run_import

    click.echo(run_import(source, output, force=force).summary())


@import_group.command("csv")
@click.argument("csv_file", type=FILE, metavar="FILE.csv", required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FOLDER",
              help="The folder to write (new or empty).")  # fmt: skip
@click.option("--force", is_flag=True,
              help="Import again into an earlier import's folder whose exercises.yaml is unchanged.")  # fmt: skip
@click.option("--template", is_flag=True, help="Print a CSV template to start from, and stop.")
def import_csv(csv_file, output, force, template):
    """Import a spreadsheet (CSV, one row an exercise; see --template for the columns)."""
    from handouts.importers import csv_import

    if template:
        click.echo(csv_import.template(), nl=False)
        return
    if csv_file is None or output is None:
        raise click.UsageError("give FILE.csv and -o FOLDER (or --template)")
    click.echo(csv_import.import_csv(csv_file, output, force=force).summary())


@cli.group("config", invoke_without_command=True)
@click.pass_context
def config(ctx):
    """Show the settings in force and where each comes from (see 'handouts config init')."""
    if ctx.invoked_subcommand is None:
        from handouts.load.settings import load_settings, settings_path
        from handouts.settings import describe_settings

        click.echo(describe_settings(load_settings(), settings_path()))


@config.command("init")
@click.option("-o", "--output", type=FILE, metavar="PATH",
              help="Where to write it [default: where the settings are looked for].")  # fmt: skip
def config_init(output):
    """Write a commented settings file to start from (never over an existing one)."""
    from handouts.settings import write_starter

    click.echo(f"Wrote {write_starter(output)}")


def run() -> int:
    """`handouts` with the arguments in sys.argv, as an exit status. Bad input is status 2 with
    one message (see errors.py); an unexpected failure is status 1 with a short message, and
    raises (showing the traceback) only when HANDOUTS_DEBUG is set. SIGTERM is handled like
    Ctrl-C, so that no temporary file is left behind."""
    from handouts import interrupt

    deliver = sys.modules.get("handouts.deliver")  # not imported on the --help and list path
    if deliver is not None:
        deliver.written.clear()
    interrupt.received.clear()
    before = interrupt.sigterm_as_interrupt()
    try:
        cli.main(prog_name="handouts")
    except SystemExit as done:
        if isinstance(done.code, str):  # sys.exit("message") prints its message
            click.echo(done.code, err=True)
            return 1
        return done.code or 0
    except Exception as exc:  # noqa: BLE001 - the one place every failure is reported
        if os.environ.get("HANDOUTS_DEBUG"):
            raise
        if interrupt.received:  # Ctrl-C or SIGTERM that a library turned into another error
            click.echo("Aborted!", err=True)
            return 1
        click.echo(f"Error: internal error ({type(exc).__name__}: {exc}).", err=True)
        click.echo(f"{_written_before()} Run again with HANDOUTS_DEBUG=1 to see the details.",
                   err=True)  # fmt: skip
        return 1
    finally:
        interrupt.restore(before)
    return 0


def _written_before() -> str:
    """What was written before an internal error: the truth, not a guess."""
    deliver = sys.modules.get("handouts.deliver")
    paths = list(dict.fromkeys(deliver.written)) if deliver is not None else []
    if not paths:
        return "Nothing was written."
    shown = ", ".join(str(p) for p in paths[:3])
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return f"Written before the error: {shown}{more}."


def main() -> None:
    """The console entry point.

    Every file is written and closed (atomically) by the time `run` returns, and a batch's
    worker processes have been joined. Tearing down the interpreter would only free memory,
    which the system does anyway; it costs a build about 50 ms, so the process ends here."""
    try:
        status = run()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM outside the command itself (while reporting)
        with contextlib.suppress(BaseException):
            click.echo("Aborted!", err=True)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, KeyboardInterrupt):  # a closed pipe (list | head)
            stream.flush()
    os._exit(status)
