"""The command line, driven through click's CliRunner as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_lint import __version__
from checkin_lint.cli import main

EMPTY = "Hi Dana,\n\nJust checking in.\n\nThanks,\nSam\n"
VALUE = "Hi Dana,\n\nTeams like yours cut onboarding time by 30% after the pilot.\n\nSam\n"


@pytest.fixture
def drafts(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in {"empty": EMPTY, "value": VALUE}.items():
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=input)


def test_empty_checkin_is_rejected_with_location_and_suggestion(drafts: dict[str, Path]) -> None:
    result = invoke(str(drafts["empty"]))
    assert result.exit_code == 1
    assert f"{drafts['empty']}:3:6: checkin/checking-in 'checking in'" in result.output
    assert "suggestion:" in result.output
    assert "REJECT" in result.output
    assert result.output.rstrip().endswith("Summary: 1 file, 1 message, 1 rejected, 0 warned, 0 passed")


def test_lint_subcommand_is_the_default(drafts: dict[str, Path]) -> None:
    assert invoke("lint", str(drafts["empty"])).output == invoke(str(drafts["empty"])).output


def test_a_mistyped_subcommand_is_a_usage_error_not_a_file(drafts: dict[str, Path], tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for typo, meant in (("lnt", "lint"), ("rewite", "rewrite"), ("explian", "explain"), ("rule", "rules")):
        result = invoke(typo, str(drafts["empty"]))
        assert result.exit_code == 2, (typo, result.output)
        assert f"no such command {typo!r} (and no such file); did you mean {meant!r}?" in result.output
        assert "Summary" not in result.output
    # options before the path and a file whose name looks like a command still lint
    assert invoke("--format", "concise", str(drafts["empty"])).exit_code == 1
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lnt").write_text(EMPTY, encoding="utf-8")
    assert "checkin/checking-in" in invoke("lnt").output


def test_value_message_exits_zero(drafts: dict[str, Path]) -> None:
    result = invoke(str(drafts["value"]))
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output


def test_fail_on_warn_and_min_score(drafts: dict[str, Path]) -> None:
    assert invoke(str(drafts["value"]), "--min-score", "95").exit_code == 0
    assert invoke(str(drafts["value"]), "--min-score", "95", "--fail-on", "warn").exit_code == 1


def test_stdin(drafts: dict[str, Path]) -> None:
    result = invoke("-", input=EMPTY)
    assert result.exit_code == 1
    assert "<stdin>:3:6: checkin/checking-in" in result.output


def test_json_output_is_documented_shape(drafts: dict[str, Path]) -> None:
    result = invoke(str(drafts["empty"]), str(drafts["value"]), "--format", "json")
    data = json.loads(result.output)
    assert data["version"] == 1 and data["tool"] == {"name": "checkin-lint", "version": __version__}
    first = data["files"][0]
    assert first["path"] == str(drafts["empty"])
    (message,) = first["messages"]
    assert message["verdict"] == "reject"
    assert sum(c["points"] for c in message["contributions"]) == message["score"]
    finding = next(f for f in message["findings"] if f["rule_id"] == "checkin/checking-in")
    assert {k: finding[k] for k in ("kind", "family", "line", "column", "text", "start", "end")} == {
        "kind": "anti-pattern", "family": "checkin", "line": 3, "column": 6, "text": "checking in",
        "start": EMPTY.index("checking in"), "end": EMPTY.index("checking in") + len("checking in"),
    }
    assert finding["message"] and finding["suggestion"] and finding["severity"]
    assert message["rewrite"]["strategy"] == "value-first-skeleton"
    assert data["summary"] == {"files": 2, "messages": 2, "rejected": 1, "warned": 0, "passed": 1, "errors": 0}


def test_bad_input_is_one_line_exit_2_and_other_files_still_linted(tmp_path: Path, drafts: dict[str, Path]) -> None:
    binary = tmp_path / "logo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 checking in".encode("latin-1"))
    empty = tmp_path / "blank.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = invoke(str(binary), str(tmp_path / "missing.txt"), str(latin), str(empty), str(drafts["empty"]))
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {binary}: binary file, not text",
        f"error: {tmp_path / 'missing.txt'}: cannot read: No such file or directory",
        f"error: {latin}: not valid UTF-8 (byte b'\\xe9' at offset 3); save it as UTF-8",
        f"error: {empty}: empty file: nothing to lint",
    ]
    assert f"{drafts['empty']}:3:6: checkin/checking-in" in result.output


def test_rewrite_prints_and_never_writes(drafts: dict[str, Path]) -> None:
    before = drafts["empty"].read_bytes()
    result = invoke("rewrite", str(drafts["empty"]))
    assert result.exit_code == 0
    assert "[INSIGHT:" in result.output and "Hi Dana," in result.output
    assert "dropped: Just checking in." in result.output
    assert drafts["empty"].read_bytes() == before


def test_rules_lists_kind_and_family() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    assert any(line.split()[:3] == ["checkin/checking-in", "anti-pattern", "checkin"] for line in result.output.splitlines())
    rows = json.loads(invoke("rules", "--format", "json").output)
    assert {"id", "kind", "family", "weight"} <= set(rows[0])


def test_explain_shows_rationale_and_examples() -> None:
    result = invoke("explain", "checkin/checking-in")
    assert result.exit_code == 0
    assert "why:" in result.output and "matches:" in result.output and "does not match:" in result.output


def test_explain_unknown_rule_is_a_usage_error() -> None:
    result = invoke("explain", "checkin/nope")
    assert result.exit_code == 2
    assert "unknown rule 'checkin/nope'" in result.output


def test_version() -> None:
    assert invoke("--version").output.strip() == f"checkin-lint, version {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["rules"], ["explain", "checkin/checking-in"]])
def test_light_commands_do_not_import_spacy(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from checkin_lint.cli import main\n"
        f"result = CliRunner().invoke(main, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_python_dash_m_entry_point(drafts: dict[str, Path]) -> None:
    out = subprocess.run([sys.executable, "-m", "checkin_lint", str(drafts["value"])], capture_output=True, text=True)
    assert out.returncode == 0 and "Summary:" in out.stdout


def test_text_output_explains_failing_messages_quiet_and_statistics_trim_it(drafts: dict[str, Path]) -> None:
    empty, value = str(drafts["empty"]), str(drafts["value"])
    full = invoke(empty, value).output.splitlines()
    assert any(line.startswith(f"{value}:") and "PASS" in line for line in full)
    passing = full.index(next(line for line in full if line.startswith(f"{value}:")))
    assert full[passing + 1].startswith("Summary:")  # no breakdown under a passing message
    assert any("starting score" in line for line in full)  # the rejected one keeps its breakdown

    quiet = invoke("-q", empty, value)
    assert quiet.exit_code == 1
    lines = quiet.output.splitlines()
    assert any(line.startswith(f"{empty}:3:6: checkin/checking-in") for line in lines)
    assert value not in quiet.output and "Summary" not in quiet.output and "starting score" not in quiet.output
    assert any("REJECT" in line for line in lines)

    stats = invoke("--statistics", empty, empty, value)
    assert stats.exit_code == 1
    assert stats.output.splitlines()[0].split() == ["2", "checkin/checking-in", "Checking", "in"]
    assert "suggestion:" not in stats.output
    assert stats.output.rstrip().endswith("Summary: 3 files, 3 messages, 2 rejected, 0 warned, 1 passed")


@pytest.mark.parametrize("output_format", ["json", "text"])
def test_a_closed_output_pipe_stops_quietly(tmp_path: Path, output_format: str) -> None:
    # enough report to overflow a pipe buffer (64 KiB) after the reader has gone
    rows = "\n".join(f"{n},Hi Sam {n}. Just checking in to see if you had a chance to look. Any updates?"
                     for n in range(400))
    export = tmp_path / "export.csv"
    export.write_text("id,body\n" + rows + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "checkin_lint", "--no-cache", "--format", output_format, str(export)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)
    process.stdout.close()  # as `| head -c 10` does
    error = process.stderr.read().decode()
    assert process.wait(timeout=300) == 141
    assert "internal error" not in error and "Traceback" not in error
