"""The RE2 prefilter never hides a match: for every built-in regex, wherever the ``regex``
module finds a match, the prefilter names that regex as a candidate. Checked on every rule
example (in several cases and with characters far outside ASCII), on hostile mixes, and
end to end against a linter whose prefilter is switched off."""

from __future__ import annotations

from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import checkin_lint.engine.prefilter as prefilter
from checkin_lint.engine.prefilter import RegexSet, superset
from checkin_lint.linter import Linter
from checkin_lint.rules.loader import RuleSet, load_rules

BUILTIN = load_rules()
EXPRESSIONS = sorted({expr for rule in BUILTIN.rules for expr in rule.patterns.regex + rule.patterns.unless})
COMPILED = [regex.compile(expr, regex.IGNORECASE | regex.V0) for expr in EXPRESSIONS]
EXAMPLES = sorted({text for rule in BUILTIN.rules for text in rule.examples_match + rule.examples_no_match})
PREFILTER = RegexSet(EXPRESSIONS)


def variants(text: str) -> list[str]:
    """The text as written and as a user might also type it, including characters beyond
    Latin-1 that a case-insensitive regex still treats as letters (Kelvin sign, long s,
    dotted capital I) and wide characters next to the words."""
    return [text, text.upper(), text.swapcase(), text.title(),
            text.replace("k", "\u212a").replace("s", "\u017f").replace("i", "\u0130"),
            "\u2014 " + text.replace(" ", "\u00a0") + " \U0001f600"]


def assert_sound(text: str) -> None:
    candidates = set(PREFILTER.candidates(text))
    for index, compiled in enumerate(COMPILED):
        if compiled.search(text, timeout=5):
            assert index in candidates, (compiled.pattern, text, superset(compiled.pattern))


@pytest.mark.parametrize("text", EXAMPLES)
def test_prefilter_names_every_regex_that_matches_a_rule_example(text: str) -> None:
    for variant in variants(text):
        assert_sound(variant)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(EXAMPLES), st.text(max_size=15)), max_size=4).map(" ".join))
def test_prefilter_is_sound_on_hostile_mixes(text: str) -> None:
    assert_sound(text)


def test_prefilter_leaves_out_most_regexes_on_a_real_message() -> None:
    text = "Hi Dana, just checking in to see if you had a chance to look at my last email. Thanks, Sam"
    candidates = PREFILTER.candidates(text)
    assert len(candidates) < len(EXPRESSIONS) / 10
    assert candidates == sorted(candidates)


def may_match(expr: str, text: str) -> bool:
    """What the prefilter says about one expression on ``text``."""
    assert superset(expr) is not None
    return RegexSet([expr]).candidates(text) == [0]


def test_superset_drops_anchors_and_lookarounds_but_keeps_the_words() -> None:
    expr = r"(?<!not )\bany\s+updates?\b(?!\s+yet)"
    assert may_match(expr, "Any  UPDATES yet?")
    assert not may_match(expr, "Nothing new on the pilot.")


def test_superset_case_folds_like_the_regex_module() -> None:
    assert may_match(r"\bpick\b", "PIC\u212a")           # Kelvin sign folds to k
    assert may_match(r"\bit\b", "\u0130T")               # Turkic dotted capital I
    assert may_match(r"costs\b", "COST\u017f")           # long s
    assert may_match(r"caf\u00e9", "CAF\u00c9")           # Latin-1 letters
    assert may_match(r"\u20ac\s?\d", "\u20ac\u2009\u0663")  # euro, thin space, Arabic-Indic 3


def test_a_broad_repeat_splits_the_superset_into_pieces_that_must_all_match() -> None:
    expr = r"\bon\s+the\s+\d{1,2}(?:st|nd|rd|th)\b[^.?!\n]{0,40}\bat\s+\d"
    pieces = superset(expr)
    assert pieces is not None and len(pieces) == 2
    assert pieces == superset(r"\bon\s+the\s+\d{1,2}(?:st|nd|rd|th)") + superset(r"\bat\s+\d")  # type: ignore[operator]
    assert may_match(expr, "See you on the 3rd, we could meet at 4.")
    assert not may_match(expr, "See you on the 3rd, whenever suits.")   # the second piece is missing
    assert not may_match(expr, "Meet at 4?")                            # the first piece is missing


def test_a_broad_repeat_inside_a_group_ends_the_piece_and_the_next_item_starts_one() -> None:
    expr = r"\b(?:call|chat)(?:[^.]{0,20}today|\s+now)\s+please"
    pieces = superset(expr)
    assert pieces is not None and len(pieces) == 2
    assert may_match(expr, "Can we chat today? Please reply.")
    assert not may_match(expr, "Can we chat today?")


@pytest.mark.parametrize("expr", [r"(?:folow){e<=1}", r"[[:alpha:]]+ing", r"\p{Lu}\w+", r"(?=any)\b"])
def test_regex_only_syntax_or_an_empty_superset_runs_always(expr: str) -> None:
    assert superset(expr) is None
    assert RegexSet([r"\bany\b", expr]).candidates("zzz") == [1]


def test_a_set_too_large_for_its_memory_runs_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "MAX_MEM", 1 << 20)
    small = RegexSet(EXPRESSIONS)
    assert small.candidates("nothing at all") == list(range(len(EXPRESSIONS)))


def test_without_re2_everything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "re2", None)
    assert RegexSet([r"\bany\b", r"\bupdate\b"]).candidates("zzz") == [0, 1]


def test_when_re2_gives_up_on_a_text_everything_runs() -> None:
    regexes = RegexSet([r"\bany\b", r"\bupdate\b"])

    class GaveUp:
        def Match(self, text: Any) -> None:  # noqa: N802 - RE2's method name
            return None

    regexes._set = GaveUp()  # type: ignore[assignment]
    assert regexes.candidates("any") == [0, 1]


def test_linting_with_and_without_the_prefilter_is_identical(ruleset: RuleSet, linter: Linter,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "MAX_MEM", 1 << 20)  # too small to compile: no prefilter
    unfiltered = Linter(ruleset)
    assert unfiltered.compiled._prefilter.always == frozenset(range(len(unfiltered.compiled._regexes)))
    texts = [v for text in EXAMPLES for v in variants(text)[:2]]
    for fast, slow in zip(linter.lint_messages_from_texts(texts), unfiltered.lint_messages_from_texts(texts)):
        assert fast.to_dict() == slow.to_dict()


def test_candidates_are_exactly_the_expressions_whose_pieces_all_match() -> None:
    regexes = RegexSet([r"\bany\b[^.]{0,9}\bupdate", r"\bpilot\b", r"\bbudget\b[^.]*\bQ3\b"])
    assert regexes.candidates("Any word on the update? The pilot ran.") == [0, 1]
    assert regexes.candidates("Budget is fine.") == []
    assert regexes.candidates("Budget for Q3") == [2]
