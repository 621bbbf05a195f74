"""Rules written by the tests into their own rules directory, selected alone with
``--select fixtest``, so tests of output formats, fixes and the cache do not move when the
built-in rules grow. They use the built-in family table."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from click.testing import CliRunner, Result
from helpers import write_rule

from checkin_lint.cli import main

FIXTURE_RULES = {
    "fixtest/opener": """
        name: Check-in opener
        kind: anti-pattern
        family: checkin
        severity: error
        weight: 30
        message: "'{match}' is a visit, not a reason."
        suggestion: Open with what you bring.
        fix: {action: delete-match, safe: true, when: value-present}
        patterns:
          phrases: [checking in, touching base]
        examples:
          match: [just checking in]
          no_match: [the report]
    """,
    "fixtest/minimiser": """
        name: Minimiser
        kind: anti-pattern
        family: tone
        severity: info
        weight: 5
        message: "'{match}' shrinks the request."
        suggestion: Delete it.
        fix: {action: delete-match, safe: true}
        patterns:
          regex: ['\\bjust\\b(?= (?:wanted|checking|sharing|touching))']
        examples:
          match: [I just wanted to ask]
          no_match: [just in time]
    """,
    "fixtest/apology": """
        name: Apology
        kind: anti-pattern
        family: tone
        weight: 8
        message: "'{match}' apologises for writing."
        suggestion: Drop the apology.
        fix: {action: delete-sentence, safe: true}
        patterns:
          phrases: [sorry to bother you]
        examples:
          match: [sorry to bother you]
          no_match: [the report]
    """,
    "fixtest/nudge": """
        name: Any updates
        kind: anti-pattern
        family: nudge
        weight: 25
        message: "'{match}' asks without giving."
        suggestion: Ask something specific.
        fix: {action: delete-match, safe: false}
        patterns:
          phrases: [any updates]
        examples:
          match: [any updates]
          no_match: [the report]
    """,
    "fixtest/figure": """
        name: Figure
        kind: signal
        family: insight
        weight: 25
        message: "'{match}' is a figure."
        suggestion: Keep it.
        patterns:
          regex: ['\\b\\d+%']
        examples:
          match: [30%]
          no_match: [the report]
    """,
}




def write_fixture_rules(root: Path) -> Path:
    """Write the fixture rules below ``root`` and return it."""
    for rule_id, body in FIXTURE_RULES.items():
        write_rule(root, rule_id, body)
    return root


def cli_with_fixture_rules(tmp_path: Path) -> Callable[..., Result]:
    """``run(*args)`` invokes ``checkin-lint`` with only the fixture rules and a cache in ``tmp_path``."""
    rules = write_fixture_rules(tmp_path / "rules")

    def run(*args: str, input: str | bytes | None = None) -> Result:
        base = ["--rules", str(rules), "--select", "fixtest", "--cache-dir", str(tmp_path / "cache")]
        return CliRunner().invoke(main, [*base, *args], input=input)

    return run
