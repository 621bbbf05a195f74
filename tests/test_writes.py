"""Nothing the user wrote is lost: every write goes through one helper that follows symbolic
links, keeps hard links and modes, writes special files in place, respects read-only files,
and ``-o`` never replaces an input."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_lint.atomic import same_file, umask_mode, write_user_file
from checkin_lint.cli import main

FIXABLE = "Hi Dana,\n\nI just wanted to share the pilot results: churn fell 12% at Acme, see https://x.co/r.\n"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--no-cache", *args])


def test_symlink_stays_a_link_and_its_target_is_written(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to("real.txt")
    write_user_file(str(link), b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_hard_links_stay_one_file(tmp_path: Path) -> None:
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text("old text that is longer")
    os.link(one, two)
    write_user_file(str(two), b"new")
    assert one.read_bytes() == b"new" and os.path.samefile(one, two) and one.stat().st_nlink == 2


def test_mode_is_kept_and_new_files_get_the_umask_mode(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    write_user_file(str(kept), b"new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.txt"
    write_user_file(str(fresh), b"new")
    assert stat.S_IMODE(fresh.stat().st_mode) == umask_mode()


def test_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    protected = tmp_path / "ro.txt"
    protected.write_text("old")
    protected.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only file"):
        write_user_file(str(protected), b"new")
    assert protected.read_text() == "old"


def test_special_files_are_written_in_place(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    link = tmp_path / "stdout"
    link.symlink_to(f"/proc/self/fd/{write_end}")
    write_user_file(str(link), b"report\n")
    os.close(write_end)
    assert os.read(read_end, 100) == b"report\n"
    os.close(read_end)
    assert link.is_symlink()
    devnull = Path(os.devnull)
    write_user_file(os.devnull, b"x")
    assert stat.S_ISCHR(devnull.stat().st_mode)


def test_same_file_sees_links_and_other_spellings(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("x")
    (tmp_path / "l.txt").symlink_to("d.txt")
    assert same_file(str(tmp_path / "l.txt"), [str(tmp_path / "." / "d.txt")]) is not None
    assert same_file(str(tmp_path / "missing.txt"), [str(draft)]) is None
    assert same_file(os.devnull, [os.devnull]) is None  # devices are never "an input"


def test_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(FIXABLE)
    (tmp_path / "alias.txt").symlink_to("draft.txt")
    result = invoke("-o", str(tmp_path / "alias.txt"), str(draft))
    assert result.exit_code == 2
    assert "output file is an input" in result.output
    assert draft.read_text() == FIXABLE


def test_fix_through_a_link_and_a_read_only_file(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(FIXABLE)
    (tmp_path / "link.txt").symlink_to("real.txt")
    protected = tmp_path / "ro.txt"
    protected.write_text(FIXABLE)
    protected.chmod(0o444)
    result = invoke("--fix", str(tmp_path / "link.txt"), str(protected))
    assert (tmp_path / "link.txt").is_symlink() and " just " not in real.read_text()
    assert protected.read_text() == FIXABLE
    assert f"{protected}: cannot write the fix: read-only file" in result.output
    assert result.exit_code == 2


def test_a_file_named_twice_is_fixed_once(tmp_path: Path) -> None:
    draft = tmp_path / "a.txt"
    draft.write_text(FIXABLE)
    result = invoke("--fix", str(draft), str(tmp_path / "." / "a.txt"))
    assert result.exit_code == 0, result.output
    assert "changed on disk" not in result.output and " just " not in draft.read_text()


def test_an_email_that_cannot_be_rewritten_exactly_is_a_notice_not_an_error(tmp_path: Path) -> None:
    eml = tmp_path / "l1.eml"
    eml.write_bytes(b"From: a@b.com\nSubject: r\xe9sultats\nContent-Type: text/plain; charset=iso-8859-1\n"
                    b"Content-Transfer-Encoding: 8bit\n\nI just wanted to share the pilot results: churn fell 12% at "
                    b"Acme caf\xe9, https://x.co/r.\n")
    before = eml.read_bytes()
    lint_code = invoke(str(eml)).exit_code
    result = invoke("--fix", str(eml))
    assert result.exit_code == lint_code
    assert "cannot fix" in result.output and eml.read_bytes() == before


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r", "\x0c", "\u2028"])
def test_diff_applies_with_patch_for_every_line_ending(tmp_path: Path, ending: str) -> None:
    text = "Hi Dana,\n\nI just wanted to share the pilot results: churn fell 12% at Acme, report at https://x.co/r.\n\nBest,\nSam\n"
    text = text.replace("\n", ending) if ending in ("\r\n", "\r") else text.replace("Hi Dana,", "Hi Dana," + ending + "p")
    draft = tmp_path / "d.txt"
    draft.write_bytes(text.encode("utf-8"))
    result = subprocess.run([sys.executable, "-m", "checkin_lint", "--no-cache", "--diff", "d.txt"], cwd=tmp_path,
                            capture_output=True)
    assert result.returncode == 1 and result.stdout
    check = subprocess.run(["patch", "-p1", "--dry-run"], cwd=tmp_path, input=result.stdout, capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
