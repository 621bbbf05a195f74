"""Every output format on real files, as CI systems and people read them.

The fixture rules (``fixture_rules.py``) keep the expected lines stable; one test runs each
format over the built-in rules too, to show they render whatever the rule set holds.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner, Result
from fixture_rules import cli_with_fixture_rules

from checkin_lint.cli import main
from checkin_lint.report import FORMATS

EMPTY = "Hi Dana,\n\nChecking in on the proposal. Any updates?\n\nSam\n"
VALUE = "Hi Dana,\n\nTeams like yours cut onboarding by 30% after the pilot.\n\nSam\n"
MIXED = "Hi Dana,\n\nI just wanted to share the pilot numbers: churn fell 12%.\n"


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., Result]:
    return cli_with_fixture_rules(tmp_path)


@pytest.fixture
def drafts(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in {"empty": EMPTY, "value": VALUE, "mixed": MIXED}.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def test_concise_is_one_line_per_finding_and_per_failing_message(lint, drafts: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    result = lint("--format", "concise", str(drafts["empty"]), str(drafts["value"]))
    assert result.exit_code == 1
    empty = drafts["empty"]
    assert result.stdout.splitlines() == [
        f"{empty}:3:1: fixtest/opener 'Checking in' is a visit, not a reason.",
        f"{empty}:3:30: fixtest/nudge 'Any updates' asks without giving.",
        f"{empty}:1: message 1: REJECT 0/100: empty check-in: check-in phrasing, nudge with no real value signal "
        "(score 0, below 30)",
        "Summary: 2 files, 2 messages, 1 rejected, 0 warned, 1 passed",
    ]


def test_github_annotations_point_at_each_finding(lint, drafts: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    result = lint("--format", "github", str(drafts["empty"]), str(drafts["mixed"]))
    lines = result.stdout.splitlines()
    empty, mixed = drafts["empty"], drafts["mixed"]
    assert (f"::error file={empty},line=3,col=1,endLine=3,endColumn=12,title=fixtest/opener::"
            "'Checking in' is a visit, not a reason.%0ASuggestion: Open with what you bring.") in lines
    assert f"::notice file={mixed},line=3,col=3,endLine=3,endColumn=7,title=fixtest/minimiser::" \
           "'just' shrinks the request.%0ASuggestion: Delete it." in lines
    assert any(line.startswith(f"::error file={empty},line=1,title=checkin-lint%3A message 1 REJECT (0/100)::empty check-in")
               for line in lines)
    assert lines[-1].startswith("Summary: 2 files")


def test_github_escapes_what_would_break_a_workflow_command(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    odd = tmp_path / "a,b:c%.txt"
    odd.write_text("Checking in. Any updates?\n", encoding="utf-8")
    result = lint("--format", "github", str(odd))
    escaped = str(odd).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert f"::error file={escaped},line=1,col=1," in result.stdout


def test_junit_has_a_failure_per_failing_message_and_an_error_per_bad_input(lint, drafts: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    binary = tmp_path / "logo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x00")
    result = lint("--format", "junit", str(drafts["empty"]), str(drafts["value"]), str(binary))
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {str(drafts["empty"]), str(drafts["value"]), str(binary)}
    failure = suites[str(drafts["empty"])].find("testcase/failure")
    assert failure is not None and failure.get("type") == "reject"
    assert "fixtest/opener 'Checking in' is a visit, not a reason." in (failure.text or "")
    assert "suggestion: Open with what you bring." in (failure.text or "")
    assert suites[str(drafts["value"])].find("testcase/failure") is None
    error = suites[str(binary)].find("testcase/error")
    assert error is not None and "binary" in (error.get("message") or "")


def test_junit_fail_on_warn_turns_warnings_into_failures(lint, drafts: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    result = lint("--format", "junit", "--fail-on", "warn", "--min-score", "95", str(drafts["value"]))
    root = ET.fromstring(result.stdout)
    assert root.get("failures") == "1"
    assert root.find("testsuite/testcase/failure").get("type") == "warn"  # type: ignore[union-attr]


def test_output_file_gets_the_report_and_the_terminal_the_summary(lint, drafts: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    result = lint("--format", "json", "--output", str(report), str(drafts["empty"]))
    assert result.exit_code == 1
    assert result.stdout == f"Summary: 1 file, 1 message, 1 rejected, 0 warned, 0 passed\njson report written to {report}\n"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["rejected"] == 1
    assert [f["rule_id"] for f in data["files"][0]["messages"][0]["findings"]] == ["fixtest/opener", "fixtest/nudge"]


def test_exit_zero_keeps_the_error_exit_code(lint, drafts: dict[str, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert lint("--exit-zero", str(drafts["empty"])).exit_code == 0
    assert lint("--exit-zero", str(drafts["empty"]), str(tmp_path / "missing.txt")).exit_code == 2


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_the_builtin_rules(name: str, drafts: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--no-cache", "--format", name, *map(str, drafts.values())])
    assert result.exit_code == 1, result.output
    assert str(drafts["empty"]) in result.stdout


def _run_on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the CLI with stdout and stderr on a pseudo-terminal; return what the terminal showed."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "checkin_lint", *args], stdout=secondary, stderr=secondary,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(primary, 65536)
        except OSError:  # the terminal closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(primary)
    return b"".join(chunks).decode("utf-8", "replace")


def test_terminal_output_is_grouped_and_coloured_unless_no_color(drafts: dict[str, Path], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = ["--cache-dir", str(tmp_path / "cache"), str(drafts["empty"]), str(drafts["value"])]
    shown = _run_on_a_terminal(args, env)
    assert "\x1b[" in shown  # ANSI colour
    plain = _run_on_a_terminal(args, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain
    lines = plain.replace("\r\n", "\n").splitlines()
    assert lines[0] == str(drafts["empty"])  # the file is a heading ...
    assert any(line.startswith("  3:1: ") for line in lines)  # ... and the lines under it start at line:column
    assert any("[" in line and "/100" in line for line in lines)  # the score bar
    assert lines[-1].startswith("Summary: 2 files, 2 messages")


def test_piped_output_is_plain_and_not_grouped(drafts: dict[str, Path], tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "checkin_lint", "--cache-dir", str(tmp_path / "cache"), str(drafts["empty"])],
                            capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "NO_COLOR"})
    assert "\x1b[" not in result.stdout
    assert result.stdout.startswith(f"{drafts['empty']}:")


def _action_step(tmp_path: Path, repo: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """Run the composite action's lint step as the runner would, with the inputs' defaults from
    action.yml (the install step is replaced by a shim for this checkout's checkin-lint).
    Returns the run, the GITHUB_OUTPUT file and the job summary file."""
    import yaml

    action = yaml.safe_load((Path(__file__).resolve().parents[1] / "action.yml").read_text(encoding="utf-8"))
    [step] = [s for s in action["runs"]["steps"] if s.get("id") == "lint"]
    shim = tmp_path / "runner" / "checkin-lint" / "bin" / "checkin-lint"
    if not shim.exists():
        shim.parent.mkdir(parents=True)
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m checkin_lint "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | inputs
    outputs, summary = tmp_path / "github-output", tmp_path / "step-summary.md"
    outputs.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    env = {**os.environ, "RUNNER_TEMP": str(tmp_path / "runner"), "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(summary),
           "INPUT_PATHS": values["paths"], "INPUT_EXCLUDE": values["exclude"], "INPUT_ARGS": values["args"],
           "INPUT_SARIF": values["sarif-file"], "CHECKIN_LINT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo, env=env,
                         capture_output=True, text=True)
    return run, outputs, summary


def test_the_github_action_lint_step_writes_sarif_and_annotates(tmp_path: Path) -> None:
    repo = tmp_path / "playbooks"
    (repo / "templates" / "renewal").mkdir(parents=True)
    (repo / "templates" / "renewal" / "step 2.txt").write_text(EMPTY, encoding="utf-8")  # a space in the name
    (repo / "templates" / "intro.txt").write_text(VALUE, encoding="utf-8")
    (repo / "notes.md").write_text(EMPTY, encoding="utf-8")
    run, outputs, summary = _action_step(tmp_path, repo, paths="templates/**/*.txt", args="--fail-on reject")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "::error file=templates/renewal/step 2.txt,line=3,col=1," in run.stdout
    assert "notes.md" not in run.stdout
    assert run.stdout.rstrip().endswith("Summary: 2 files, 2 messages, 1 rejected, 0 warned, 1 passed")
    sarif = json.loads((repo / "checkin-lint.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"templates/renewal/step%202.txt"}
    assert outputs.read_text(encoding="utf-8") == "sarif-file=checkin-lint.sarif\n"
    assert "templates/renewal/step 2.txt:3:1:" in summary.read_text(encoding="utf-8")  # the full list, in the job summary

    nothing, outputs, _ = _action_step(tmp_path, repo, paths="templates/**/*.txt\nmissing/**/*.txt")
    assert nothing.returncode == 2
    assert "::error title=checkin-lint%3A nothing to lint::no file matches 'missing/**/*.txt'" in nothing.stdout
    assert outputs.read_text(encoding="utf-8") == "sarif-file=\n"


def test_the_github_action_defaults_leave_out_documentation_and_ci_files(tmp_path: Path) -> None:
    repo = tmp_path / "playbooks"
    (repo / "templates").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "templates" / "intro.md").write_text(VALUE, encoding="utf-8")
    for doc in ("README.md", "CHANGELOG.md", "CONTRIBUTING.md", "templates/README.md"):
        (repo / doc).write_text("# Style\n\nNever send a follow-up that only says you are circling back.\n", encoding="utf-8")
    (repo / ".github" / "workflows" / "ci.yml").write_text("name: ci\non: [push]\njobs: {}\n", encoding="utf-8")
    (repo / "compose.yaml").write_text("services:\n  web:\n    image: nginx\n", encoding="utf-8")
    run, _, _ = _action_step(tmp_path, repo)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "README" not in run.stdout and "CHANGELOG" not in run.stdout and "ci.yml" not in run.stdout
    assert "compose.yaml: not a playbook" in run.stdout
    assert "Summary: 2 files, 1 message, 0 rejected, 0 warned, 1 passed" in run.stdout


def test_github_annotations_keep_within_the_per_step_limit_worst_of_each_file_first(tmp_path: Path) -> None:
    from checkin_lint.report.github import MAX_PER_LEVEL

    paths = []
    for i in range(12):
        path = tmp_path / f"draft-{i:02}.txt"
        path.write_text("Hi Dana,\n\nJust checking in. Any updates? Bumping this to the top of your inbox.\n", encoding="utf-8")
        paths.append(str(path))
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "github", *paths])
    lines = result.stdout.splitlines()
    for level in ("error", "warning", "notice"):
        assert sum(line.startswith(f"::{level} ") for line in lines) <= MAX_PER_LEVEL, level
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == MAX_PER_LEVEL
    assert len({line.split(",")[0] for line in errors}) == MAX_PER_LEVEL  # one per file before a second for any
    assert any(line.startswith("::notice title=checkin-lint%3A more findings::") for line in lines)
    plain = [line for line in lines if not line.startswith("::")]
    assert any(line.startswith(f"{paths[-1]}:3:") for line in plain)  # what does not fit is still in the log
