"""CSV exports: each row is a message, labelled by row number, located cell by cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

EXPORT = (
    "Id,Subject,Body,Owner\n"
    '101,Quick one,"Hi Dana,\n\nI\'m just checking in, any updates?\n\nBest,\nSam",sam\n'
    '102,"Benchmark ""Q3""","Teams like yours cut onboarding time by 30%.",lee\n'
    "103,,,lee\n"
)


def test_rows_are_messages_located_in_the_file(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(EXPORT, encoding="utf-8")
    run = lint(path, "--column", "Body", "--subject-column", "Subject", "--id-column", "Id")
    assert [m["label"] for m in run.messages("crm.csv")] == ["row 2 (id 101)", "row 3 (id 102)"]
    assert run.findings("crm.csv", "checkin") == [("checkin/checking-in", 4, 10, "checking in")]
    assert run.exit_code == 1


def test_body_column_is_found_by_name_and_semicolons_are_sniffed(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("owner;message\nsam;Touching base again.\n", encoding="utf-8")
    assert check(path).findings("export.csv", "checkin") == [("checkin/touching-base", 2, 5, "Touching base again")]


def test_unknown_column_and_ragged_rows_are_errors(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text(EXPORT, encoding="utf-8")
    run = lint(path, "--column", "Text")
    assert run.exit_code == 2
    assert f"{path}:1: no body column 'Text' (columns: Id, Subject, Body, Owner)" in run.stderr
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,body\n1\n", encoding="utf-8")
    assert "row 2 has 1 fields; the header has 2" in lint(ragged).stderr
