"""The built-in checks: findings that come from the tool itself rather than from a rule file.

Rules are data (``rules/``); these few checks look at a whole file instead of a message's
words: the playbook checks across steps (:mod:`checkin_lint.playbook`) and the checks of
suppression directives (:mod:`checkin_lint.suppression`). Their ids are selected, ignored,
suppressed, explained and listed in SARIF like rule ids; this table is the one place that
names them and says what they mean.
"""

from __future__ import annotations

from dataclasses import dataclass


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
