"""Bad input: one line naming the file and the problem, exit code 2, every other file linted."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_every_bad_input_is_one_line_and_the_rest_is_linted(lint: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Just checking in.\n", encoding="utf-8")
    bad = {
        "binary.txt": (b"\x00\x01\x02PK", "binary file, not text"),
        "latin.md": (b"caf\xe9\n", "not valid UTF-8 (byte b'\\xe9' at offset 3); save it as UTF-8"),
        "empty.md": (b"  \n", "empty file: nothing to lint"),
        "quote.csv": (b'body\n"never closed\n', "2: malformed CSV: unexpected end of data"),
        "headless.eml": (b"Hi Dana,\njust checking in\n", "not an email: no From, To, Subject or Date header"),
        "noboundary.eml": (b"From: a@example.com\nContent-Type: multipart/mixed\n\nhello\n", "malformed MIME"),
        "nofrom.mbox": (b"Subject: x\n\nhi\n", "not an mbox file"),
        "nosteps.yaml": (b"sequence: Renewal\n", "'steps' must be a non-empty list of touches"),
    }
    for name, (data, _) in bad.items():
        (tmp_path / name).write_bytes(data)
    missing = tmp_path / "missing.txt"
    run = lint(good, *(tmp_path / n for n in bad), missing)
    assert run.exit_code == 2
    errors = run.stderr.strip().splitlines()
    assert len(errors) == len(bad) + 1
    for name, (_, problem) in bad.items():
        assert any(e.startswith(f"error: {tmp_path / name}") and problem in e for e in errors), (name, errors)
    assert f"error: {missing}: cannot read: No such file or directory" in errors
    assert run.findings("good.txt", "checkin") == [("checkin/checking-in", 1, 6, "checking in")]


def test_size_limit_is_configurable(lint: Any, tmp_path: Path) -> None:
    (tmp_path / ".checkin-lint.yaml").write_text("max-file-size: 10\n", encoding="utf-8")
    draft = tmp_path / "long.txt"
    draft.write_text("Teams like yours cut churn by 12%.\n", encoding="utf-8")
    run = lint(draft)
    assert run.exit_code == 2
    assert f"error: {draft}: file is 35 bytes, over the 10-byte limit" in run.stderr
