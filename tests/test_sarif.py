"""SARIF output, validated against the official SARIF 2.1.0 schema (``tests/data``), with
the rule metadata GitHub code scanning shows next to each result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner, Result
from fixture_rules import cli_with_fixture_rules
from jsonschema import Draft4Validator

from checkin_lint.cli import main

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(log: dict[str, Any]) -> None:
    """Fail with every schema error listed."""
    errors = sorted(Draft4Validator(SCHEMA).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., Result]:
    return cli_with_fixture_rules(tmp_path)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A playbook repository as the working directory, with a rejected, a weakened and an unreadable file."""
    root = tmp_path / "playbook repo"
    (root / "emails").mkdir(parents=True)
    (root / "emails" / "step 1.txt").write_text("Hi Dana,\n\nChecking in on the proposal. Any updates?\n", encoding="utf-8")
    (root / "emails" / "step2.txt").write_text("I just wanted to share that churn fell 12% — Zoë's team saw it.\n", encoding="utf-8")
    (root / "emails" / "logo.txt").write_bytes(b"\x89PNG\x00\x00")
    monkeypatch.chdir(root)
    return root


def test_sarif_validates_and_carries_results_and_rule_metadata(lint, repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = lint("--format", "sarif", "--fail-on", "warn", "emails/step 1.txt", "emails/step2.txt", "emails/logo.txt")
    assert result.exit_code == 2  # the unreadable file
    log = json.loads(result.stdout)
    validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert {"fixtest/opener", "fixtest/nudge", "fixtest/minimiser", "verdict/reject", "verdict/warn"} <= set(ids)
    opener = rules[ids.index("fixtest/opener")]
    assert opener["shortDescription"]["text"] == "Check-in opener"
    assert opener["help"]["text"].startswith("Open with what you bring.")
    assert opener["defaultConfiguration"]["level"] == "error"
    assert opener["properties"]["tags"] == ["anti-pattern", "checkin"]

    by_rule = {r["ruleId"]: r for r in run["results"]}
    finding = by_rule["fixtest/opener"]
    assert ids[finding["ruleIndex"]] == "fixtest/opener"
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "emails/step%201.txt", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 12,
                                  "snippet": {"text": "Checking in"}}
    assert finding["level"] == "error"
    assert by_rule["fixtest/minimiser"]["level"] == "note"
    reject = by_rule["verdict/reject"]
    assert reject["level"] == "error" and reject["properties"]["verdict"] == "reject"
    assert reject["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    assert run["columnKind"] == "unicodeCodePoints"

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert "binary" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "emails/logo.txt"


def test_a_path_outside_the_working_directory_is_a_file_uri(lint, tmp_path: Path, repo: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Checking in. Any updates?\n", encoding="utf-8")
    log = json.loads(lint("--format", "sarif", str(outside)).stdout)
    validate(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": outside.resolve().as_uri()}


def test_a_clean_run_is_valid_sarif_with_no_results(lint, repo: Path) -> None:  # type: ignore[no-untyped-def]
    clean = repo / "clean.txt"
    clean.write_text("Teams like yours cut onboarding by 30% after the pilot.\n", encoding="utf-8")
    result = lint("--format", "sarif", "clean.txt")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_of_the_builtin_rules_validates(repo: Path, tmp_path: Path) -> None:
    report = tmp_path / "checkin-lint.sarif"
    result = CliRunner().invoke(main, ["--no-cache", "--format", "sarif", "--output", str(report),
                                       "emails/step 1.txt", "emails/step2.txt"])
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("Summary: 2 files, 2 messages")
    log = json.loads(report.read_text(encoding="utf-8"))
    validate(log)
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert all(r["ruleId"] in rule_ids for r in log["runs"][0]["results"])
