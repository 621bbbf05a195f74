"""Verdict rates on our labelled sets of outreach messages (emails, call scripts, voicemails,
LinkedIn notes, SMS and templates), written by the project for this purpose:

* ``labelled.jsonl``: the set the rules were first written against;
* ``labelled-dev.jsonl``, ``labelled-blind.jsonl`` and ``labelled-holdout.jsonl``: written
  afterwards by people who had not seen the rules, to measure how the rules generalise
  (their misses then guided rules for whole categories of value, not for single messages).

The targets, on every set: at least 95% of empty check-ins rejected, at most 3% of value
messages rejected, at most 10% of mixed messages rejected.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from checkin_lint.linter import Linter

DATA = Path(__file__).parent / "data"
SETS = ["labelled.jsonl", "labelled-dev.jsonl", "labelled-blind.jsonl", "labelled-holdout.jsonl"]


@pytest.fixture(scope="module", params=SETS)
def verdicts(request: pytest.FixtureRequest, linter: Linter) -> dict[str, Counter[str]]:
    text = (DATA / request.param).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    by_label: dict[str, Counter[str]] = {}
    for row, report in zip(rows, linter.lint_messages_from_texts(r["text"] for r in rows)):
        by_label.setdefault(row["label"], Counter())[report.verdict] += 1
    return by_label


def _rate(counter: Counter[str], verdict: str) -> float:
    return counter[verdict] / sum(counter.values())


def test_the_set_is_large_and_balanced(verdicts: dict[str, Counter[str]]) -> None:
    sizes = {label: sum(c.values()) for label, c in verdicts.items()}
    assert sum(sizes.values()) >= 150
    assert set(sizes) == {"checkin", "value", "mixed"} and min(sizes.values()) >= 40


def test_empty_checkins_are_rejected(verdicts: dict[str, Counter[str]]) -> None:
    assert _rate(verdicts["checkin"], "reject") >= 0.95, verdicts["checkin"]


def test_value_messages_are_not_rejected(verdicts: dict[str, Counter[str]]) -> None:
    assert _rate(verdicts["value"], "reject") <= 0.03, verdicts["value"]


def test_mixed_messages_are_rarely_rejected(verdicts: dict[str, Counter[str]]) -> None:
    assert _rate(verdicts["mixed"], "reject") <= 0.10, verdicts["mixed"]
