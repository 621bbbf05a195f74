"""``--jobs N``: many files linted in worker processes, output in input order, the same as
with one process; a progress bar on a terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from click.testing import Result
from fixture_rules import cli_with_fixture_rules

from checkin_lint import parallel

TEXTS = (
    "Hi {n},\n\nChecking in on the proposal. Any updates?\n",
    "Teams like yours cut onboarding by {n}% after the pilot.\n",
    "I just wanted to share that churn fell {n}%. Sorry to bother you.\n",
    "Touching base about the renewal, {n}.\n",
)


@pytest.fixture
def lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)  # these inputs are small: fork all the same
    return cli_with_fixture_rules(tmp_path)


@pytest.fixture
def playbook(tmp_path: Path) -> list[str]:
    """Twenty-four drafts and, in the middle, one file that cannot be read."""
    folder = tmp_path / "playbook"
    folder.mkdir()
    paths = []
    for i in range(24):
        path = folder / f"step-{i:02d}.txt"
        path.write_text(TEXTS[i % len(TEXTS)].format(n=i + 5), encoding="utf-8")
        paths.append(str(path))
    paths.insert(11, str(folder / "missing.txt"))
    return paths


@pytest.mark.parametrize("name", ["text", "json", "sarif"])
def test_two_jobs_print_what_one_job_prints(name: str, lint, playbook: list[str]) -> None:  # type: ignore[no-untyped-def]
    one = lint("--no-cache", "--format", name, *playbook)
    two = lint("--no-cache", "--jobs", "2", "--format", name, *playbook)
    assert one.exit_code == two.exit_code == 2
    assert two.stdout == one.stdout
    throughput, _, rest = two.stderr.partition("\n")  # --jobs adds one line: the throughput it reached
    assert "linted in" in throughput and rest == one.stderr


def test_results_come_back_in_input_order(lint, playbook: list[str]) -> None:  # type: ignore[no-untyped-def]
    given = list(reversed(playbook))
    result = lint("--no-cache", "--jobs", "3", "--format", "json", *given)
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == given


def test_jobs_fill_the_cache_and_a_fix_with_jobs_writes_every_file(lint, playbook: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lint("--jobs", "2", *playbook)
    assert len(list((tmp_path / "cache").rglob("*.entry"))) == 24
    result = lint("--jobs", "2", "--fix", *playbook)
    assert "fixed" in result.stderr
    assert Path(playbook[2]).read_text(encoding="utf-8") == "I wanted to share that churn fell 7%.\n"
    assert Path(playbook[0]).read_text(encoding="utf-8") == "Hi 5,\n\nChecking in on the proposal. Any updates?\n"


def test_a_worker_that_cannot_start_ends_the_run_with_an_error(lint, playbook: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = lint("--jobs", "2", "--model", str(tmp_path / "no-such-model"), *playbook)
    assert result.exit_code == 2
    assert "no-such-model" in result.stderr


def test_a_progress_bar_shows_on_a_terminal(playbook: list[str], tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "checkin_lint", "--no-cache", "--progress", "--format", "concise", *playbook],
        stdout=secondary, stderr=secondary, stdin=subprocess.DEVNULL,
    )
    os.close(secondary)
    shown = b""
    while select.select([primary], [], [], 60)[0]:
        try:
            data = os.read(primary, 65536)
        except OSError:
            break
        if not data:
            break
        shown += data
    proc.wait(timeout=60)
    os.close(primary)
    assert b"Linting" in shown and b"100%" in shown


def test_jobs_report_the_throughput_they_reached(lint, playbook: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = lint("--no-cache", "--jobs", "2", *playbook)
    assert "24 files (1 KB, 24 messages) linted in" in result.stderr
    assert "by 2 processes:" in result.stderr and "messages/s" in result.stderr


def test_too_little_work_is_linted_in_one_process(lint, playbook: list[str], monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 10_000)
    monkeypatch.setattr(parallel, "_context", lambda: pytest.fail("forked for 1 KB of work"))
    one = lint("--no-cache", "--format", "json", *playbook)
    two = lint("--no-cache", "--jobs", "2", "--format", "json", *playbook)
    assert two.stdout == one.stdout
    assert "by 1 process:" in two.stderr and "less than 10 KB to lint: 2 processes would take longer" in two.stderr
    assert "linted in" not in one.stderr  # without --jobs nothing is added
