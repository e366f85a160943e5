"""What an import changed, guessed, dropped or skipped, each with the source exercise."""

from __future__ import annotations

from dataclasses import dataclass, field

CHANGED, GUESSED, DROPPED, SKIPPED, CHECK = "changed", "guessed", "dropped", "skipped", "check"
REPORT_NAME = "import-report.txt"
MARKER = "exercises.yaml sha256: "  # the line that says which exercises.yaml this import wrote


@dataclass(frozen=True)
class Note:
    source: str  # the source exercise ("3_4_Sit-Up", or "people.csv:4")
    exercise: str  # the id written ("3-4-sit-up"), or "" when it was skipped
    what: str  # CHANGED, GUESSED, DROPPED, SKIPPED or CHECK (for the clinic to look at)
    text: str

    def line(self) -> str:
        written = f" -> {self.exercise}" if self.exercise else ""
        return f"{self.source}{written}: {self.what}: {self.text}"


@dataclass
class Report:
    """Notes in source order, and lines that hold for every exercise (said once)."""

    title: str
    notes: list[Note] = field(default_factory=list)
    general: list[str] = field(default_factory=list)

    def add(self, source: str, exercise: str, what: str, text: str) -> None:
        self.notes.append(Note(source, exercise, what, text))

    def count(self, what: str) -> int:
        return sum(1 for n in self.notes if n.what == what)

    def text(self, summary: str, digest: str) -> str:
        counts = ", ".join(
            f"{self.count(w)} {w}" for w in (CHANGED, GUESSED, DROPPED, SKIPPED, CHECK)
        )
        lines = [
            self.title,
            summary,
            f"Notes: {counts}. Each line: SOURCE -> ID: what: detail.",
            "Read the 'guessed' and 'check' lines before printing these exercises for patients.",
            f"{MARKER}{digest}",
            "",
            *self.general,
            "",
            *(n.line() for n in self.notes),
        ]
        return "\n".join(lines) + "\n"
