"""Playbook checks across steps: cadence, novelty and channel, reported in the playbook file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checkin_lint.cli import main

SEQUENCE = """\
sequence: Renewal, mid-market
steps:
  - name: Benchmark
    day: 0
    body: Teams like yours cut onboarding time by 30% after the pilot.
  - name: Bump
    day: 1
    body: Bumping this to the top of your inbox. Any thoughts?
  - name: Same stat again
    wait: 5
    body: As I said, teams like yours cut onboarding time by 30%.
  - name: Check-up
    wait: 12
    purpose: check-up
    body: On a scale of one to ten, how well are we serving you, and what would make it a ten?
  - name: Check-up call
    wait: 35
    channel: call
    purpose: check-up
    script: "Rep: Last month you said onboarding was the bottleneck; how is the new flow working for the team?"
"""


def _run(path: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "json", str(path), *args])
    return result.exit_code, json.loads(result.stdout)


def _checks(report: dict) -> list[tuple[str, str, int, int]]:  # type: ignore[type-arg]
    return [(m["label"], f["rule_id"], f["line"], f["column"])
            for m in report["files"][0]["messages"] for f in m["findings"] if f["rule_id"].startswith("playbook/")]


def test_cadence_novelty_and_channel_are_findings_in_the_playbook(tmp_path: Path) -> None:
    path = tmp_path / "renewal.yaml"
    path.write_text(SEQUENCE, encoding="utf-8")
    code, report = _run(path)
    assert code == 1
    assert _checks(report) == [
        ("step 2: Bump", "playbook/cadence", 7, 5),
        ("step 2: Bump", "playbook/novelty", 8, 11),
        ("step 3: Same stat again", "playbook/novelty", 11, 11),
        ("step 4: Check-up", "playbook/cadence", 13, 5),
        ("step 4: Check-up", "playbook/channel", 12, 5),
    ]
    verdicts = {m["label"]: m["verdict"] for m in report["files"][0]["messages"]}
    assert verdicts["step 3: Same stat again"] == "reject"  # repeats step 1: empty at playbook scale
    assert verdicts["step 5: Check-up call"] != "reject"


def test_thresholds_come_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "renewal.yaml"
    path.write_text(SEQUENCE, encoding="utf-8")
    (tmp_path / ".checkin-lint.yaml").write_text(
        "cadence:\n  min-gap-days: 1\n  checkup-min-days: 10\n  checkup-max-days: 30\n", encoding="utf-8")
    _, report = _run(path)
    cadence = [(label, line) for label, rule, line, _ in _checks(report) if rule == "playbook/cadence"]
    assert cadence == [("step 5: Check-up call", 17)]  # 35 days is now too late; 1 day and 12 days are fine


def test_checks_can_be_ignored_like_rules(tmp_path: Path) -> None:
    path = tmp_path / "renewal.yaml"
    path.write_text(SEQUENCE, encoding="utf-8")
    _, report = _run(path, "--ignore", "playbook/novelty", "--ignore", "playbook/channel")
    assert {rule for _, rule, _, _ in _checks(report)} == {"playbook/cadence"}
