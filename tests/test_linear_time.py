"""Every input is linear in time: for each input shape that used to be quadratic (runs of
punctuation, many lines, unclosed template tags and HTML comments, directive lines with
trailing spaces, many RFC 2047 words, a wildcard token pattern in a user rule), the CPU time
per kilobyte of a 512 KB input stays within a generous factor of that of a 16 KB input.

This is a ratio measured in one run, not a timing assert: a quadratic path makes the ratio
about 32 (the size ratio), a linear one about 1; the bound (8) leaves room for a noisy,
shared machine. CPU time of this process (``time.process_time``) is used, so other
processes on the machine do not count.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Callable

import pytest

from checkin_lint.linter import Linter
from checkin_lint.runner import lint_bytes
from helpers import write_rule

SMALL = 8_000
LARGE = 256_000
MAX_RATIO = 8.0
OPENING = "Hi Dana, just checking in. "


def _repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit))


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "open-parens": ("p.txt", lambda n: OPENING + _repeat("(", n) + "\n"),
    "brackets-and-angles": ("p.txt", lambda n: OPENING + _repeat("[&<", n) + "\n"),
    "separator-line": ("p.txt", lambda n: OPENING + "\n\n" + _repeat("=", n) + "\n"),
    "emoji-run": ("p.txt", lambda n: OPENING + _repeat("\U0001F600", n // 4) + "\n"),
    "possessive-run": ("p.txt", lambda n: OPENING + _repeat("'s", n) + "\n"),
    "many-short-lines": ("l.txt", lambda n: _repeat("Our benchmark shows a twelve percent drop.\n", n)),
    "one-long-sentence": ("w.txt", lambda n: "Hi " + _repeat("word ", n) + "zebra. just checking in.\n"),
    "unclosed-template-tags": ("t.txt", lambda n: OPENING + _repeat("{% ", n) + "\n"),
    "unclosed-template-comments": ("t.txt", lambda n: OPENING + _repeat("{# ", n) + "\n"),
    "directive-trailing-spaces": ("d.txt", lambda n: "Hi Dana,\n# checkin-lint: disable" + " " * n + "x\nJust checking in.\n"),
    "unclosed-html-comments": ("c.html", lambda n: "<p>Just checking in</p>" + _repeat("<!-- x ", n)),
    "unclosed-html-tags": ("c.html", lambda n: "<p>Just checking in</p>" + _repeat("<a x ", n)),
    "unclosed-html-directives": ("c.html", lambda n: "<p>Just checking in</p>" + _repeat("<!-- checkin-lint: ", n) + ">"),
    "markdown-html-block": ("m.md", lambda n: "Just checking in.\n\n<div>\n" + _repeat("<!-- x ", n) + "\n"),
    "encoded-words": ("e.eml", lambda n: "From: a@b.com\nSubject: " + _repeat("=?utf-8?q?a?= ", n) + "\n\nJust checking in.\n"),
    "base64-encoded-words": ("e.eml", lambda n: "From: a@b.com\nSubject: " + _repeat(
        "=?utf-8?b?" + base64.b64encode(b"just ").decode() + "?= ", n) + "\n\nHi.\n"),
}


@pytest.fixture(scope="module")
def linter(tmp_path_factory: pytest.TempPathFactory) -> Linter:
    rules = tmp_path_factory.mktemp("rules")
    write_rule(rules, "team/any-words", """
        name: Any words
        kind: anti-pattern
        family: checkin
        weight: 10
        message: "'{match}' is filler."
        suggestion: Say something useful.
        patterns:
          tokens:
            - [{IS_ALPHA: true, OP: '+'}, {LOWER: zebra}]
        examples:
          match: ["a zebra"]
          no_match: ["123"]
        """)
    return Linter(rule_dirs=[str(rules)])


def _cpu_per_kb(linter: Linter, name: str, text: str) -> float:
    raw = text.encode("utf-8")
    start = time.process_time()
    report = lint_bytes(linter, name, raw)
    elapsed = time.process_time() - start
    assert not any(p.internal for p in report.problems), report.problems
    return elapsed / (len(raw) / 1000)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_per_kilobyte_stays_flat(linter: Linter, shape: str) -> None:
    name, make = SHAPES[shape]
    small = min(_cpu_per_kb(linter, name, make(SMALL)) for _ in range(3))
    large = _cpu_per_kb(linter, name, make(LARGE))
    floor = 2e-5  # 20 microseconds per KB: below that, the small input measures only overhead
    assert large / max(small, floor) < MAX_RATIO, f"{shape}: {small * 1e3:.2f} ms/KB at 8 KB, {large * 1e3:.2f} ms/KB at 256 KB"


def test_unbounded_token_repeats_are_bounded(linter: Linter) -> None:
    from checkin_lint.engine.matching import MAX_REPEAT, bound_repeats

    assert bound_repeats([{"IS_ALPHA": True, "OP": "+"}]) == [{"IS_ALPHA": True, "OP": "{1,%d}" % MAX_REPEAT}]
    assert bound_repeats([{"OP": "*"}, {"OP": "{2,}"}, {"OP": "{12,}"}, {"OP": "?"}]) == [
        {"OP": "{0,%d}" % MAX_REPEAT}, {"OP": "{2,%d}" % MAX_REPEAT}, {"OP": "{12,12}"}, {"OP": "?"}]
    report = linter.lint_text("Yesterday we saw a zebra.")
    assert any(f.rule_id == "team/any-words" for f in report.findings)


def test_regex_predicates_in_token_patterns_are_refused(tmp_path: Path) -> None:
    from checkin_lint.errors import RuleError
    from checkin_lint.rules.loader import load_rules

    write_rule(tmp_path, "team/slow", """
        name: Slow
        kind: anti-pattern
        family: checkin
        weight: 10
        message: "'{match}' is filler."
        suggestion: Say something useful.
        patterns:
          tokens:
            - [{TEXT: {REGEX: 'x(?:a|a)*y'}}]
        examples:
          match: ["xay"]
          no_match: ["nothing"]
        """)
    with pytest.raises(RuleError, match="REGEX is not allowed in token patterns"):
        load_rules([str(tmp_path)])


def test_a_regex_that_times_out_is_paid_for_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkin_lint.engine import matching

    monkeypatch.setattr(matching, "REGEX_TIMEOUT", 0.05)
    write_rule(tmp_path, "team/slow", """
        name: Slow
        kind: signal
        family: insight
        weight: 10
        message: "'{match}' insight."
        suggestion: Keep it.
        patterns:
          regex: ['x(?:a|a)*y']
        examples:
          match: ["xay"]
          no_match: ["nothing"]
        """)
    slow = Linter(rule_dirs=[str(tmp_path)])
    calls = []
    pattern = slow.compiled._pattern

    def counting(index: int):  # type: ignore[no-untyped-def]
        calls.append(index)
        return pattern(index)

    monkeypatch.setattr(slow.compiled, "_pattern", counting)
    texts = ["xay x" + "a" * 40 + "! just checking in"] * 5
    reports = list(slow.lint_messages_from_texts(texts))
    assert slow.compiled.timed_out == {"team/slow"}
    slow_index = next(i for i, (rule, _) in enumerate(slow.compiled._regexes) if rule.id == "team/slow")
    assert calls.count(slow_index) == 1
    assert all(not any(f.rule_id == "team/slow" for f in r.findings) for r in reports)
