"""The score explains itself: contributions sum to it, repeated signals do not stack without
limit, personalization alone is not value, closing asks weigh what their own factor says,
and the verdict is read off the score by the documented bands."""

from __future__ import annotations

import pytest

from checkin_lint.errors import RuleError
from checkin_lint.rules.loader import RuleSet, load_rules
from checkin_lint.scoring import AFTER, Evidence, Scoring, family_features, family_points, score_message

UNIT = Scoring(base=45, reject_below=30, pass_from=60, value_min=15, decay=0.5, slot_weight=20)
"""Every family at scale 1.0: the arithmetic below is the rule files' weights as they are."""


def test_repeated_hits_decay_and_are_capped() -> None:
    assert family_points([20], cap=40) == 20
    assert family_points([20, 20], cap=40) == 30
    assert family_points([20, 20, 20], cap=40) == 35
    assert family_points([20] * 10, cap=30) == 30
    assert family_points([20, 20], cap=40, decay=0.0) == 20


def test_contributions_sum_to_the_score(ruleset: RuleSet) -> None:
    evidence = [Evidence("insight", 20, "a", 0), Evidence("insight", 20, "b", 5), Evidence("tone", 6, "d", 0)]
    result = score_message(evidence, ruleset.families, scoring=UNIT)
    assert sum(c.points for c in result.contributions) == result.score == 45 + 30 - 6


def test_scale_multiplies_a_familys_points(ruleset: RuleSet) -> None:
    scoring = Scoring(**{**UNIT.__dict__, "scale": {"insight": 1.5}})
    result = score_message([Evidence("insight", 20, "a", 0)], ruleset.families, scoring=scoring)
    assert result.score == 45 + 30


def test_clamping_is_itself_a_contribution(ruleset: RuleSet) -> None:
    evidence = [Evidence("checkin", 45, "a"), Evidence("nudge", 45, "b")]
    result = score_message(evidence, ruleset.families, scoring=UNIT)
    assert result.score == 0
    assert result.contributions[-1].source == "bounds"
    assert sum(c.points for c in result.contributions) == 0


@pytest.mark.parametrize(("evidence", "verdict"), [
    ([Evidence("checkin", 30, "checking in")], "reject"),          # 15: below 30
    ([], "warn"),                                                    # 45: nothing found
    ([Evidence("insight", 20, "figure", 10)], "pass"),               # 65
    ([Evidence("checkin", 30, "x", 0), Evidence("insight", 20, "y", 20)], "warn"),  # 35
])
def test_the_verdict_is_read_off_the_score(ruleset: RuleSet, evidence: list[Evidence], verdict: str) -> None:
    result = score_message(evidence, ruleset.families, scoring=UNIT)
    assert result.verdict == verdict
    expected = "reject" if result.score < 30 else "warn" if result.score < 60 else "pass"
    assert result.verdict == expected


def test_personalization_alone_is_not_value(ruleset: RuleSet) -> None:
    """A nudge that names their project stays an empty check-in: the personalization
    points are listed but count 0 until a real value signal stands beside them."""
    evidence = [Evidence("nudge", 26, "still interested?", 30), Evidence("personalization", 20, "you mentioned", 0)]
    result = score_message(evidence, ruleset.families, scoring=UNIT)
    personal = next(c for c in result.contributions if c.family == "personalization")
    assert personal.points == 0 and "only beside a real value signal" in personal.reason
    assert not result.has_value and result.verdict == "reject"


def test_personalization_adds_beside_value(ruleset: RuleSet) -> None:
    evidence = [Evidence("insight", 20, "a", 0), Evidence("personalization", 20, "you mentioned", 5)]
    result = score_message(evidence, ruleset.families, scoring=UNIT)
    assert result.has_value and result.score == 45 + 20 + 20


def test_an_offer_is_not_a_gift(ruleset: RuleSet) -> None:
    assert ruleset.families["offer"].supporting
    result = score_message([Evidence("offer", 12, "happy to share the template", 0)], ruleset.families, scoring=UNIT)
    assert not result.has_value and result.score == 45


def test_a_message_with_no_value_never_passes(ruleset: RuleSet) -> None:
    """Whatever the fitted numbers, the shipped base score is below the pass band."""
    scoring = ruleset.scoring
    assert scoring.base < scoring.pass_from
    evidence = [Evidence("personalization", 30, "p", 0), Evidence("offer", 15, "o", 0)]
    assert score_message(evidence, ruleset.families, scoring=scoring).verdict != "pass"


def test_weak_signals_alone_never_lift_a_message_to_pass(ruleset: RuleSet) -> None:
    """A bare link (a few points, below value-min) on a base just under the pass band stays
    below it: the cap is a contribution of its own, so the contributions still sum to the score."""
    scoring = Scoring(**{**UNIT.__dict__, "base": 59})
    result = score_message([Evidence("link", 4, "https://example.com", 10)], ruleset.families, scoring=scoring)
    assert not result.has_value and (result.score, result.verdict) == (59, "warn")
    assert result.contributions[-1].source == "value-min" and result.contributions[-1].points == -4
    assert sum(c.points for c in result.contributions) == result.score
    assert score_message([Evidence("link", 4, "u", 10)], ruleset.families, scoring=scoring, min_score=0).verdict == "pass"


def test_closing_asks_have_their_own_factor(ruleset: RuleSet) -> None:
    """The same ask after the first value signal is scaled by after-value, before it by scale."""
    scoring = Scoring(**{**UNIT.__dict__, "after_value": {"callback": 0.25}})
    opening = [Evidence("callback", 24, "let me know", 0), Evidence("insight", 20, "figure", 40)]
    closing = [Evidence("insight", 20, "figure", 0), Evidence("callback", 24, "let me know", 40)]
    assert family_features(closing, ruleset.families, scoring) == {"insight": 20.0, "callback" + AFTER: 24.0}
    open_result = score_message(opening, ruleset.families, scoring=scoring)
    close_result = score_message(closing, ruleset.families, scoring=scoring)
    assert open_result.score == 45 + 20 - 24
    assert close_result.score == 45 + 20 - 6
    assert "after the value" in next(c.reason for c in close_result.contributions if c.family == "callback")


OPENERS = Scoring(**{**UNIT.__dict__, "opening_filler": ("checkin", "nudge")})


def test_a_message_that_opens_with_a_check_in_does_not_pass(ruleset: RuleSet) -> None:
    """Value buried under an opening check-in is capped one point below the minimum score,
    and the cap is a contribution of its own, so the contributions still sum to the score."""
    evidence = [Evidence("checkin", 10, "'following up'", 0), Evidence("insight", 20, "a", 30),
                Evidence("link", 20, "b", 60)]
    result = score_message(evidence, ruleset.families, scoring=OPENERS)
    assert result.score == 59 and result.verdict == "warn"
    cap = result.contributions[-1]
    assert (cap.source, cap.family, cap.points) == ("opening", "checkin", 59 - (45 + 40 - 10))
    assert "opens with 'following up' before the value" in cap.reason
    assert sum(c.points for c in result.contributions) == result.score
    assert score_message(evidence, ruleset.families, scoring=UNIT).verdict == "pass"  # no opening-filler: no cap


@pytest.mark.parametrize("evidence", [
    [Evidence("insight", 20, "a", 0), Evidence("link", 20, "b", 30), Evidence("checkin", 10, "c", 60)],  # after the value
    [Evidence("tone", 5, "just", 0), Evidence("insight", 20, "a", 10), Evidence("link", 20, "b", 30)],  # not an opening-filler family
])
def test_the_cap_needs_an_opening_filler_before_the_value(ruleset: RuleSet, evidence: list[Evidence]) -> None:
    result = score_message(evidence, ruleset.families, scoring=OPENERS)
    assert result.verdict == "pass" and all(c.source != "opening" for c in result.contributions)


def test_the_cap_follows_min_score(ruleset: RuleSet) -> None:
    evidence = [Evidence("nudge", 4, "bump", 0), Evidence("insight", 20, "a", 10), Evidence("link", 20, "b", 30)]
    assert score_message(evidence, ruleset.families, scoring=OPENERS, min_score=50).score == 49
    assert score_message(evidence, ruleset.families, scoring=OPENERS, min_score=90).score == 45 + 40 - 4  # already below


def test_min_score_moves_the_pass_band(ruleset: RuleSet) -> None:
    evidence = [Evidence("insight", 20, "y", 0)]
    assert score_message(evidence, ruleset.families, scoring=UNIT).verdict == "pass"
    low = score_message(evidence, ruleset.families, scoring=UNIT, min_score=90)
    assert low.verdict == "warn" and "below the minimum 90" in low.reasons[0]


def _scoring_problems(tmp_path, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The problem messages of a scoring file holding ``text``; each names the file and a line."""
    bad = tmp_path / "scoring.yml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_rules(scoring=bad)
    assert all(p.path == str(bad) and p.line for p in err.value.problems)
    return [p.message for p in err.value.problems]


def test_scoring_file_is_validated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    messages = " | ".join(_scoring_problems(tmp_path, "base: 45\nreject-below: 70\npass-from: 60\nvalue-min: 15\n"
                                                      "decay: 2\nslot-weight: 20\nscale: {chekin: 1.0}\n"))
    assert "decay must be a number from 0 to 1" in messages
    assert "unknown family 'chekin'" in messages


def test_opening_filler_names_anti_pattern_families(tmp_path) -> None:  # type: ignore[no-untyped-def]
    messages = _scoring_problems(tmp_path, "base: 45\nreject-below: 30\npass-from: 60\nvalue-min: 15\ndecay: 0.5\n"
                                           "slot-weight: 20\nopening-filler: [checkin, insight, chekin]\n")
    assert len(messages) == 2
    assert all("opening-filler takes anti-pattern families" in m for m in messages)
    assert "'insight'" in messages[0] and "'chekin'" in messages[1]


def test_a_scoring_file_can_replace_the_shipped_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "team.yml"
    table.write_text("base: 50\nreject-below: 20\npass-from: 70\nvalue-min: 10\ndecay: 0.5\nslot-weight: 20\n"
                     "scale: {insight: 2.0}\nafter-value: {callback: 0.0}\n", encoding="utf-8")
    scoring = load_rules(scoring=table).scoring
    assert (scoring.base, scoring.reject_below, scoring.pass_from, scoring.scale_of("insight")) == (50, 20, 70, 2.0)
    assert scoring.after_value_of("callback") == 0.0 and scoring.after_value_of("nudge") == 1.0
