"""Playbooks in YAML and JSON: each step is a message whose findings point into the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PLAYBOOK = """\
sequence: Renewal, mid-market
steps:
  - name: Benchmark
    day: 0
    subject: "Onboarding benchmark: 30% faster"
    body: |
      Hi {{first_name}},

      Teams like yours cut onboarding time by 30%.
      # a hash inside a body is text, not a comment
  - wait: 4
    body: "Just \\"checking in\\" on the benchmark"
  - wait: 3
    channel: call
    script: >
      Rep: Hi Dana, touching
      base about the benchmark.
"""


def test_steps_are_messages_located_in_yaml(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "renewal.yaml"
    path.write_text(PLAYBOOK, encoding="utf-8")
    run = check(path)
    messages = run.messages("renewal.yaml")
    assert [(m["label"], m["channel"]) for m in messages] == [("step 1: Benchmark", "email"), ("step 2", "email"), ("step 3", "call")]
    assert run.findings("renewal.yaml", "checkin") == [
        ("checkin/checking-in", 12, 19, "checking in"),
        ("checkin/touching-base", 16, 21, "touching base"),
    ]


def test_json_playbook_is_located_too(check: Any, tmp_path: Path) -> None:
    data = {"sequence": "Q3", "steps": [
        {"day": 0, "body": "Teams like yours cut churn by 12% \ud83d\ude00 with the new flow."},
        {"wait": 5, "body": "Hi Dana,\nJust checking in."},
    ]}
    path = tmp_path / "q3.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    findings = check(path).findings("q3.json", "checkin")
    text = path.read_text(encoding="utf-8").splitlines()
    ((_, line, column, matched),) = findings
    assert text[line - 1][column - 1:].startswith("checking in")


def test_schema_problems_are_all_reported_with_positions(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(
        "sequence: Bad\nsteps:\n  - day: 0\n    channel: fax\n    body: hi\n  - body: hello\n    colour: red\n",
        encoding="utf-8",
    )
    run = lint(path)
    assert run.exit_code == 2
    assert f"{path}:4:5: channel must be one of email, call, linkedin, sms, meeting, not 'fax'" in run.stderr
    assert f"{path}:6:5: every step after the first needs 'day' (from the start) or 'wait' (after the previous step)" in run.stderr
    assert f"{path}:7:5: unknown step key 'colour'" in run.stderr


def test_malformed_yaml_and_json_are_one_line_errors(lint: Any, tmp_path: Path) -> None:
    yaml_file = tmp_path / "broken.yaml"
    yaml_file.write_text("sequence: x\nsteps: [\n", encoding="utf-8")
    json_file = tmp_path / "broken.json"
    json_file.write_text('{"sequence": "x",\n "steps": [}', encoding="utf-8")
    run = lint(yaml_file, json_file)
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert any(line.startswith(f"error: {yaml_file}:3:1: invalid YAML:") for line in lines)
    assert any(line.startswith(f"error: {json_file}:2:12: invalid JSON:") for line in lines)
