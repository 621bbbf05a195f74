"""Rewrite cases as data: every case in ``tests/data/rewrites/*.yml`` is a message as written
(``before``, in its input ``format``: a text draft by default, a playbook, a CSV file, a call
script), the rewrite checkin-lint suggests (``after``) and its ``strategy``. One parametrized
test checks each case: ``pytest -k handlebars`` runs one.

Besides the expected text, every rewrite must keep every merge field of the message byte for
byte, keep the greeting first and the sign-off (with the sender's name) last, leave no empty
or stranded sentence, lint better than the message (a higher score, and no empty check-in
left), and rewrite to itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from checkin_lint.linter import Linter, MessageReport
from checkin_lint.rewrite.files import missing_fields
from checkin_lint.runner import lint_document

CASES_DIR = Path(__file__).parent / "data" / "rewrites"
FILE_NAMES = {"text": "draft.txt", "playbook": "sequence.yaml", "csv": "rows.csv", "script": "voicemail.call.txt",
              "markdown": "template.md"}
GREETING = re.compile(r"^(?:(?:hi|hello|hey|dear)\b[^,\n!\u2014-]{0,40}[,!\u2014-]|\{[^}\n]*\}+[^,\n]{0,30},|\[[^\]\n]+\] \u2014)", re.I)
SIGNOFF = re.compile(r"^(?:\{[^{}|]+\|[^{}]*\},|(?:best|thanks|cheers|regards|have a great)\b.{0,30}|-- )$", re.I | re.M)
STRANDED = re.compile(r"\s[,;:.!?]|[,;:]\s*[,;:.!?]|^\s*[,;:.!?]", re.M)


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            params.append(pytest.param(case, id=f"{path.stem}/{case['name']}"))
    return params


CASES = _cases()


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _rewrite(linter: Linter, case: dict[str, Any]) -> MessageReport:
    fmt = case.get("format", "text")
    _, reports, _ = lint_document(linter, FILE_NAMES[fmt], case["before"].encode("utf-8"), input_format=fmt)
    assert len(reports) == 1, "a case holds one message"
    return reports[0]


def _body(text: str, report: MessageReport) -> str:
    """The text after the subject line, if the message has one."""
    subject = str(report.message.meta.get("subject") or "")
    if subject and text.startswith(subject):
        return text[len(subject):].lstrip()
    return re.sub(r"^subject:[^\n]*\n\s*", "", text, flags=re.I)


def test_there_are_enough_cases_of_every_kind() -> None:
    groups = {p.id.split("/")[0] for p in CASES}  # type: ignore[union-attr]
    assert len(CASES) >= 40
    assert {"templates", "emails", "voicemails", "linkedin", "sequences"} <= groups


@pytest.mark.parametrize("case", CASES)
def test_rewrite_case(linter: Linter, case: dict[str, Any]) -> None:
    report = _rewrite(linter, case)
    rewrite = report.rewrite
    assert rewrite.text == case["after"].rstrip("\n")
    assert rewrite.strategy == case["strategy"]
    assert (rewrite.strategy == "unchanged") == (rewrite.text == rewrite.original)

    # every merge field of the message survives, in its own syntax
    assert not missing_fields(rewrite.original, rewrite.text)

    # the greeting opens the message, the sign-off and the name close it
    greeting = GREETING.match(_body(rewrite.original, report))
    if greeting:
        assert _body(rewrite.text, report).startswith(greeting.group())
    closings = list(SIGNOFF.finditer(rewrite.original))
    if closings:
        assert rewrite.text.endswith(rewrite.original[closings[-1].start():])

    # no empty or stranded sentence
    for paragraph in rewrite.text.split("\n\n"):
        assert re.search(r"\w", paragraph), f"empty paragraph in {rewrite.text!r}"
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            assert re.search(r"\w", sentence), f"empty sentence in {paragraph!r}"
    assert len(STRANDED.findall(rewrite.text)) <= len(STRANDED.findall(rewrite.original))

    # the rewrite lints better, and rewriting it changes nothing
    after = linter.lint_text(rewrite.text)
    if rewrite.strategy == "unchanged":
        assert after.score == report.score
    else:
        assert after.score > report.score or report.score == 100
    assert after.verdict != "reject"
    assert after.rewrite.text == rewrite.text
    assert after.rewrite.strategy == "unchanged"
