"""The built-in checks: findings that come from the tool itself rather than from a rule file.

Rules are data (``rules/``); these few checks look at a whole file instead of a message's
words: the playbook checks across steps (:mod:`checkin_lint.playbook`) and the checks of
suppression directives (:mod:`checkin_lint.suppression`, read by :mod:`checkin_lint.directives`). Their ids are selected, ignored,
suppressed, explained and listed in SARIF like rule ids; this table is the one place that
names them and says what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from checkin_lint.findings import Finding
from checkin_lint.scoring import VERDICT_RANK, Verdict

if TYPE_CHECKING:
    from checkin_lint.document import Source
    from checkin_lint.linter import MessageReport


@dataclass(frozen=True)
class Check:
    """One built-in check: its id (``family/name``), a readable name, the severity of its
    findings, what it reports, why, and what to do instead."""

    id: str
    name: str
    severity: str
    message: str
    rationale: str
    suggestion: str

    @property
    def family(self) -> str:
        """The id's first part (``playbook`` or ``suppression``)."""
        return self.id.partition("/")[0]


CADENCE = "playbook/cadence"
NOVELTY = "playbook/novelty"
CHANNEL = "playbook/channel"
UNUSED = "suppression/unused"
INVALID = "suppression/invalid"

CHECKS: dict[str, Check] = {c.id: c for c in (
    Check(CADENCE, "Playbook cadence", "warning",
          "Touches closer than min-gap-days apart (default 2), or a relationship check-up sooner than "
          "checkup-min-days (28) or later than checkup-max-days (42) after the previous touch.",
          "Contact every day or two reads as spam; relationship check-ups work every four to six weeks "
          "(the cadence table of the configuration holds the thresholds). The verdict becomes at least warn.",
          "Space the touches out; move a check-up to about four to six weeks after the previous touch."),
    Check(NOVELTY, "Playbook novelty", "error",
          "A follow-up step that adds no value-signal family the earlier steps did not already carry.",
          "A step that only repeats or bumps the earlier ones is an empty check-in at playbook scale: "
          "the reader gets nothing new for being contacted again. The verdict becomes reject.",
          "Give the step something new (an insight, a link with a reason, an introduction, a specific "
          "question or a concrete next step), or drop it."),
    Check(CHANNEL, "Check-up channel", "warning",
          "A relationship check-up (asking how well you serve them) sent by email, LinkedIn or SMS.",
          "Asking how you are doing and what would make it better is a conversation; in writing it reads "
          "as a survey. The verdict becomes at least warn.",
          "Call or meet for the check-up; use email to pass on information or summarise commitments afterwards."),
    Check(UNUSED, "Unused suppression", "warning",
          "A suppression directive that suppresses nothing, or an 'enable' that closes no 'disable' block.",
          "A directive left behind after the text changed hides the next real finding in its place. "
          "It raises the message's verdict to at least warn, so --fail-on warn fails on it.",
          "Remove the directive, or name the rule it should silence."),
    Check(INVALID, "Invalid suppression", "warning",
          "A suppression directive that cannot be read, or that names no known rule or check.",
          "A directive with a typo suppresses nothing while looking as if it did. "
          "It raises the message's verdict to at least warn, so --fail-on warn fails on it.",
          "Fix the directive: 'disable=RULE -- reason', with a rule id or prefix from 'checkin-lint rules'."),
)}
"""Check id -> :class:`Check`, for every built-in check."""

PLAYBOOK_IDS = (CADENCE, NOVELTY, CHANNEL)
SUPPRESSION_IDS = (UNUSED, INVALID)


def check_finding(
    rule_id: str, source: Source, offset: int, message: str, suggestion: str, *, severity: str = "warning",
) -> Finding:
    """A finding made by a built-in check (playbook, suppression), located at ``offset`` in the file.

    It is not a match in the message text, so its message offsets are empty.
    """
    line, column = source.line_col(offset)
    family = rule_id.partition("/")[0]
    return Finding(
        rule_id=rule_id, kind="anti-pattern", family=family, severity=severity, start=0, end=0,
        source_start=offset, source_end=offset, line=line, column=column, end_line=line, end_column=column,
        text="", message=message, suggestion=suggestion,
    )


def add_check_findings(report: MessageReport, findings: list[Finding], verdict: Verdict, reason: str) -> MessageReport:
    """The report with ``findings`` added and its verdict raised to at least ``verdict``.

    The score and its contributions are unchanged (they explain the message's words); the
    reason says why the verdict is higher. The rewrite is kept from the original report:
    check findings point outside the message text and must not steer it.
    """
    if not findings:
        return report
    result = report.result
    if VERDICT_RANK[verdict] > VERDICT_RANK[result.verdict]:
        result = replace(result, verdict=verdict, reasons=result.reasons + (reason,))
    elif reason not in result.reasons:
        result = replace(result, reasons=result.reasons + (reason,))
    updated = type(report)(report.message, report.findings + findings, result, report.sentences, report.families)
    updated.__dict__["rewrite"] = report.rewrite  # functools.cached_property keeps its value here
    return updated
