"""Reports: the results of a run and the formats that render them.

A run produces one :class:`FileReport` per input (messages or errors); :class:`RunReport`
adds the summary and the exit code. Messages are
:class:`~checkin_lint.report.record.MessageRecord` data, so a run restored from the result
cache renders without importing the linter. Each output format is a module with a
``render(run: RunReport, out: TextIO, *, color: bool) -> None`` function, imported only when
it is used.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence, TextIO

from checkin_lint.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, Problem
from checkin_lint.scoring import VERDICT_RANK

if TYPE_CHECKING:  # report.record builds FileReport objects; importing it here would be a circle
    from checkin_lint.report.record import MessageRecord
    from checkin_lint.rules.loader import RuleSet

FORMATS: dict[str, str] = {
    "text": "checkin_lint.report.text",
    "json": "checkin_lint.report.json_format",
    "concise": "checkin_lint.report.concise",
    "sarif": "checkin_lint.report.sarif",
    "github": "checkin_lint.report.github",
    "junit": "checkin_lint.report.junit",
}
"""Output format name -> module with its ``render`` function."""

JSON_VERSION = 1
"""Version of the documented JSON output; bumped on any incompatible change."""


@dataclass
class FileReport:
    """The messages found in one input, or the problems that kept it from being linted, and
    notices about what was left out on purpose (a YAML file that is not a playbook)."""

    path: str
    messages: Sequence[MessageRecord] = field(default_factory=list)
    """In file order: a list, or a :class:`~checkin_lint.report.spool.RecordSpool` (on disk
    beyond a few thousand records) for a linted file. Iterate it; do not hold it in a list."""
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    """Messages not linted because they are not in English: ``label``, ``line``, ``language``."""


@dataclass
class RunReport:
    """Everything one run found, with what is needed to summarise it and pick the exit code."""

    files: list[FileReport]
    ruleset: RuleSet
    fail_on: str = "reject"
    notices: list[str] = field(default_factory=list)
    show_dropped: bool = False
    """Text output lists what each message left out (quotes, signature, footer ...)."""

    def __post_init__(self) -> None:
        self.notices = self.notices + [f"{f.path}: {n}" for f in self.files for n in f.notices]
        languages = Counter(s["language"] for f in self.files for s in f.skipped)
        if languages:
            n = sum(languages.values())
            which = ", ".join(f"{lang} {count}" for lang, count in languages.most_common())
            self.notices.append(f"not English: {n} message{'s' * (n != 1)} skipped ({which}); --language en lints them anyway")

    @property
    def messages(self) -> list[MessageRecord]:
        """All message reports in input order, in one list (:meth:`iter_messages` reads them
        one at a time)."""
        return list(self.iter_messages())

    def iter_messages(self) -> Iterator[MessageRecord]:
        """All message reports in input order, one at a time."""
        for f in self.files:
            yield from f.messages

    @property
    def problems(self) -> list[Problem]:
        """All input problems in input order."""
        return [p for f in self.files for p in f.problems]

    def counts(self) -> dict[str, int]:
        """Files, messages and verdict counts, plus files with errors."""
        verdicts = Counter(m.verdict for m in self.iter_messages())
        return {
            "files": len(self.files),
            "messages": sum(verdicts.values()),
            "rejected": verdicts["reject"],
            "warned": verdicts["warn"],
            "passed": verdicts["pass"],
            "errors": len(self.problems),
        }

    def failing(self, message: MessageRecord) -> bool:
        """True when the message's verdict is at or above the fail level."""
        return VERDICT_RANK[message.verdict] >= VERDICT_RANK[self.fail_on]

    def exit_code(self) -> int:
        """3 when linting an input hit a bug in checkin-lint, else 2 when any input had an error,
        else 1 when any message is at or above the fail level, else 0."""
        if any(p.internal for p in self.problems):
            return EXIT_INTERNAL
        if self.problems:
            return EXIT_ERROR
        return EXIT_FINDINGS if any(self.failing(m) for m in self.iter_messages()) else EXIT_OK


def get_renderer(name: str) -> Callable[..., None]:
    """The ``render`` function of output format ``name``."""
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]


def render(run: RunReport, name: str, out: TextIO, *, color: bool = False) -> None:
    """Render ``run`` in output format ``name`` to ``out``."""
    get_renderer(name)(run, out, color=color)
