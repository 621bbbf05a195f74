"""The engine: offsets, line/column on CRLF and non-ASCII text, overlaps, LEMMA expansion,
vetoes, and the time limit on rule regexes."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkin_lint.document import Message, Source
from checkin_lint.engine.matching import expand_lemmas, inflections
from checkin_lint.linter import Linter
from checkin_lint.rules.loader import RuleSet, load_rules

from helpers import anti_rule, signal_rule, write_rule


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    write_rule(d, "t/checkin", anti_rule(["checking in", "just checking in"], weight=30))
    write_rule(d, "t/just", anti_rule(["just"], family="tone", weight=5))
    write_rule(d, "t/percent", signal_rule(r"\b\d+%"))
    return d


@pytest.fixture
def test_linter(rules_dir: Path) -> Linter:
    return Linter(load_rules([rules_dir], builtin=False))


def test_offsets_and_text_match_the_input(test_linter: Linter) -> None:
    text = "Hello Ana. Just checking in, churn fell 12% last quarter."
    report = test_linter.lint_text(text)
    for f in report.findings:
        assert text[f.start:f.end] == f.text
        assert text[f.source_start:f.source_end] == f.text
    assert {f.text for f in report.findings} == {"Just checking in", "12%"}


def test_overlap_keeps_the_heavier_rule_once(test_linter: Linter) -> None:
    report = test_linter.lint_text("Just checking in.")
    antis = [f for f in report.findings if f.kind == "anti-pattern"]
    assert [(f.rule_id, f.text) for f in antis] == [("t/checkin", "Just checking in")]


def test_signal_and_anti_pattern_may_overlap(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_rule(d, "t/checkin", anti_rule(["checking in"]))
    write_rule(d, "t/sig", signal_rule(r"checking in with the benchmark"))
    report = Linter(load_rules([d], builtin=False)).lint_text("Checking in with the benchmark I promised.")
    assert sorted(f.kind for f in report.findings) == ["anti-pattern", "signal"]


def test_line_and_column_on_crlf_text(test_linter: Linter) -> None:
    text = "Hi Sam,\r\n\r\nQuick note: just checking in.\r\nBest"
    (finding,) = [f for f in test_linter.lint_text(text).findings if f.kind == "anti-pattern"]
    assert (finding.line, finding.column) == (3, 13)
    assert (finding.end_line, finding.end_column) == (3, 29)


def test_line_and_column_on_lone_cr_text(test_linter: Linter) -> None:
    (finding,) = test_linter.lint_text("a\rb\rjust checking in").findings
    assert (finding.line, finding.column) == (3, 1)


def test_columns_count_characters_not_bytes(test_linter: Linter) -> None:
    text = "Olá José 😀 — just checking in"
    (finding,) = test_linter.lint_text(text).findings
    assert finding.column == text.index("just") + 1
    assert finding.text == "just checking in"


def test_curly_apostrophes_match_straight_phrases(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_rule(d, "t/heard", anti_rule(["haven't heard back"], family="breakup"))
    report = Linter(load_rules([d], builtin=False)).lint_text("I haven\u2019t heard back from you.")
    assert [f.text for f in report.findings] == ["haven\u2019t heard back"]


def test_unless_vetoes_a_match_in_the_same_sentence(tmp_path: Path) -> None:
    d = tmp_path / "r"
    extra = "  unless: ['front desk']"
    write_rule(d, "t/checkin", anti_rule(["check in"], extra=extra))
    linter = Linter(load_rules([d], builtin=False))
    assert not linter.lint_text("Please check in at the front desk.").findings
    assert linter.lint_text("Please check in at the front desk. I wanted to check in too.").findings


def test_lemma_is_expanded_to_word_forms() -> None:
    assert {"check", "checks", "checked", "checking"} <= set(inflections("check"))
    assert {"stop", "stopped", "stopping"} <= set(inflections("stop"))
    assert {"send", "sent"} <= set(inflections("send"))
    (spec,) = expand_lemmas([{"LEMMA": "bump", "OP": "+"}])
    assert "LEMMA" not in spec and "bumping" in spec["LOWER"]["IN"] and spec["OP"] == "+"


def test_lemma_patterns_match_on_the_blank_pipeline(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_rule(d, "t/bump", """
        name: Bump
        kind: anti-pattern
        family: nudge
        weight: 20
        message: "'{match}'"
        suggestion: Don't.
        patterns:
          tokens:
            - [{LEMMA: bump}, {LOWER: this}]
        examples:
          match: [bumping this]
          no_match: [bump]
        """)
    linter = Linter(load_rules([d], builtin=False))
    assert [f.text for f in linter.lint_text("Bumping this up. I bumped this yesterday.").findings] == ["Bumping this", "bumped this"]


def test_catastrophic_regex_is_bounded_at_run_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checkin_lint.engine.matching as matching

    monkeypatch.setattr(matching, "REGEX_TIMEOUT", 0.05)
    d = tmp_path / "r"
    # Accepted by the load-time check (no directly nested quantifier), but exponential here.
    write_rule(d, "t/slow", signal_rule(r"(?:(?:a|b)*a){25}x"))
    linter = Linter(load_rules([d], builtin=False))
    # "ax" lets the regex past the RE2 prefilter (which sees the words a match needs), then
    # the run of a's with no x after it backtracks exponentially.
    report = linter.lint_text("ax " + "a" * 300)
    assert report.findings == []
    assert linter.compiled.timed_out == {"t/slow"}


def test_model_rules_are_skipped_on_the_blank_pipeline(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_rule(d, "t/verb", """
        name: Verb check-in
        kind: anti-pattern
        family: checkin
        weight: 20
        message: "'{match}'"
        suggestion: Don't.
        patterns:
          model:
            - [{LOWER: checking, POS: VERB}, {LOWER: in}]
        examples:
          match: [checking in]
          no_match: [nothing]
        """)
    linter = Linter(load_rules([d], builtin=False))
    assert linter.compiled.skipped_model_rules == ("t/verb",)
    assert linter.lint_text("checking in").findings == []


def test_sentences_split_on_short_lines_and_blank_lines(test_linter: Linter) -> None:
    report = test_linter.lint_text("Hi Sam,\nthe numbers are in\n\nsee you at noon\nAna")
    texts = [report.message.text[s:e].strip() for s, e in report.sentences]
    assert texts == ["Hi Sam,", "the numbers are in", "see you at noon", "Ana"]


def test_a_hard_wrapped_line_break_does_not_split_a_phrase(tmp_path: Path) -> None:
    d = tmp_path / "r"
    write_rule(d, "t/busy", anti_rule(["I know you're busy"], family="tone"))
    linter = Linter(load_rules([d], builtin=False))
    text = "Just a short note on the renewal and the pricing page we talked about. I know you're\nbusy, so I will keep it brief."
    (finding,) = linter.lint_text(text).findings
    assert finding.text == "I know you're\nbusy" and (finding.line, finding.column) == (1, 72)
    assert finding.message == "'I know you're busy' is filler."
    # a short line (a greeting, a list item) is a real break, not a wrap
    assert linter.lint_text("Hi Sam, I know you're\nbusy").findings == []


KEPT_WORD_MESSAGES = [
    "Hi Dana,\n\nJust checking in on the Q3 renewal. Any update?\n\nThanks,\nSam",
    "Hi Rui,\n\nYour team cut onboarding from 14 days to 6 (https://x.example/case). Worth a 20-minute call on Tuesday?",
    "Hi Dana, following up on the renewal: I'll send the revised SOW by Friday, 3 pm.",
    "Quick question, Rui: did procurement approve the MSA redlines, or should I loop in our counsel?",
    "Bumping this to the top of your inbox -- still a priority for the Q3 renewal?",
]


def test_words_kept_across_memory_zones_change_no_report(ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    # words seen again are made permanent in the vocabulary between memory zones, up to
    # KEPT_WORDS; reports must be the same as from a linter that keeps none
    import checkin_lint.linter as linter_module

    def reports(linter: Linter) -> list[dict[str, object]]:
        return [linter.lint_message(Message.whole(Source(f"m{i}", t))).to_dict()
                for _ in range(2) for i, t in enumerate(KEPT_WORD_MESSAGES)]

    monkeypatch.setattr(linter_module, "KEPT_WORDS", 0)
    none_kept = Linter(ruleset)
    expected = reports(none_kept)
    assert not none_kept._kept
    monkeypatch.setattr(linter_module, "KEPT_WORDS", 30)
    some_kept = Linter(ruleset)
    assert reports(some_kept) == expected
    assert len(some_kept._kept) == 30  # bounded, and words were kept
    words = [w for w in some_kept._kept if w.isalpha()]
    assert words and all(w in some_kept.nlp.vocab.strings for w in words)  # they outlived the memory zones
    assert any(w not in none_kept.nlp.vocab.strings for w in words)  # the zones alone free them


def test_a_find_that_matches_their_search_is_value_not_only_personalization(linter: Linter) -> None:
    # "what you were looking for" is also a personalization phrase; the overlapping insight wins
    report = linter.lint_text("Hi Ana, I came across a three-bed semi near the station that reminded me of "
                              "what you were looking for. It has the garden office you wanted.")
    families = {f.rule_id.split("/")[0] for f in report.findings}
    assert "insight" in families and report.verdict == "pass"
