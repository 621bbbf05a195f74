"""Linted results as plain data: what the report formats, the cache and worker processes share.

A :class:`~checkin_lint.linter.MessageReport` holds live objects (the message, its offset map,
the spaCy sentence bounds). Once a message is linted, everything a report needs is plain
data: :class:`MessageRecord` keeps the documented JSON shape of the message
(``MessageReport.to_dict()``, the one source of truth for that shape) plus the rewrite's
dropped sentences and the safe-fix edits. Records pickle cheaply to and from worker processes
and are what the result cache stores, so rendering a cached run never needs the linter (or
spaCy) at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Iterable

from checkin_lint.errors import Problem
from checkin_lint.findings import Finding
from checkin_lint.scoring import Contribution

if TYPE_CHECKING:
    from checkin_lint.linter import MessageReport
    from checkin_lint.report import FileReport
    from checkin_lint.rewrite import Rewrite

Edit = tuple[int, int, str, str]
"""A fix edit ``(start, end, replacement, original)`` in offsets of the decoded source file;
``original`` is the text expected at ``start:end``, checked before anything is written."""


@dataclass(frozen=True)
class MessageRecord:
    """One linted message as data, with the same reading API the report formats use."""

    data: dict[str, Any]
    dropped: tuple[str, ...] = ()
    fixes: tuple[Edit, ...] = ()

    @classmethod
    def from_report(cls, report: MessageReport, fixes: Iterable[Edit] = ()) -> MessageRecord:
        """Freeze a live message report (and the safe-fix edits planned for it)."""
        return cls(report.to_dict(), tuple(report.rewrite.dropped), tuple(fixes))

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> MessageRecord:
        """Rebuild a record from :meth:`to_payload` output."""
        return cls(payload["report"], tuple(payload["dropped"]), tuple((a, b, r, o) for a, b, r, o in payload["fixes"]))

    def to_payload(self) -> dict[str, Any]:
        """Everything in the record as plain data (dicts, lists, tuples, strings, numbers)."""
        return {"report": self.data, "dropped": self.dropped, "fixes": self.fixes}

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of the message (see README, "JSON output")."""
        return self.data

    @property
    def label(self) -> str:
        """How reports name the message (``step 2``, ``row 5``); may be empty."""
        return str(self.data["label"] or "")

    @property
    def line(self) -> int:
        """The 1-based line in the source file where the message text starts."""
        return int(self.data["line"])

    @property
    def channel(self) -> str:
        """The channel a reader found (``email``, ``call`` ...); may be empty."""
        return str(self.data["channel"] or "")

    @property
    def score(self) -> int:
        """0-100: how much value the message carries, net of empty check-in phrasing."""
        return int(self.data["score"])

    @property
    def verdict(self) -> str:
        """``reject``, ``warn`` or ``pass``."""
        return str(self.data["verdict"])

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the verdict is what it is, in words."""
        return tuple(self.data["reasons"])

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding, anti-patterns and signals, in text order."""
        return tuple(Finding(**f) for f in self.data["findings"])

    @property
    def anti_patterns(self) -> tuple[Finding, ...]:
        """The findings reports show one by one: anti-patterns (signals only feed the score)."""
        return tuple(f for f in self.findings if f.kind == "anti-pattern")

    @property
    def dropped_parts(self) -> list[dict[str, Any]]:
        """What the reader left out as not the sender's words: ``kind``, ``line``,
        ``end_line``, ``excerpt`` (empty for a result cached before this was recorded)."""
        return list(self.data.get("dropped", []))

    @cached_property
    def contributions(self) -> tuple[Contribution, ...]:
        """Every contribution to the score; they sum to :attr:`score`."""
        return tuple(Contribution(**c) for c in self.data["contributions"])

    @property
    def rewrite(self) -> Rewrite:
        """The suggested value-first rewrite."""
        from checkin_lint.rewrite import Rewrite

        rewrite = self.data["rewrite"]
        return Rewrite(rewrite["text"], rewrite["strategy"], self.dropped)


def file_payload(report: FileReport) -> dict[str, Any]:
    """The path-independent content of a file report: its messages and input problems."""
    return {
        "messages": [m.to_payload() for m in report.messages],
        "problems": [{"message": p.message, "line": p.line, "column": p.column} for p in report.problems],
        "notices": list(report.notices),
        "skipped": list(report.skipped),
    }


def file_from_payload(path: str, payload: dict[str, Any]) -> FileReport:
    """Rebuild the file report of ``path`` from :func:`file_payload` output."""
    from checkin_lint.report import FileReport

    return FileReport(
        path,
        messages=[MessageRecord.from_payload(m) for m in payload["messages"]],
        problems=[Problem(path, p["message"], p["line"], p["column"]) for p in payload["problems"]],
        notices=list(payload.get("notices", ())),
        skipped=list(payload.get("skipped", [])),
    )
