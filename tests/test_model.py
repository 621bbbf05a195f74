"""The opt-in trained pipeline: loaded by path or package name, its POS/DEP rules run, and a
clear one-line error when it cannot be loaded. The pipeline is built here from rule-based
components (an attribute ruler that sets POS), so the test needs no download."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from checkin_lint.cli import main
from checkin_lint.errors import ModelError
from checkin_lint.linter import Linter
from checkin_lint.rules.loader import load_rules

from helpers import write_rule

MODEL_RULE = """
name: Verb check-in
kind: anti-pattern
family: checkin
weight: 25
message: "'{match}' is a check-in."
suggestion: Lead with value.
patterns:
  model:
    - [{POS: VERB, LOWER: {IN: [checking, touching]}}, {LOWER: {IN: [in, base]}}]
examples:
  match: [checking in]
  no_match: [nothing]
"""


@pytest.fixture
def model_path(tmp_path: Path) -> Path:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": ["checking", "touching"]}}]], {"POS": "VERB"})
    path = tmp_path / "tiny_pipeline"
    nlp.to_disk(path)
    return path


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    d = tmp_path / "rules"
    write_rule(d, "grammar/verb-checkin", MODEL_RULE)
    return d


def test_model_rules_run_with_a_configured_pipeline(model_path: Path, rules: Path) -> None:
    linter = Linter(load_rules([rules], builtin=False), model=str(model_path))
    assert linter.compiled.skipped_model_rules == ()
    report = linter.lint_text("Hi, touching base about the renewal.")
    assert [(f.rule_id, f.text) for f in report.findings] == [("grammar/verb-checkin", "touching base")]
    assert report.sentences  # the loaded pipeline got a sentencizer


def test_cli_model_option(model_path: Path, rules: Path, tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("Touching base again.", encoding="utf-8")
    with_model = CliRunner().invoke(main, ["--rules", str(rules), "--model", str(model_path), "--select", "grammar", str(draft)])
    assert "grammar/verb-checkin" in with_model.output and with_model.exit_code == 1
    without = CliRunner().invoke(main, ["--rules", str(rules), "--select", "grammar", str(draft)])
    assert "notice: skipped rules that need a trained pipeline" in without.output
    assert "grammar/verb-checkin" in without.output.split("notice:")[1].splitlines()[0]


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="neither an installed package nor a path"):
        Linter(model="xx_no_such_pipeline")
    (tmp_path / "notamodel").mkdir()
    with pytest.raises(ModelError, match="not a spaCy pipeline"):
        Linter(model=str(tmp_path / "notamodel"))


def test_model_for_another_spacy_version_is_refused(model_path: Path) -> None:
    meta_file = model_path / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["spacy_version"] = ">=99.0.0,<100.0.0"
    meta_file.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=r"needs spaCy >=99.0.0,<100.0.0"):
        Linter(model=str(model_path))


def test_cli_model_error_exits_2(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("Hello", encoding="utf-8")
    result = CliRunner().invoke(main, ["--model", "xx_no_such_pipeline", str(draft)])
    assert result.exit_code == 2
    assert result.output.strip() == "error: checkin-lint: model 'xx_no_such_pipeline' is neither an installed package nor a path"
