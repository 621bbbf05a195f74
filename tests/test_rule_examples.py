"""Every rule proves itself: its ``match`` examples must match, its ``no_match`` examples
must not, and its ``fixed`` pairs must come out of the fixer as written. One test per rule,
with the rule id as test id, so ``pytest -k checkin/checking-in`` runs one rule."""

from __future__ import annotations

import pytest

from checkin_lint.engine.matching import normalize
from checkin_lint.runner import fix_text
from checkin_lint.linter import Linter
from checkin_lint.rules.loader import load_rules
from checkin_lint.rules.model import Rule

RULES = load_rules().rules


def _matches(linter: Linter, rule: Rule, text: str) -> list[str]:
    doc = linter.nlp(normalize(text))
    return [text[m.start:m.end] for m in linter.compiled.find(doc, rules=[rule])]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(linter: Linter, rule: Rule) -> None:
    assert rule.examples_match, f"{rule.id} has no examples that must match"
    assert rule.examples_no_match, f"{rule.id} has no examples that must not match"
    for text in rule.examples_match:
        assert _matches(linter, rule, text), f"{rule.id} should match: {text!r}"
    for text in rule.examples_no_match:
        found = _matches(linter, rule, text)
        assert not found, f"{rule.id} should not match {text!r} but found {found}"


FIXED = [(rule, before, after) for rule in RULES for before, after in rule.examples_fixed]


@pytest.mark.parametrize(("rule", "before", "after"), FIXED, ids=[f"{r.id}:{i}" for i, (r, _, _) in enumerate(FIXED)])
def test_rule_fixed_examples(linter: Linter, rule: Rule, before: str, after: str) -> None:
    """``examples.fixed``: the safe fixes of the whole rule set turn ``before`` into ``after``."""
    assert rule.fix and rule.fix.safe, f"{rule.id} lists fixed examples but has no safe fix"
    assert fix_text(linter, before) == after


def test_every_family_has_rules() -> None:
    families = load_rules().families
    covered = {r.family for r in RULES}
    assert set(families) <= covered, f"families without rules: {sorted(set(families) - covered)}"
