"""Safe fixes, as a user runs them: ``--fix`` rewrites files in place, ``--diff`` only shows.

The rules are the fixture rules (``fixture_rules.py``), selected alone, so the stories do not
move when the built-in rules grow.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest
from click.testing import Result
from fixture_rules import cli_with_fixture_rules

from checkin_lint.fix import FixError, apply_to_bytes


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., Result]:
    """Run ``checkin-lint`` with only the fixture rules and a private cache."""
    return cli_with_fixture_rules(tmp_path)


def test_fix_drops_the_opener_when_the_message_carries_value(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.txt"
    draft.write_bytes(b"Hi Dana,\n\nJust checking in with the benchmark: teams like yours cut onboarding by 30%.\n\nSam\n")
    result = lint("--fix", "--format", "concise", str(draft))
    assert result.exit_code == 0, result.output
    assert draft.read_bytes() == b"Hi Dana,\n\nThe benchmark: teams like yours cut onboarding by 30%.\n\nSam\n"
    assert "fixed 2 findings in 1 file" in result.stderr


def test_a_phrase_is_never_cut_out_of_the_middle_of_a_sentence(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    original = b"Hi Dana, I am touching base and sharing how the pilot went: churn fell 30%.\n"
    draft = tmp_path / "draft.txt"
    draft.write_bytes(original)
    result = lint("--fix", "--format", "concise", str(draft))
    # "I am and sharing" would be broken: the phrase stays, as a suggestion
    assert draft.read_bytes() == original
    assert "'touching base'" in result.output


def test_fix_keeps_bom_crlf_and_every_byte_outside_the_fixed_spans(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = "Hi Zoë,\r\n\r\nI just wanted to share the pilot: churn fell 12%.\r\n\r\nSorry to bother you again.\r\n\r\nThanks –\tSam  \r\n"
    after = "Hi Zoë,\r\n\r\nI wanted to share the pilot: churn fell 12%.\r\n\r\nThanks –\tSam  \r\n"
    draft = tmp_path / "crlf.txt"
    draft.write_bytes(b"\xef\xbb\xbf" + before.encode("utf-8"))
    result = lint("--fix", str(draft))
    assert result.exit_code == 0, result.output
    assert draft.read_bytes() == b"\xef\xbb\xbf" + after.encode("utf-8")


def test_fix_twice_changes_nothing_the_second_time(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.txt"
    draft.write_text("Touching base, just sharing the 40% benchmark. Sorry to bother you. Any updates?\n", encoding="utf-8")
    first = lint("--fix", str(draft))
    fixed = draft.read_bytes()
    assert fixed != b"" and "fixed" in first.stderr
    second = lint("--fix", str(draft))
    assert draft.read_bytes() == fixed
    assert "fixed" not in second.stderr
    assert lint("--diff", str(draft)).output == ""


def test_unsafe_fixes_stay_suggestions(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "nudge.txt"
    draft.write_text("The pilot cut churn by 30%. Any updates?\n", encoding="utf-8")
    result = lint("--fix", str(draft))
    assert draft.read_text(encoding="utf-8") == "The pilot cut churn by 30%. Any updates?\n"
    assert "fixtest/nudge" in result.output and "Ask something specific." in result.output


def test_value_present_fix_leaves_an_empty_checkin_alone(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Dropping the check-in from a message with nothing else would leave nothing to send."""
    draft = tmp_path / "empty.txt"
    draft.write_text("Hi Dana, checking in on the proposal.\n", encoding="utf-8")
    result = lint("--fix", str(draft))
    assert result.exit_code == 1
    assert draft.read_text(encoding="utf-8") == "Hi Dana, checking in on the proposal.\n"


def test_diff_shows_the_fix_and_writes_nothing(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.txt"
    original = b"Checking in: our benchmark shows a 25% drop in handling time.\n"
    draft.write_bytes(original)
    result = lint("--diff", str(draft))
    assert result.exit_code == 1
    assert draft.read_bytes() == original
    assert f"--- {draft}\n+++ {draft}\n" in result.output
    assert "-Checking in: our benchmark shows a 25% drop in handling time.\n" in result.output
    assert "+Our benchmark shows a 25% drop in handling time.\n" in result.output
    assert lint("--diff", "--exit-zero", str(draft)).exit_code == 0


def test_diff_of_a_relative_path_applies_with_patch_p1(lint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("draft.txt").write_text("I just wanted to share a 10% saving.\n", encoding="utf-8")
    result = lint("--diff", "draft.txt")
    assert result.output.startswith("--- a/draft.txt\n+++ b/draft.txt\n")


def test_merge_fields_are_never_touched(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "template.txt"
    draft.write_text("Hi {{first_name}},\n\nJust checking in with the {{ company }} numbers: 18% fewer tickets.\n", encoding="utf-8")
    lint("--fix", str(draft))
    assert draft.read_text(encoding="utf-8") == "Hi {{first_name}},\n\nThe {{ company }} numbers: 18% fewer tickets.\n"


def test_a_file_that_is_not_utf8_is_an_input_error_and_never_written(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "latin1.txt"
    original = "Café: just checking in with the 30% report.\n".encode("latin-1")
    draft.write_bytes(original)
    result = lint("--fix", str(draft))
    assert result.exit_code == 2
    assert f"error: {draft}:" in result.stderr and "not valid UTF-8" in result.stderr
    assert draft.read_bytes() == original


def test_the_fixer_re_encodes_in_the_file_encoding() -> None:
    """Encoding-agnostic: given a reader that decoded cp1252, the bytes around the edit stay as they were."""
    text = "Caf\u00e9 \u2014 I just wanted to share the 30% report.\r\n"
    raw = text.encode("cp1252")
    start = text.index(" just")
    fixed = apply_to_bytes("menu.txt", raw, text, [(start, start + 5, "", " just")], encoding="cp1252")
    assert fixed == "Caf\u00e9 \u2014 I wanted to share the 30% report.\r\n".encode("cp1252")
    with pytest.raises(FixError):  # text that does not encode back to the same bytes is refused
        apply_to_bytes("menu.txt", raw, text.replace("\u00e9", "e"), [(0, 1, "", "C")], encoding="cp1252")
    with pytest.raises(FixError):  # so is an edit that does not find the words it was planned for
        apply_to_bytes("menu.txt", raw, text, [(start + 1, start + 6, "", " just")], encoding="cp1252")


def test_fix_writes_atomically_and_keeps_permissions(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.txt"
    draft.write_text("I just wanted to share the 12% result.\n", encoding="utf-8")
    draft.chmod(0o640)
    inode = draft.stat().st_ino
    lint("--fix", str(draft))
    assert draft.read_text(encoding="utf-8") == "I wanted to share the 12% result.\n"
    assert draft.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert draft.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["draft.txt"]


def test_a_failed_write_leaves_the_file_as_it_was(lint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "draft.txt"
    original = b"I just wanted to share the 12% result.\n"
    draft.write_bytes(original)

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    result = lint("--fix", "--no-cache", str(draft))
    assert result.exit_code == 2
    assert "cannot write the fix: No space left on device" in result.stderr
    assert draft.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["draft.txt"]  # no temporary file left


def test_delete_sentence_takes_its_line_and_one_blank_line(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "apology.txt"
    draft.write_text("Hi Ana,\n\nSorry to bother you.\n\nChurn fell 9% after the change.\n", encoding="utf-8")
    lint("--fix", str(draft))
    assert draft.read_text(encoding="utf-8") == "Hi Ana,\n\nChurn fell 9% after the change.\n"


def test_fix_reports_what_is_left(lint, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    draft = tmp_path / "left.txt"
    draft.write_text("I just wanted to share the 30% report. Any updates?\n", encoding="utf-8")
    result = lint("--fix", "--format", "concise", str(draft))
    assert draft.read_text(encoding="utf-8") == "I wanted to share the 30% report. Any updates?\n"
    assert "fixtest/nudge" in result.output
    assert "fixtest/minimiser" not in result.output
