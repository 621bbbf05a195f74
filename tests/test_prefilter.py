"""The prefilter never hides a match: for every built-in regex, wherever the ``regex``
module finds a match, the prefilter names that regex as a candidate. Checked for each engine
(Hyperscan and RE2) on every rule example (in several cases and with characters far outside
ASCII), on hostile mixes, and end to end against a linter whose prefilter is switched off;
and the two engines name exactly the same candidates."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import checkin_lint.engine.prefilter as prefilter
import checkin_lint.rules
from checkin_lint.engine.prefilter import RegexSet, superset
from checkin_lint.linter import Linter
from checkin_lint.rules.loader import RuleSet, load_rules

BUILTIN = load_rules()
EXPRESSIONS = sorted({expr for rule in BUILTIN.rules for expr in rule.patterns.regex + rule.patterns.unless})
COMPILED = [regex.compile(expr, regex.IGNORECASE | regex.V0) for expr in EXPRESSIONS]
EXAMPLES = sorted({text for rule in BUILTIN.rules for text in rule.examples_match + rule.examples_no_match})
ENGINES = ["re2"] + (["hyperscan"] if prefilter.hyperscan is not None else [])
PREFILTERS = {engine: RegexSet(EXPRESSIONS, BUILTIN.supersets, engine=engine) for engine in ENGINES}


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def variants(text: str) -> list[str]:
    """The text as written and as a user might also type it, including characters beyond
    Latin-1 that a case-insensitive regex still treats as letters (Kelvin sign, long s,
    dotted capital I) and wide characters next to the words."""
    return [text, text.upper(), text.swapcase(), text.title(),
            text.replace("k", "\u212a").replace("s", "\u017f").replace("i", "\u0130"),
            "\u2014 " + text.replace(" ", "\u00a0") + " \U0001f600"]


def assert_sound(text: str, engine: str) -> None:
    regexes = PREFILTERS[engine]
    assert regexes.engine == engine
    candidates = set(regexes.candidates(text))
    for index, compiled in enumerate(COMPILED):
        if compiled.search(text, timeout=5):
            assert index in candidates, (compiled.pattern, text, superset(compiled.pattern))


@pytest.mark.parametrize("text", EXAMPLES)
def test_prefilter_names_every_regex_that_matches_a_rule_example(text: str, engine: str) -> None:
    for variant in variants(text):
        assert_sound(variant, engine)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(EXAMPLES), st.text(max_size=15)), max_size=4).map(" ".join))
def test_prefilter_is_sound_on_hostile_mixes(text: str) -> None:
    for engine in ENGINES:
        assert_sound(text, engine)


@pytest.mark.skipif(len(ENGINES) < 2, reason="hyperscan is not installed on this platform")
@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(EXAMPLES), st.text(max_size=25),
                          st.sampled_from(["\u212a", "\u017f", "\u0130", "\u0131", "\u00a0", "\u2019"])),
                max_size=6).map(" ".join))
def test_hyperscan_names_the_candidates_re2_names(text: str) -> None:
    """The same on ASCII text. Beyond it Hyperscan reads the Kelvin sign, long s and dotted
    or dotless i as the ASCII letters they fold with, where RE2 lets any non-ASCII character
    stand for those letters: fewer false candidates, never a missed one (both engines are
    checked for that above)."""
    fast, slow = PREFILTERS["hyperscan"].candidates(text), PREFILTERS["re2"].candidates(text)
    assert set(fast) <= set(slow)
    if text.isascii():
        assert fast == slow


def test_prefilter_leaves_out_most_regexes_on_a_real_message(engine: str) -> None:
    text = "Hi Dana, just checking in to see if you had a chance to look at my last email. Thanks, Sam"
    candidates = PREFILTERS[engine].candidates(text)
    assert len(candidates) < len(EXPRESSIONS) / 10
    assert candidates == sorted(candidates)


def may_match(expr: str, text: str) -> bool:
    """What the prefilter says about one expression on ``text`` (every engine must agree)."""
    assert superset(expr) is not None
    answers = {RegexSet([expr], engine=engine).candidates(text) == [0] for engine in ENGINES}
    assert len(answers) == 1, (expr, text)
    return answers.pop()


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
    for engine in ENGINES:
        assert RegexSet([r"\bany\b", expr], engine=engine).candidates("zzz") == [1]


def test_a_set_too_large_for_its_memory_runs_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "MAX_MEM", 1 << 20)
    small = RegexSet(EXPRESSIONS, engine="re2")
    assert small.engine == "none"
    assert small.candidates("nothing at all") == list(range(len(EXPRESSIONS)))


def test_without_re2_or_hyperscan_everything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "re2", None)
    monkeypatch.setattr(prefilter, "hyperscan", None)
    assert RegexSet([r"\bany\b", r"\bupdate\b"]).candidates("zzz") == [0, 1]


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown prefilter engine 'pcre'"):
        RegexSet([r"\bany\b"], engine="pcre")


@pytest.mark.parametrize("engine", ENGINES)
def test_when_the_engine_gives_up_on_a_text_everything_runs(engine: str) -> None:
    regexes = RegexSet([r"\bany\b", r"\bupdate\b"], engine=engine)
    regexes._engine = dataclasses.replace(regexes._engine, match=lambda text: None)
    assert regexes.candidates("any") == [0, 1]


@pytest.mark.skipif(len(ENGINES) < 2, reason="hyperscan is not installed on this platform")
def test_auto_starts_on_re2_builds_hyperscan_in_the_background_and_stores_it(monkeypatch: pytest.MonkeyPatch,
                                                                             tmp_path: Any) -> None:
    monkeypatch.setenv("CHECKIN_LINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(prefilter, "COMPILE_AFTER", 0.0)
    expressions = [r"\bany\s+updates?\b", r"\bpilot\b[^.]{0,20}\bbudget"]
    first = RegexSet(expressions)
    assert first.engine == "re2"
    assert first.candidates("Any updates on the pilot budget?") == [0, 1]
    assert first._builder is not None
    first._builder.join()
    assert first.engine == "hyperscan"
    assert first.candidates("Any updates on the pilot budget?") == [0, 1]
    assert list(prefilter.store_dir().glob("*.hsdb")) and not list(prefilter.store_dir().glob("*.lock"))
    later = RegexSet(expressions)
    assert later.engine == "hyperscan"  # loaded, not built
    assert later.candidates("The pilot ran.") == []


@pytest.mark.skipif(len(ENGINES) < 2, reason="hyperscan is not installed on this platform")
def test_a_corrupt_stored_database_is_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("CHECKIN_LINT_CACHE_DIR", str(tmp_path))
    RegexSet([r"\bbump\b"], engine="hyperscan")
    (stored,) = prefilter.store_dir().glob("*.hsdb")
    stored.write_bytes(stored.read_bytes()[:-10])
    assert RegexSet([r"\bbump\b"]).engine == "re2"          # not trusted
    assert RegexSet([r"\bbump\b"], engine="hyperscan").candidates("BUMP") == [0]


@pytest.mark.skipif(len(ENGINES) < 2, reason="hyperscan is not installed on this platform")
def test_a_database_shipped_with_the_package_is_loaded_not_built(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Any) -> None:
    monkeypatch.setenv("CHECKIN_LINT_CACHE_DIR", str(tmp_path / "cache"))  # nothing stored by earlier runs
    packaged = tmp_path / "_rules"
    packaged.mkdir()
    expressions = [r"\bany\s+updates?\b", r"\bpilot\b[^.]{0,20}\bbudget"]
    assert prefilter.write_database(expressions, {}, packaged / prefilter.PACKAGED)
    monkeypatch.setattr(checkin_lint.rules, "builtin_rules_dir", lambda: packaged)
    monkeypatch.setattr(prefilter, "_compile_hyperscan", lambda *a: pytest.fail("compiled a database"))
    loaded = RegexSet(expressions)
    assert loaded.engine == "hyperscan"
    assert loaded.candidates("Any updates on the pilot budget?") == [0, 1]
    assert loaded.candidates("The pilot ran.") == []
    assert RegexSet(expressions[:1]).engine == "re2"  # other expressions: not that database
    database = packaged / prefilter.PACKAGED
    database.write_bytes(database.read_bytes()[:-10])
    assert RegexSet(expressions).engine == "re2"  # damaged: not trusted


def test_linting_with_and_without_the_prefilter_is_identical(ruleset: RuleSet, linter: Linter,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter, "MAX_MEM", 1 << 20)  # too small to compile: no prefilter
    monkeypatch.setattr(prefilter, "hyperscan", None)
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
