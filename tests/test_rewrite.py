"""Rewrites lead with value when the message has it, and propose a value-first skeleton
with marked slots when it has none. They are suggestions: nothing is written."""

from __future__ import annotations


import pytest

import checkin_lint
from checkin_lint.linter import Linter
from checkin_lint.rules.loader import load_rules

from helpers import anti_rule, signal_rule, write_rule


@pytest.fixture(scope="module")
def test_linter(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    d = tmp_path_factory.mktemp("rules")
    write_rule(d, "t/checkin", anti_rule(["just checking in", "checking in", "touching base"]))
    write_rule(d, "t/nudge", anti_rule(["any updates"], family="nudge"))
    write_rule(d, "t/sorry", anti_rule(["sorry to bother you"], family="tone", weight=10))
    write_rule(d, "t/percent", signal_rule(r"\b\d+%"))
    write_rule(d, "t/question", signal_rule(r"\bhow is the \w+ rollout\b", family="question"))
    return Linter(load_rules([d], builtin=False))


def test_value_further_down_is_moved_to_the_front(test_linter: Linter) -> None:
    text = (
        "Hi Priya,\n\nSorry to bother you again. Just checking in.\n\n"
        "Teams that moved to weekly reviews cut churn by 18%.\n\nBest,\nOmar"
    )
    rewrite = test_linter.lint_text(text).rewrite
    assert rewrite.strategy == "lead-with-value"
    # the signature under the closing line is not linted, but the rewrite keeps it
    assert rewrite.text == "Hi Priya,\n\nTeams that moved to weekly reviews cut churn by 18%.\n\nBest,\nOmar"
    assert rewrite.dropped == ("Sorry to bother you again.", "Just checking in.")


def test_checkin_words_inside_a_value_sentence_are_trimmed(test_linter: Linter) -> None:
    text = "Checking in with the benchmark I promised: churn fell 18% in the pilot."
    rewrite = test_linter.lint_text(text).rewrite
    assert rewrite.text == "The benchmark I promised: churn fell 18% in the pilot."


def test_no_value_gives_a_skeleton_that_keeps_specifics(test_linter: Linter) -> None:
    text = "Hi Lee,\n\nTouching base. Any updates? The renewal is due on March 3.\n\nThanks,\nAna"
    report = test_linter.lint_text(text)
    assert report.verdict == "reject"
    lines = report.rewrite.text.split("\n\n")
    # the order of a good follow-up: the new thing, why it matters to them, what the message
    # already said that was specific, one question, a dated next step; then the sign-off
    assert lines[0] == "Hi Lee,"
    assert [l.split(":")[0] for l in lines[1:3]] == ["[INSIGHT", "[PERSONAL"]
    assert lines[3] == "The renewal is due on March 3."
    assert [l.split(":")[0] for l in lines[4:6]] == ["[QUESTION", "[NEXT STEP"]
    assert lines[-1] == "Thanks,\nAna"
    assert "Touching base." in report.rewrite.dropped


def test_filler_sentence_before_a_question_is_dropped(test_linter: Linter) -> None:
    rewrite = test_linter.lint_text("Just checking in. How is the SSO rollout going?").rewrite
    assert (rewrite.strategy, rewrite.text) == ("lead-with-value", "How is the SSO rollout going?")


def test_clean_message_is_unchanged(test_linter: Linter) -> None:
    text = "Churn fell 18% in the pilot; how is the SSO rollout going?"
    rewrite = test_linter.lint_text(text).rewrite
    assert (rewrite.strategy, rewrite.text) == ("unchanged", text)


def test_public_api_lint_text() -> None:
    report = checkin_lint.lint_text("Hi Sam, just checking in.")
    assert report.verdict == "reject"
    assert 0 <= report.score <= 100
    assert sum(c.points for c in report.contributions) == report.score
    assert any(f.rule_id == "checkin/checking-in" for f in report.findings)
    assert report.rewrite.strategy == "value-first-skeleton"
