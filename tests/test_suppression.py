"""Suppression directives in each format's comment syntax; unused ones are reported."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checkin_lint.cli import main


def _lint(*paths: Path, args: tuple[str, ...] = ()) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "json", *map(str, paths), *args])
    return result.exit_code, json.loads(result.stdout)


def _findings(report: dict, name: str) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    file = next(f for f in report["files"] if f["path"].endswith(name))
    return [(f["rule_id"], f["line"]) for m in file["messages"] for f in m["findings"] if f["kind"] == "anti-pattern"]


def test_next_line_block_and_file_directives_with_reasons(tmp_path: Path) -> None:
    text = tmp_path / "draft.txt"
    text.write_text(
        "// checkin-lint: disable-next-line=checkin/touching-base -- quoting the customer's subject line\n"
        "You wrote 'touching base on the pilot'; the pilot cut churn by 12%.\n"
        "# checkin-lint: disable=nudge\n"
        "Any updates on the rollout?\n"
        "# checkin-lint: enable=nudge\n"
        "Any updates on legal?\n",
        encoding="utf-8",
    )
    md = tmp_path / "note.md"
    md.write_text("<!-- checkin-lint: disable-file=checkin -- an internal note about wording -->\n\n"
                  "We say 'checking in' in the training deck.\n", encoding="utf-8")
    _, report = _lint(text, md)
    assert _findings(report, "draft.txt") == [("nudge/any-update", 6)]
    assert _findings(report, "note.md") == []


def test_suppressed_findings_do_not_count_in_the_score(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("# checkin-lint: disable-next-line=checkin\nJust checking in.\n", encoding="utf-8")
    code, report = _lint(draft)
    message = report["files"][0]["messages"][0]
    assert message["verdict"] != "reject"
    assert all(c["family"] != "checkin" for c in message["contributions"])
    assert code == 0


def test_a_directive_that_suppresses_nothing_is_reported(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Teams like yours cut churn by 12%.\n# checkin-lint: disable-next-line=checkin -- stale\n"
                     "Here is the report.\n# checkin-lint: disable=chekin\n", encoding="utf-8")
    code, report = _lint(draft)
    assert _findings(report, "draft.txt") == [("suppression/unused", 2), ("suppression/invalid", 4)]
    invalid = [f for m in report["files"][0]["messages"] for f in m["findings"] if f["rule_id"] == "suppression/invalid"]
    assert invalid[0]["message"] == "unknown rule or prefix 'chekin'; did you mean 'checkin'?"
    assert report["files"][0]["messages"][0]["verdict"] == "warn"
    assert code == 0
    assert _lint(draft, args=("--fail-on", "warn"))[0] == 1


def test_yaml_playbook_directives_cover_steps_and_checks(tmp_path: Path) -> None:
    path = tmp_path / "seq.yaml"
    path.write_text(
        "sequence: Seq\nsteps:\n  - day: 0\n    body: Teams like yours cut churn by 12%.\n"
        "  # checkin-lint: disable=playbook/cadence,checkin -- a same-day call is planned\n"
        "  - day: 1\n    body: Just checking in on the churn numbers, which fell 12%.\n"
        "  # checkin-lint: enable=playbook/cadence,checkin\n",
        encoding="utf-8",
    )
    _, report = _lint(path)
    assert _findings(report, "seq.yaml") == [("tone/just", 7), ("playbook/novelty", 7)]
