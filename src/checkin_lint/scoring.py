"""The score and the verdict, and the contributions that explain them.

Every number used here is data: ``rules/scoring.yml`` (or a file fitted to your own mail by
``checkin-lint calibrate`` and named by ``scoring:`` in the configuration), read into a
:class:`Scoring`.

The score starts at ``base``. Each value-signal family adds points, each anti-pattern family
takes points away. Inside a family the strongest hit counts in full and each further hit
counts ``decay`` times the one before, up to the family's ``cap`` (``rules/families.yml``);
the family's capped points are then multiplied by its fitted ``scale``. Two sentence-level rules
follow the labelling rules of real outreach:

* **Personalization is not value on its own.** Points of *supporting* signal families
  (``supporting: true`` in ``families.yml``: personalization, offers not yet given) count only
  when the other value signals reach ``value-min``; otherwise the family is listed with 0
  points.
* **Closing asks weigh less than an opening check-in.** The hits of an anti-pattern family
  that come after the first value signal of the message (a closing "let me know", "still
  interested?") are capped and scaled on their own, by the family's ``after-value`` factor
  instead of its ``scale``; the fit gives a closing call-back far less weight than a closing
  break-up.
* **A message that opens with a check-in does not pass.** When a hit of an ``opening-filler``
  family (a check-in, nudge or break-up) comes before the first value signal, the value is
  buried under the filler: the score is capped one point below the minimum score, so the
  verdict is at best ``warn`` ("lead with the value, drop the filler"). This is the labelling
  rule of the real development set (``mixed``: a re-engagement is judged by how it opens;
  new information first is value, a reminder of past contact first is mixed).

The listed contributions always sum to the score: when the total leaves 0-100, a final
``bounds`` contribution says by how much it was clamped.

The verdict is a function of the score alone, in three bands:

* ``reject`` below ``reject-below`` (30 by default): an empty check-in;
* ``warn`` from ``reject-below`` to below the minimum score (``pass-from``, 60 by default,
  or ``--min-score``): value weakened by filler, or too little to judge;
* ``pass`` at or above the minimum score.

A message with no real value signal (value points below ``value-min``) never passes: the
base score is below ``pass-from``, and where weak signals (a bare link) would lift it over, its
score is capped one point below the minimum score, shown as a ``value-min`` contribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Iterable, Literal, Mapping

from checkin_lint.rules.model import Family

if TYPE_CHECKING:  # type hints only: keep --help and rules free of the loader's imports
    from checkin_lint.document import Message
    from checkin_lint.findings import Finding
    from checkin_lint.rules.loader import RuleSet

Verdict = Literal["pass", "warn", "reject"]
VERDICT_RANK = {"pass": 0, "warn": 1, "reject": 2}
FAIL_LEVELS = ("reject", "warn")
"""Verdicts that ``--fail-on`` accepts: the lowest verdict that makes the exit code 1."""


@dataclass(frozen=True)
class Scoring:
    """The numbers that turn findings into a score and a verdict (``rules/scoring.yml``).

    All points are on the 0-100 score scale. ``scale`` maps a family name to the factor its
    points are multiplied by (1.0 when absent). ``source`` names the file it was read from.
    """

    base: int = 45
    reject_below: int = 30
    pass_from: int = 60
    value_min: int = 15
    decay: float = 0.5
    slot_weight: int = 20
    scale: Mapping[str, float] = field(default_factory=dict)
    after_value: Mapping[str, float] = field(default_factory=dict)
    opening_filler: tuple[str, ...] = ()
    source: str = ""

    def scale_of(self, family: str) -> float:
        """The fitted factor of a family's points (1.0 when the file does not name it)."""
        return float(self.scale.get(family, 1.0))

    def after_value_of(self, family: str) -> float:
        """The factor of an anti-pattern family's points after the first value signal
        (the family's ``scale`` when the file does not name it)."""
        return float(self.after_value.get(family, self.scale_of(family)))

    def threshold(self, min_score: int | None = None) -> int:
        """The lowest passing score: ``min_score`` when given, else ``pass_from``."""
        return self.pass_from if min_score is None else min_score

    def verdict(self, score: int, min_score: int | None = None) -> Verdict:
        """The verdict of a score: ``reject`` below ``reject_below``, ``pass`` from
        :meth:`threshold`, ``warn`` between."""
        if score < self.reject_below:
            return "reject"
        return "pass" if score >= self.threshold(min_score) else "warn"

    def to_dict(self) -> dict[str, Any]:
        """The YAML/JSON shape of ``scoring.yml`` (keys with dashes)."""
        return {
            "base": self.base, "reject-below": self.reject_below, "pass-from": self.pass_from,
            "value-min": self.value_min, "decay": self.decay, "slot-weight": self.slot_weight,
            "scale": {k: round(float(v), 3) for k, v in sorted(self.scale.items())},
            "after-value": {k: round(float(v), 3) for k, v in sorted(self.after_value.items())},
            "opening-filler": sorted(self.opening_filler),
        }


DEFAULT_SCORING = Scoring()
"""Fallback numbers, used only where no rule set is at hand (the shipped ``scoring.yml`` wins)."""


@dataclass(frozen=True)
class Contribution:
    """Points added or taken away, and why."""

    source: str
    family: str
    points: int
    hits: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, in field order (flat: no deep copy needed)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Evidence:
    """One piece of scored evidence: a finding or a template slot, its family and weight.

    ``start`` is its character offset in the message (used to tell an opening check-in from a
    closing ask); ``None`` means "position unknown" and is treated as the message start.
    """

    family: str
    weight: int
    label: str
    start: int | None = None


@dataclass(frozen=True)
class Score:
    """The score, its verdict and the contributions that sum to it.

    ``value_points`` are the points of value signals other than supporting ones (before
    the score is clamped); a message carries real value when they reach ``value-min``.
    """

    score: int
    verdict: Verdict
    contributions: tuple[Contribution, ...]
    value_points: int
    reasons: tuple[str, ...]
    has_value: bool = False


def family_points(weights: Iterable[float], cap: int, decay: float = DEFAULT_SCORING.decay) -> float:
    """Points of one family: strongest hit in full, each next one ``decay`` times the one
    before, at most ``cap``."""
    total = 0.0
    factor = 1.0
    for weight in sorted(weights, reverse=True):
        total += weight * factor
        factor *= decay
    return min(float(cap), total)


def first_value_at(evidence: Iterable[Evidence], families: Mapping[str, Family]) -> int | None:
    """Offset of the first value signal of a non-supporting family, or ``None``."""
    return min((e.start or 0 for e in evidence if is_value(families[e.family])), default=None)


def is_value(family: Family) -> bool:
    """True for a signal family that carries value on its own (not a supporting one)."""
    return family.kind == "signal" and not family.supporting


AFTER = ":after-value"
"""Suffix of the feature that holds an anti-pattern family's points after the first value signal."""


def is_after_value(item: Evidence, families: Mapping[str, Family], first_value: int | None) -> bool:
    """True for an anti-pattern hit that comes after the message's first value signal."""
    return families[item.family].kind != "signal" and first_value is not None and (item.start or 0) > first_value


def family_features(evidence: Iterable[Evidence], families: Mapping[str, Family],
                    scoring: Scoring = DEFAULT_SCORING) -> dict[str, float]:
    """Per family, the capped points before scaling: the features ``calibrate`` fits.

    An anti-pattern family's hits after the first value signal are a feature of their own,
    named ``family`` + :data:`AFTER`. Supporting families are reported as they are;
    :func:`counted_features` gates them on value.
    """
    items = list(evidence)
    first_value = first_value_at(items, families)
    weights: dict[str, list[float]] = {}
    for e in items:
        key = e.family + (AFTER if is_after_value(e, families, first_value) else "")
        weights.setdefault(key, []).append(float(e.weight))
    return {key: family_points(w, families[key.removesuffix(AFTER)].cap, scoring.decay) for key, w in weights.items()}


def value_points(features: Mapping[str, float], families: Mapping[str, Family]) -> float:
    """Points of the value signals that carry value on their own (supporting ones left out)."""
    return sum(v for name, v in features.items() if is_value(families[name.removesuffix(AFTER)]))


def counted_features(features: Mapping[str, float], families: Mapping[str, Family],
                     scoring: Scoring) -> dict[str, float]:
    """The features that count towards the score: supporting families only when the other
    value signals reach ``value-min`` (personalization alone is not value)."""
    if value_points(features, families) >= scoring.value_min:
        return dict(features)
    return {name: v for name, v in features.items() if not families[name.removesuffix(AFTER)].supporting}


def scaled(features: Mapping[str, float], scoring: Scoring) -> dict[str, float]:
    """Per family, its points on the score scale: each feature times its factor
    (``scale``, or ``after-value`` for the points after the first value signal)."""
    points: dict[str, float] = {}
    for key, value in features.items():
        family = key.removesuffix(AFTER)
        factor = scoring.after_value_of(family) if key.endswith(AFTER) else scoring.scale_of(family)
        points[family] = points.get(family, 0.0) + value * factor
    return points


def score_message(evidence: Iterable[Evidence], families: Mapping[str, Family], *, scoring: Scoring = DEFAULT_SCORING,
                  min_score: int | None = None) -> Score:
    """Score one message from its evidence and decide its verdict (see the module docstring)."""
    items = list(evidence)
    first_value = first_value_at(items, families)
    by_family: dict[str, list[Evidence]] = {}
    for item in items:
        by_family.setdefault(item.family, []).append(item)
    features = family_features(items, families, scoring)
    counted = counted_features(features, families, scoring)
    points = {name: round(value) for name, value in scaled(counted, scoring).items()}
    value = round(value_points(features, families))
    has_value = value >= scoring.value_min
    contributions = [Contribution("base", "", scoring.base, 0, "starting score of a message with no signal")]
    filler: list[str] = []
    for name in sorted(by_family, key=lambda f: (families[f].kind != "signal", f)):
        family = families[name]
        hits = by_family[name]
        labels = ", ".join(dict.fromkeys(
            e.label + (" after the value" if is_after_value(e, families, first_value) else "") for e in hits))
        if family.kind == "signal":
            if name not in points:
                contributions.append(Contribution("signal", name, 0, len(hits),
                                                  f"{family.title}: {labels} (counts only beside a real value signal)"))
            else:
                contributions.append(Contribution("signal", name, points[name], len(hits), f"{family.title}: {labels}"))
        else:
            contributions.append(Contribution("anti-pattern", name, -points[name], len(hits), f"{family.title}: {labels}"))
            if points[name]:
                filler.append(family.title.lower())
    raw = sum(c.points for c in contributions)
    score = max(0, min(100, raw))
    if score != raw:
        contributions.append(Contribution("bounds", "", score - raw, 0, "score is kept between 0 and 100"))
    if has_value and score < scoring.reject_below:
        contributions.append(Contribution("floor", "", scoring.reject_below - score, 0,
                                          "a message with a real value signal is not an empty check-in"))
        score = scoring.reject_below
    threshold = scoring.threshold(min_score)
    passing = 0 < threshold <= score  # a minimum score of 0 passes everything: nothing to cap
    opener = opening_filler(items, scoring, first_value) if has_value and passing else None
    if not has_value and passing:
        contributions.append(Contribution("value-min", "", threshold - 1 - score, 0,
                                          f"no real value signal (value points below {scoring.value_min}): "
                                          "a message needs one to pass"))
        score = threshold - 1
    elif opener is not None:
        contributions.append(Contribution("opening", opener.family, threshold - 1 - score, 0,
                                          f"opens with {opener.label} before the value: lead with the value"))
        score = threshold - 1
    verdict = scoring.verdict(score, min_score)
    value_words = "a value signal" if has_value else "no value signal"
    filler_words = f"; {', '.join(filler)}" if filler else ""
    reasons: list[str] = []
    if verdict == "reject":
        what = f"empty check-in: {', '.join(filler)}" if filler else "nothing of value found"
        reasons.append(f"{what} with no real value signal (score {score}, below {scoring.reject_below})")
    elif verdict == "warn":
        reasons.append(f"score {score} is below the minimum {threshold}: {value_words}{filler_words}")
    return Score(score, verdict, tuple(contributions), value, tuple(reasons), has_value)


def opening_filler(evidence: Iterable[Evidence], scoring: Scoring, first_value: int | None) -> Evidence | None:
    """The first hit of an ``opening-filler`` family that comes before the first value signal
    (``first_value``, a character offset), or ``None`` when the message leads with its value."""
    if first_value is None:
        return None
    before = [e for e in evidence if e.family in scoring.opening_filler and (e.start or 0) < first_value]
    return min(before, key=lambda e: e.start or 0, default=None)


def score_findings(message: Message, findings: Iterable[Finding], ruleset: RuleSet, *, min_score: int | None = None) -> Score:
    """Score a message from its rule findings and its value slots (merge fields)."""
    return score_message(message_evidence(message, findings, ruleset), ruleset.families,
                         scoring=ruleset.scoring, min_score=min_score)


def message_evidence(message: Message, findings: Iterable[Finding], ruleset: RuleSet) -> list[Evidence]:
    """The scored evidence of a message: each rule finding and each value slot."""
    evidence = []
    for f in findings:
        rule = ruleset.get(f.rule_id)
        if rule is not None:  # findings of built-in checks (playbook, suppression) carry no points
            evidence.append(Evidence(rule.family, rule.weight, f"'{' '.join(f.text.split())}' ({rule.id})", f.start))
    weight = ruleset.scoring.slot_weight
    evidence += [Evidence(s.family, weight, f"merge field {s.name}", s.start) for s in message.slots if s.family]
    return evidence
