"""``checkin-lint calibrate``: a team fits the scoring table to its own labelled mail.

The stories use a tiny rule set (a check-in phrase, a figure, a personalization phrase) and
a labelled set made for it, so what the fit must learn is known: check-in phrasing pushes
down, a figure pushes up, and a message with nothing stays below the pass band.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from checkin_lint.calibrate import collect, cross_validate, fit, verdicts
from checkin_lint.cli import main
from checkin_lint.evaluate import read_examples
from checkin_lint.linter import Linter
from checkin_lint.rules.loader import load_rules

from helpers import anti_rule, signal_rule, write_rule

pytest.importorskip("scipy")

OPENERS = ["Just checking in", "Checking in again", "Checking in on this", "Quick note, checking in"]
FIGURES = ["churn fell 12% after the pilot", "tickets dropped 30% in March", "renewals rose 8% this year",
           "setup time fell 45% at Fernhill"]


def _rows() -> list[dict[str, str]]:
    rows = []
    for i, (opener, figure) in enumerate(zip(OPENERS * 3, FIGURES * 3)):
        source = f"https://github.com/team{i % 4}/playbooks/blob/HEAD/x.md"
        rows.append({"id": f"c{i}", "label": "checkin", "text": f"{opener}, any news?", "source": source})
        rows.append({"id": f"v{i}", "label": "value", "text": f"{figure.capitalize()}.", "source": source})
        rows.append({"id": f"m{i}", "label": "mixed", "text": f"{opener}. Also, {figure}.", "source": source})
    return rows


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "rules"
    write_rule(rules, "t/checkin", anti_rule(["checking in"]))
    write_rule(rules, "t/percent", signal_rule(r"\b\d+%"))
    labelled = tmp_path / "ours.jsonl"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in _rows()), encoding="utf-8")
    return rules, labelled


def test_fit_learns_the_direction_of_each_family_and_keeps_the_bands(setup: tuple[Path, Path]) -> None:
    rules, labelled = setup
    ruleset = load_rules([rules]).select(["t"])
    linter = Linter(ruleset)
    _, examples, problems = read_examples([str(labelled)])
    assert not problems
    items = collect(linter, examples, group_by="source")
    table = fit(items, linter.families, ruleset.scoring)
    assert table.scale["insight"] > 0 and table.scale["checkin"] > 0
    assert table.base < table.pass_from  # a message with no finding never passes
    assert verdicts(items, linter.families, table) == [{"checkin": "reject", "value": "pass", "mixed": "warn"}[i.example.label]
                                                       for i in items]
    # Leave-one-group-out: every group is predicted by a table fitted without it.
    assert len({i.group for i in items}) == 4
    assert cross_validate(items, linter.families, ruleset.scoring) == verdicts(items, linter.families, table)


def test_the_command_writes_a_table_the_configuration_can_name(setup: tuple[Path, Path], tmp_path: Path) -> None:
    rules, labelled = setup
    out = tmp_path / "scoring.yml"
    result = CliRunner().invoke(main, ["calibrate", str(labelled), "--rules", str(rules), "--select", "t",
                                       "--group-by", "source", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "leave-one-source-out cross-validation, 36 messages:" in result.stderr
    assert "empty check-ins rejected                 100.0%  (12/12)" in result.stderr
    table = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert set(table) >= {"base", "reject-below", "pass-from", "scale", "after-value"}
    # The written table loads, and lint/eval use it when the configuration names it.
    assert load_rules([rules], scoring=out).scoring.scale_of("insight") == table["scale"]["insight"]
    (tmp_path / ".checkin-lint.yaml").write_text(f"rules: [{rules}]\nselect: [t]\nscoring: scoring.yml\n", encoding="utf-8")
    evaluation = CliRunner().invoke(main, ["eval", str(labelled), "--format", "json"])
    data = json.loads(evaluation.stdout)
    assert data["rates"]["checkin_rejected"]["rate"] == 1.0 and data["rates"]["value_passed"]["rate"] == 1.0


def test_a_set_without_every_label_cannot_be_fitted(setup: tuple[Path, Path], tmp_path: Path) -> None:
    rules, _ = setup
    only = tmp_path / "only.jsonl"
    only.write_text(json.dumps({"text": "Just checking in.", "label": "checkin"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["calibrate", str(only), "--rules", str(rules)])
    assert result.exit_code == 2 and "none labelled mixed, value" in result.stderr
    assert "Traceback" not in result.output
