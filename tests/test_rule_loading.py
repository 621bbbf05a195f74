"""Rule files are validated against a strict schema when loaded: every problem in every
file, each with its path, line and column, and the run stops with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_lint.cli import main
from checkin_lint.errors import RuleError
from checkin_lint.rules.loader import load_rules

from helpers import anti_rule, write_rule


def _problems(directory: Path) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_rules([directory])
    return [str(p) for p in info.value.problems]


def test_rule_id_comes_from_the_path(tmp_path: Path) -> None:
    write_rule(tmp_path, "acme/no-synergy", anti_rule(["synergy"]))
    ruleset = load_rules([tmp_path])
    rule = ruleset.get("acme/no-synergy")
    assert rule is not None and rule.family == "checkin"


def test_every_problem_is_reported_with_line_and_column(tmp_path: Path) -> None:
    path = write_rule(tmp_path, "bad/one", """
        name: Bad
        kind: anti-pattern
        family: nonsense
        weight: 99
        colour: red
        message: "x"
        suggestion: "y"
        patterns:
          tokens:
            - [{LOWER: yes}, {POS: VERB}]
        examples:
          match: [x]
        """)
    write_rule(tmp_path, "bad/two", "name: [unclosed\n")
    problems = _problems(tmp_path)
    text = "\n".join(problems)
    assert f"{path}:3:1: unknown family 'nonsense'" in text
    assert f"{path}:4:1: weight must be between 1 and 60" in text
    assert f"{path}:5:1: unknown key 'colour'" in text
    assert f"{path}:10:9: LOWER takes a string" in text
    assert f"{path}:10:23: POS needs a trained pipeline: move this pattern to patterns.model" in text
    assert "examples.no_match is required" in text
    assert any(p.startswith(str(tmp_path / "bad" / "two.yml") + ":") and "invalid YAML" in p for p in problems)


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        ("regex: ['(a+)+b']", "catastrophic backtracking"),
        ("regex: ['a*']", "matches the empty string"),
        ("regex: ['(unclosed']", "invalid regex"),
        ("tokens: [[{LEMMA: {REGEX: 'check.*'}}]]", "LEMMA accepts a word or {IN: [...]}"),
        ("tokens: [[{LOWER: check, OP: '%'}]]", "OP must be one of"),
        ("model: [[{LOWER: check}]]", "patterns.model is for patterns that use POS"),
        ("unless: []", "patterns needs at least one of"),
    ],
)
def test_pattern_problems(tmp_path: Path, patterns: str, expected: str) -> None:
    write_rule(tmp_path, "bad/p", f"""
        name: Bad
        kind: anti-pattern
        family: checkin
        weight: 10
        message: x
        suggestion: y
        patterns:
          {patterns}
        examples:
          match: [x]
          no_match: [y]
        """)
    assert any(expected in p for p in _problems(tmp_path)), _problems(tmp_path)


def test_python_tags_are_refused(tmp_path: Path) -> None:
    write_rule(tmp_path, "bad/tag", "name: !!python/object/apply:os.system ['true']\n")
    assert any("invalid YAML" in p for p in _problems(tmp_path))


def test_family_kind_must_agree(tmp_path: Path) -> None:
    write_rule(tmp_path, "bad/kind", anti_rule(["x"], family="insight"))
    assert any("family 'insight' is a signal family, not anti-pattern" in p for p in _problems(tmp_path))


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    write_rule(tmp_path, "checkin/checking-in", anti_rule(["x"]))
    assert any("duplicate rule id 'checkin/checking-in'" in p for p in _problems(tmp_path))


def test_cli_reports_broken_rules_and_exits_2(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "bad/one", "kind: signal\n")
    draft = tmp_path / "draft.txt"
    draft.write_text("Just checking in.", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--rules", str(rules), str(draft)])
    assert result.exit_code == 2
    assert f"{rules / 'bad' / 'one.yml'}:1:1: missing required key 'name'" in result.output


def test_selection_by_prefix(ruleset) -> None:  # type: ignore[no-untyped-def]
    selected = ruleset.select(["checkin", "tone/"])
    assert selected.get("checkin/checking-in") is not None
    assert {r.id.split("/")[0] for r in selected.rules} == {"checkin", "tone"}
    assert selected.fingerprint != ruleset.fingerprint
    assert ruleset.select(None, ["checkin/checking-in"]).get("checkin/checking-in") is None
