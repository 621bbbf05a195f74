"""The score and the verdict, and the contributions that explain them.

The score starts at :data:`BASE`. Each value-signal family adds points, each anti-pattern
family takes points away. Inside a family the strongest hit counts in full and each further
hit counts half as much as the one before, up to the family's ``cap`` (``rules/families.yml``),
so repeating a signal does not stack without limit. The listed contributions always sum to
the score: when the total leaves 0-100, a final ``bounds`` contribution says by how much it
was clamped.

Verdicts:

* ``reject``: an empty check-in. It has phrasing from an ``empty`` family (check-in, nudge,
  break-up, bare call-back, restated pitch, vague question, one-way ask) and less than
  :data:`VALUE_MIN` points of value signals.
* ``warn``: carries value but is weakened by check-in phrasing, a vague question or an
  apologetic tone; or its score is below the minimum score.
* ``pass``: everything else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Iterable, Literal

from checkin_lint.rules.model import Family
from checkin_lint.templates import SLOT_WEIGHT

if TYPE_CHECKING:  # type hints only: keep --help and rules free of the loader's imports
    from checkin_lint.document import Message
    from checkin_lint.findings import Finding
    from checkin_lint.rules.loader import RuleSet

BASE = 40
"""Score of a message with no signal and no anti-pattern: neutral, below the default minimum."""
VALUE_MIN = 15
"""Signal points a message needs before it counts as carrying real value."""
DEFAULT_MIN_SCORE = 50
"""Default ``--min-score``: a message scoring below it is at least a warning."""
DECAY = 0.5
"""Each further hit of the same family counts this fraction of the previous one."""

Verdict = Literal["pass", "warn", "reject"]
VERDICT_RANK = {"pass": 0, "warn": 1, "reject": 2}
FAIL_LEVELS = ("reject", "warn")
"""Verdicts that ``--fail-on`` accepts: the lowest verdict that makes the exit code 1."""


@dataclass(frozen=True)
class Contribution:
    """Points added or taken away, and why."""

    source: str
    family: str
    points: int
    hits: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Evidence:
    """One piece of scored evidence: a finding or a template slot, its family and weight."""

    family: str
    weight: int
    label: str


@dataclass(frozen=True)
class Score:
    """The score, its verdict and the contributions that sum to it."""

    score: int
    verdict: Verdict
    contributions: tuple[Contribution, ...]
    value_points: int
    reasons: tuple[str, ...]


def family_points(weights: Iterable[int], cap: int) -> int:
    """Points of one family: strongest hit in full, each next one halved, capped."""
    total = 0.0
    factor = 1.0
    for weight in sorted(weights, reverse=True):
        total += weight * factor
        factor *= DECAY
    return min(cap, round(total))


def score_message(evidence: Iterable[Evidence], families: dict[str, Family], *, min_score: int = DEFAULT_MIN_SCORE) -> Score:
    """Score one message from its evidence and decide its verdict."""
    by_family: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_family.setdefault(item.family, []).append(item)
    contributions = [Contribution("base", "", BASE, 0, "starting score of a message with no signal")]
    value_points = 0
    empty_families: list[str] = []
    weakening: list[str] = []
    for name in sorted(by_family, key=lambda f: (families[f].kind != "signal", f)):
        family = families[name]
        items = by_family[name]
        points = family_points((e.weight for e in items), family.cap)
        labels = ", ".join(dict.fromkeys(e.label for e in items))
        if family.kind == "signal":
            value_points += points
            contributions.append(Contribution("signal", name, points, len(items), f"{family.title}: {labels}"))
        else:
            contributions.append(Contribution("anti-pattern", name, -points, len(items), f"{family.title}: {labels}"))
            (empty_families if family.empty else weakening).append(family.title.lower())
    raw = sum(c.points for c in contributions)
    score = max(0, min(100, raw))
    if score != raw:
        contributions.append(Contribution("bounds", "", score - raw, 0, "score is kept between 0 and 100"))
    has_value = value_points >= VALUE_MIN
    reasons: list[str] = []
    verdict: Verdict
    if empty_families and not has_value:
        verdict = "reject"
        reasons.append(f"empty check-in: {', '.join(empty_families)} with no real value signal")
    else:
        if empty_families or weakening:
            reasons.append("value weakened by " + ", ".join(empty_families + weakening))
        if score < min_score:
            reasons.append(f"score {score} is below the minimum {min_score}" + ("" if has_value else "; the message carries no value signal"))
        verdict = "warn" if reasons else "pass"
    return Score(score, verdict, tuple(contributions), value_points, tuple(reasons))


def score_findings(message: Message, findings: Iterable[Finding], ruleset: RuleSet, *, min_score: int) -> Score:
    """Score a message from its rule findings and its value slots (merge fields)."""
    evidence = []
    for f in findings:
        rule = ruleset.get(f.rule_id)
        if rule is not None:  # findings of built-in checks (playbook, suppression) carry no points
            evidence.append(Evidence(rule.family, rule.weight, f"'{' '.join(f.text.split())}' ({rule.id})"))
    evidence += [Evidence(s.family, SLOT_WEIGHT, f"merge field {s.name}") for s in message.slots if s.family]
    return score_message(evidence, ruleset.families, min_score=min_score)
