"""Bad input is an error, not a crash: each kind of input that used to raise from a parser
becomes one located line with exit code 2 while the other files are still linted; a bug
exits 3 and still reports the other files; Ctrl-C exits 130."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_lint.cli import main
from checkin_lint.errors import EXIT_INTERNAL, REPORT_BUG

GOOD = "Hi Dana, I am just checking in.\n"
HEADERS = "From: a@b.com\nSubject: hi\nMIME-Version: 1.0\n"


def lint(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--no-cache", *args])


def _deep_multipart(depth: int) -> str:
    text = HEADERS
    for i in range(depth):
        text += f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'
    return text + "Content-Type: text/plain\n\nJust checking in.\n" + "".join(f"--b{i}--\n" for i in reversed(range(depth)))


BAD_INPUTS = {
    "idna.eml": (HEADERS + 'Content-Type: text/plain; charset="idna"\n\nJust checking in.\n', "charset 'idna'"),
    "multipart.eml": (_deep_multipart(1200), "nested too deeply"),
    "rfc822.eml": ("From: a@b.com\nSubject: s\nContent-Type: message/rfc822\n\n" * 3000 + "From: a@b.com\n\nHi.\n",
                   "nested too deeply"),
    "comments.eml": (HEADERS + "Content-Type: text/plain " + "(" * 3000 + ")" * 3000 + "\n\nHi.\n", "nested too deeply"),
    "deep.json": ('{"sequence": "S", "x": ' + "[" * 100_000 + "]" * 100_000 + ', "steps": [{"body": "Hi."}]}',
                  "invalid JSON: nested too deeply"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_parser_failures_are_located_input_errors(tmp_path: Path, name: str) -> None:
    text, expected = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_text(text)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    result = lint(str(good), str(bad))
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {bad}:") and expected in errors[0]
    assert f"{good}:1:" in result.output and "checkin/checking-in" in result.output
    assert "Traceback" not in result.output


def test_eval_reports_a_deeply_nested_line_and_goes_on(tmp_path: Path) -> None:
    labelled = tmp_path / "l.jsonl"
    labelled.write_text('{"text": "just checking in", "label": "checkin"}\n' + "[" * 100_000 + "]" * 100_000 + "\n")
    result = CliRunner().invoke(main, ["eval", str(labelled)])
    assert result.exit_code == 2
    assert f"error: {labelled}:2: not valid JSON: nested too deeply" in result.output


def test_many_encoded_words_decode_like_the_email_package(tmp_path: Path) -> None:
    eml = tmp_path / "s.eml"
    eml.write_text("From: a@b.com\nSubject: =?utf-8?q?Just_checking?= =?utf-8?b?IGlu?= on =?iso-8859-1?q?caf=E9?=\n\nHi.\n")
    result = lint("--format", "json", str(eml))
    assert '"label": "Just checking in on caf\\u00e9"' in result.output or '"label": "Just checking in on café"' in result.output


def test_a_stray_from_line_in_an_mbox_body_stays_in_its_message(tmp_path: Path) -> None:
    sep = "From a@b.com Mon Jan  1 00:00:00 2024\n"
    box = tmp_path / "box.mbox"
    box.write_text(f"{sep}From: a@b.com\nSubject: s1\n\nHi Dana, just checking in.\n\n"
                   f"{sep}From: a@b.com\nSubject: s2\n\nHi Dana, more.\n\nFrom what I saw, you cut churn 12%.\n\n"
                   f"{sep}From: a@b.com\nSubject: s3\n\nHi Dana, just checking in again.\n")
    result = lint(str(box))
    assert result.exit_code == 1, result.output
    assert [line.split(": score")[0].split(": ", 1)[1] for line in result.output.splitlines() if ": score" in line] == \
        ["message 1: s1", "message 2: s2", "message 3: s3"]


def test_a_bug_exits_3_and_the_other_files_are_still_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkin_lint.inputs import csvfile

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(csvfile, "read", broken)
    monkeypatch.setattr(csvfile, "read_stream", broken)  # the reader of a CSV file on disk
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    table = tmp_path / "t.csv"
    table.write_text("body\nhello\n")
    result = lint("--exit-zero", str(table), str(good))
    assert result.exit_code == EXIT_INTERNAL
    assert f"error: {table}: internal error: ZeroDivisionError: boom" in result.output and REPORT_BUG in result.output
    assert f"{good}:1:" in result.output and "checkin/checking-in" in result.output


def test_ctrl_c_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkin_lint import parallel

    def interrupted(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "read_input", interrupted)
    draft = tmp_path / "d.txt"
    draft.write_text(GOOD)
    result = lint(str(draft))
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted"


def test_a_dead_worker_is_noticed_and_its_files_are_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import sys

    from checkin_lint import parallel
    from checkin_lint.config import Config
    from checkin_lint.rules.loader import load_rules

    if not sys.platform.startswith("linux"):
        pytest.skip("workers inherit the patched code only when forked")
    real = parallel._Worker.process

    def process(self: parallel._Worker, display: str, raw: bytes) -> parallel.FileOutcome:
        if display.endswith("die.txt"):
            os._exit(9)  # as if the OOM killer took the worker
        return real(self, display, raw)

    monkeypatch.setattr(parallel._Worker, "process", process)
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)
    paths = []
    for name in ("a.txt", "die.txt", "b.txt"):
        path = tmp_path / name
        path.write_text(GOOD)
        paths.append(str(path))
    settings = parallel.LintSettings(load_rules([]), 50, config=Config(root=str(tmp_path)))
    batch = parallel.lint_many(paths, settings, jobs=2)
    assert [f.path for f in batch.run.files] == paths
    died = [p for p in batch.run.problems if "a worker process died" in p.message]
    assert any(p.path.endswith("die.txt") for p in died)
    assert batch.run.exit_code() == 2


def test_yaml_aliases_cannot_multiply_the_work(tmp_path: Path) -> None:
    body = "Our benchmark shows churn fell 12% at Acme last quarter. " * 350
    bomb = tmp_path / "a.yaml"
    bomb.write_text("sequence: S\nsteps:\n  - body: &b \"" + body + "\"\n" + "  - {wait: 3, body: *b}\n" * 99)
    result = lint("--format", "json", str(bomb))
    assert result.exit_code == 2
    assert "over the" in result.stderr and "YAML aliases repeat text" in result.stderr
    reuse = tmp_path / "ok.yaml"  # a few aliases of a short text are fine
    reuse.write_text("sequence: S\nsteps:\n  - body: &b \"Our benchmark shows churn fell 12%.\"\n  - {wait: 3, body: *b}\n")
    assert lint(str(reuse)).exit_code in (0, 1)


def test_a_file_over_its_time_budget_is_reported_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkin_lint import runner

    monkeypatch.setattr(runner, "TIME_BUDGET_SECONDS", 0.2)
    monkeypatch.setattr(runner, "TIME_BUDGET_PER_MB", 0.0)
    slow = tmp_path / "slow.txt"
    slow.write_text("Our benchmark shows a twelve percent drop, just checking in.\n" * 30_000)
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    result = lint(str(slow), str(good))
    assert result.exit_code == 2
    assert f"error: {slow}: not linted: over its time budget of 0 s" in result.stderr
    assert f"{good}:1:" in result.stdout
