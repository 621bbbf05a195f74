"""The score explains itself: contributions sum to it, repeated signals do not stack without
limit, weak evidence is weak, and the verdict follows the documented rules."""

from __future__ import annotations

from checkin_lint.rules.loader import RuleSet
from checkin_lint.scoring import BASE, VALUE_MIN, Evidence, family_points, score_message


def test_repeated_hits_decay_and_are_capped() -> None:
    assert family_points([20], cap=40) == 20
    assert family_points([20, 20], cap=40) == 30
    assert family_points([20, 20, 20], cap=40) == 35
    assert family_points([20] * 10, cap=30) == 30


def test_contributions_sum_to_the_score(ruleset: RuleSet) -> None:
    evidence = [Evidence("insight", 20, "a"), Evidence("insight", 20, "b"), Evidence("checkin", 30, "c"), Evidence("tone", 6, "d")]
    result = score_message(evidence, ruleset.families)
    assert sum(c.points for c in result.contributions) == result.score == BASE + 30 - 30 - 6


def test_clamping_is_itself_a_contribution(ruleset: RuleSet) -> None:
    evidence = [Evidence("checkin", 45, "a"), Evidence("nudge", 45, "b")]
    result = score_message(evidence, ruleset.families)
    assert result.score == 0
    assert result.contributions[-1].source == "bounds"
    assert sum(c.points for c in result.contributions) == 0


def test_empty_checkin_is_rejected(ruleset: RuleSet) -> None:
    result = score_message([Evidence("checkin", 30, "checking in")], ruleset.families)
    assert result.verdict == "reject"
    assert "empty check-in" in result.reasons[0]


def test_weak_signal_does_not_rescue_a_checkin(ruleset: RuleSet) -> None:
    result = score_message([Evidence("checkin", 30, "x"), Evidence("link", 5, "bare url")], ruleset.families)
    assert result.value_points < VALUE_MIN
    assert result.verdict == "reject"


def test_value_with_checkin_phrasing_is_a_warning(ruleset: RuleSet) -> None:
    result = score_message([Evidence("checkin", 30, "x"), Evidence("insight", 20, "y")], ruleset.families)
    assert result.verdict == "warn"
    assert any("weakened by check-in phrasing" in r for r in result.reasons)


def test_weakening_tone_alone_is_not_a_reject(ruleset: RuleSet) -> None:
    evidence = [Evidence("tone", 6, "sorry"), Evidence("insight", 20, "y"), Evidence("question", 20, "q")]
    result = score_message(evidence, ruleset.families)
    assert result.verdict == "warn"


def test_value_message_passes(ruleset: RuleSet) -> None:
    result = score_message([Evidence("insight", 20, "y"), Evidence("commitment", 15, "z")], ruleset.families)
    assert (result.verdict, result.score) == ("pass", BASE + 35)


def test_min_score_is_settable(ruleset: RuleSet) -> None:
    evidence = [Evidence("insight", 20, "y")]
    assert score_message(evidence, ruleset.families, min_score=50).verdict == "pass"
    low = score_message(evidence, ruleset.families, min_score=90)
    assert low.verdict == "warn" and "below the minimum 90" in low.reasons[0]


def test_message_with_nothing_is_a_warning(ruleset: RuleSet) -> None:
    result = score_message([], ruleset.families)
    assert result.verdict == "warn" and "carries no value signal" in result.reasons[0]
