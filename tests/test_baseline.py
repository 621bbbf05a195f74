"""--baseline: record today's rejected and warned messages once, then report only new ones."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checkin_lint.cli import main

EMPTY = "Hi Dana,\n\nJust checking in. Any updates?\n"
VALUE = "Hi Dana,\n\nTeams like yours cut churn by 12% after the pilot; the summary is here: https://example.com/s\n"


def _lint(*args: object) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "json", *map(str, args)])
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else {}), result.stderr


def test_a_baseline_is_written_once_then_only_new_failures_are_reported(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.txt").write_text(EMPTY, encoding="utf-8")
    (tmp_path / "good.txt").write_text(VALUE, encoding="utf-8")
    baseline = tmp_path / "checkin-lint-baseline.json"
    code, report, _ = _lint("--baseline", baseline.name, "old.txt", "good.txt")
    assert code == 0  # the first run records the library as it is
    document = json.loads(baseline.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert [e["path"] for e in document["messages"].values()] == ["old.txt"]
    assert any("1 message recorded in the baseline" in n for n in report["notices"])

    # moving the text down a line keeps it recorded; a new empty check-in fails
    (tmp_path / "old.txt").write_text("\n" + EMPTY, encoding="utf-8")
    (tmp_path / "new.txt").write_text(EMPTY, encoding="utf-8")
    code, report, _ = _lint("--baseline", baseline.name, "old.txt", "good.txt", "new.txt")
    assert code == 1
    assert [f["path"] for f in report["files"] if f["messages"] and f["messages"][0]["verdict"] == "reject"] == ["new.txt"]
    assert report["summary"]["rejected"] == 1

    # a recorded message that gets a new check-in phrase is reported again
    (tmp_path / "old.txt").write_text(EMPTY + "Just circling back as well.\n", encoding="utf-8")
    code, report, _ = _lint("--baseline", baseline.name, "old.txt")
    assert code == 1 and report["summary"]["rejected"] == 1
    assert baseline.read_text(encoding="utf-8") == json.dumps(document, indent=2) + "\n"  # read, never rewritten


def test_a_broken_baseline_is_an_error_naming_the_file(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text("{not json", encoding="utf-8")
    code, _, stderr = _lint("--baseline", baseline, draft)
    assert code == 2 and stderr.startswith(f"error: {baseline}:1:2: not a baseline file: invalid JSON")
