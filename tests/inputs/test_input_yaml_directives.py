"""Suppression in YAML block scalars: a directive comment above ``body: |`` covers the body;
a directive line inside the block is a comment, not the step's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PLAYBOOK = """\
sequence: Renewal
steps:
  - name: quoted
    day: 0
    channel: email
    # checkin-lint: disable-next-line=checkin,nudge -- the customer's own words, quoted in training
    body: |
      Hi Sam,
      You wrote: "just checking in, any updates?"
  - name: inline
    day: 3
    channel: email
    body: >
      Hi Sam,
      # checkin-lint: disable-next-line=nudge -- the question is about their signed DPA
      Any updates?
      Touching base on the pilot too.
  - name: plain
    day: 6
    channel: email
    body: "Hi Sam, # checkin-lint: disable=all -- this is text in a quoted string. Touching base."
"""


def test_directives_around_and_inside_block_scalars(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "renewal.yaml"
    path.write_text(PLAYBOOK, encoding="utf-8")
    run = check(path)
    first, second, third = run.messages("renewal.yaml")
    assert [f["rule_id"] for f in first["findings"] if f["rule_id"].startswith(("checkin", "nudge"))] == []
    assert [f["rule_id"] for f in first["findings"] if f["kind"] == "anti-pattern"] == ["tone/just"]  # not disabled
    assert [(f["rule_id"], f["line"]) for f in second["findings"] if f["kind"] == "anti-pattern"
            and not f["rule_id"].startswith("playbook")] == [("checkin/touching-base", 17)]
    assert "checkin-lint" not in " ".join(f["text"] for f in second["findings"])
    assert ("checkin/touching-base", 21, 84, "Touching base") in run.findings("renewal.yaml")
    assert not [f for f in third["findings"] if f["rule_id"].startswith("suppression")]


def test_the_directive_line_is_not_part_of_the_linted_text(linter: Any, tmp_path: Path) -> None:
    from checkin_lint.document import Source
    from checkin_lint.inputs.playbook import read
    from checkin_lint.inputs import ReadOptions

    document = read(Source("renewal.yaml", PLAYBOOK), ReadOptions())
    assert "checkin-lint" not in document.messages[1].text
    assert "Touching base on the pilot too." in document.messages[1].text
    assert "checkin-lint" in document.messages[2].text
    assert [(d.action, d.line, d.target) for d in document.directives] == [
        ("disable-next-line", 6, (7, 9)), ("disable-next-line", 15, None),
    ]
