"""No input can inject into a terminal or a CI log: control characters, ANSI/OSC escapes,
bidirectional overrides and GitHub workflow-command syntax in every input field (a decoded
Subject, a playbook step name, a CSV cell, a Markdown heading, matched text, a file name)
come out escaped in every output format and in the error lines on standard error."""

from __future__ import annotations

import base64
import json
import re
import xml.dom.minidom
from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_lint.cli import main
from checkin_lint.escape import escape_path, escape_text
from checkin_lint.report import FORMATS

PAYLOAD = "Hi\n::error file=README.md,line=1::INJECTED\r\n::stop-commands::pwn\x1b]0;title\x07\x1b[2J\u202e\x85"
"""A line break then workflow commands, an OSC title and a screen clear, a right-to-left override, a C1 NEL."""
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OWN_COMMAND = re.compile(r"^::(error|warning|notice) [^\n]*::")


def _inputs(folder: Path) -> list[Path]:
    subject = base64.b64encode(PAYLOAD.encode()).decode()
    files = {
        "subject.eml": f"From: a@b.com\nSubject: =?utf-8?b?{subject}?=\n\nJust checking in on the proposal.\n",
        "steps.json": json.dumps({"sequence": "S", "steps": [{"name": PAYLOAD, "body": "Just checking in. " + PAYLOAD}]}),
        "rows.csv": "id,body\n" + '"' + PAYLOAD.replace('"', '""') + '","Just checking in, any updates?"\n',
        "sections.md": f"## {PAYLOAD}\n\nJust checking in.\n\n## Two\n\nJust checking in again.\n",
        "bad-header.csv": 'id,"x\n::stop-commands::pwn\n"\n1,Just checking in\n',
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    named = folder / "y\n::error file=README.md,line=1::fake\x1b[2J.txt"
    named.write_bytes(b"\x00binary")
    paths.append(named)
    return paths


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_no_format_lets_input_inject(tmp_path: Path, output_format: str) -> None:
    paths = _inputs(tmp_path)
    result = CliRunner().invoke(main, ["--no-cache", "--format", output_format, *map(str, paths)])
    assert result.exit_code == 2, result.output
    assert "INJECTED" in result.output or "stop-commands" in result.output  # the payload did reach the output
    for line in result.output.splitlines():
        assert not UNSAFE.search(line), repr(line)
        if line.startswith("::"):
            assert output_format == "github" and OWN_COMMAND.match(line), repr(line)
            assert "\n" not in line and "::stop-commands::" not in line.split("::", 2)[1]
    if output_format in ("json", "sarif"):
        json.loads(result.stdout)
    if output_format == "junit":
        xml.dom.minidom.parseString(result.stdout)


def test_error_lines_on_stderr_are_escaped(tmp_path: Path) -> None:
    paths = _inputs(tmp_path)
    result = CliRunner().invoke(main, ["--no-cache", "--format", "github", *map(str, paths)])
    errors = [line for line in result.stderr.splitlines()]
    assert errors and all(line.startswith("error: ") for line in errors), errors
    assert any("\\n::stop-commands::pwn\\n" in line for line in errors)


def test_rewrite_output_is_escaped(tmp_path: Path) -> None:
    paths = _inputs(tmp_path)[:4]
    result = CliRunner().invoke(main, ["rewrite", *map(str, paths)])
    assert not any(UNSAFE.search(line) or line.startswith("::") for line in result.output.splitlines())


def test_escape_functions() -> None:
    assert escape_text("a\nb\x1b[2J\u202ec\td\udcff") == "a\\nb\\x1b[2J\\u202ec\td\\xff"
    assert escape_text("plain café ✓") == "plain café ✓"
    assert escape_path("::error x.txt") == "./::error x.txt"
    assert escape_path("name\udcff.txt") == "name\\xff.txt"


def test_file_names_that_are_not_utf8_are_reported(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "ok.txt").write_text("Hi Dana, just checking in.\n")
    os.mkdir(os.path.join(os.fsencode(folder), b"old\xff"))
    name = os.path.join(os.fsencode(folder), b"name\xff.txt")
    with open(name, "wb") as handle:
        handle.write(b"Hi Dana, just checking in.\n")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args in (["--format", "sarif"], ["--format", "json", "-o", str(tmp_path / "r.json")], []):
        result = subprocess.run([sys.executable, "-m", "checkin_lint", "--no-cache", *args, str(folder)],
                                capture_output=True, env=env)
        assert result.returncode == 1, result.stderr
    assert "name\\\\xff.txt" in (tmp_path / "r.json").read_text()
