"""What a run reads: folders expand to regular files inside them (no FIFO, device or link
out of the folder), sizes are checked on the bytes read, and a named folder under a hidden
folder is linted."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from checkin_lint.cli import main
from checkin_lint.config import Config, expand_paths

DRAFT = "Hi Dana, just checking in.\n"


def test_folders_expand_to_regular_files_inside_them(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "a.txt").write_text(DRAFT)
    (repo / "sub" / "b.txt").write_text(DRAFT)
    os.mkfifo(repo / "pipe.txt")
    (repo / "zero.txt").symlink_to("/dev/zero")
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "creds.txt").write_text("API key: SECRET\n")
    (repo / "notes.txt").symlink_to("../secret/creds.txt")
    (repo / "outside").symlink_to("../secret", target_is_directory=True)
    (repo / "alias.txt").symlink_to("sub/b.txt")  # a link that stays inside is followed
    skipped: list[str] = []
    files, problems = expand_paths([str(repo)], Config(root=str(tmp_path)), skipped=skipped)
    assert sorted(Path(f).relative_to(repo).as_posix() for f in files) == ["a.txt", "alias.txt", "sub/b.txt"]
    assert problems == []
    assert sorted(Path(f).relative_to(repo).as_posix() for f in skipped) == ["notes.txt", "pipe.txt", "zero.txt"]


def test_a_run_says_which_files_it_skipped_as_not_regular(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.txt").write_text(DRAFT)
    os.mkfifo(repo / "pipe.txt")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--no-cache", "repo"])
    assert result.exit_code == 1  # a.txt is linted and rejected; the FIFO is never opened
    assert ("notice: skipped, not a regular file inside the folder (a FIFO, device, socket or link out of it): "
            f"{os.path.join('repo', 'pipe.txt')}") in result.stdout


def test_named_folder_under_a_hidden_folder_is_linted(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    outreach = tmp_path / ".github" / "outreach"
    outreach.mkdir(parents=True)
    (outreach / "followup.txt").write_text(DRAFT)
    (outreach / ".hidden.txt").write_text(DRAFT)
    monkeypatch.chdir(tmp_path)
    files, problems = expand_paths([".github/outreach"], Config(root=str(tmp_path)))
    assert files == [os.path.join(".github/outreach", "followup.txt")] and problems == []


def test_size_is_checked_on_what_is_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--no-cache", "/dev/zero"])
    assert result.exit_code == 2
    assert "error: /dev/zero: file is over the 5,000,000-byte limit" in result.output
    (tmp_path / ".checkin-lint.yaml").write_text("max-file-size: 100\n")
    big = tmp_path / "big.txt"
    big.write_text(DRAFT * 10)
    result = CliRunner().invoke(main, ["--no-cache", str(big)])
    assert result.exit_code == 2 and "over the 100-byte limit" in result.output
