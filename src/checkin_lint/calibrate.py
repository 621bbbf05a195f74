"""Fit the scoring table to labelled messages: ``checkin-lint calibrate LABELLED -o scoring.yml``.

The verdicts are ordered (``reject`` < ``warn`` < ``pass``, for the labels ``checkin`` <
``mixed`` < ``value``), so the score is fitted as an *ordinal logistic regression*
(proportional odds; McCullagh 1980, "Regression models for ordinal data"): one linear score
``eta = sum_f w_f * x_f`` over family-level features and two cut points ``c1 < c2``, with
``P(label <= checkin) = sigmoid(c1 - eta)`` and ``P(label <= mixed) = sigmoid(c2 - eta)``.

* ``x_f`` is family ``f``'s capped points before scaling
  (:func:`checkin_lint.scoring.family_features`; an anti-pattern family has a second
  feature for its hits after the first value signal, fitted as its ``after-value``
  factor); a supporting family (personalization) is a
  feature only when the other value signals reach ``value-min``, as the scorer counts it.
* Signal weights are bounded to be >= 0 and anti-pattern weights <= 0, so a fitted table can
  never reward check-in phrasing; an L2 penalty (``l2``) keeps them small where the data say
  little. The upper cut point is kept above 0, so a message with no finding (``eta = 0``)
  never passes: the base score stays below ``pass-from``.
* The fit is mapped onto the 0-100 scale so that ``c1`` lands on ``reject-below`` and ``c2``
  on ``pass-from``: ``scale_f = k * w_f`` and ``base = reject-below - k * c1`` with
  ``k = (pass-from - reject-below) / (c2 - c1)``. The verdict bands of the fitted table are
  then the model's cut points, and every contribution still sums to the score.

Grouped cross-validation (:func:`cross_validate`) refits on all groups but one and predicts
the left-out group (leave-one-group-out), so a figure says how the table does on a source
it was not fitted on.

The optimiser is SciPy's L-BFGS-B (``pip install 'checkin-lint[calibrate]'``); linting never
imports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from checkin_lint.document import Message, Source
from checkin_lint.evaluate import Example, group_key
from checkin_lint.quotes import new_words
from checkin_lint.scoring import AFTER, Evidence, Scoring, counted_features, family_features, message_evidence, score_message

if TYPE_CHECKING:
    from checkin_lint.linter import Linter
    from checkin_lint.rules.model import Family

ORDER = {"checkin": 0, "mixed": 1, "value": 2}
"""Label -> rank on the ordinal scale."""
DEFAULT_L2 = 0.1
"""Default L2 penalty on the family weights (in units of points squared, per message). Chosen by
leave-one-source-out cross-validation on the development set of 177 real messages among 0,
0.01, 0.03, 0.1, 0.3 and 1 (README, "How good is it, honestly?")."""


class CalibrationError(Exception):
    """The labelled data cannot be fitted (a label missing, no scipy...)."""


@dataclass(frozen=True)
class Item:
    """One labelled message as the fit sees it: its evidence and its group."""

    example: Example
    evidence: tuple[Evidence, ...]
    group: str


def collect(linter: Linter, examples: Sequence[Example], *, group_by: str | None = None) -> list[Item]:
    """Lint every example once and keep its scored evidence (for fitting and re-scoring)."""
    messages = (new_words(Message.whole(Source(ex.where, ex.text), label=ex.id, channel=ex.kind)) for ex in examples)
    items = []
    for ex, report in zip(examples, linter.lint_messages(messages)):
        evidence = tuple(message_evidence(report.message, report.findings, linter.ruleset))
        group = group_key(str(ex.fields.get(group_by, ""))) if group_by else ex.id
        items.append(Item(ex, evidence, group))
    return items


def _features(item: Item, families: dict[str, Family], scoring: Scoring, names: Sequence[str]) -> list[float]:
    values = counted_features(family_features(item.evidence, families, scoring), families, scoring)
    return [values.get(name, 0.0) for name in names]


def fit(items: Sequence[Item], families: dict[str, Family], scoring: Scoring, *, l2: float = DEFAULT_L2) -> Scoring:
    """The scoring table fitted to ``items`` (see the module docstring). ``scoring`` gives
    the fixed parts: bands, ``value-min``, ``decay``, ``slot-weight``."""
    try:
        import numpy as np
        from scipy.optimize import minimize
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise CalibrationError("calibrate needs SciPy: pip install 'checkin-lint[calibrate]'") from exc
    labels = [ORDER[i.example.label] for i in items]
    missing = [name for name, rank in ORDER.items() if rank not in labels]
    if missing:
        raise CalibrationError(f"every label is needed to fit the bands; none labelled {', '.join(missing)}")
    names = sorted(families) + sorted(f + AFTER for f in families if families[f].kind != "signal")
    x = np.array([_features(i, families, scoring, names) for i in items]) / 10.0  # tens of points: better conditioned
    y = np.array(labels)
    weight = np.ones(len(y))
    signs = np.array([1.0 if families[n.removesuffix(AFTER)].kind == "signal" else -1.0 for n in names])

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, top, gap = theta[:-2], theta[-2], theta[-1]
        c2 = math.exp(top)
        c1 = c2 - math.exp(gap)
        eta = x @ w
        s1 = 1 / (1 + np.exp(-(c1 - eta)))
        s2 = 1 / (1 + np.exp(-(c2 - eta)))
        p = np.where(y == 0, s1, np.where(y == 1, s2 - s1, 1 - s2))
        p = np.clip(p, 1e-12, None)
        nll = -np.sum(weight * np.log(p)) + l2 * np.sum(w * w)
        # d(-log p) / d eta, d c1, d c2 for each of the three labels
        d1, d2 = s1 * (1 - s1), s2 * (1 - s2)
        g_eta = np.where(y == 0, (1 - s1), np.where(y == 1, (d2 - d1) / p, -s2))
        g_c1 = np.where(y == 0, -(1 - s1), np.where(y == 1, d1 / p, 0.0))
        g_c2 = np.where(y == 0, 0.0, np.where(y == 1, -d2 / p, s2))
        gw = x.T @ (weight * g_eta) + 2 * l2 * w
        gc1 = np.sum(weight * g_c1)
        gc2 = np.sum(weight * g_c2)
        return nll, np.concatenate([gw, [(gc1 + gc2) * c2, -gc1 * math.exp(gap)]])

    bounds = [(0, None) if s > 0 else (None, 0) for s in signs] + [(None, None), (None, None)]
    start = np.concatenate([signs * 0.5, [0.0, 0.5]])
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds)
    w = result.x[:-2] / 10.0
    c2 = math.exp(float(result.x[-2]))
    c1 = c2 - math.exp(float(result.x[-1]))
    k = (scoring.pass_from - scoring.reject_below) / (c2 - c1)
    base = min(scoring.pass_from - 1, round(scoring.reject_below - k * c1))
    factors = {name: round(abs(float(k * wf)), 3) for name, wf in zip(names, w)}
    scale = {n: v for n, v in factors.items() if not n.endswith(AFTER)}
    after = {n.removesuffix(AFTER): v for n, v in factors.items() if n.endswith(AFTER)}
    return replace(scoring, base=min(100, max(0, base)), scale=scale, after_value=after, source="")


def verdicts(items: Iterable[Item], families: dict[str, Family], scoring: Scoring) -> list[str]:
    """The verdict the linter gives each item under ``scoring``."""
    return [score_message(i.evidence, families, scoring=scoring).verdict for i in items]


def cross_validate(items: Sequence[Item], families: dict[str, Family], scoring: Scoring, *, l2: float = DEFAULT_L2,
                   progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Leave-one-group-out: each item's verdict under a table fitted without its group."""
    groups = list(dict.fromkeys(i.group for i in items))
    out: dict[int, str] = {}
    for n, group in enumerate(groups, 1):
        train = [i for i in items if i.group != group]
        test = [(k, i) for k, i in enumerate(items) if i.group == group]
        table = fit(train, families, scoring, l2=l2)
        for (k, _), verdict in zip(test, verdicts((i for _, i in test), families, table)):
            out[k] = verdict
        if progress:
            progress(n, len(groups))
    return [out[k] for k in range(len(items))]


def render_yaml(scoring: Scoring, *, header: str = "") -> str:
    """The scoring table as a ``scoring.yml`` document (comment ``header`` on top)."""
    import yaml

    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + yaml.safe_dump(scoring.to_dict(), sort_keys=False, default_flow_style=False)
